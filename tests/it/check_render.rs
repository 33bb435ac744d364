//! How findings read: row snippets for rules that span cells, labels inside the cell text,
//! empty cells, the summary line, and the short and JSON forms, in both languages.

use crate::common::repo;
use goalsheet::address::CellRef;
use goalsheet::lang::Lang;
use goalsheet::layout;
use goalsheet::model::{Document, Entry, Field, Indicator, Sheet};
use goalsheet::render::{self, human::HumanOptions, Checked, FileResult};
use goalsheet::rules::{check_document, CheckOptions};
use goalsheet::{Error, ErrorKind, Msg};

fn ind(name: &str, target: &str, result: &str) -> Indicator {
    Indicator {
        name: name.into(),
        target: target.into(),
        result: result.into(),
        initiative: "事業".into(),
        summary: "概要".into(),
        status: "実施しました。".into(),
        policy: "継続します。".into(),
        ..Default::default()
    }
}

/// A sheet with defects of several kinds, every value with its cell as the reader gives them.
fn defective() -> Document {
    let entries = vec![
        Entry {
            no: "1".into(),
            goal: "目標1".into(),
            grade: "○".into(),
            indicators: vec![ind("マイナンバーカードの保有率", "80%", "77.7%")],
            ..Default::default()
        },
        Entry {
            no: "2".into(),
            goal: "目標2".into(),
            grade: "○".into(),
            indicators: vec![
                ind("民事相談件数（件）", "1,700件", "1,512件"),
                ind("専門家相談件数（件）", "1,900件", "1,996件"),
            ],
            ..Default::default()
        },
        Entry {
            no: "3".into(),
            goal: "目標3".into(),
            grade: "×".into(),
            indicators: vec![ind("実施数", "12回", "16件")],
            ..Default::default()
        },
        Entry {
            no: "5".into(),
            goal: "目標5".into(),
            grade: "◎".into(),
            indicators: vec![ind("講座数", "", "1.2.3回")],
            ..Default::default()
        },
    ];
    let mut s = Sheet {
        sheet: "市民生活課".into(),
        fiscal_year: "令和6年度".into(),
        created: "R6.4.31".into(),
        evaluated: "R7.3.31".into(),
        department: "市民生活部".into(),
        division: "市民生活課".into(),
        target_label: "Ｒ６目標".into(),
        result_label: "Ｒ６結果".into(),
        entries,
        ..Default::default()
    };
    for h in layout::HEADER_FIELDS {
        s.cells.set(h.field, h.value_range.start);
    }
    let mut row = layout::FIRST_DATA_ROW;
    for e in &mut s.entries {
        for f in [Field::No, Field::Goal, Field::Grade] {
            e.cells.set(f, CellRef::new(row, layout::column_of(f).unwrap().col));
        }
        for i in &mut e.indicators {
            for f in [
                Field::Name,
                Field::Target,
                Field::Result,
                Field::Initiative,
                Field::Summary,
                Field::Status,
                Field::Policy,
            ] {
                i.cells.set(f, CellRef::new(row, layout::column_of(f).unwrap().col));
            }
            row += 1;
        }
    }
    Document { source: Some("市民生活課.xlsx".into()), sheets: vec![s], ..Default::default() }
}

fn results() -> Vec<FileResult> {
    let d = defective();
    let findings = check_document(&d, &CheckOptions::default());
    vec![
        FileResult { file: "市民生活課.xlsx".into(), outcome: Ok(Checked { document: d, findings }) },
        FileResult {
            file: "壊れた.xlsx".into(),
            outcome: Err(Error::new(ErrorKind::Corrupt { detail: "invalid Zip archive".into() }).in_file("壊れた.xlsx")),
        },
    ]
}

#[test]
fn codes_found() {
    let d = defective();
    let codes: Vec<&str> = check_document(&d, &CheckOptions::default()).iter().map(|f| f.code).collect();
    for c in ["GS303", "GS202", "GS101", "GS201", "GS302", "GS403", "GS105"] {
        assert!(codes.contains(&c), "{c} missing from {codes:?}");
    }
}

#[test]
fn grade_against_the_row_is_one_snippet() {
    let text = render::human::render(&results(), Lang::Ja, HumanOptions::default());
    assert!(text.contains("E8 目標: 80% | F8 結果: 77.7% | I8 評価: ○"), "{text}");
    // Two indicators: one line each, the grade on its own line.
    assert!(text.contains("E9 目標: 1,700件 | F9 結果: 1,512件\n"), "{text}");
    assert!(text.contains("I9 評価: ○"), "{text}");
    assert!(text.contains("(空欄)"), "{text}");
}

#[test]
fn human_ja() {
    insta::assert_snapshot!("defective_human_ja", render::human::render(&results(), Lang::Ja, HumanOptions::default()));
}

#[test]
fn human_en() {
    insta::assert_snapshot!("defective_human_en", render::human::render(&results(), Lang::En, HumanOptions::default()));
}

#[test]
fn colour_only_when_asked() {
    let plain = render::human::render(&results(), Lang::En, HumanOptions::default());
    let colored = render::human::render(&results(), Lang::En, HumanOptions { color: true, ..HumanOptions::default() });
    assert!(!plain.contains('\u{1b}'));
    assert!(colored.contains('\u{1b}'));
}

#[test]
fn short_lines_are_grep_friendly() {
    let text = render::short::render(&results(), Lang::En);
    assert!(text.contains("市民生活課.xlsx:市民生活課!I8: error[GS303] "), "{text}");
    assert!(text.contains("壊れた.xlsx: error: "), "{text}");
    let last = text.lines().last().unwrap();
    assert!(last.starts_with("checked 2 files:") && last.contains("1 file could not be read"), "{last}");
    insta::assert_snapshot!("defective_short_ja", render::short::render(&results(), Lang::Ja));
}

#[test]
fn json_schema() {
    let v: serde_json::Value = serde_json::from_str(&render::json::render(&results(), Lang::En)).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["files"][0]["error"], serde_json::Value::Null);
    assert!(v["files"][1]["error"].as_str().unwrap().contains("damaged"));
    let gs303 = v["findings"].as_array().unwrap().iter().find(|f| f["code"] == "GS303").unwrap();
    assert_eq!(gs303["cell"], "I8");
    assert_eq!(gs303["field"], "grade");
    assert_eq!(gs303["severity"], "error");
    assert_eq!(gs303["fix"]["applicability"], "unsafe");
    assert_eq!(
        gs303["fix"]["edits"][0],
        serde_json::json!({"cell": "I8", "field": "grade", "before": "○", "after": "×"})
    );
    assert_eq!(v["summary"]["unreadable"], 1);
    insta::assert_json_snapshot!("defective_json_en", v);
}

#[test]
fn usage_message_is_bilingual() {
    let e = Error::new(ErrorKind::Usage { detail: Msg::new("日本語", "English") });
    assert_eq!(e.message(Lang::Ja), "日本語");
}

/// Terminal output: findings marked with words, never with a glyph a grade uses; a long cell
/// clipped around the problem to fit the width; plain ASCII on request.
#[test]
fn human_output_fits_the_terminal_and_marks_findings_with_words() {
    let wide = render::human::render(&results(), Lang::Ja, HumanOptions::default());
    for line in wide.lines().filter(|l| l.starts_with("  ") && !l.trim_start().starts_with(['│', '╭', '·', '╰']))
    {
        let mark = line.trim_start().split(' ').next().unwrap_or_default();
        assert!(!["×", "✕", "✖", "x", "⚠"].contains(&mark), "a finding marked like a grade: {line}");
    }
    assert!(wide.contains("[エラー]") && wide.contains("[警告]"), "{wide}");

    let narrow = HumanOptions { width: 80, ..HumanOptions::default() };
    let text = render::human::render(&results(), Lang::En, narrow);
    for line in text.lines() {
        let width: usize = line.chars().map(|c| unicode_width::UnicodeWidthChar::width(c).unwrap_or(0)).sum();
        assert!(width <= 80, "{width} columns: {line}");
    }

    let plain = render::human::render(&results(), Lang::En, HumanOptions { ascii: true, ..HumanOptions::default() });
    let drawing = |c: char| ('\u{2500}'..='\u{257F}').contains(&c) || c == '›' || c == '⚠';
    assert!(!plain.chars().any(drawing), "{:?} in {plain}", plain.chars().find(|c| drawing(*c)));
    assert!(plain.contains("[error]"));
}

#[test]
fn cli_takes_the_width_and_ascii_from_the_environment_and_flags() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("課.xlsx");
    std::fs::copy(repo("samples/パスポートセンター.xlsx"), &file).unwrap();
    let run = |env: &[(&str, &str)], args: &[&str]| {
        let mut cmd = assert_cmd::Command::cargo_bin("goalsheet").unwrap();
        cmd.env_remove("LC_ALL").env_remove("LC_CTYPE").env("LANG", "C");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.args(args).arg("check").arg(&file).output().unwrap();
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    let at_60 = run(&[("COLUMNS", "60")], &[]);
    assert!(at_60.contains('…') && at_60.contains('╭'), "{at_60}");
    assert!(run(&[], &["--width", "60"]) == at_60, "--width is COLUMNS");
    let plain = run(&[("COLUMNS", "60")], &["--ascii"]);
    assert!(!plain.contains('╭') && plain.contains("..."), "{plain}");
    assert_eq!(
        run(&[("COLUMNS", "60"), ("LANG", "ja_JP.SJIS")], &["--lang", "en"]),
        plain,
        "a console that is not UTF-8"
    );
}
