//! Property tests: converting generated sheets keeps every value.
//!
//! - xlsx ⇄ JSON: a document written by `write::workbook_bytes` and read back by
//!   `read::read_bytes` holds the same values; its JSON reads back to the same document,
//!   provenance included; and writing that again gives the same document.
//! - xlsx ⇄ CSV in both encodings: the read workbook as CSV (UTF-8 with BOM; Shift_JIS with
//!   text restricted to what Shift_JIS holds) reads back to the same values, and so does the
//!   workbook written from that CSV.
//!
//! The writer stores 作成日 / 評価日 that parse as date cells in the era style they were typed
//! in (documented in `write::write_sheet`), so those compare as dates, not as texts.

use crate::gen::{difference, document, values, Charset};
use goalsheet::convert::{csv, json};
use goalsheet::grammar::date::parse_date;
use goalsheet::read::read_bytes;
use goalsheet::write::workbook_bytes;
use goalsheet::Document;
use proptest::prelude::*;

/// Dates that parse become the date they denote (`Ｒ６．５．１５` and `2024/5/15` are the same
/// value once Excel holds them as a date cell); everything else is compared as written.
fn dates_as_dates(mut doc: Document) -> Document {
    for s in &mut doc.sheets {
        for d in [&mut s.created, &mut s.evaluated] {
            if let Ok(p) = parse_date(d) {
                *d = p.date.to_string();
            }
        }
    }
    doc
}

fn xlsx_round(doc: &Document) -> Document {
    let bytes = workbook_bytes(doc).expect("writes");
    read_bytes(&bytes, "生成.xlsx").expect("reads back what goalsheet wrote")
}

/// Equal documents, or the first difference as the failure.
fn same(left: &Document, right: &Document) -> Result<(), TestCaseError> {
    match difference(left, right) {
        None => Ok(()),
        Some(d) => Err(TestCaseError::fail(format!("after the round trip {d}"))),
    }
}

fn config() -> ProptestConfig {
    ProptestConfig { cases: 64, max_shrink_iters: 256, ..ProptestConfig::default() }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn xlsx_json_round_trip_keeps_every_value(doc in document(Charset::Unicode, false)) {
        let read = xlsx_round(&doc);
        same(&dates_as_dates(values(read.clone())), &dates_as_dates(values(doc.clone())))?;
        // JSON holds the read document exactly, provenance included.
        let text = json::to_string(&read).expect("json");
        let back = json::from_bytes(text.as_bytes()).expect("json reads");
        same(&back, &read)?;
        // And a workbook written from the JSON reads back to the same document.
        let again = xlsx_round(&back);
        same(&values(again), &values(read))?;
    }

    #[test]
    fn xlsx_csv_round_trip_utf8(doc in document(Charset::Unicode, false)) {
        let read = values(xlsx_round(&doc));
        let bytes = csv::to_bytes(&read, csv::Encoding::Utf8Bom).expect("csv");
        prop_assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 CSV starts with a BOM for Excel");
        let back = values(csv::from_bytes(&bytes).expect("csv reads"));
        same(&back, &read)?;
        same(&values(xlsx_round(&back)), &read)?;
    }

    #[test]
    fn xlsx_csv_round_trip_shift_jis(doc in document(Charset::ShiftJis, false)) {
        let read = values(xlsx_round(&doc));
        let encoded = csv::encode(&read, csv::Encoding::ShiftJis).expect("Shift_JIS csv");
        prop_assert!(encoded.substitutions.is_empty(), "{:?}", encoded.substitutions);
        prop_assert!(std::str::from_utf8(&encoded.bytes).is_err() || encoded.bytes.is_ascii(), "really Shift_JIS");
        let back = values(csv::from_bytes(&encoded.bytes).expect("csv reads"));
        same(&back, &read)?;
        same(&values(xlsx_round(&back)), &read)?;
    }
}
