//! Regressions: every crash, hang, over-allocation or wrongly refused file found by fuzzing,
//! the property tests or the hostile corpus, with its input written out here (as text, bytes
//! or generated in code: no unexplained binary blobs). Each test says where the bug was and
//! what the fix was; docs/hardening.md lists them.

mod common;

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
    assert!(e.render(goalsheet::Lang::En).contains("10001 entries"), "{e}");
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
