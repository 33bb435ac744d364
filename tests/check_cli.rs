//! The `check`, `rules` and `rule` commands as a user runs them.

use assert_cmd::Command;
use predicates::prelude::*;

fn goalsheet() -> Command {
    let mut c = Command::cargo_bin("goalsheet").unwrap();
    c.env_remove("LC_ALL").env_remove("LC_MESSAGES").env("LANG", "C");
    c
}

#[test]
fn rules_lists_every_code() {
    let out = goalsheet().arg("rules").assert().success().get_output().stdout.clone();
    let text = String::from_utf8(out).unwrap();
    for r in goalsheet::rules::RULES {
        assert!(text.contains(r.code) && text.contains(r.name), "{} missing", r.code);
    }
}

#[test]
fn rule_explains_in_the_chosen_language() {
    goalsheet()
        .args(["rule", "GS301", "--lang", "ja"])
        .assert()
        .success()
        .stdout(predicate::str::contains("## 何をするか").and(predicate::str::contains("〇")));
    goalsheet()
        .args(["rule", "grade-variant", "--lang", "en"])
        .assert()
        .success()
        .stdout(predicate::str::contains("## What it does"));
    goalsheet().args(["--lang", "ja", "rule", "gs303"]).assert().success().stdout(predicate::str::contains("GS303"));
}

#[test]
fn unknown_rule_is_a_usage_error() {
    goalsheet()
        .args(["rule", "GS999", "--lang", "en"])
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("GS999").and(predicate::str::contains("goalsheet rules")));
}

#[test]
fn missing_file_is_reported_and_exits_2() {
    goalsheet()
        .args(["check", "--lang", "en", "--format", "short", "no-such-file.xlsx"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("no-such-file.xlsx").and(predicate::str::contains("could not be read")));
}

#[test]
fn folder_without_workbooks_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("~$lock.xlsx"), b"lock").unwrap();
    std::fs::write(dir.path().join("notes.txt"), b"x").unwrap();
    goalsheet()
        .args(["check", "--lang", "en"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no workbook"));
}

#[test]
fn json_is_written_even_when_a_file_is_unreadable() {
    let out = goalsheet()
        .args(["check", "--format", "json", "no-such-file.xlsx"])
        .assert()
        .code(2)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["summary"]["unreadable"], 1);
    assert!(v["files"][0]["error"].is_string());
}

/// The six sample workbooks (the seed in the official layout): only warnings, so exit 0; with
/// `--deny warnings`, exit 1. Needs the workbook reader (`read::read_path`).
#[test]
fn samples_folder_end_to_end() {
    let out = goalsheet()
        .args(["check", "--format", "short", "--lang", "en", "samples"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    for (file, code) in [
        ("広聴相談課.xlsx", "GS301"),
        ("市民生活課.xlsx", "GS204"),
        ("男女共同参画課.xlsx", "GS204"),
        ("パスポートセンター.xlsx", "GS502"),
        ("市民協働課.xlsx", "GS602"),
    ] {
        assert!(text.lines().any(|l| l.contains(file) && l.contains(code)), "{file} {code}\n{text}");
    }
    // The six division files plus the department file, which holds the same six sheets again.
    assert!(text.contains("checked 7 files: 0 errors, 14 warnings"), "{text}");
    goalsheet().args(["check", "--deny", "warnings", "samples"]).assert().code(1);
}

/// In a batch, a broken file is reported and the others are still checked (exit 2).
#[test]
fn a_broken_file_in_a_batch_is_reported_and_the_rest_checked() {
    let dir = tempfile::tempdir().unwrap();
    let samples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    for name in ["広聴相談課.xlsx", "市民協働課.xlsx"] {
        std::fs::copy(samples.join(name), dir.path().join(name)).unwrap();
    }
    let full = std::fs::read(samples.join("市民生活課.xlsx")).unwrap();
    std::fs::write(dir.path().join("切れた.xlsx"), &full[..full.len() / 2]).unwrap();
    std::fs::write(dir.path().join("空.xlsx"), b"").unwrap();
    let out = goalsheet()
        .args(["check", "--format", "short", "--lang", "en"])
        .arg(dir.path())
        .assert()
        .code(2)
        .get_output()
        .clone();
    let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    for broken in ["切れた.xlsx", "空.xlsx"] {
        assert!(text.lines().any(|l| l.contains(broken) && l.contains("error")), "{broken}\n{text}");
    }
    assert!(text.lines().any(|l| l.contains("広聴相談課.xlsx") && l.contains("GS301")), "{text}");
    assert!(text.lines().any(|l| l.contains("市民協働課.xlsx") && l.contains("GS602")), "{text}");
    assert!(text.contains("checked 4 files") && text.contains("2 files could not be read"), "{text}");
}
