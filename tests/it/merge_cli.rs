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
