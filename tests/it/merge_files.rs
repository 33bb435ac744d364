//! The department file from real workbooks: the checked-in `samples/市民生活部.xlsx`, reading
//! a department file again (check, convert, merge, template --from all take it), and the
//! `merge` and `template --from` commands end to end.

use crate::common::*;
use assert_cmd::Command;
use goalsheet::merge::{department_bytes, merge_documents, MergeOptions, LIST_SHEET, SUMMARY_SHEET};
use goalsheet::read::read_path;
use goalsheet::{Document, ErrorKind, Lang};
use std::path::{Path, PathBuf};

const DEPARTMENT_SAMPLE: &str = "samples/市民生活部.xlsx";

fn read_all(files: &[PathBuf]) -> Vec<Document> {
    files.iter().map(|f| read_path(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()))).collect()
}

fn department_from_samples() -> Vec<u8> {
    let dept = merge_documents(read_all(&division_samples()), &MergeOptions::default()).unwrap();
    department_bytes(&dept, Lang::Ja).unwrap()
}

#[test]
fn checked_in_department_sample_is_what_merge_writes() {
    reproducible();
    let bytes = department_from_samples();
    assert!(bytes == department_from_samples(), "same inputs, same bytes");
    let problem = compare_artifact(&repo(DEPARTMENT_SAMPLE), &bytes, "GOALSHEET_BLESS=1 cargo test --test merge_files");
    assert!(problem.is_none(), "{}", problem.unwrap_or_default());
}

#[test]
fn a_department_file_reads_as_its_divisions_only() {
    let doc = read_path(&repo(DEPARTMENT_SAMPLE)).unwrap();
    let divisions: Vec<&str> = doc.sheets.iter().map(|s| s.division.as_str()).collect();
    let samples = read_all(&division_samples());
    let want: Vec<&str> = samples.iter().map(|d| d.sheets[0].division.as_str()).collect();
    assert_eq!(divisions, want, "every division sheet, and nothing else, is a goal sheet");
    let others: Vec<&str> = doc.other_sheets.iter().map(|s| s.name.as_str()).collect();
    for generated in [SUMMARY_SHEET, LIST_SHEET, "検証結果"] {
        assert!(others.contains(&generated), "{generated} is kept as a non-goal sheet: {others:?}");
    }
    // The division sheets read back as they were written.
    for (got, want) in doc.sheets.iter().zip(&samples) {
        let w = &want.sheets[0];
        assert_eq!(
            (got.entries.len(), got.indicator_count()),
            (w.entries.len(), w.indicator_count()),
            "{}",
            w.division
        );
        for (ge, we) in got.entries.iter().zip(&w.entries) {
            assert_eq!((&ge.goal, &ge.grade), (&we.goal, &we.grade));
            for (gi, wi) in ge.indicators.iter().zip(&we.indicators) {
                assert_eq!((&gi.target, &gi.result), (&wi.target, &wi.result));
            }
        }
    }
}

#[test]
fn a_merged_file_merges_again_with_a_new_division() {
    let dir = tempfile::tempdir().unwrap();
    let mut extra = read_path(&division_samples()[0]).unwrap();
    extra.sheets[0].division = "新設課".into();
    let extra_path = dir.path().join("新設課.xlsx");
    std::fs::write(&extra_path, goalsheet::write::workbook_bytes(&extra).unwrap()).unwrap();

    let inputs = read_all(&[repo(DEPARTMENT_SAMPLE), extra_path.clone()]);
    let dept = merge_documents(inputs, &MergeOptions::default()).unwrap();
    assert_eq!(dept.divisions.len(), 7);
    assert_eq!(dept.divisions.last().unwrap().sheet.division, "新設課");
    let t = dept.totals();
    assert_eq!((t.entries, t.achieved + t.partly + t.not_achieved), (24 + extra.sheets[0].entries.len(), t.entries));

    // A division given in its own file too is taken from it (its newer text), not from the
    // department file's copy of the last merge: one note says so, not an error.
    let mut resubmitted = read_path(&division_samples()[0]).unwrap();
    let division = resubmitted.sheets[0].division.clone();
    resubmitted.sheets[0].entries[0].goal = "差し替えた目標".into();
    let resubmitted_path = dir.path().join(format!("{division}.xlsx"));
    std::fs::write(&resubmitted_path, goalsheet::write::workbook_bytes(&resubmitted).unwrap()).unwrap();
    let again = read_all(&[repo(DEPARTMENT_SAMPLE), resubmitted_path]);
    let dept = merge_documents(again, &MergeOptions::default()).unwrap();
    let divisions: Vec<&str> = dept.divisions.iter().map(|d| d.sheet.division.as_str()).collect();
    assert_eq!(divisions.len(), 6, "each division once: {divisions:?}");
    let taken = dept.divisions.iter().find(|d| d.sheet.division == division).unwrap();
    assert_eq!(taken.sheet.entries[0].goal, "差し替えた目標", "the division's own file wins");
    assert_eq!(dept.notes.len(), 1, "{:?}", dept.notes);
    let note = &dept.notes[0].ja;
    assert!(note.contains("市民生活部.xlsx") && note.contains(&division) && note.contains("1 課"), "{note}");

    // Two department files holding one division, and no file of its own: still refused.
    let twice = read_all(&[repo(DEPARTMENT_SAMPLE), repo(DEPARTMENT_SAMPLE)]);
    let e = merge_documents(twice, &MergeOptions::default()).unwrap_err();
    assert!(matches!(e.kind, ErrorKind::Conflict { .. }));
    assert!(e.message(Lang::Ja).contains("市民生活部.xlsx › "), "names the file and sheet: {}", e.message(Lang::Ja));

    // Last year's file of a division replaces nothing: it is another year's sheet.
    let mut last_year = read_path(&division_samples()[0]).unwrap();
    last_year.sheets[0].fiscal_year = "令和5年度".into();
    let last_year_path = dir.path().join("昨年度.xlsx");
    std::fs::write(&last_year_path, goalsheet::write::workbook_bytes(&last_year).unwrap()).unwrap();
    let e =
        merge_documents(read_all(&[repo(DEPARTMENT_SAMPLE), last_year_path]), &MergeOptions::default()).unwrap_err();
    assert!(e.message(Lang::En).contains("fiscal year"), "{}", e.message(Lang::En));
}

#[test]
fn the_samples_folder_merges_as_it_checks() {
    // samples/ holds the six submissions and the department file merged from them, as an
    // office folder does after a first merge: check finds no duplicate, and merge agrees.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("部.xlsx");
    goalsheet().args(["check", "-q"]).arg(repo("samples")).assert().success();
    let run = goalsheet().arg("merge").arg(repo("samples")).arg("-o").arg(&out).assert().success();
    let stderr = String::from_utf8_lossy(&run.get_output().stderr).to_string();
    assert!(stderr.contains("前回の統合の写し 6 課"), "one note for the department file: {stderr}");
    let merged = read_path(&out).unwrap();
    assert_eq!(merged.sheets.len(), 6, "each division once");
    // The same divisions, from their own files: the department file written from them alone.
    let alone = merge_documents(read_all(&division_samples()), &MergeOptions::default()).unwrap();
    for (got, want) in merged.sheets.iter().zip(&alone.divisions) {
        assert_eq!(got.division, want.sheet.division);
        assert_eq!(got.entries.len(), want.sheet.entries.len());
    }
}

fn goalsheet() -> Command {
    let mut c = Command::cargo_bin("goalsheet").unwrap();
    c.env("LANG", "ja_JP.UTF-8").env_remove("LC_ALL").env_remove("LC_MESSAGES");
    c
}

/// The six samples in a folder of their own (plus an Excel lock file).
fn submissions(dir: &Path) -> PathBuf {
    let sub = dir.join("提出");
    std::fs::create_dir_all(sub.join("追加")).unwrap();
    for (i, f) in division_samples().iter().enumerate() {
        let to = if i == 5 { sub.join("追加") } else { sub.clone() };
        std::fs::copy(f, to.join(f.file_name().unwrap())).unwrap();
    }
    std::fs::write(sub.join("~$市民協働課.xlsx"), b"lock").unwrap();
    sub
}

#[test]
fn cli_merges_a_folder_and_can_regenerate_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let sub = submissions(dir.path());
    let out = sub.join("市民生活部.xlsx");
    let ok = goalsheet().arg("merge").arg(&sub).arg("-o").arg(&out).assert().success();
    let stdout = String::from_utf8_lossy(&ok.get_output().stdout).to_string();
    // Grades beside the goals they grade, indicators and initiatives named as such.
    assert!(stdout.contains("目標 24（○16 △1 ×7 未評価0"), "{stdout}");
    assert!(stdout.contains("指標 28、主な取組 "), "{stdout}");
    // The output in the same folder is not an input the second time.
    goalsheet().arg("merge").arg(&sub).arg("-o").arg(&out).assert().success();
    let doc = read_path(&out).unwrap();
    assert_eq!(doc.sheets.len(), 6);
    // Giving the output as an input is refused.
    goalsheet().arg("merge").arg(&out).arg("-o").arg(&out).assert().code(2);
}

#[test]
fn cli_refuses_conflicts_with_exit_2_and_force_records_the_decision() {
    let dir = tempfile::tempdir().unwrap();
    let sub = submissions(dir.path());
    let dup = dir.path().join("再提出.xlsx");
    std::fs::copy(sub.join("市民協働課.xlsx"), &dup).unwrap();
    let out = dir.path().join("部.xlsx");
    let refused = goalsheet().arg("merge").arg(&sub).arg(&dup).arg("-o").arg(&out).assert().code(2);
    let stderr = String::from_utf8_lossy(&refused.get_output().stderr).to_string();
    assert!(stderr.contains("市民協働課") && stderr.contains("再提出.xlsx") && stderr.contains("--force"), "{stderr}");
    assert!(!out.exists(), "nothing written");
    assert!(stderr.contains("統合を中止しました") && stderr.contains("書き出していません"), "{stderr}");
    let en = goalsheet().args(["--lang", "en", "merge"]).arg(&sub).arg(&dup).arg("-o").arg(&out).assert().code(2);
    let en = String::from_utf8_lossy(&en.get_output().stderr).to_string();
    assert!(en.contains("more than once") && en.contains("merge stopped") && en.contains("was not written"), "{en}");

    let wrong_year = goalsheet().arg("merge").arg(&sub).args(["--year", "R5", "-o"]).arg(&out).assert().code(2);
    assert!(String::from_utf8_lossy(&wrong_year.get_output().stderr).contains("令和5年度"));

    let forced = goalsheet().arg("merge").arg(&sub).arg(&dup).args(["--force", "-o"]).arg(&out).assert().success();
    assert!(String::from_utf8_lossy(&forced.get_output().stderr).contains("再提出.xlsx"));
    let doc = read_path(&out).unwrap();
    assert_eq!(doc.sheets.len(), 6);
    let summary = doc.other_sheets.iter().find(|s| s.name == SUMMARY_SHEET).unwrap();
    assert!(summary.cells.iter().any(|c| c.text.contains("再提出.xlsx") && c.text.contains("--force")));
}

#[test]
fn check_reads_every_division_of_a_department_file() {
    // convert and merge read through the same read_path, tested above.
    let checked = goalsheet().args(["check"]).arg(repo(DEPARTMENT_SAMPLE)).assert();
    let stdout = String::from_utf8_lossy(&checked.get_output().stdout).to_string();
    for division in ["市民協働課!", "パスポートセンター!"] {
        assert!(stdout.contains(division), "check reports on {division}: {stdout}");
    }
    for generated in [SUMMARY_SHEET, LIST_SHEET, "検証結果"] {
        assert!(!stdout.contains(&format!("{generated}!")), "{generated} is not checked as a goal sheet");
    }
}

#[test]
fn cli_template_from_a_department_file_writes_next_year_per_division() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("R7");
    goalsheet().args(["template", "--from"]).arg(repo(DEPARTMENT_SAMPLE)).arg("--out-dir").arg(&out).assert().success();
    let mut names: Vec<String> =
        std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names.len(), 6, "{names:?}");
    assert!(names.contains(&"広聴相談課_令和7年度.xlsx".to_string()), "{names:?}");
    let next = read_path(&out.join("広聴相談課_令和7年度.xlsx")).unwrap();
    let s = &next.sheets[0];
    assert_eq!(
        (s.fiscal_year.as_str(), s.target_label.as_str(), s.result_label.as_str()),
        ("令和7年度", "Ｒ７目標", "Ｒ７結果")
    );
    assert!(s.entries.iter().all(|e| e.grade.is_empty() && !e.goal.is_empty()));
    assert!(s
        .entries
        .iter()
        .flat_map(|e| &e.indicators)
        .all(|i| (i.target.is_empty() || i.target.starts_with("（R6：")) && i.result.is_empty() && !i.name.is_empty()));
    let kouchou = &s.entries[3].indicators[0];
    assert_eq!(kouchou.target, "（R6：99校）", "last year's result as the new target's reference line");
    // Refuses to overwrite; one workbook with every division without --out-dir.
    goalsheet().args(["template", "--from"]).arg(repo(DEPARTMENT_SAMPLE)).arg("--out-dir").arg(&out).assert().code(2);
    let one = dir.path().join("部_R8.xlsx");
    goalsheet()
        .args(["template", "--year", "R8", "--from"])
        .arg(repo(DEPARTMENT_SAMPLE))
        .arg("-o")
        .arg(&one)
        .assert()
        .success();
    let doc = read_path(&one).unwrap();
    assert_eq!(doc.sheets.len(), 6);
    assert!(doc.sheets.iter().all(|s| s.fiscal_year == "令和8年度" && s.target_label == "Ｒ８目標"));
}

#[test]
fn convert_reads_every_division_of_a_department_file() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("部.json");
    goalsheet().arg("convert").arg(repo(DEPARTMENT_SAMPLE)).arg("-o").arg(&json).assert().success();
    let doc: Document = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let divisions: Vec<String> = doc.sheets.iter().map(|s| s.division.clone()).collect();
    let want: Vec<String> = read_all(&division_samples()).iter().map(|d| d.sheets[0].division.clone()).collect();
    assert_eq!(divisions, want, "the six division sheets, not 集計 or 一覧");
    assert_eq!(doc.sheets.iter().map(|s| s.indicator_count()).sum::<usize>(), 28);
}

#[test]
fn cli_template_from_a_division_file() {
    let dir = tempfile::tempdir().unwrap();
    let last = repo("samples/男女共同参画課.xlsx");
    let before = read_path(&last).unwrap();
    let one = dir.path().join("次.xlsx");
    goalsheet().args(["template", "--from"]).arg(&last).arg("-o").arg(&one).assert().success();
    let out_dir = dir.path().join("R7");
    goalsheet().args(["template", "--from"]).arg(&last).arg("--out-dir").arg(&out_dir).assert().success();
    let per_division = out_dir.join("男女共同参画課_令和7年度.xlsx");
    for path in [&one, &per_division] {
        let next = read_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(next.sheets.len(), 1);
        let (s, b) = (&next.sheets[0], &before.sheets[0]);
        assert_eq!((s.fiscal_year.as_str(), s.target_label.as_str()), ("令和7年度", "Ｒ７目標"));
        assert_eq!((s.created.as_str(), s.evaluated.as_str()), ("", ""));
        assert_eq!(
            s.entries.iter().map(|e| &e.goal).collect::<Vec<_>>(),
            b.entries.iter().map(|e| &e.goal).collect::<Vec<_>>()
        );
        for (e, be) in s.entries.iter().zip(&b.entries) {
            assert!(e.grade.is_empty());
            for (i, bi) in e.indicators.iter().zip(&be.indicators) {
                assert_eq!((&i.name, &i.plan_ref, &i.initiative), (&bi.name, &bi.plan_ref, &bi.initiative));
                assert_eq!(i.target, goalsheet::next_year::reference_line(&bi.result, 6));
                assert!(i.result.is_empty() && i.status.is_empty() && i.policy.is_empty());
            }
        }
    }
}

/// 集計, 一覧 and the CSV made from the department file count the same: goals (the rows whose
/// 指標番号 is 1), their grades, indicators (rows).
#[test]
fn summary_list_and_csv_agree_by_count() {
    use calamine::{Data, Reader};
    let bytes = department_from_samples();
    let mut book = open(&bytes);
    let summary = book.worksheet_range(SUMMARY_SHEET).unwrap();
    let total_row = (0..summary.height() as u32)
        .find(|&r| matches!(summary.get_value((r, 0)), Some(Data::String(s)) if s == "合計"))
        .expect("a 合計 row");
    let figure = |c: u32| match summary.get_value((total_row, c)) {
        Some(Data::Float(f)) => *f as usize,
        other => panic!("集計 column {c}: {other:?}"),
    };
    // 目標数, ○, △, ×, 指標数.
    let want = [figure(1), figure(2), figure(3), figure(4), figure(8)];
    assert_eq!(want, [24, 16, 1, 7, 28]);

    // A table as header → column, then rows of text.
    fn counts(header: &[String], rows: &[Vec<String>], indicator_no: &str, grade: &str) -> [usize; 5] {
        let col = |n: &str| header.iter().position(|h| h == n).unwrap_or_else(|| panic!("{n} in {header:?}"));
        let (i, g) = (col(indicator_no), col(grade));
        let goals: Vec<&Vec<String>> = rows.iter().filter(|r| r[i] == "1").collect();
        let graded = |s: &str| goals.iter().filter(|r| r[g] == s).count();
        [goals.len(), graded("○"), graded("△"), graded("×"), rows.len()]
    }

    let list = book.worksheet_range(LIST_SHEET).unwrap();
    let text = |d: Option<&Data>| match d {
        Some(Data::Float(f)) => f.to_string(),
        Some(Data::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let width = list.width() as u32;
    let header: Vec<String> = (0..width).map(|c| text(list.get_value((0, c)))).collect();
    let rows: Vec<Vec<String>> =
        (1..list.height() as u32).map(|r| (0..width).map(|c| text(list.get_value((r, c)))).collect()).collect();
    assert_eq!(counts(&header, &rows, "指標番号", "評価（記号）"), want, "一覧");

    let doc = goalsheet::read::read_bytes(&bytes, "市民生活部.xlsx").unwrap();
    let csv_bytes = goalsheet::convert::csv::to_bytes(&doc, goalsheet::convert::csv::Encoding::Utf8Bom).unwrap();
    let mut reader = csv::Reader::from_reader(csv_bytes.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let rows: Vec<Vec<String>> = reader.records().map(|r| r.unwrap().iter().map(String::from).collect()).collect();
    assert_eq!(counts(&header, &rows, "指標番号", "評価"), want, "CSV");
    // One spelling per value: one year, grades only ○△×, ISO dates.
    let col = |n: &str| header.iter().position(|h| h == n).unwrap();
    let years: std::collections::BTreeSet<&str> = rows.iter().map(|r| r[col("年度")].as_str()).collect();
    assert_eq!(years.into_iter().collect::<Vec<_>>(), ["令和6年度"]);
    assert!(rows.iter().all(|r| ["○", "△", "×"].contains(&r[col("評価")].as_str())));
    assert!(rows.iter().all(|r| r[col("作成日")].len() == 10 && r[col("作成日")].starts_with("2024-")), "ISO dates");
}

/// A department name pasted with a zero-width space (`市民生活部\u{200B}`, from a web page or a
/// chat): `check` reported GS801 with two names that look alike and merge refused the file,
/// with nothing in sight to correct. GS603 names the character; `fix` removes it, and the
/// corrected workbook merges with the others.
#[test]
fn an_invisible_character_in_the_department_is_found_and_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let sub = submissions(dir.path());
    let file = sub.join("市民協働課.xlsx");
    let mut doc = read_path(&file).unwrap();
    doc.sheets[0].department.push('\u{200B}');
    std::fs::write(&file, goalsheet::write::workbook_bytes(&doc).unwrap()).unwrap();

    let checked = goalsheet().args(["check", "--format", "short"]).arg(&sub).assert().code(1);
    let out = String::from_utf8_lossy(&checked.get_output().stdout).to_string();
    assert!(out.contains("GS801") && out.contains("GS603") && out.contains("U+200B"), "{out}");
    let merged = dir.path().join("部.xlsx");
    goalsheet().arg("merge").arg(&sub).arg("-o").arg(&merged).assert().code(2);

    goalsheet().arg("fix").arg(&file).assert().success();
    std::fs::rename(sub.join("市民協働課.corrected.xlsx"), &file).unwrap();
    let checked = goalsheet().args(["check", "--format", "short"]).arg(&sub).assert();
    let out = String::from_utf8_lossy(&checked.get_output().stdout).to_string();
    assert!(!out.contains("GS801") && !out.contains("GS603"), "{out}");
    goalsheet().arg("merge").arg(&sub).arg("-o").arg(&merged).assert().success();
}
