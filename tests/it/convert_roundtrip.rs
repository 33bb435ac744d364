//! End to end through real workbooks: xlsx → JSON → xlsx → JSON and xlsx → CSV → xlsx keep
//! every value (reader, writer and converters together, run as the user runs them).

use assert_cmd::Command;
use goalsheet::convert::json;
use goalsheet::model::{Cells, Merged};
use goalsheet::Document;
use std::path::{Path, PathBuf};

const SEED: &str = include_str!("../data/shimin-seikatsu-r6.json");

/// A folder holding the seed's six sheets as a workbook written by goalsheet.
fn workbook() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let seed = json::from_bytes(SEED.as_bytes()).expect("seed reads");
    let bytes = goalsheet::write::workbook_bytes(&seed).expect("writes");
    let path = dir.path().join("市民生活部.xlsx");
    std::fs::write(&path, bytes).expect("write xlsx");
    (dir, path)
}

fn convert(dir: &Path, args: &[&str]) {
    Command::cargo_bin("goalsheet")
        .expect("binary")
        .current_dir(dir)
        .env("LANG", "C")
        .arg("convert")
        .args(args)
        .arg("-q")
        .assert()
        .success()
        .stderr("");
}

fn read(path: &Path) -> Document {
    let mut doc = goalsheet::read::read_path(path).expect("reads");
    doc.source = None;
    doc
}

/// The values only: no provenance (cells, merged areas, how dates were stored).
fn values(mut doc: Document) -> Document {
    doc.source = None;
    for s in &mut doc.sheets {
        (s.cells, s.merged) = (Cells::default(), Merged::default());
        s.text_dates.clear();
        for e in &mut s.entries {
            (e.cells, e.merged) = (Cells::default(), Merged::default());
            for i in &mut e.indicators {
                (i.cells, i.merged) = (Cells::default(), Merged::default());
            }
        }
    }
    doc
}

#[test]
fn xlsx_json_xlsx_json_keeps_every_value() {
    let (dir, _) = workbook();
    convert(dir.path(), &["市民生活部.xlsx", "-o", "a.json"]);
    convert(dir.path(), &["a.json", "-o", "b.xlsx"]);
    convert(dir.path(), &["b.xlsx", "-o", "b.json"]);
    let a = read(&dir.path().join("a.json"));
    let b = read(&dir.path().join("b.json"));
    assert_eq!(a.sheets.len(), 6);
    assert!(a.sheets.iter().all(|s| !s.cells.is_empty()), "the JSON records where values came from");
    assert_eq!(b, a, "values and provenance survive a second round");
    assert_eq!(read(&dir.path().join("市民生活部.xlsx")), a, "the JSON holds what the reader read");
}

#[test]
fn xlsx_csv_xlsx_keeps_every_value() {
    for encoding in ["utf-8", "shift_jis"] {
        let (dir, original) = workbook();
        convert(dir.path(), &["市民生活部.xlsx", "-o", "一覧.csv", "--encoding", encoding]);
        convert(dir.path(), &["一覧.csv", "-o", "back.xlsx"]);
        let before = values(read(&original));
        let after = values(read(&dir.path().join("back.xlsx")));
        // Figures in the CSV are numbers, as Excel opens them (the seed's are text).
        let figures = |d: &Document| -> Vec<(String, Option<f64>)> {
            let inds = d.sheets.iter().flat_map(|s| &s.entries).flat_map(|e| &e.indicators);
            inds.map(|i| (i.target.clone(), i.typed.get(goalsheet::model::Field::Target).and_then(|t| t.number)))
                .collect()
        };
        assert!(figures(&after).contains(&("80%".to_string(), Some(0.8))), "{encoding}");
        assert!(figures(&before).iter().all(|(_, n)| n.is_none()));
        assert_eq!(without_figures(after), without_figures(before), "{encoding}");
    }
}

/// The document without the number cells behind its targets and results.
fn without_figures(mut doc: Document) -> Document {
    use goalsheet::model::Field;
    for i in doc.sheets.iter_mut().flat_map(|s| &mut s.entries).flat_map(|e| &mut e.indicators) {
        i.typed.clear(Field::Target);
        i.typed.clear(Field::Result);
    }
    doc
}

#[test]
fn xlsx_to_xlsx_rewrites_in_the_official_layout() {
    let (dir, original) = workbook();
    convert(dir.path(), &["市民生活部.xlsx", "-o", "copy.xlsx"]);
    assert_eq!(read(&dir.path().join("copy.xlsx")), read(&original));
}

/// A value edited by hand in the JSON, its `typed` left as it was: the writers put the typed
/// value in the cell, so a result edited from `1,512件` to `1,600件` came back as 1,512 and a
/// No. edited from 1 to 5 came back as 1, without a word. The edited text is written.
#[test]
fn a_value_edited_in_the_json_is_written_not_its_stale_typed_value() {
    use goalsheet::model::{CellKind, Field, TypedCell};
    let mut sample = read(&crate::common::repo("samples/広聴相談課.xlsx"));
    assert!(sample.sheets[0].entries[0].typed.get(Field::No).is_some(), "No. is a number cell in the sample");
    let ind = &mut sample.sheets[0].entries[0].indicators[0];
    let format = Some(std::sync::Arc::from("#,##0\"件\""));
    ind.typed.set(
        Field::Result,
        TypedCell { kind: CellKind::Number, number: Some(1512.0), format, formula: None, stale: false },
    );
    ind.result = "1,512件".into();
    let text = json::to_string(&sample).unwrap();
    // Unedited, every typed value is kept.
    assert_eq!(json::from_bytes(text.as_bytes()).unwrap(), sample);

    let edited = text.replacen("\"1,512件\"", "\"1,600件\"", 1).replacen("\"no\": 1,", "\"no\": 5,", 1);
    assert_ne!(edited, text);
    let written = goalsheet::write::workbook_bytes(&json::from_bytes(edited.as_bytes()).unwrap()).unwrap();
    let back = goalsheet::read::read_bytes(&written, "課.xlsx").unwrap();
    assert_eq!(back.sheets[0].entries[0].no, "5");
    assert_eq!(back.sheets[0].entries[0].indicators[0].result, "1,600件");
    // What was not edited is still typed.
    assert!(back.sheets[0].entries[1].typed.get(Field::No).is_some());
}

/// A number read from a workbook comes back from JSON as the same double: serde_json's
/// default parsing may be a bit off in the last place (0.11821773265989899, a ratio a formula
/// left in a cell, came back as 0.118217732659899), so xlsx → JSON → xlsx changed the stored
/// value. Parsed exactly now (`float_roundtrip`).
#[test]
fn a_number_comes_back_from_json_bit_for_bit() {
    use goalsheet::model::{CellKind, Field, TypedCell};
    let mut doc = read(&crate::common::repo("samples/広聴相談課.xlsx"));
    let ind = &mut doc.sheets[0].entries[0].indicators[0];
    for (i, v) in [0.11821773265989899, 0.024981999999999994, 0.1 + 0.2, 1.0 / 3.0].into_iter().enumerate() {
        let field = [Field::Target, Field::Result, Field::Name, Field::Initiative][i];
        let typed = TypedCell {
            kind: CellKind::Number,
            number: Some(v),
            format: None,
            formula: Some("A1/B1".into()),
            stale: false,
        };
        *ind.field_mut(field).unwrap() = goalsheet::read::grid::typed_text(&typed).unwrap();
        ind.typed.set(field, typed);
    }
    let back = json::from_bytes(json::to_string(&doc).unwrap().as_bytes()).unwrap();
    assert_eq!(back, doc);
}

/// What makes the check above safe: every typed cell the readers make shows its text, in
/// every fixture workbook of the repository (numbers and dates under every format of the
/// number-format cases, .xls and .ods too), so an unedited JSON keeps all of them.
#[test]
fn every_typed_cell_the_readers_make_shows_its_text() {
    use goalsheet::read::grid::{typed_shows, Grid};
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in ["samples", "tests/data/numfmt", "tests/data/xls", "tests/data/hidden"] {
        for e in std::fs::read_dir(crate::common::repo(dir)).unwrap() {
            files.push(e.unwrap().path());
        }
    }
    let mut checked = 0;
    for path in files {
        let bytes = std::fs::read(&path).unwrap();
        let grids: Vec<Grid> = match path.extension().and_then(|e| e.to_str()) {
            Some("xlsx") => goalsheet::read::xlsx::grids(&bytes).unwrap(),
            Some("ods") => goalsheet::read::ods::grids(&bytes).unwrap(),
            Some("xls") => match goalsheet::read::xls::sanitize(&bytes).unwrap() {
                goalsheet::read::xls::Ole::Workbook(clean) => goalsheet::read::xls::grids(clean).unwrap(),
            },
            _ => continue,
        };
        for g in &grids {
            for (at, t) in &g.typed {
                let text = g.cells.get(at).map(String::as_str).unwrap_or_default();
                assert!(typed_shows(t, text), "{} {}!{at:?} {t:?} {text:?}", path.display(), g.name);
                checked += 1;
            }
        }
    }
    assert!(checked > 500, "{checked} typed cells");
}

/// Values outside the layout (a remark beside the table, a note under it) survive convert to
/// .xlsx and merge: both wrote the sheet in the official layout without them. They go back to
/// their address, or, where the layout writes (`B2`, in the header), onto 元の位置の値 with
/// their sheet and address, as `fix` of an .xls does.
#[test]
fn values_outside_the_layout_survive_convert_and_merge() {
    use goalsheet::address::CellRef;
    use goalsheet::model::RawCell;
    let mut doc = read(&crate::common::repo("samples/広聴相談課.xlsx"));
    let at = |a: &str| CellRef::parse(a).unwrap();
    let extra = |a: &str, text: &str| RawCell { cell: at(a), text: text.into(), typed: None };
    doc.sheets[0].extras =
        vec![extra("B2", "※記入上の注意"), extra("M8", "※回収率は速報値"), extra("A25", "※数値は3月末時点")];
    let moved_rows = |back: &Document| -> Vec<Vec<String>> {
        let sheet = back.other_sheets.iter().find(|s| s.name == "元の位置の値").expect("元の位置の値");
        let mut rows: std::collections::BTreeMap<u32, Vec<String>> = Default::default();
        for c in &sheet.cells {
            rows.entry(c.cell.row).or_default().push(c.text.clone());
        }
        rows.into_values().skip(1).collect()
    };
    let kept = |back: &Document| -> Vec<(String, String)> {
        back.sheets[0].extras.iter().map(|x| (x.cell.to_string(), x.text.clone())).collect()
    };
    let want =
        vec![("M8".to_string(), "※回収率は速報値".to_string()), ("A25".to_string(), "※数値は3月末時点".to_string())];

    let converted = goalsheet::read::read_bytes(&goalsheet::write::workbook_bytes(&doc).unwrap(), "c.xlsx").unwrap();
    assert_eq!(kept(&converted), want);
    assert_eq!(moved_rows(&converted), vec![vec!["広聴相談課".to_string(), "B2".into(), "※記入上の注意".into()]]);

    let dept = goalsheet::merge::merge_documents(vec![doc], &Default::default()).unwrap();
    let bytes = goalsheet::merge::department_bytes(&dept, goalsheet::Lang::Ja).unwrap();
    let merged = goalsheet::read::read_bytes(&bytes, "部.xlsx").unwrap();
    assert_eq!(kept(&merged), want);
    assert_eq!(moved_rows(&merged), vec![vec!["広聴相談課".to_string(), "B2".into(), "※記入上の注意".into()]]);

    // Merged again with a new division, the department file's copy of 広聴相談課 keeps what
    // its 元の位置の値 listed (it was dropped: the re-merge read only the division sheets).
    let mut again = merged;
    again.source = Some("部.xlsx".into());
    let other = read(&crate::common::repo("samples/市民協働課.xlsx"));
    let dept = goalsheet::merge::merge_documents(vec![again, other], &Default::default()).unwrap();
    let bytes = goalsheet::merge::department_bytes(&dept, goalsheet::Lang::Ja).unwrap();
    let remerged = goalsheet::read::read_bytes(&bytes, "部2.xlsx").unwrap();
    assert_eq!(moved_rows(&remerged), vec![vec!["広聴相談課".to_string(), "B2".into(), "※記入上の注意".into()]]);
    assert_eq!(kept(&remerged), want, "the values beside the table, at their address");
}

/// A division's notes on its cells (Excel's メモ: "速報値です") were not read, so convert and
/// the department file lost them. They are read from .xlsx, kept in JSON, and written onto the
/// cell their value went to in the official layout (here the result, read from F16 of a sheet
/// whose table sat three rows lower, lands in F13); a note on a value outside the layout stays
/// with it; one on a label goes onto 元の位置の値, marked as a note.
#[test]
fn notes_follow_their_values_into_convert_and_merge() {
    use goalsheet::address::CellRef;
    use goalsheet::model::{CellText, Field, RawCell};
    let at = |a: &str| CellRef::parse(a).unwrap();
    let mut doc = read(&crate::common::repo("samples/広聴相談課.xlsx"));
    let sheet = &mut doc.sheets[0];
    let official = sheet.entries[2].indicators[0].cells.get(Field::Result).unwrap();
    assert_eq!(official, at("F13"));
    sheet.entries[2].indicators[0].cells.set(Field::Result, at("F16"));
    sheet.extras.push(RawCell { cell: at("M8"), text: "※速報値".into(), typed: None });
    let note = |a: &str, text: &str| CellText { cell: at(a), text: text.into() };
    sheet.notes = vec![note("F16", "3月末時点の速報値です"), note("M8", "集計中"), note("A6", "番号は通し番号")];
    let check = |bytes: &[u8]| {
        let back = goalsheet::read::read_bytes(bytes, "x.xlsx").unwrap();
        let notes: Vec<(String, String)> =
            back.sheets[0].notes.iter().map(|n| (n.cell.to_string(), n.text.clone())).collect();
        assert_eq!(notes, [("M8".to_string(), "集計中".to_string()), ("F13".into(), "3月末時点の速報値です".into())]);
        let moved = back.other_sheets.iter().find(|s| s.name == "元の位置の値").expect("元の位置の値");
        assert!(moved.cells.iter().any(|c| c.text == "［メモ］番号は通し番号"), "{:?}", moved.cells);
    };
    let json = goalsheet::convert::json::to_string(&doc).unwrap();
    let from_json = goalsheet::convert::json::from_bytes(json.as_bytes()).unwrap();
    assert_eq!(from_json.sheets[0].notes, doc.sheets[0].notes, "kept in JSON");
    check(&goalsheet::write::workbook_bytes(&from_json).unwrap());
    let dept = goalsheet::merge::merge_documents(vec![doc], &Default::default()).unwrap();
    check(&goalsheet::merge::department_bytes(&dept, goalsheet::Lang::Ja).unwrap());
}

/// Text struck through (見え消し) keeps its line where its value goes in the official layout:
/// the struck part of a value read from another cell (F16 → F13), a whole value struck, and
/// through JSON too. Read back, the same text is struck at the cell it went to.
#[test]
fn struck_through_text_keeps_its_line_in_convert_and_merge() {
    use goalsheet::address::CellRef;
    use goalsheet::model::{CellText, Field};
    let at = |a: &str| CellRef::parse(a).unwrap();
    let mut doc = read(&crate::common::repo("samples/広聴相談課.xlsx"));
    let sheet = &mut doc.sheets[0];
    let ind = &mut sheet.entries[2].indicators[0];
    ind.target = "1,800件 1,700件".into();
    ind.cells.set(Field::Target, at("E16"));
    let name = ind.name.clone();
    let struck = |a: &str, text: &str| CellText { cell: at(a), text: text.into() };
    sheet.struck = vec![struck("E16", "1,800件"), struck("C13", &name)];
    let check = |bytes: &[u8]| {
        let back = goalsheet::read::read_bytes(bytes, "x.xlsx").unwrap();
        let got: Vec<(String, String)> =
            back.sheets[0].struck.iter().map(|s| (s.cell.to_string(), s.text.clone())).collect();
        assert_eq!(got, [("C13".to_string(), name.clone()), ("E13".into(), "1,800件".into())]);
        assert_eq!(back.sheets[0].entries[2].indicators[0].target, "1,800件 1,700件");
    };
    let json = goalsheet::convert::json::to_string(&doc).unwrap();
    let from_json = goalsheet::convert::json::from_bytes(json.as_bytes()).unwrap();
    assert_eq!(from_json.sheets[0].struck, doc.sheets[0].struck, "kept in JSON");
    check(&goalsheet::write::workbook_bytes(&from_json).unwrap());
    let dept = goalsheet::merge::merge_documents(vec![doc], &Default::default()).unwrap();
    check(&goalsheet::merge::department_bytes(&dept, goalsheet::Lang::Ja).unwrap());
}
