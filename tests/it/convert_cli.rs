//! `goalsheet convert` as a user runs it: formats by extension, stdout, encodings, refusals.

use assert_cmd::Command;
use goalsheet::convert::{csv, json};
use goalsheet::Document;
use predicates::prelude::*;
use std::path::{Path, PathBuf};

const SEED: &str = include_str!("../data/shimin-seikatsu-r6.json");

fn seed() -> Document {
    json::from_bytes(SEED.as_bytes()).expect("seed reads")
}

/// A temporary folder holding the seed as `in.json`.
fn setup() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in.json");
    std::fs::write(&input, SEED).expect("write seed");
    (dir, input)
}

fn goalsheet(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("goalsheet").expect("binary");
    cmd.current_dir(dir).env("LANG", "C").env_remove("LC_ALL").env_remove("LC_MESSAGES");
    cmd
}

fn without_source(mut doc: Document) -> Document {
    doc.source = None;
    doc
}

/// Every file of the folder, to see that nothing half-written is left behind.
fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn json_to_csv_to_json_keeps_every_value() {
    let (dir, _) = setup();
    goalsheet(dir.path())
        .args(["convert", "in.json", "-o", "一覧.csv"])
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains("converted in.json → 一覧.csv (6 sheets, 28 indicators)"));
    let bytes = std::fs::read(dir.path().join("一覧.csv")).expect("csv written");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with BOM by default");
    assert_eq!(csv::from_bytes(&bytes).expect("csv reads"), seed());

    goalsheet(dir.path()).args(["convert", "一覧.csv", "-o", "back.json", "-q"]).assert().success().stderr("");
    let mut back = json::from_bytes(&std::fs::read(dir.path().join("back.json")).expect("json")).expect("reads");
    // Read from the CSV, figures are numbers as Excel opens them (`80%` is 0.8 under `0%`).
    let mut figures = 0;
    for i in back.sheets.iter_mut().flat_map(|s| &mut s.entries).flat_map(|e| &mut e.indicators) {
        for f in [goalsheet::model::Field::Target, goalsheet::model::Field::Result] {
            figures += usize::from(i.typed.get(f).is_some());
            i.typed.clear(f);
        }
    }
    assert!(figures > 10, "{figures}");
    assert_eq!(without_source(back), seed());
    assert_eq!(files(dir.path()), ["back.json", "in.json", "一覧.csv"]);
}

#[test]
fn shift_jis_csv() {
    let (dir, _) = setup();
    goalsheet(dir.path()).args(["convert", "in.json", "-o", "sjis.csv", "--encoding", "shift_jis"]).assert().success();
    let bytes = std::fs::read(dir.path().join("sjis.csv")).expect("written");
    assert!(std::str::from_utf8(&bytes).is_err(), "Shift_JIS, not UTF-8");
    let (text, _, had_errors) = encoding_rs::SHIFT_JIS.decode(&bytes);
    assert!(!had_errors);
    assert!(text.starts_with("部,課,No.,指標番号,年度,"));
    assert_eq!(csv::from_bytes(&bytes).expect("reads"), seed());
}

#[test]
fn shift_jis_refuses_unencodable_characters_and_names_each_cell() {
    let (dir, input) = setup();
    let mut doc = seed();
    doc.sheets[0].entries[0].indicators[0].summary.push('𠮷');
    doc.sheets[2].entries[1].goal.push('😀');
    doc.sheets[3].policy_indicators.push('〜'); // has a lookalike: replaced, and said so
    std::fs::write(&input, json::to_string(&doc).expect("json")).expect("write");
    goalsheet(dir.path())
        .args(["convert", "in.json", "-o", "sjis.csv", "--encoding", "sjis"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("in.json"))
        .stderr(predicate::str::contains("2 character(s) cannot be written in Shift_JIS"))
        .stderr(predicate::str::contains("市民協働課, CSV row 2, column 21 = U2 in Excel (summary): “𠮷” (U+20BB7)"))
        .stderr(predicate::str::contains("😀"));
    assert!(!dir.path().join("sjis.csv").exists(), "nothing written");

    doc.sheets[0].entries[0].indicators[0].summary.pop();
    doc.sheets[2].entries[1].goal.pop();
    std::fs::write(&input, json::to_string(&doc).expect("json")).expect("write");
    goalsheet(dir.path())
        .args(["convert", "in.json", "-o", "sjis.csv", "--encoding", "shift_jis", "--lang", "ja"])
        .assert()
        .success()
        .stderr(predicate::str::contains("「〜」→「～」（1か所）"));
}

#[test]
fn stdout_json_by_default_and_csv_with_to() {
    let (dir, _) = setup();
    let out = goalsheet(dir.path()).args(["convert", "in.json", "-o", "-", "-q"]).assert().success().stderr("");
    let doc = json::from_bytes(&out.get_output().stdout).expect("json on stdout");
    assert_eq!(without_source(doc), seed());

    let out = goalsheet(dir.path()).args(["convert", "in.json", "-o", "-", "--to", "csv"]).assert().success();
    assert_eq!(csv::from_bytes(&out.get_output().stdout).expect("csv on stdout"), seed());
    assert_eq!(files(dir.path()), ["in.json"]);
}

#[test]
fn never_overwrites_the_input() {
    let (dir, input) = setup();
    goalsheet(dir.path())
        .args(["convert", "in.json", "-o", "./in.json", "--force"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("never overwrites an input"));
    assert_eq!(std::fs::read_to_string(&input).expect("read"), SEED);
}

#[test]
fn existing_output_needs_force() {
    let (dir, _) = setup();
    let out = dir.path().join("out.csv");
    std::fs::write(&out, "keep me").expect("write");
    goalsheet(dir.path())
        .args(["convert", "in.json", "-o", "out.csv", "--lang", "ja"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("out.csv").and(predicate::str::contains("--force")));
    assert_eq!(std::fs::read_to_string(&out).expect("read"), "keep me");

    goalsheet(dir.path()).args(["convert", "in.json", "-o", "out.csv", "--force"]).assert().success();
    assert_eq!(csv::from_bytes(&std::fs::read(&out).expect("read")).expect("reads"), seed());
    assert_eq!(files(dir.path()), ["in.json", "out.csv"], "no temporary file left");
}

#[test]
fn unknown_output_format_and_misplaced_encoding_are_refused() {
    let (dir, _) = setup();
    goalsheet(dir.path())
        .args(["convert", "in.json", "-o", "out.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("out.txt").and(predicate::str::contains(".json, .csv or .xlsx")));
    goalsheet(dir.path())
        .args(["convert", "in.json", "-o", "out.json", "--encoding", "shift_jis"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--encoding"));
    goalsheet(dir.path()).args(["convert", "in.json", "-o", "out.csv", "--encoding", "latin1"]).assert().code(2);
    goalsheet(dir.path())
        .args(["convert", "in.json", "-o", "out.json", "--to", "csv"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--to"));
    assert_eq!(files(dir.path()), ["in.json"]);
}

#[test]
fn unreadable_input_is_named() {
    let (dir, input) = setup();
    std::fs::write(&input, "{\n  \"sheets\": [\n    {,}\n  ]\n}\n").expect("write");
    goalsheet(dir.path())
        .args(["convert", "in.json", "-o", "out.csv", "--lang", "ja"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("in.json").and(predicate::str::contains("3行目")));
    goalsheet(dir.path())
        .args(["convert", "missing.xlsx", "-o", "out.csv"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing.xlsx"));
    assert_eq!(files(dir.path()), ["in.json"]);
}

#[test]
fn csv_with_unknown_columns_is_read_and_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("list.csv"), "課,指標,目標,メモ\r\n市民協働課,自治会加入率,80%,済\r\n")
        .expect("write");
    goalsheet(dir.path())
        .args(["convert", "list.csv", "-o", "list.json", "--lang", "ja"])
        .assert()
        .success()
        .stderr(predicate::str::contains("メモ"));
    let doc = json::from_bytes(&std::fs::read(dir.path().join("list.json")).expect("json")).expect("reads");
    assert_eq!(doc.sheets[0].entries[0].indicators[0].target, "80%");
}

#[test]
fn json_to_xlsx_writes_the_official_layout() {
    // The command and the library date the workbook alike only with a fixed document date.
    crate::common::reproducible();
    let (dir, _) = setup();
    goalsheet(dir.path()).args(["convert", "in.json", "-o", "市民生活部.xlsx", "-q"]).assert().success().stderr("");
    let bytes = std::fs::read(dir.path().join("市民生活部.xlsx")).expect("xlsx written");
    assert_eq!(bytes, goalsheet::write::workbook_bytes(&seed()).expect("writes"), "the library's workbook");
    let back = goalsheet::read::read_bytes(&bytes, "市民生活部.xlsx").expect("reads back");
    assert_eq!(back.sheets.len(), 6);
    for (got, want) in back.sheets.iter().zip(&seed().sheets) {
        assert_eq!(got.division, want.division);
        assert_eq!(got.indicator_count(), want.indicator_count(), "{}", want.division);
        for (ge, we) in got.entries.iter().zip(&want.entries) {
            assert_eq!((&ge.no, &ge.goal, &ge.grade), (&we.no, &we.goal, &we.grade));
            for (gi, wi) in ge.indicators.iter().zip(&we.indicators) {
                assert_eq!(
                    (&gi.name, &gi.target, &gi.result, &gi.status),
                    (&wi.name, &wi.target, &wi.result, &wi.status)
                );
            }
        }
    }
}

#[test]
fn json_from_a_workbook_says_where_every_value_came_from() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/広聴相談課.xlsx");
    goalsheet(dir.path()).arg("convert").arg(&sample).args(["-o", "out.json", "-q"]).assert().success();
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("out.json")).expect("json")).expect("json parses");
    let sheet = &v["sheets"][0];
    assert_eq!(sheet["sheet"], "広聴相談課", "the worksheet name");
    assert_eq!(sheet["cells"]["division"], "E3");
    assert_eq!(sheet["cells"]["fiscal_year"], "H1");
    assert_eq!(sheet["merged"]["policy_indicators"], "C4:K4");
    let first = &sheet["entries"][0];
    assert_eq!(first["cells"]["no"], "A8");
    assert_eq!(first["cells"]["grade"], "I8");
    assert_eq!(first["indicators"][0]["cells"]["target"], "E8");
    assert_eq!(first["indicators"][0]["cells"]["result"], "F8");
    // The second entry starts below the first one's indicators; its goal is merged down.
    let rows = first["indicators"].as_array().expect("indicators").len();
    let second = &sheet["entries"][1];
    assert_eq!(second["cells"]["goal"], format!("B{}", 8 + rows));
    let n = second["indicators"].as_array().expect("indicators").len();
    assert_eq!(second["indicators"][n - 1]["cells"]["target"], format!("E{}", 8 + rows + n - 1));
    assert!(n > 1, "広聴相談課 No.2 has several indicators");
    assert_eq!(second["merged"]["goal"], format!("B{}:B{}", 8 + rows, 8 + rows + n - 1));
}

/// A CSV has no place for a remark beside the table: convert says what it leaves out (it
/// dropped it without a word), and nothing when nothing is left out.
#[test]
fn converting_to_csv_says_what_it_leaves_out() {
    let (dir, _) = setup();
    let mut doc = seed();
    doc.sheets[0].extras.push(goalsheet::model::RawCell {
        cell: goalsheet::address::CellRef::parse("M8").unwrap(),
        text: "※回収率は速報値".into(),
        typed: None,
    });
    std::fs::write(dir.path().join("課.xlsx"), goalsheet::write::workbook_bytes(&doc).unwrap()).unwrap();
    goalsheet(dir.path())
        .args(["convert", "課.xlsx", "-o", "課.csv"])
        .assert()
        .success()
        .stderr(predicate::str::contains("note: the CSV does not hold the 1 value(s) outside the table"));
    goalsheet(dir.path())
        .args(["convert", "in.json", "-o", "in.csv"])
        .assert()
        .success()
        .stderr(predicate::str::contains("does not hold").not());
}
