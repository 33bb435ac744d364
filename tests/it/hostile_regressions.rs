//! Regressions: every crash, hang, over-allocation or wrongly refused file found by fuzzing,
//! the property tests or the hostile corpus, with its input written out here (as text, bytes
//! or generated in code: no unexplained binary blobs). Each test says where the bug was and
//! what the fix was; docs/hardening.md lists them.

use crate::common;

use goalsheet::read::read_bytes;

/// `read::guard` refused a workbook whose `xl/sharedStrings.xml` `count` (references to shared
/// strings over all sheets) exceeded size / 5. Only `uniqueCount` is reserved by calamine and
/// bounded by the size; `count` is legitimately far larger when many sheets repeat the same
/// labels. Found by tests/hostile_corpus.rs (a real 200-sheet workbook was refused as
/// "damaged or crafted"). Fixed in src/read/guard.rs: only `uniqueCount` is checked.
#[test]
fn shared_strings_count_larger_than_the_part_is_fine() {
    let sst = r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1000000" uniqueCount="1"><si><t>組織目標管理シート</t></si></sst>"#;
    let cell = r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#;
    let bytes = common::fixtures::minimal_xlsx(cell, Some(sst), vec![]);
    match read_bytes(&bytes, "count.xlsx") {
        // The only sheet holds just the title: not a goal sheet, but read, not refused.
        Err(e) => assert!(matches!(e.kind, goalsheet::ErrorKind::NoGoalSheet { .. }), "{e}"),
        Ok(doc) => assert!(doc.sheets.is_empty()),
    }
    // A lying uniqueCount is still refused before calamine reserves it.
    let sst = r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="100000000000"><si><t>a</t></si></sst>"#;
    let e = read_bytes(&common::fixtures::minimal_xlsx(cell, Some(sst), vec![]), "unique.xlsx").expect_err("refused");
    assert!(matches!(e.kind, goalsheet::ErrorKind::Corrupt { .. }), "{e}");
}

/// A JSON of empty objects: three bytes each, but each one a whole sheet in memory. 10 MB of
/// `{},` made 3.5 million sheets and 2.8 GB (a 32 MiB file, under the input cap, would have
/// needed 9 GB). Found by tests/hostile_corpus.rs. Fixed in src/read (guard::
/// check_json_containers, counted before parsing).
#[test]
fn json_of_empty_objects_is_refused_before_parsing() {
    let json = format!("[{}{{}}]", "{},".repeat(300_000));
    let e = read_bytes(json.as_bytes(), "空.json").expect_err("refused");
    assert!(matches!(e.kind, goalsheet::ErrorKind::TooLarge { .. }), "{e}");
    assert!(e.render(goalsheet::Lang::Ja).contains("大きすぎます"));
    // Braces and brackets inside strings are text, not objects.
    let text = format!(r#"{{"sheets":[{{"division":"{}","entries":[]}}]}}"#, "{[".repeat(300_000));
    let doc = read_bytes(text.as_bytes(), "括弧.json").expect("reads");
    assert_eq!(doc.sheets[0].division.len(), 600_000);
}

/// Fewer containers than the pre-check allows, but more sheets + entries + indicators than
/// anything downstream should hold: `check` on a 30 MB CSV of 313,000 rows took 7.3 GB and
/// 133 s. Fixed in src/read (guard::MAX_ITEMS, checked after every format).
#[test]
fn documents_past_the_item_budget_are_refused() {
    let entries = vec!["{}"; goalsheet::read::guard::MAX_ITEMS + 1].join(",");
    let json = format!(r#"{{"sheets":[{{"entries":[{entries}]}}]}}"#);
    let e = read_bytes(json.as_bytes(), "多.json").expect_err("refused");
    assert!(matches!(e.kind, goalsheet::ErrorKind::TooLarge { .. }), "{e}");
    assert!(e.render(goalsheet::Lang::En).contains("10001 goals (No.)"), "{e}");
    // One under the budget reads.
    let entries = vec!["{}"; goalsheet::read::guard::MAX_ITEMS - 1].join(",");
    let json = format!(r#"{{"sheets":[{{"entries":[{entries}]}}]}}"#);
    assert_eq!(
        read_bytes(json.as_bytes(), "可.json").expect("reads").sheets[0].entries.len(),
        goalsheet::read::guard::MAX_ITEMS - 1
    );
}

/// A CSV with more line breaks than any goal sheet export is refused before parsing (each row
/// is an indicator: a 30 MB CSV made 646 MB of model and aborted under a 512 MB limit).
#[test]
fn csv_with_too_many_lines_is_refused_before_parsing() {
    let mut csv = String::from("No.,組織目標,指標\n");
    for n in 0..=goalsheet::read::guard::MAX_CSV_LINES {
        csv.push_str(&format!("{n},目標,指標\n"));
    }
    let e = read_bytes(csv.as_bytes(), "行.csv").expect_err("refused");
    assert!(matches!(e.kind, goalsheet::ErrorKind::TooLarge { .. }), "{e}");
    assert!(e.render(goalsheet::Lang::En).contains("lines"), "{e}");
}

/// `parse_date("0024-05-15")` is year 24, but `format_date` wrote `24/5/15`, which does not
/// parse back (a Western year has four digits): the documented round trip broke. Found by the
/// `date` fuzz target. Fixed in src/grammar/date.rs: the Western year is written with four
/// digits.
#[test]
fn early_western_years_round_trip() {
    use goalsheet::grammar::date::{format_date, parse_date, DateStyle};
    for text in ["0024-05-15", "0999/1/1", "1800/12/31"] {
        let d = parse_date(text).expect("parses").date;
        for style in [DateStyle::Western, DateStyle::EraShort, DateStyle::EraLong] {
            let written = format_date(d, style);
            assert_eq!(parse_date(&written).map(|p| p.date), Ok(d), "{text} → {written}");
        }
    }
    assert_eq!(format_date(parse_date("0024-05-15").expect("parses").date, DateStyle::Western), "0024/5/15");
}

/// A date before 1900 parses, but Excel cannot hold it as a date cell: writing it must keep
/// the text, not fail the whole workbook.
#[test]
fn dates_before_excel_are_written_as_text() {
    let mut doc = goalsheet::Document::default();
    doc.sheets.push(goalsheet::Sheet {
        division: "課".into(),
        created: "1800/12/31".into(),
        evaluated: "0024-05-15".into(),
        ..Default::default()
    });
    let bytes = goalsheet::write::workbook_bytes(&doc).expect("writes");
    let back = read_bytes(&bytes, "古.xlsx").expect("reads");
    assert_eq!(back.sheets[0].created, "1800/12/31");
    assert_eq!(back.sheets[0].evaluated, "0024-05-15");
}

/// Wide rows made the CSV header search take minutes: every cell of the first 20 rows was
/// compared with a hundred header names, each normalised (NFKC) again for every cell, and
/// repeated header cells were looked up in a list as long as the row. An 800 KB CSV of 20 rows
/// × 20,000 cells ran for more than 120 s. Found by the slowness of the `csv` fuzz target.
/// Fixed in src/convert/csv.rs (names normalised once; fields already seen kept apart) and
/// src/read (guard: at most 5,000 columns a line, counted before parsing).
#[test]
fn wide_csv_rows_are_fast_or_refused() {
    let started = std::time::Instant::now();
    let line = format!("{}\n", vec!["x"; 4_000].join(","));
    let e = read_bytes(line.repeat(20).as_bytes(), "広い.csv").expect_err("no header");
    assert!(matches!(e.kind, goalsheet::ErrorKind::Csv { .. }), "{e}");
    // A header row of 4,000 repeated names, then a row: a name given twice is an error that
    // names both columns (issue 14.16), found as fast.
    let header = format!("{}\n1,目標\n", vec!["No.,組織目標"; 2_000].join(","));
    let e = read_bytes(header.as_bytes(), "重複.csv").expect_err("a column named twice");
    assert!(e.render(goalsheet::Lang::En).contains("“No.” in column A and “No.” in column C"), "{e}");
    assert!(started.elapsed() < std::time::Duration::from_secs(10), "took {:?}", started.elapsed());
    let line = format!("{}\n", vec!["x"; 6_000].join(","));
    let e = read_bytes(line.as_bytes(), "もっと広い.csv").expect_err("refused");
    assert!(matches!(e.kind, goalsheet::ErrorKind::TooLarge { .. }), "{e}");
    assert!(e.render(goalsheet::Lang::En).contains("columns"), "{e}");
}

/// A CSV of many one-row divisions: each row's sheet was looked up in a list of all sheets so
/// far (quadratic): 49,000 divisions took 60 s before being refused as too large. Found while
/// reviewing the CSV reader after the wide-row hang. Fixed in src/convert/csv.rs (a map).
#[test]
fn many_divisions_in_a_csv_are_refused_quickly() {
    let started = std::time::Instant::now();
    let mut csv = String::from("部,課,年度,No.,組織目標\n");
    for i in 0..20_000 {
        csv.push_str(&format!("部,課{i},令和6年度,1,目標\n"));
    }
    let e = read_bytes(csv.as_bytes(), "課.csv").expect_err("too many sheets");
    assert!(matches!(e.kind, goalsheet::ErrorKind::TooLarge { .. }), "{e}");
    assert!(started.elapsed() < std::time::Duration::from_secs(10), "took {:?}", started.elapsed());
}

/// Sheets cost far more than indicators once written back (official layout, styles, merges):
/// `merge` of a JSON of 9,000 empty sheets (within the item budget) took 42 s and 516 MB.
/// Fixed in src/read (guard::MAX_SHEETS, 1,000 per document; a department has about fifty).
#[test]
fn documents_with_too_many_sheets_are_refused() {
    let sheets = vec![r#"{"division":"課"}"#; goalsheet::read::guard::MAX_SHEETS + 1].join(",");
    let e = read_bytes(format!("[{sheets}]").as_bytes(), "多数.json").expect_err("refused");
    assert!(matches!(e.kind, goalsheet::ErrorKind::TooLarge { .. }), "{e}");
    let said = format!("{} sheets", goalsheet::read::guard::MAX_SHEETS + 1);
    assert!(e.render(goalsheet::Lang::En).contains(&said), "{e}");
}

/// An .xls whose MergeCells record claims more merged areas than it holds: calamine indexes
/// past the record and panics. The panic was caught (the file is reported as damaged), but the
/// default panic hook still printed `thread 'main' panicked at …calamine…` on the user's
/// screen. Found by the `workbook` fuzz target (a mutated copy of the official .xls). Fixed in
/// src/read/mod.rs: the load runs with a silent panic hook.
#[test]
fn xls_with_a_truncated_merge_record_fails_quietly() {
    use common::fixtures::{biff8_stream, goal_sheet_xls_sheet, ole, sample};
    let mut stream = biff8_stream(&[goal_sheet_xls_sheet(&sample())]);
    // Every MergeCells record (type 0x00E5): count (first two bytes) set to 1,000.
    let mut pos = 0;
    let mut patched = 0;
    while pos + 4 <= stream.len() {
        let typ = u16::from_le_bytes([stream[pos], stream[pos + 1]]);
        let len = u16::from_le_bytes([stream[pos + 2], stream[pos + 3]]) as usize;
        if typ == 0x00E5 && len >= 2 {
            stream[pos + 4..pos + 6].copy_from_slice(&1000u16.to_le_bytes());
            patched += 1;
        }
        pos += 4 + len;
    }
    assert!(patched > 0, "the official sheet has merged areas");
    let bytes = ole(&[("/Workbook", &stream)]);
    let e = read_bytes(&bytes, "結合.xls").expect_err("damaged");
    assert!(matches!(e.kind, goalsheet::ErrorKind::Corrupt { .. }), "{e}");

    // Through the binary: exit 2, a plain message, no panic text.
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("結合.xls");
    std::fs::write(&input, &bytes).expect("write");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_goalsheet"))
        .args(["convert", input.to_str().expect("path"), "-o", "-", "--to", "json", "--lang", "en"])
        .env("RUST_BACKTRACE", "1")
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("damaged") && !stderr.contains("panicked") && !stderr.contains("backtrace"), "{stderr}");
}
