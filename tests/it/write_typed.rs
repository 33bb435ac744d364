//! Writers put values back as the workbook held them (issues 12.1, 13.4, 13.6): a number as a
//! number with its number format, a date as a date cell, a boolean as a boolean, a formula as a
//! formula with its result, text as text. Each test writes a document and reads the output
//! back with calamine (types, formats, formulas) and with goalsheet's own reader.

use crate::common::*;
use calamine::{Data, Reader};
use goalsheet::merge::{department_bytes, merge_documents, MergeOptions};
use goalsheet::model::{CellKind, Field, TypedCell};
use goalsheet::{Document, Lang};
use std::sync::Arc;

fn seed() -> Document {
    let text = std::fs::read_to_string(repo("tests/data/shimin-seikatsu-r6.json")).expect("seed json");
    serde_json::from_str(&text).expect("seed is a Document")
}

fn typed(kind: CellKind, number: Option<f64>, format: Option<&str>, formula: Option<&str>) -> TypedCell {
    TypedCell { kind, number, format: format.map(Arc::from), formula: formula.map(str::to_string), stale: false }
}

/// The first division of the seed with typed values: target 0.5 as `0.0%`, result 10 plain,
/// the second indicator's target a formula with its result and its result a formula never
/// computed, the grade a boolean (odd, but a value all the same).
fn typed_doc() -> Document {
    let mut doc = seed();
    doc.sheets.truncate(1);
    let e = &mut doc.sheets[0].entries[0];
    let i = &mut e.indicators[0];
    i.target = "50.0%".into();
    i.typed.set(Field::Target, typed(CellKind::Number, Some(0.5), Some("0.0%"), None));
    i.result = "10".into();
    i.typed.set(Field::Result, typed(CellKind::Number, Some(10.0), None, None));
    i.summary = "TRUE".into();
    i.typed.set(Field::Summary, typed(CellKind::Boolean, Some(1.0), None, None));
    if e.indicators.len() < 2 {
        let copy = e.indicators[0].clone();
        e.indicators.push(copy);
    }
    let j = &mut e.indicators[1];
    j.target = "300件".into();
    j.typed.set(Field::Target, typed(CellKind::Number, Some(300.0), Some("#,##0\"件\""), Some("100*3")));
    j.result = String::new();
    j.typed.set(Field::Result, typed(CellKind::Empty, None, None, Some("E9+18")));
    doc
}

/// (value, number format code, formula) at an absolute cell of a sheet, as calamine reads them.
fn cell(bytes: &[u8], sheet: &str, at: goalsheet::address::CellRef) -> (Data, Option<String>, Option<String>) {
    let mut book = open(bytes);
    let value = book.worksheet_range(sheet).unwrap().get_value((at.row, at.col)).cloned().unwrap_or(Data::Empty);
    let styles = book.worksheet_style(sheet).unwrap();
    let code = styles.get((at.row, at.col)).and_then(|s| s.number_format.as_ref()).map(|n| n.format_code.clone());
    let formula = book.worksheet_formula(sheet).unwrap().get_value((at.row, at.col)).cloned().filter(|f| !f.is_empty());
    (value, code, formula)
}

#[test]
fn numbers_dates_booleans_and_formulas_are_written_as_such() {
    let bytes = goalsheet::write::workbook_bytes(&typed_doc()).unwrap();
    let back = goalsheet::read::read_bytes(&bytes, "typed.xlsx").unwrap();
    let s = &back.sheets[0];
    let name = s.sheet.clone();
    let (i, j) = (&s.entries[0].indicators[0], &s.entries[0].indicators[1]);

    let (v, code, _) = cell(&bytes, &name, i.cells.get(Field::Target).unwrap());
    assert_eq!((v, code.as_deref()), (Data::Float(0.5), Some("0.0%")), "0.5 stays a number, formatted 0.0%");
    assert_eq!(i.target, "50.0%");
    let (v, _, _) = cell(&bytes, &name, i.cells.get(Field::Result).unwrap());
    assert_eq!(v, Data::Float(10.0), "10 stays a number, not the text '10'");
    let (v, _, _) = cell(&bytes, &name, i.cells.get(Field::Summary).unwrap());
    assert_eq!(v, Data::Bool(true));

    let (v, code, formula) = cell(&bytes, &name, j.cells.get(Field::Target).unwrap());
    assert_eq!(
        (v, code.as_deref(), formula.as_deref()),
        (Data::Float(300.0), Some("#,##0\"件\""), Some("100*3")),
        "a formula with its result and format"
    );
    let (_, _, formula) = cell(&bytes, &name, j.cells.get(Field::Result).unwrap());
    assert_eq!(formula.as_deref(), Some("E9+18"), "a formula without a result stays a formula");
    let r = j.typed.get(Field::Result).unwrap();
    assert!(r.lacks_value(), "and reads back as a formula whose value is not known: {r:?}");

    // What goalsheet reads back is what it wrote.
    assert_eq!(i.typed.get(Field::Target).map(|t| (t.kind, t.number)), Some((CellKind::Number, Some(0.5))));
    assert_eq!(j.typed.get(Field::Target).and_then(|t| t.formula.as_deref()), Some("100*3"));
    // Dates typed as text or as dates still come back as date cells in their era format.
    let (v, code, _) = cell(&bytes, &name, s.cells.get(Field::Created).unwrap());
    assert!(matches!(v, Data::DateTime(_)), "{v:?}");
    assert!(code.is_some_and(|c| c.contains("ge")), "era format");
}

#[test]
fn a_date_cell_and_a_plain_text_stay_what_they_are() {
    let mut doc = typed_doc();
    let i = &mut doc.sheets[0].entries[0].indicators[0];
    i.result = "R7.3.31".into();
    i.typed.set(Field::Result, typed(CellKind::Date, Some(45747.0), Some("[$-411]ge.m.d"), None));
    i.name = "10".into(); // text that looks like a number: typed in as text, kept as text
    let bytes = goalsheet::write::workbook_bytes(&doc).unwrap();
    let back = goalsheet::read::read_bytes(&bytes, "typed.xlsx").unwrap();
    let s = &back.sheets[0];
    let i = &s.entries[0].indicators[0];
    let (v, code, _) = cell(&bytes, &s.sheet, i.cells.get(Field::Result).unwrap());
    assert!(matches!(v, Data::DateTime(d) if d.as_f64() == 45747.0), "{v:?}");
    assert_eq!(code.as_deref(), Some("[$-411]ge.m.d"));
    assert_eq!(i.result, "R7.3.31");
    let (v, _, _) = cell(&bytes, &s.sheet, i.cells.get(Field::Name).unwrap());
    assert_eq!(v, Data::String("10".into()));
}

/// The department file merged from `division`, read from a workbook as merge's inputs are:
/// its bytes and what goalsheet reads back.
fn merged(division: &Document) -> (Vec<u8>, Document) {
    let bytes = goalsheet::write::workbook_bytes(division).unwrap();
    let read = goalsheet::read::read_bytes(&bytes, "提出/市民生活課.xlsx").unwrap();
    let dept = merge_documents(vec![read], &MergeOptions::default()).unwrap();
    let out = department_bytes(&dept, Lang::Ja).unwrap();
    let back = goalsheet::read::read_bytes(&out, "部.xlsx").unwrap();
    (out, back)
}

/// merge writes the division sheets of the department file with the typed values (13.6).
#[test]
fn merge_writes_division_sheets_typed() {
    let division = typed_doc();
    let (out, back) = merged(&division);
    let s = &back.sheets[0];
    let i = &s.entries[0].indicators[0];
    let (v, code, _) = cell(&out, &s.sheet, i.cells.get(Field::Target).unwrap());
    assert_eq!((v, code.as_deref()), (Data::Float(0.5), Some("0.0%")));
    let j = &s.entries[0].indicators[1];
    let (_, _, formula) = cell(&out, &s.sheet, j.cells.get(Field::Target).unwrap());
    assert_eq!(formula.as_deref(), Some("100*3"));
}

/// A formula that refers to other cells is written as its value wherever the sheet is written
/// in the official layout (the department file, convert, fix of an .xls): a division's
/// `=データ!A1` became `#REF!` in the department file, which has no sheet データ, and `=E12*2`
/// pointed at another cell once the table moved. The value keeps its type and format; a
/// formula of constants stays a formula.
#[test]
fn a_formula_referring_to_cells_is_written_as_its_value() {
    let mut division = typed_doc();
    let i = &mut division.sheets[0].entries[0].indicators[0];
    i.target = "1,700件".into();
    i.typed.set(Field::Target, typed(CellKind::Number, Some(1700.0), Some("#,##0\"件\""), Some("データ!A1")));
    i.result = "1,530件".into();
    i.typed.set(Field::Result, typed(CellKind::Number, Some(1530.0), Some("#,##0\"件\""), Some("$E$12*0.9")));
    let (out, back) = merged(&division);
    let s = &back.sheets[0];
    let (i, j) = (&s.entries[0].indicators[0], &s.entries[0].indicators[1]);
    for (field, value, text) in [(Field::Target, 1700.0, "1,700件"), (Field::Result, 1530.0, "1,530件")] {
        let (v, code, formula) = cell(&out, &s.sheet, i.cells.get(field).unwrap());
        assert_eq!((v, code.as_deref(), formula), (Data::Float(value), Some("#,##0\"件\""), None), "{field:?}");
        assert_eq!(i.field(field), Some(text));
    }
    let (_, _, formula) = cell(&out, &s.sheet, j.cells.get(Field::Target).unwrap());
    assert_eq!(formula.as_deref(), Some("100*3"), "no reference: still a formula");
}
