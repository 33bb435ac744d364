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

/// An existing output is replaced only with `--force` (a corrected workbook may have been edited
/// by hand since), and `-o` must name a workbook (issue 14.10).
#[test]
fn fix_never_replaces_an_output_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("課.xlsx");
    std::fs::write(&input, division(None)).unwrap();
    let corrected = dir.path().join("課.corrected.xlsx");
    std::fs::write(&corrected, b"edited by hand").unwrap();
    let out = goalsheet().arg("fix").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--force"), "{}", stderr(&out));
    assert_eq!(std::fs::read(&corrected).unwrap(), b"edited by hand");
    let other = dir.path().join("b.xlsx");
    std::fs::write(&other, b"someone's file").unwrap();
    let out = goalsheet().arg("fix").arg(&input).arg("-o").arg(&other).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(std::fs::read(&other).unwrap(), b"someone's file");
    let out = goalsheet().arg("fix").arg(&input).arg("-o").arg(&other).arg("--force").output().unwrap();
    assert!(out.status.code().is_some_and(|c| c < 2), "{}", stderr(&out));
    goalsheet::read::read_path(&other).expect("replaced by a workbook");
    let csv = dir.path().join("x.csv");
    let out = goalsheet().arg("fix").arg(&input).arg("-o").arg(&csv).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains(".xlsx") && !csv.exists(), "{}", stderr(&out));
}

/// `check --fix` prints what `--format` asks for on stdout, the fix's lines on stderr
/// (issue 14.13).
#[test]
fn check_fix_honours_the_format() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("課.xlsx");
    std::fs::write(&input, division(Some("目標　".into()))).unwrap();
    let out = goalsheet().args(["check", "--fix", "--format", "json"]).arg(&input).output().unwrap();
    assert!(out.status.code().is_some_and(|c| c < 2), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is the JSON report");
    assert_eq!(v["summary"]["files"], 1, "{v}");
    assert_eq!(v["summary"]["fixable"], 0, "what remains after fixing: {v}");
    assert!(stderr(&out).contains("written to"), "{}", stderr(&out));
    let out = goalsheet().args(["check", "--fix", "--force", "--format", "short"]).arg(&input).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.lines().last().is_some_and(|l| l.starts_with("checked 1 file")), "{text}");
    assert!(!text.contains("written to"), "{text}");
}

/// An output that exists and cannot be replaced, though its folder takes new files, is the
/// case of a corrected workbook still open in Excel on Windows (the rename over it is denied):
/// the message said "the folder is read-only or not yours to write", sending the clerk to the
/// wrong cause; it now says to close the file. Here the file is made immutable (`chattr +i`,
/// which denies the rename as Windows does); where that cannot be done (not root, or a file
/// system without the flag) there is nothing to try, and the message itself is tested in
/// `error::tests::an_output_that_cannot_be_replaced_says_to_close_it`.
#[test]
fn an_output_that_cannot_be_replaced_says_to_close_it() {
    struct Immutable(std::path::PathBuf);
    impl Drop for Immutable {
        fn drop(&mut self) {
            let _ = std::process::Command::new("chattr").arg("-i").arg(&self.0).status();
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("課.xlsx");
    std::fs::write(&input, division(None)).unwrap();
    let out = dir.path().join("課.corrected.xlsx");
    std::fs::write(&out, b"yesterday's output").unwrap();
    let made = std::process::Command::new("chattr").arg("+i").arg(&out).output();
    if !made.is_ok_and(|o| o.status.success()) {
        eprintln!("chattr +i is not available here: nothing to try");
        return;
    }
    let _undo = Immutable(out.clone());
    let o = goalsheet().args(["fix", "--force"]).arg(&input).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("課.corrected.xlsx: cannot replace the file already there: if it is open in Excel"), "{err}");
    assert!(!err.contains("read-only or not yours"), "{err}");
    assert_eq!(std::fs::read(&out).unwrap(), b"yesterday's output");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2, "no temporary file left");
}
