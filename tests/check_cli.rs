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
