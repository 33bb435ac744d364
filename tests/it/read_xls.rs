//! A sheet saved as .xls reads exactly like the same sheet saved as .xlsx (issue 12, point 4),
//! and .xls strings cut by `CONTINUE` records decode whole (point 8).
//!
//! The .xls files are LibreOffice's re-saves, committed with the .xlsx they were made from
//! (`scripts/xls-fixtures.py`, `scripts/numfmt-fixture.py`), so no LibreOffice is needed here.

use crate::common::repo;
use goalsheet::read::grid::Grid;
use goalsheet::read::{read_bytes, xls, xlsx};
use std::collections::BTreeMap;

fn xls_grids(bytes: &[u8]) -> Vec<Grid> {
    match xls::sanitize(bytes).expect("the .xls passes the checks") {
        xls::Ole::Workbook(clean) => xls::grids(clean).expect("the .xls reads"),
    }
}

/// Each sheet's name and cell texts.
type Texts = Vec<(String, BTreeMap<(u32, u32), String>)>;

fn texts(grids: &[Grid]) -> Texts {
    grids.iter().map(|g| (g.name.clone(), g.cells.clone())).collect()
}

fn read(path: &str) -> Vec<u8> {
    std::fs::read(repo(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every cell's displayed text, typed-text flag and merged area agree.
fn same_grids(xlsx_path: &str, xls_path: &str) {
    let a = xlsx::grids(&read(xlsx_path)).expect("the .xlsx reads");
    let b = xls_grids(&read(xls_path));
    let (ta, tb) = (texts(&a), texts(&b));
    assert_eq!(ta.len(), tb.len(), "{xls_path}: sheets");
    for ((name, ca), (_, cb)) in ta.iter().zip(&tb) {
        let differ: Vec<String> = ca
            .keys()
            .chain(cb.keys())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .filter(|k| ca.get(k) != cb.get(k))
            .map(|k| format!("{k:?}: xlsx {:?} xls {:?}", ca.get(k), cb.get(k)))
            .collect();
        assert!(differ.is_empty(), "{xls_path} {name}: {} cells differ:\n{}", differ.len(), differ.join("\n"));
    }
    for (ga, gb) in a.iter().zip(&b) {
        // Which cells hold numbers, dates and formulas, and their values (the codes may be
        // spelled differently by the program that saved the .xls).
        let kinds =
            |g: &Grid| -> Vec<_> { g.typed.iter().map(|(k, t)| (*k, t.kind, t.number, t.formula.clone())).collect() };
        assert_eq!(kinds(ga), kinds(gb), "{xls_path} {}: typed cells", ga.name);
        // The same areas; a program saving the file may list them in another order.
        let areas = |g: &Grid| g.merges.iter().map(|m| m.to_string()).collect::<std::collections::BTreeSet<_>>();
        assert_eq!(areas(ga), areas(gb), "{xls_path} {}: merged areas", ga.name);
    }
}

/// The sheets as JSON without the number format codes, which LibreOffice spells its own way
/// in an .xls (`[$-411]ge.m.d` becomes `[$-1030411]ge\.m\.d`, the same format).
fn without_codes(sheets: &[goalsheet::Sheet]) -> serde_json::Value {
    fn strip(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(m) => {
                m.remove("format");
                m.values_mut().for_each(strip);
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut v = serde_json::to_value(sheets).expect("sheets serialise");
    strip(&mut v);
    v
}

#[test]
fn samples_saved_as_xls_read_like_the_xlsx() {
    let dir = repo("tests/data/xls");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("tests/data/xls") {
        let path = entry.expect("an entry").path();
        if path.extension().is_some_and(|e| e == "xlsx") {
            let xlsx_path = format!("tests/data/xls/{}", path.file_name().unwrap().to_string_lossy());
            let xls_path = xlsx_path.replace(".xlsx", ".xls");
            same_grids(&xlsx_path, &xls_path);
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            let doc_a = read_bytes(&read(&xlsx_path), &name).expect("the .xlsx is a goal sheet");
            let doc_b = read_bytes(&read(&xls_path), &name.replace(".xlsx", ".xls")).expect("the .xls too");
            assert_eq!(without_codes(&doc_a.sheets), without_codes(&doc_b.sheets), "{name}: the documents");
            seen += 1;
        }
    }
    assert_eq!(seen, 7, "six divisions and the department");
}

/// The 1900-system cases of `tests/data/numfmt/cases.csv`, one per row of `cases1900.xlsx`,
/// read from both files. LibreOffice re-saves a code as it understood it, so the cases where
/// it does not show what Excel shows (`read_numfmt::EXCEL`: `x-gannen`, `aaa` without a
/// locale, `[DBNum]`, built-in ids in en-US …) are not the same sheet in both files; every
/// other case must read the same.
#[test]
fn a_formatted_sheet_saved_as_xls_reads_like_the_xlsx() {
    let a = xlsx::grids(&read("tests/data/numfmt/cases1900.xlsx")).expect("the .xlsx reads");
    let b = xls_grids(&read("tests/data/numfmt/cases1900.xls"));
    let cases: Vec<_> = crate::read_numfmt::cases().into_iter().filter(|c| !c.date1904).collect();
    assert!(cases.len() > 300);
    let mut compared = 0;
    let mut differ = Vec::new();
    for (row, c) in cases.iter().enumerate() {
        if crate::read_numfmt::EXCEL.iter().any(|e| e.0 == c.value && e.1 == c.code) {
            continue;
        }
        let (x, y) = (a[0].cells.get(&(row as u32, 0)), b[0].cells.get(&(row as u32, 0)));
        if x != y {
            differ.push(format!("{} {}: xlsx {x:?} xls {y:?}", c.value, c.code));
        }
        compared += 1;
    }
    assert!(differ.is_empty(), "{} of {compared} cells differ:\n{}", differ.len(), differ.join("\n"));
}

#[test]
fn a_long_text_cut_inside_a_surrogate_pair_reads_whole() {
    let bytes = read("tests/data/xls/long-text.xls");
    // The fixture does cut the pair: calamine alone decodes each piece apart.
    let mut wb: calamine::Xls<_> =
        calamine::Reader::new(std::io::Cursor::new(bytes.clone())).expect("calamine opens it");
    let range = calamine::Reader::worksheet_range(&mut wb, "long").expect("the sheet");
    let raw = range.get_value((0, 0)).map(|v| v.to_string()).unwrap_or_default();
    assert!(raw.contains('\u{FFFD}'), "calamine's own reading has U+FFFD");
    let grids = xls_grids(&bytes);
    let text = grids[0].cells.get(&(0, 0)).expect("A1");
    assert!(!text.contains('\u{FFFD}'), "no replacement character");
    let expected = format!("{}𠮷{}", "あ".repeat(4105), "い".repeat(5));
    assert_eq!(text, &expected);
    assert_eq!(grids[0].cells.get(&(1, 0)).map(String::as_str), Some("後"), "the next string follows");
}
