//! `goalsheet fix` from the command line, on copies of the samples in a temporary folder:
//! the default output beside the input, the refusal to overwrite an input, `-o` with one
//! input only, `--dry-run` writing nothing, a broken file in a batch, unsafe fixes only with
//! the flag.

use crate::common;

use assert_cmd::Command;
use calamine::Reader;
use goalsheet::fix::workbook::CHANGES_SHEET_NAME;
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;
use std::path::{Path, PathBuf};

fn goalsheet() -> Command {
    let mut c = Command::cargo_bin("goalsheet").expect("binary");
    c.arg("--lang").arg("ja");
    c
}

/// A temporary folder with copies of the samples.
fn samples_copy() -> (tempfile::TempDir, Vec<PathBuf>) {
    let dir = tempfile::tempdir().unwrap();
    let mut files = vec![];
    for p in common::division_samples() {
        let to = dir.path().join(p.file_name().unwrap());
        std::fs::copy(&p, &to).unwrap();
        files.push(to);
    }
    files.sort();
    (dir, files)
}

fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<_> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

fn change_log_rows(path: &Path) -> usize {
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(path).unwrap();
    let range = book.worksheet_range(CHANGES_SHEET_NAME).unwrap();
    crate::common::change_log_rows(&range).iter().filter(|r| r.iter().filter(|c| !c.is_empty()).count() >= 2).count()
}

#[test]
fn fixes_beside_the_input_and_keeps_the_input() {
    let (dir, files) = samples_copy();
    let input = dir.path().join("広聴相談課.xlsx");
    let original = std::fs::read(&input).unwrap();
    goalsheet().arg("fix").arg(&input).assert().success().stdout(contains("広聴相談課.corrected.xlsx"));
    assert_eq!(std::fs::read(&input).unwrap(), original, "input changed");
    let out = dir.path().join("広聴相談課.corrected.xlsx");
    assert_eq!(change_log_rows(&out), 2, "two 〇 → ○");
    // No temporary file is left behind.
    assert_eq!(listing(dir.path()).len(), files.len() + 1);
}

#[test]
fn dry_run_prints_changes_and_writes_nothing() {
    let (dir, _) = samples_copy();
    let before = listing(dir.path());
    goalsheet()
        .args(["fix", "--dry-run"])
        .arg(dir.path())
        .assert()
        .success()
        .stdout(contains("広聴相談課!I8: 「〇」 → 「○」 [GS301, 安全]"))
        .stdout(contains("「１回」 → 「1回」"));
    assert_eq!(listing(dir.path()), before);
}

#[test]
fn an_output_equal_to_an_input_is_refused() {
    let (dir, _) = samples_copy();
    let input = dir.path().join("市民生活課.xlsx");
    let original = std::fs::read(&input).unwrap();
    let same = dir.path().join(".").join("市民生活課.xlsx");
    goalsheet().arg("fix").arg(&input).arg("-o").arg(&same).assert().code(2).stderr(contains("上書きしません"));
    let mut en = Command::cargo_bin("goalsheet").unwrap();
    en.args(["--lang", "en", "fix"])
        .arg(&input)
        .arg("-o")
        .arg(&input)
        .assert()
        .code(2)
        .stderr(contains("never overwrites"));
    assert_eq!(std::fs::read(&input).unwrap(), original);
}

#[test]
fn output_option_takes_one_input_and_out_dir_takes_many() {
    let (dir, files) = samples_copy();
    goalsheet()
        .arg("fix")
        .args(&files[..2])
        .arg("-o")
        .arg(dir.path().join("x.xlsx"))
        .assert()
        .code(2)
        .stderr(contains("-o"));
    let out = dir.path().join("out");
    goalsheet().arg("fix").arg(dir.path()).arg("--out-dir").arg(&out).assert().success();
    assert_eq!(listing(&out).len(), files.len());
    assert!(listing(&out).iter().all(|n| n.ends_with(".corrected.xlsx")));
}

#[test]
fn a_broken_file_is_reported_and_the_others_fixed() {
    let (dir, files) = samples_copy();
    std::fs::write(dir.path().join("壊れた.xlsx"), b"not a workbook").unwrap();
    goalsheet().arg("fix").arg(dir.path()).assert().code(2).stderr(contains("壊れた.xlsx"));
    let corrected = listing(dir.path()).into_iter().filter(|n| n.ends_with(".corrected.xlsx")).count();
    assert_eq!(corrected, files.len());
}

/// A batch ends with its totals: in a list of hundreds of lines, the files that were not fixed
/// are otherwise only errors somewhere above. One file alone has its own line only.
#[test]
fn a_batch_ends_with_how_many_files_were_written_and_how_many_failed() {
    let (dir, files) = samples_copy();
    std::fs::write(dir.path().join("壊れた.xlsx"), b"not a workbook").unwrap();
    let inputs = files.len() + 1;
    let out = goalsheet().arg("fix").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let last = stdout.lines().last().unwrap();
    assert!(last.starts_with(&format!("{inputs} ファイル: {} ファイルを書き出しました（修正 ", files.len())), "{last}");
    assert!(last.ends_with("。1 ファイルはエラーで処理できませんでした（上を参照）"), "{last}");
    // The changes counted are those the files' own lines report.
    let per_file: usize = stdout
        .lines()
        .filter(|l| l.contains("に書き出しました"))
        .filter_map(|l| l.rsplit(".xlsx: ").next()?.split(" 件を修正").next()?.parse::<usize>().ok())
        .sum();
    assert!(per_file > 0, "{stdout}");
    assert!(last.contains(&format!("（修正 {per_file} 件、")), "{per_file}: {last}");

    let out = Command::cargo_bin("goalsheet")
        .unwrap()
        .args(["--lang", "en", "fix", "--dry-run"])
        .args(&files)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let last = stdout.lines().last().unwrap();
    assert!(
        last.starts_with(&format!("{} files, dry run (nothing written): {} checked (", files.len(), files.len())),
        "{last}"
    );
    assert!(!last.contains("failed"), "{last}");

    let out = goalsheet().args(["fix", "--dry-run"]).arg(&files[0]).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.lines().all(|l| !l.contains("ファイル（試行のみ")), "one file, no totals: {stdout}");
}

/// An output that cannot be put in place (its name is a folder) is that file's error, never
/// reported written, and the files before and after it are written, whatever the job count.
#[test]
fn an_output_that_cannot_be_put_in_place_fails_its_file_only() {
    for jobs in ["1", "3"] {
        let (dir, files) = samples_copy();
        let blocked = dir.path().join("市民協働課.corrected.xlsx");
        std::fs::create_dir(&blocked).unwrap();
        std::fs::write(blocked.join("中身.txt"), b"x").unwrap();
        let out = goalsheet().args(["--jobs", jobs, "fix", "--force"]).args(&files).output().unwrap();
        let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert_eq!(out.status.code(), Some(2), "{stdout}{stderr}");
        assert!(stderr.contains("市民協働課.corrected.xlsx"), "{stderr}");
        assert!(!stdout.contains("市民協働課.corrected.xlsx"), "not reported written: {stdout}");
        let written: Vec<String> = listing(dir.path()).into_iter().filter(|n| n.ends_with(".corrected.xlsx")).collect();
        assert_eq!(written.len(), files.len(), "the others written, the folder kept: {written:?}");
        for name in written.iter().filter(|n| !n.starts_with("市民協働課")) {
            assert!(stdout.contains(name.as_str()), "{name} reported written: {stdout}");
        }
        assert!(blocked.join("中身.txt").exists());
        assert!(!listing(dir.path()).iter().any(|n| n.ends_with(".tmp")), "no temporary file left");
    }
}

#[test]
fn an_out_dir_made_for_a_run_that_writes_nothing_is_not_left_behind() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("壊れた.xlsx"), b"not a workbook").unwrap();
    let out = dir.path().join("a").join("out");
    goalsheet().arg("fix").arg(dir.path().join("壊れた.xlsx")).arg("--out-dir").arg(&out).assert().code(2);
    assert!(!dir.path().join("a").exists(), "every input failed: the folders made for the outputs are gone");
    // A folder that was there already stays, empty or not.
    std::fs::create_dir(dir.path().join("kept")).unwrap();
    goalsheet()
        .arg("fix")
        .arg(dir.path().join("壊れた.xlsx"))
        .arg("--out-dir")
        .arg(dir.path().join("kept"))
        .assert()
        .code(2);
    assert!(dir.path().join("kept").is_dir());
    // One good input among broken ones: its folder holds its workbook.
    let (samples, _) = samples_copy();
    std::fs::write(samples.path().join("壊れた.xlsx"), b"not a workbook").unwrap();
    let out = dir.path().join("made");
    goalsheet().arg("fix").arg(samples.path()).arg("--out-dir").arg(&out).assert().code(2);
    assert!(!listing(&out).is_empty());
}

#[test]
fn unsafe_fixes_need_the_flag_and_a_fixed_file_fixes_to_the_same() {
    let (dir, _) = samples_copy();
    // A contradicted grade: 市民生活課 No.1 missed 80% (77.7%) but says ○.
    let mut doc: goalsheet::Document =
        serde_json::from_str(include_str!("../data/shimin-seikatsu-r6.json")).expect("seed");
    doc.sheets.retain(|s| s.division == "市民生活課");
    doc.sheets[0].entries[0].grade = "○".into();
    let input = dir.path().join("評価誤り.xlsx");
    std::fs::write(&input, goalsheet::write::workbook_bytes(&doc).unwrap()).unwrap();

    goalsheet().args(["fix", "--dry-run"]).arg(&input).assert().code(1).stdout(contains("要確認").not());
    goalsheet()
        .args(["fix", "--dry-run", "--unsafe-fixes"])
        .arg(&input)
        .assert()
        .stdout(contains("「○」 → 「×」 [GS303, 要確認]"));
    let once = dir.path().join("once.xlsx");
    goalsheet().args(["fix", "--unsafe-fixes"]).arg(&input).arg("-o").arg(&once).assert().stdout(contains("once.xlsx"));
    let twice = dir.path().join("twice.xlsx");
    goalsheet()
        .args(["fix", "--unsafe-fixes"])
        .arg(&once)
        .arg("-o")
        .arg(&twice)
        .assert()
        .stdout(contains(": 0 件を修正"));
    assert_eq!(change_log_rows(&once), change_log_rows(&twice));
}

#[test]
fn check_fix_is_fix() {
    // Bytes are compared: both runs must carry the same document date.
    common::reproducible();
    let (dir, _) = samples_copy();
    let input = dir.path().join("広聴相談課.xlsx");
    goalsheet().args(["check", "--fix"]).arg(&input).assert().success();
    let via_check = std::fs::read(dir.path().join("広聴相談課.corrected.xlsx")).unwrap();
    goalsheet().args(["fix", "--force"]).arg(&input).assert().success();
    let via_fix = std::fs::read(dir.path().join("広聴相談課.corrected.xlsx")).unwrap();
    assert_eq!(via_check, via_fix);
}

/// Fixing the department file merge wrote changes its division sheets but not 集計 and 一覧,
/// made from them (a count of warnings, the values as written): the console says so and what
/// to do instead. A division's own workbook gets no such line.
#[test]
fn fixing_a_department_file_says_its_summary_is_not_remade() {
    let dir = tempfile::tempdir().unwrap();
    let dept = dir.path().join("市民生活部.xlsx");
    std::fs::copy(common::repo("samples/市民生活部.xlsx"), &dept).unwrap();
    goalsheet().arg("fix").arg(&dept).assert().success().stdout(contains("集計と一覧はこの修正では更新されません"));
    let (dir, _) = samples_copy();
    goalsheet()
        .arg("fix")
        .arg(dir.path().join("広聴相談課.xlsx"))
        .assert()
        .success()
        .stdout(contains("集計と一覧").not());
}

/// A workbook holding the same division's sheet twice (a copy left beside it) is refused by
/// merge, and `check` of the workbook says so (GS803). `fix` cannot mend that, but the
/// findings it says remain, and lists in 検証結果, are those a check of its output makes: the
/// second sheet is among them. Fixing the corrected workbook again changes nothing (the
/// finding names the other sheet, not the file, whose name then differs).
#[test]
fn findings_between_a_workbooks_own_sheets_remain_after_fix() {
    use common::fixtures::{sample, write_goal_sheet, Drift};
    common::reproducible();
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("課.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    write_goal_sheet(book.add_worksheet(), &sample(), &Drift::default());
    let copy = book.add_worksheet();
    write_goal_sheet(copy, &sample(), &Drift::default());
    copy.set_name("コピー").unwrap();
    book.save(&input).unwrap();
    let codes = common::finding_codes;
    assert!(codes(&input).iter().any(|c| c == "GS803"));
    let fixed = goalsheet().arg("fix").arg(&input).output().unwrap();
    let said = String::from_utf8_lossy(&fixed.stdout);
    let out = dir.path().join("課.corrected.xlsx");
    let after = codes(&out);
    assert!(after.iter().any(|c| c == "GS803"), "{after:?}");
    assert!(said.contains(&format!("残りの指摘 {} 件", after.len())), "{said}\nchecked after: {after:?}");
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&out).unwrap();
    let listed = book.worksheet_range("検証結果").unwrap();
    assert!(listed.rows().any(|r| r.iter().any(|c| *c == calamine::Data::String("GS803".into()))), "{listed:?}");
    // Exit 1: the findings that remain include an error.
    goalsheet().arg("fix").arg(&out).assert().code(1);
    let again = std::fs::read(dir.path().join("課.corrected.corrected.xlsx")).unwrap();
    assert!(again == std::fs::read(&out).unwrap(), "fixing the corrected workbook again changed it");
}
