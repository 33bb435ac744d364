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
        assert_eq!(after, before, "{encoding}");
    }
}

#[test]
fn xlsx_to_xlsx_rewrites_in_the_official_layout() {
    let (dir, original) = workbook();
    convert(dir.path(), &["市民生活部.xlsx", "-o", "copy.xlsx"]);
    assert_eq!(read(&dir.path().join("copy.xlsx")), read(&original));
}
