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
        .stdout(predicate::str::contains("no-such-file.xlsx").and(predicate::str::contains("could not be read")))
        .stdout(predicate::str::contains("no such file or folder").and(predicate::str::contains("os error").not()));
    goalsheet()
        .args(["check", "--lang", "ja", "no-such-file.xlsx"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("見つかりません"));
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

/// The six sample workbooks (the seed in the official layout) and the department file merged
/// from them: only warnings, so exit 0; with `--deny warnings`, exit 1. Needs the workbook
/// reader (`read::read_path`).
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
    // The department file holds the same six sheets again, but it is merge's output, not a
    // submission: no division is reported twice (GS803), and merge takes each division from
    // its own file.
    assert!(!text.contains("GS803"), "{text}");
    assert!(text.contains("checked 7 files: 0 errors, 14 warnings"), "{text}");
    goalsheet()
        .args(["merge", "samples", "-o"])
        .arg(tempfile::tempdir().unwrap().path().join("部.xlsx"))
        .assert()
        .success();
    goalsheet().args(["check", "--deny", "warnings", "samples"]).assert().code(1);
}

/// A folder that checks clean merges clean: what merge refuses (another department, another
/// year, a division twice) is reported by check at the cell, and the human summary lists the
/// clean files.
#[test]
fn check_reports_what_merge_would_refuse() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("提出");
    std::fs::create_dir_all(&folder).unwrap();
    for f in ["広聴相談課.xlsx", "男女共同参画課.xlsx", "市民協働課.xlsx"] {
        std::fs::copy(format!("samples/{f}"), folder.join(f)).unwrap();
    }
    let merged = dir.path().join("部.xlsx");
    let merge = |code: i32| goalsheet().args(["merge", "-o"]).arg(&merged).arg(&folder).assert().code(code);
    let check = |code: i32| {
        let out = goalsheet().args(["check", "--lang", "en", "--format", "short"]).arg(&folder).assert().code(code);
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    };
    let text = check(0);
    assert!(!text.contains("GS80"), "{text}");
    merge(0);
    std::fs::remove_file(&merged).unwrap();

    // A copy of a division: reported on the second file, at the division's cell.
    std::fs::copy("samples/広聴相談課.xlsx", folder.join("広聴相談課（修正版）.xlsx")).unwrap();
    let text = check(1);
    let dup: Vec<&str> = text.lines().filter(|l| l.contains("GS803")).collect();
    assert_eq!(dup.len(), 1, "{text}");
    assert!(dup[0].contains("広聴相談課（修正版）.xlsx") && dup[0].contains("E3"), "{text}");
    merge(2);
    std::fs::remove_file(folder.join("広聴相談課（修正版）.xlsx")).unwrap();

    // Another year's sheet, written by goalsheet itself from a sample with its year changed.
    let mut doc = goalsheet::read::read_path(std::path::Path::new("samples/消費生活センター.xlsx")).unwrap();
    doc.sheets[0].fiscal_year = "令和5年度".into();
    std::fs::write(folder.join("消費生活センター.xlsx"), goalsheet::write::workbook_bytes(&doc).unwrap()).unwrap();
    let text = check(1);
    let year: Vec<&str> = text.lines().filter(|l| l.contains("GS802")).collect();
    assert_eq!(year.len(), 1, "{text}");
    assert!(year[0].contains("消費生活センター.xlsx"), "{text}");
    merge(2);

    // The human summary names the clean files: the corrected one, not another year's, nor
    // those with warnings.
    goalsheet()
        .args(["fix", "samples/男女共同参画課.xlsx", "-o"])
        .arg(dir.path().join("男女共同参画課.xlsx"))
        .assert()
        .success();
    std::fs::rename(dir.path().join("男女共同参画課.xlsx"), folder.join("男女共同参画課.xlsx")).unwrap();
    let out = goalsheet().args(["check", "--lang", "en"]).arg(&folder).assert().code(1);
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let clean = text.split("clean file (1):\n").nth(1).unwrap_or_default();
    assert!(clean.lines().next().unwrap_or_default().ends_with("男女共同参画課.xlsx"), "{text}");
    assert!(!clean.contains("消費生活センター.xlsx") && !clean.contains("市民協働課.xlsx"), "{text}");
    let out = goalsheet().args(["check", "--lang", "en", "--format", "json"]).arg(&folder).assert().code(1);
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert!(v["findings"].as_array().unwrap().iter().any(|f| f["code"] == "GS802" && f["field"] == "fiscal_year"));
    assert!(v["summary"]["errors"].as_u64().unwrap() >= 1);
}

/// Without `--lang`, messages follow the locale: Japanese under `ja_JP.UTF-8`, English under `C`.
#[test]
fn language_defaults_from_the_locale() {
    let run = |lang: &str| {
        let mut c = Command::cargo_bin("goalsheet").unwrap();
        c.env_remove("LC_ALL").env_remove("LC_MESSAGES").env("LANG", lang);
        let out = c.args(["check", "samples/広聴相談課.xlsx"]).assert().code(0).get_output().stdout.clone();
        String::from_utf8(out).unwrap()
    };
    let ja = run("ja_JP.UTF-8");
    assert!(ja.contains("凡例の記号ではありません") && ja.contains("1 ファイルを検査"), "{ja}");
    let en = run("C");
    assert!(en.contains("is not a legend symbol") && en.contains("checked 1 file"), "{en}");
    assert!(!en.contains("ファイルを検査"), "{en}");
}

/// A folder is walked into its subfolders; Excel's lock files (`~$…`) are skipped; a broken
/// workbook is reported (exit 2) and the others are still checked; one summary line per run.
#[test]
fn folders_recurse_skip_lock_files_and_a_broken_file_does_not_stop_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let deep = dir.path().join("提出").join("追加");
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::copy("samples/広聴相談課.xlsx", dir.path().join("提出").join("広聴相談課.xlsx")).unwrap();
    std::fs::copy("samples/男女共同参画課.xlsx", deep.join("男女共同参画課.xlsx")).unwrap();
    std::fs::write(dir.path().join("提出").join("~$広聴相談課.xlsx"), b"lock").unwrap();
    std::fs::write(dir.path().join("提出").join("壊れた.xlsx"), b"not a workbook").unwrap();

    let out =
        goalsheet().args(["check", "--format", "json"]).arg(dir.path()).assert().code(2).get_output().stdout.clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let files: Vec<&str> = v["files"].as_array().unwrap().iter().map(|f| f["file"].as_str().unwrap()).collect();
    assert_eq!(files.len(), 3, "{files:?}");
    assert!(!files.iter().any(|f| f.contains("~$")), "lock file checked: {files:?}");
    assert!(files.iter().any(|f| f.ends_with("男女共同参画課.xlsx")), "subfolder not walked: {files:?}");
    let broken = v["files"].as_array().unwrap().iter().find(|f| f["file"].as_str().unwrap().ends_with("壊れた.xlsx"));
    assert!(broken.unwrap()["error"].is_string());
    let codes: Vec<(&str, &str)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["sheet"].as_str().unwrap(), f["code"].as_str().unwrap()))
        .collect();
    assert!(codes.contains(&("広聴相談課", "GS301")) && codes.contains(&("男女共同参画課", "GS204")), "{codes:?}");

    for format in ["human", "short"] {
        let out = goalsheet()
            .args(["check", "--format", format])
            .arg(dir.path())
            .assert()
            .code(2)
            .get_output()
            .stdout
            .clone();
        let text = String::from_utf8(out).unwrap();
        let summaries = text.lines().filter(|l| l.starts_with("checked ")).count();
        assert_eq!(summaries, 1, "{format}: one summary line per run\n{text}");
        assert!(text.contains("checked 3 files") && text.contains("1 file could not be read"), "{text}");
    }
}

/// Every JSON finding carries the documented fields; `fix` is there exactly when the finding
/// is fixable.
#[test]
fn every_json_finding_has_the_documented_fields() {
    let out = goalsheet().args(["check", "--format", "json", "samples"]).assert().code(0).get_output().stdout.clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let findings = v["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    for f in findings {
        for key in ["file", "sheet", "cell", "field", "severity", "code", "message", "help"] {
            assert!(f[key].is_string(), "{key} missing or not text in {f}");
        }
        assert!(f.as_object().unwrap().contains_key("fix"), "{f}");
    }
    let with_fix = findings.iter().filter(|f| f["fix"].is_object()).count();
    assert_eq!(
        with_fix as u64,
        v["summary"]["fixable"].as_u64().unwrap() + v["summary"]["unsafe_fixable"].as_u64().unwrap()
    );
}

/// A planned sheet (no results yet): clean as a plan; `--stage evaluation` asks for the
/// evaluation fields, which are errors, so exit 1 without `--deny`.
#[test]
fn stage_is_inferred_and_can_be_overridden() {
    let mut doc: goalsheet::Document =
        serde_json::from_str(include_str!("../data/shimin-seikatsu-r6.json")).expect("seed");
    doc.sheets.retain(|s| s.division == "消費生活センター");
    let s = &mut doc.sheets[0];
    s.evaluated.clear();
    for e in &mut s.entries {
        e.grade.clear();
        for i in &mut e.indicators {
            i.result.clear();
            i.status.clear();
            i.policy.clear();
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("計画.xlsx");
    std::fs::write(&input, goalsheet::write::workbook_bytes(&doc).unwrap()).unwrap();

    goalsheet()
        .args(["check", "--format", "short"])
        .arg(&input)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("GS102").not());
    goalsheet()
        .args(["check", "--format", "short", "--stage", "evaluation"])
        .arg(&input)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("error[GS102]"));
    goalsheet().args(["check", "--stage", "plan"]).arg(&input).assert().code(0);
}
