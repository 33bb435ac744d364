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
