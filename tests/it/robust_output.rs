//! What fix and merge write (issue 14, points 6 and 10): a valid 32,767-character value in a
//! field with a finding, existing outputs, an output that is not a workbook.

use assert_cmd::Command;
use goalsheet::model::Document;
use std::time::Duration;

const SEED: &str = include_str!("../data/shimin-seikatsu-r6.json");

fn goalsheet() -> Command {
    let mut c = Command::cargo_bin("goalsheet").expect("binary");
    c.args(["--lang", "en"]).timeout(Duration::from_secs(120));
    c
}

fn division(goal: Option<String>) -> Vec<u8> {
    let seed = goalsheet::convert::json::from_bytes(SEED.as_bytes()).expect("seed reads");
    let mut sheet = seed.sheets[0].clone();
    if let Some(goal) = goal {
        sheet.entries[0].goal = goal;
    }
    goalsheet::write::workbook_bytes(&Document { sheets: vec![sheet], ..Document::default() }).expect("writes")
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The note and the 検証結果 row quote the value clipped, so nothing passes Excel's limit and
/// both outputs read back.
#[test]
fn a_full_cell_with_a_finding_is_fixed_and_merged() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("課.xlsx");
    // Stray full-width space at the end: a finding with a safe fix, on a cell Excel holds.
    std::fs::write(&input, division(Some(format!("{}\u{3000}", "目".repeat(32_766))))).unwrap();
    let out = goalsheet().arg("fix").arg(&input).output().unwrap();
    assert!(out.status.code().is_some_and(|c| c < 2), "{}", stderr(&out));
    let fixed = goalsheet::read::read_path(&dir.path().join("課.corrected.xlsx")).expect("reads back");
    assert_eq!(fixed.sheets[0].entries[0].goal, "目".repeat(32_766));
    let dept = dir.path().join("部.xlsx");
    let out = goalsheet().arg("merge").arg(&input).arg("-o").arg(&dept).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    goalsheet::read::read_path(&dept).expect("reads back");
}
