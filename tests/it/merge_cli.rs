//! `goalsheet merge` refusals that do not depend on the workbooks' content.

use assert_cmd::Command;

fn goalsheet() -> Command {
    let mut c = Command::cargo_bin("goalsheet").unwrap();
    c.env("LANG", "ja_JP.UTF-8").env_remove("LC_ALL").env_remove("LC_MESSAGES");
    c
}

fn stderr(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).into_owned()
}

#[test]
fn an_empty_folder_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("~$開いている.xlsx"), b"lock").unwrap();
    let out = dir.path().join("部.xlsx");
    let a = goalsheet().arg("merge").arg(dir.path()).arg("-o").arg(&out).assert().code(2);
    assert!(stderr(&a).contains("見つかりません"), "{}", stderr(&a));
    assert!(!out.exists());
}

#[test]
fn the_output_must_be_xlsx_and_the_year_must_read() {
    let dir = tempfile::tempdir().unwrap();
    let a = goalsheet().arg("merge").arg(dir.path()).arg("-o").arg(dir.path().join("部.csv")).assert().code(2);
    assert!(stderr(&a).contains(".xlsx"));
    let a = goalsheet()
        .args(["--lang", "en", "merge"])
        .arg(dir.path())
        .args(["--year", "来年", "-o"])
        .arg(dir.path().join("部.xlsx"))
        .assert()
        .code(2);
    assert!(stderr(&a).contains("not a fiscal year"), "{}", stderr(&a));
}

#[test]
fn every_unreadable_input_is_named_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    for f in ["a課.xlsx", "b課.xlsx"] {
        std::fs::write(dir.path().join(f), b"not a workbook").unwrap();
    }
    let out = dir.path().join("部.xlsx");
    let a = goalsheet().arg("merge").arg(dir.path()).arg("-o").arg(&out).assert().code(2);
    let err = stderr(&a);
    assert!(err.contains("a課.xlsx") && err.contains("b課.xlsx"), "{err}");
    assert!(!out.exists());
}

/// `fix` on a folder without --out-dir writes each corrected workbook beside its original: a
/// merge of that folder then has every division twice. It is refused, and the message says
/// which file is the corrected copy of which and how to merge the corrected ones alone.
#[test]
fn a_folder_of_workbooks_and_their_corrected_copies_is_refused_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(crate::common::repo("samples/広聴相談課.xlsx"), dir.path().join("広聴相談課.xlsx")).unwrap();
    goalsheet().arg("fix").arg(dir.path()).assert().code(0);
    assert!(dir.path().join("広聴相談課.corrected.xlsx").exists());
    let out = dir.path().join("部.xlsx");
    let a = goalsheet().arg("merge").arg(dir.path()).arg("-o").arg(&out).assert().code(2);
    let err = stderr(&a);
    assert!(
        err.contains("広聴相談課.corrected.xlsx は") && err.contains("広聴相談課.xlsx を修正したブックです"),
        "{err}"
    );
    assert!(err.contains("--out-dir"), "{err}");
    assert!(!out.exists());
}
