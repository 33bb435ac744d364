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

/// `fix` on a folder without --out-dir writes each corrected workbook beside its original:
/// merging that folder takes each division from its corrected copy (one note says so), and
/// `check` of the folder does not call the pair the same division twice (and says once that
/// the originals have copies). An original saved
/// after its copy was written (the copy misses those edits) stops the merge, naming both.
#[test]
fn a_folder_of_workbooks_and_their_corrected_copies_merges_from_the_copies() {
    let dir = tempfile::tempdir().unwrap();
    for f in ["広聴相談課.xlsx", "市民協働課.xlsx"] {
        std::fs::copy(crate::common::repo("samples").join(f), dir.path().join(f)).unwrap();
    }
    goalsheet().arg("fix").arg(dir.path()).assert().code(0);
    let copy = dir.path().join("広聴相談課.corrected.xlsx");
    assert!(copy.exists());
    let a = goalsheet().arg("check").arg(dir.path()).assert().code(0);
    // check shows the originals' findings too, and says so once.
    let err = stderr(&a);
    assert!(
        err.contains("ほか 1 件の隣に、それを修正したブック") && err.contains("統合では修正したブックを使います"),
        "{err}"
    );
    let out = dir.path().join("部.xlsx");
    let a = goalsheet().args(["--lang", "en", "merge"]).arg(dir.path()).arg("-o").arg(&out).assert().code(0);
    let err = stderr(&a);
    assert!(err.contains("read from the copy instead"), "{err}");
    assert!(err.contains("広聴相談課.xlsx → ") && err.contains("広聴相談課.corrected.xlsx"), "{err}");
    // 広聴相談課 wrote 〇 (a kanji zero) for two grades; fix made them ○.
    let dept = goalsheet::read::read_path(&out).unwrap();
    let sheet = dept.sheets.iter().find(|s| s.division == "広聴相談課").unwrap();
    let grades: Vec<&str> = sheet.entries.iter().map(|e| e.grade.as_str()).collect();
    assert!(grades.contains(&"○") && !grades.contains(&"〇"), "{grades:?}");
    std::fs::remove_file(&out).unwrap();

    let later = std::fs::metadata(&copy).unwrap().modified().unwrap() + std::time::Duration::from_secs(60);
    let original = std::fs::File::options().write(true).open(dir.path().join("広聴相談課.xlsx")).unwrap();
    original.set_modified(later).unwrap();
    let a = goalsheet().arg("merge").arg(dir.path()).arg("-o").arg(&out).assert().code(2);
    let err = stderr(&a);
    assert!(err.contains("広聴相談課.xlsx は、修正したブック") && err.contains("fix --force"), "{err}");
    assert!(!out.exists());
}
