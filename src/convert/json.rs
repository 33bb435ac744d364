//! JSON ⇄ model.
//!
//! The JSON form is the model itself ([`Document`], serde-derived): the field names and nesting
//! of the seed transcription, every value as the text of its cell, and per sheet, entry and
//! indicator the provenance maps `cells` (field → address, `"target": "E8"`) and `merged`
//! (field → merged area) plus `sheet`, the worksheet's name. Nothing is computed here, so a
//! document written and read back is equal to the original.
//!
//! Reading accepts, besides a document (`{"sheets": [...]}`), a single sheet object
//! (`{"division": ..., "entries": [...]}`) and a bare array of sheets: people cut one sheet out
//! of a larger file, and both are unambiguous. Keys the model does not know (the seed's
//! `about`) are ignored.

use crate::error::{Error, ErrorKind, Result};
use crate::lang::Msg;
use crate::model::{Document, Sheet};

/// The byte-order mark some Windows editors put in front of UTF-8.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Reads a goalsheet JSON document (the seed's shape is accepted as is).
///
/// UTF-8 with or without a BOM. Accepts a document, a single sheet object or an array of
/// sheets. Invalid JSON, or JSON of the wrong shape, is an [`ErrorKind::Json`] whose detail
/// names the line and column.
pub fn from_bytes(bytes: &[u8]) -> Result<Document> {
    let mut doc = parse(bytes)?;
    drop_edited_typed(&mut doc);
    Ok(doc)
}

/// Forgets each typed cell (`typed`: a number with its format, a date, a formula) whose value
/// no longer shows the text beside it: the text was edited by hand and the JSON's `typed` left
/// as it was. The writers put a typed cell's value in the cell, so the edit was lost without
/// a word (`1,512件` edited to `1,600件` came back as 1,512); the text is what was meant.
fn drop_edited_typed(doc: &mut Document) {
    use crate::model::{Field, Typed};
    use crate::read::grid::typed_shows as shows;
    fn keep(typed: &mut Typed, text: impl Fn(Field) -> Option<String>) {
        typed.at.retain(|f, t| shows(t, text(*f).as_deref().unwrap_or_default()));
    }
    for sheet in &mut doc.sheets {
        let mut typed = std::mem::take(&mut sheet.typed);
        keep(&mut typed, |f| sheet.field(f).map(str::to_string));
        sheet.typed = typed;
        for entry in &mut sheet.entries {
            let mut typed = std::mem::take(&mut entry.typed);
            keep(&mut typed, |f| entry.field(f).map(str::to_string));
            entry.typed = typed;
            for ind in &mut entry.indicators {
                let mut typed = std::mem::take(&mut ind.typed);
                keep(&mut typed, |f| ind.field(f).map(str::to_string));
                ind.typed = typed;
            }
        }
    }
    let extras = doc.sheets.iter_mut().flat_map(|s| s.extras.iter_mut());
    for cell in extras.chain(doc.other_sheets.iter_mut().flat_map(|s| s.cells.iter_mut())) {
        if cell.typed.as_ref().is_some_and(|t| !shows(t, &cell.text)) {
            cell.typed = None;
        }
    }
}

/// The document the JSON holds, as written.
fn parse(bytes: &[u8]) -> Result<Document> {
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    if let Err(e) = std::str::from_utf8(bytes) {
        let n = e.valid_up_to() + 1;
        return Err(json_error(Msg::new(
            format!("{n}バイト目がUTF-8ではありません。UTF-8で保存し直してください"),
            format!("byte {n} is not UTF-8; save the file as UTF-8"),
        )));
    }
    // First the syntax, so that an error points at the broken spot whatever the shape.
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(from_serde)?;
    // Then the shape, deserializing from the text again so that errors keep their position.
    match &value {
        serde_json::Value::Object(map) if map.contains_key("sheets") => {
            serde_json::from_slice::<Document>(bytes).map_err(from_serde)
        }
        serde_json::Value::Object(map) if looks_like_sheet(map) => {
            let sheet: Sheet = serde_json::from_slice(bytes).map_err(from_serde)?;
            Ok(Document { sheets: vec![sheet], ..Document::default() })
        }
        serde_json::Value::Array(_) => {
            let sheets: Vec<Sheet> = serde_json::from_slice(bytes).map_err(from_serde)?;
            Ok(Document { sheets, ..Document::default() })
        }
        _ => Err(json_error(Msg::new(
            "組織目標管理シートのJSONではありません（\"sheets\" も \"entries\" もありません）",
            "not a goal sheet document (no \"sheets\" and no \"entries\")",
        ))),
    }
}

/// Writes the full model as pretty-printed UTF-8 JSON with a trailing newline to `w`, as it
/// goes (no copy of the whole text in memory).
pub fn to_writer(doc: &Document, w: &mut dyn std::io::Write) -> Result<()> {
    let write = |w: &mut dyn std::io::Write| -> serde_json::Result<()> {
        serde_json::to_writer_pretty(&mut *w, doc)?;
        w.write_all(b"\n").map_err(serde_json::Error::io)
    };
    write(w).map_err(|e| if e.is_io() { Error::from(std::io::Error::from(e)) } else { from_serde(e) })
}

/// Writes the full model as pretty-printed UTF-8 JSON with a trailing newline.
pub fn to_string(doc: &Document) -> Result<String> {
    let mut s = serde_json::to_string_pretty(doc).map_err(from_serde)?;
    s.push('\n');
    Ok(s)
}

/// A single sheet object has at least one of the sheet's own keys.
fn looks_like_sheet(map: &serde_json::Map<String, serde_json::Value>) -> bool {
    ["entries", "division", "department", "fiscal_year"].iter().any(|k| map.contains_key(*k))
}

fn json_error(detail: Msg) -> Error {
    Error::new(ErrorKind::Json { detail })
}

/// What went wrong by serde_json's category, where (`3行目5文字目`, `line 3, column 5`), and
/// serde_json's own words in brackets.
fn from_serde(e: serde_json::Error) -> Error {
    use serde_json::error::Category;
    // serde_json appends " at line L column C"; the position is given separately.
    let text = e.to_string();
    let raw = text.rfind(" at line ").map_or(text.as_str(), |i| &text[..i]);
    let (ja, en) = match e.classify() {
        Category::Syntax => ("JSONの書き方に誤りがあります", "the JSON is not well-formed"),
        Category::Eof => (
            "JSONが途中で終わっています（括弧か引用符が足りません）",
            "the JSON ends too early (a bracket or quote is missing)",
        ),
        // The one untagged value of the model: No. as a number or a text.
        Category::Data if raw.contains("NoRepr") => {
            ("No.（番号）は数か文字列で書いてください", "No. must be a number or a string")
        }
        Category::Data => (
            "組織目標管理シートのJSONの形と合いません（値の種類が違うか、あるべき項目がありません）",
            "the JSON does not have the shape of a goal sheet document (a value of the wrong kind, or a missing key)",
        ),
        Category::Io => ("JSONを読めません", "the JSON cannot be read"),
    };
    let (l, c) = (e.line(), e.column());
    json_error(if l == 0 {
        Msg::new(format!("{ja} [{raw}]"), format!("{en} [{raw}]"))
    } else {
        Msg::new(format!("{l}行目{c}文字目: {ja} [{raw}]"), format!("line {l}, column {c}: {en} [{raw}]"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::address::{CellRange, CellRef};
    use crate::model::Field;

    const SEED: &str = include_str!("../../tests/data/shimin-seikatsu-r6.json");

    fn seed() -> Document {
        from_bytes(SEED.as_bytes()).expect("seed reads")
    }

    #[test]
    fn seed_reads_as_is() {
        let doc = seed();
        assert_eq!(doc.sheets.len(), 6);
        assert_eq!(doc.sheets[0].division, "市民協働課");
        assert_eq!(doc.sheets[0].entries[0].no, "1");
        assert_eq!(doc.sheets[5].entries[1].indicators.len(), 3);
    }

    #[test]
    fn round_trip_is_equal_including_provenance() {
        let mut doc = seed();
        doc.source = Some("市民生活部.xlsx".into());
        let sheet = &mut doc.sheets[0];
        sheet.sheet = "市民協働課".into();
        sheet.target_label = "Ｒ６目標".into();
        sheet.cells.set(Field::Division, CellRef::new(2, 4));
        sheet.merged.set(Field::Division, CellRange::parse("E3:F3").expect("range"));
        sheet.entries[0].cells.set(Field::Goal, CellRef::new(7, 1));
        sheet.entries[0].indicators[0].cells.set(Field::Target, CellRef::new(7, 4));
        let text = to_string(&doc).expect("writes");
        assert!(text.ends_with("}\n"));
        assert!(text.contains("\"target\": \"E8\""), "cells map uses A1 addresses");
        assert!(text.contains("\"division\": \"E3:F3\""));
        assert!(text.contains("\"sheet\": \"市民協働課\""));
        assert_eq!(from_bytes(text.as_bytes()).expect("reads back"), doc);
    }

    #[test]
    fn bom_is_accepted() {
        let mut bytes = BOM.to_vec();
        bytes.extend_from_slice(SEED.as_bytes());
        assert_eq!(from_bytes(&bytes).expect("reads"), seed());
    }

    #[test]
    fn broken_json_names_line_and_column() {
        let e = from_bytes(b"{\n  \"sheets\": [\n    {\"division\": \"x\",,}\n  ]\n}").expect_err("broken");
        match &e.kind {
            ErrorKind::Json { detail } => {
                assert!(detail.en.contains("line 3"), "{detail:?}");
                assert!(detail.ja.contains("3行目"), "{detail:?}");
                assert!(!detail.ja.contains("line"), "one language: {detail:?}");
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn wrong_type_names_line() {
        let e = from_bytes(b"{\"sheets\": [\n{\"entries\": 5}]}").expect_err("wrong type");
        assert!(matches!(&e.kind, ErrorKind::Json { detail } if detail.en.contains("line 2")), "{e}");
    }

    #[test]
    fn single_sheet_and_array_are_accepted() {
        let doc = seed();
        let one = serde_json::to_string(&doc.sheets[1]).expect("ser");
        assert_eq!(from_bytes(one.as_bytes()).expect("one").sheets, vec![doc.sheets[1].clone()]);
        let all = serde_json::to_string(&doc.sheets).expect("ser");
        assert_eq!(from_bytes(all.as_bytes()).expect("array").sheets, doc.sheets);
    }

    #[test]
    fn other_json_is_refused() {
        for bad in [&b"42"[..], b"{\"name\": 1}", b"", b"\xff\xfe"] {
            assert!(matches!(from_bytes(bad).map_err(|e| e.kind), Err(ErrorKind::Json { .. })));
        }
    }
}
