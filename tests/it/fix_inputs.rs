//! `goalsheet fix` end to end from workbooks built by the fixtures, as a clerk runs it: dates
//! typed as text become date cells in their era format, a blank No. is filled in sequence,
//! full-width ％ and ， are made half-width, and .xls, .ods and .csv inputs give a corrected
//! .xlsx. `check` on the corrected workbook then finds nothing a safe fix would change.

use crate::common;

use crate::common::fixtures::{goal_sheet_ods, goal_sheet_xls_sheet, goal_sheet_xlsx, sample, xls, Drift, Spec};
use assert_cmd::Command;
use calamine::{Data, Reader};
use goalsheet::address::CellRef;
use goalsheet::fix::workbook::CHANGES_SHEET_NAME;
use goalsheet::layout;
use goalsheet::model::Field;
use goalsheet::read::read_path;
use std::path::Path;

fn goalsheet() -> Command {
    let mut c = Command::cargo_bin("goalsheet").expect("binary");
    c.args(["--lang", "ja"]);
    c
}

fn fix(input: &Path) {
    let out = goalsheet().arg("fix").arg(input).output().expect("runs");
    assert!(out.status.code().is_some_and(|c| c < 2), "fix failed: {}", String::from_utf8_lossy(&out.stderr));
}

/// The inputs `fix` rewrites rather than patches, in `dir`: `spec` as an .ods and an .xls, and
/// a sample converted to CSV.
fn rewritten_inputs(spec: &Spec, dir: &Path) -> [std::path::PathBuf; 3] {
    let ods = dir.join("課ods.ods");
    std::fs::write(&ods, goal_sheet_ods(spec)).unwrap();
    let xls_path = dir.join("課xls.xls");
    std::fs::write(&xls_path, xls(&[goal_sheet_xls_sheet(spec)])).unwrap();
    let csv = dir.join("課csv.csv");
    goalsheet().args(["convert", "samples/広聴相談課.xlsx", "-o"]).arg(&csv).assert().success();
    [ods, xls_path, csv]
}

fn corrected(input: &Path) -> std::path::PathBuf {
    let stem = input.file_stem().unwrap().to_string_lossy().to_string();
    input.with_file_name(format!("{stem}.corrected.xlsx"))
}

/// Nothing a safe fix would change is left, as `check --format json` says.
fn assert_nothing_fixable(path: &Path) {
    let out = goalsheet().args(["check", "--format", "json"]).arg(path).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["unreadable"], 0, "{v}");
    assert_eq!(v["summary"]["fixable"], 0, "{}: {v:#}", path.display());
}

#[test]
fn text_dates_blank_no_and_fullwidth_symbols_from_a_workbook() {
    let mut spec = sample();
    // 作成日 `R6.5.15` and 評価日 `R7.3.31` are written as text by the fixture.
    spec.entries[1].no = ""; // a blank No. on an entry with its own goal
    spec.entries[0].inds[0].result = "77.7％";
    spec.entries[2].inds[0].target = "1，700件";
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("広聴相談課.xlsx");
    std::fs::write(&input, goal_sheet_xlsx(&spec, &Drift::default())).unwrap();
    let before = read_path(&input).unwrap();
    assert_eq!(before.sheets[0].entries.len(), 3, "the blank No. starts its own entry");
    assert_eq!(before.sheets[0].text_dates, [Field::Created, Field::Evaluated]);

    fix(&input);
    let out = corrected(&input);
    let doc = read_path(&out).unwrap();
    let s = &doc.sheets[0];
    assert_eq!(s.entries.iter().map(|e| e.no.as_str()).collect::<Vec<_>>(), ["1", "2", "3"]);
    assert_eq!(s.entries[0].indicators[0].result, "77.7%");
    assert_eq!(s.entries[2].indicators[0].target, "1,700件");
    assert!(s.text_dates.is_empty(), "dates are date cells now: {:?}", s.text_dates);
    assert_eq!((s.created.as_str(), s.evaluated.as_str()), ("R6.5.15", "R7.3.31"), "same era style");

    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&out).unwrap();
    let range = book.worksheet_range(&s.sheet).unwrap();
    for f in [Field::Created, Field::Evaluated] {
        let at = layout::header_field(f).unwrap().value_range.start;
        assert!(matches!(range.get_value((at.row, at.col)), Some(Data::DateTime(_))), "{f} is not a date cell");
    }
    let styles = common::part(&std::fs::read(&out).unwrap(), "xl/styles.xml");
    assert!(styles.contains("[$-411]ge.m.d"), "era date format");
    // The change log names each change with its cell.
    let log = book.worksheet_range(CHANGES_SHEET_NAME).unwrap();
    let rows: Vec<String> = log.rows().map(|r| r.iter().map(|c| c.to_string()).collect::<Vec<_>>().join("|")).collect();
    for want in ["|J1|", "|J2|", "|A9|", "|F8|", "|E12|"] {
        assert!(rows.iter().any(|r| r.contains(want)), "{want} not in the change log: {rows:#?}");
    }
    assert_eq!(CellRef::parse("A9").unwrap().row, layout::FIRST_DATA_ROW + 1);
    assert_nothing_fixable(&out);
}

#[test]
fn xls_ods_and_csv_inputs_give_a_corrected_xlsx() {
    let mut spec = sample();
    spec.entries[0].grade = "〇";
    spec.entries[1].inds[0].result = "３１８件";
    let dir = tempfile::tempdir().unwrap();
    let [ods, xls_path, csv] = rewritten_inputs(&spec, dir.path());

    for input in [&ods, &xls_path] {
        fix(input);
        let out = corrected(input);
        let doc = read_path(&out).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
        let s = &doc.sheets[0];
        assert_eq!(s.division, "広聴相談課");
        assert_eq!(s.entries.len(), 3);
        assert_eq!(s.entries[0].grade, "○", "{}", input.display());
        assert_eq!(s.entries[1].indicators[0].result, "318件", "{}", input.display());
        assert_nothing_fixable(&out);
    }
    fix(&csv);
    let out = corrected(&csv);
    let doc = read_path(&out).unwrap();
    assert!(doc.sheets[0].entries.iter().all(|e| e.grade != "〇"), "〇 fixed from the CSV");
    assert_nothing_fixable(&out);
}

/// A value an .xls or .ods computes by a formula is not fixed when the workbook is rewritten,
/// as it is not when one is patched: the corrected workbook kept the formula's text and lost
/// the formula (`="３１８件"` became the text 318件), and the console counted it as a change.
#[test]
fn a_formula_in_an_xls_or_ods_is_reported_not_fixed() {
    use crate::common::fixtures::{goal_sheet_ods_rows, ods, XlsVal};
    common::reproducible();
    let mut spec = sample();
    spec.entries[0].grade = "〇";
    spec.entries[1].inds[0].result = "３１８件";
    let mut sheet = goal_sheet_xls_sheet(&spec);
    let at = sheet.cells.iter().position(|(_, _, v)| matches!(v, XlsVal::Text(t) if t == "３１８件")).unwrap();
    sheet.cells[at].2 = XlsVal::TextFormula("３１８件".into());
    let rows = goal_sheet_ods_rows(&spec).replacen(
        r#"<table:table-cell office:value-type="string"><text:p>３１８件</text:p>"#,
        r#"<table:table-cell table:formula="of:=&quot;３１８件&quot;" office:value-type="string"><text:p>３１８件</text:p>"#,
        1,
    );
    assert!(rows.contains("of:="));
    let dir = tempfile::tempdir().unwrap();
    let xls_path = dir.path().join("課.xls");
    std::fs::write(&xls_path, xls(&[sheet])).unwrap();
    let ods_path = dir.path().join("課ods.ods");
    std::fs::write(&ods_path, ods(spec.name, &rows)).unwrap();

    for input in [&xls_path, &ods_path] {
        // `check` already says it: the grade and the two dates typed as text are fixable, the
        // formula's result is not.
        let out = goalsheet().args(["check", "--format", "json"]).arg(input).output().unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["summary"]["fixable"], 3, "{v:#}");
        let gs204 = v["findings"].as_array().unwrap().iter().find(|f| f["code"] == "GS204").unwrap();
        assert_eq!(gs204["fix"]["held"], "数式のセルなので自動では修正していません。数式か参照先を確認してください");
        let out = goalsheet().arg("fix").arg(input).output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.contains("数式のセルなので自動では修正していません"), "{stdout}");
        // What was written as a value: from an .ods also a formula Excel could not read.
        let is_ods = input.extension().is_some_and(|e| e == "ods");
        assert_eq!(stdout.contains("他のセルを参照する数式と Excel にない形の数式は、その値として書きました"), is_ods);
        let made = stdout.lines().find(|l| l.contains("件を修正")).unwrap_or_default();
        assert!(made.contains("GS301") && !made.contains("GS204"), "the grade fixed, not the formula: {stdout}");
        let doc = read_path(&corrected(input)).unwrap();
        let s = &doc.sheets[0];
        assert_eq!(s.entries[0].grade, "○", "other fixes are made");
        let ind = &s.entries[1].indicators[0];
        assert_eq!(ind.result, "３１８件");
        let formula = ind.typed.get(Field::Result).and_then(|t| t.formula.as_deref());
        assert_eq!(formula, Some("\"３１８件\""), "{}: still a formula", input.display());
        // 検証結果 says why, as it does when a workbook is patched; fixing it again changes
        // nothing (the patch's 検証結果 said it where the rewritten one did not).
        let mut book: calamine::Xlsx<_> = calamine::open_workbook(corrected(input)).unwrap();
        let listed = book.worksheet_range("検証結果").unwrap();
        let why = listed.rows().find(|r| r.iter().any(|c| *c == Data::String("GS204".into()))).unwrap();
        assert!(why.iter().any(|c| c.to_string().contains("数式のセルなので")), "{why:?}");
        fix(&corrected(input));
        let again = corrected(&corrected(input));
        assert!(std::fs::read(&again).unwrap() == std::fs::read(corrected(input)).unwrap(), "{}", input.display());
    }
}

/// A rewritten workbook keeps the division's own 修正履歴 under its name; the fix's comes
/// after it as `修正履歴 (2)`, as in a patched one (the division's was renamed `修正履歴 (2)`).
#[test]
fn a_rewritten_workbook_keeps_the_divisions_own_change_log_name() {
    use crate::common::fixtures::{XlsSheet, XlsVal};
    let mut spec = sample();
    spec.entries[0].grade = "〇";
    let own = XlsSheet {
        name: "修正履歴".into(),
        cells: vec![(0, 0, XlsVal::Text("日付".into())), (1, 0, XlsVal::Text("目標値を修正".into()))],
        merges: vec![],
        dimensions: None,
    };
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("課.xls");
    std::fs::write(&input, xls(&[goal_sheet_xls_sheet(&spec), own])).unwrap();
    fix(&input);
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(corrected(&input)).unwrap();
    let names = book.sheet_names();
    assert_eq!(names[1..], ["修正履歴", "修正履歴 (2)", "検証結果"], "{names:?}");
    let own = book.worksheet_range("修正履歴").unwrap();
    assert_eq!(own.get_value((1, 0)), Some(&Data::String("目標値を修正".into())));
    let ours = book.worksheet_range("修正履歴 (2)").unwrap();
    assert!(ours.rows().any(|r| r.iter().any(|c| *c == Data::String("GS301".into()))), "our log");
}

/// An .xls, .ods or CSV is rewritten as an .xlsx; fixing that corrected workbook again changes
/// nothing (issue 13.5), though the patch lays out its 検証結果 otherwise than the writer did:
/// the same findings keep the sheet as it is, and no format is added for it.
#[test]
fn a_rewritten_workbook_fixed_again_is_unchanged() {
    common::reproducible();
    let mut spec = sample();
    spec.entries[0].grade = "〇";
    // A finding that stays (no fix): 検証結果 lists it.
    spec.entries[1].inds[0].initiative = "";
    let dir = tempfile::tempdir().unwrap();
    let [ods, xls_path, csv] = rewritten_inputs(&spec, dir.path());
    for input in [&ods, &xls_path, &csv] {
        fix(input);
        let first = corrected(input);
        fix(&first);
        let again = corrected(&first);
        assert!(
            std::fs::read(&again).unwrap() == std::fs::read(&first).unwrap(),
            "{}: fixing the corrected workbook again changed it",
            input.display()
        );
    }
}

/// A rewritten workbook marks a cell that keeps a finding with a fill and a note; the fill
/// came in a new format made from the field's, which left out the cell's own: a target of
/// 1200 shown `#,##0` as 1,200 came back 1200 (and text struck through as a whole lost its
/// line, though GS705 was said of it).
#[test]
fn a_marked_cell_of_a_rewritten_workbook_keeps_its_number_format_and_line() {
    use goalsheet::model::{CellKind, CellText, TypedCell};
    let mut doc = read_path(&common::repo("samples/広聴相談課.xlsx")).unwrap();
    let sheet = &mut doc.sheets[0];
    let policy_cell = sheet.entries[0].indicators[0].cells.get(Field::Policy).unwrap();
    let policy = sheet.entries[0].indicators[0].policy.clone();
    sheet.struck.push(CellText { cell: policy_cell, text: policy.clone() });
    let ind = &mut sheet.entries[0].indicators[0];
    // No unit on the target, 件 on the result: GS203 at the target.
    ind.target = "1,200".into();
    ind.result = "1,300件".into();
    let typed = TypedCell {
        kind: CellKind::Number,
        number: Some(1200.0),
        format: Some("#,##0".into()),
        formula: None,
        stale: false,
    };
    ind.typed.set(Field::Target, typed);
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("課.json");
    std::fs::write(&input, serde_json::to_vec(&doc).unwrap()).unwrap();
    let fixed = goalsheet().arg("fix").arg(&input).output().unwrap();
    let said = String::from_utf8_lossy(&fixed.stdout).into_owned();
    let back = read_path(&corrected(&input)).unwrap();
    let codes = common::finding_codes(&corrected(&input));
    assert!(codes.iter().any(|c| c == "GS203") && codes.iter().any(|c| c == "GS705"), "{codes:?}");
    // What fix says remains is what a check of its output finds.
    assert!(said.contains(&format!("残りの指摘 {} 件", codes.len())), "{said}");
    let ind = &back.sheets[0].entries[0].indicators[0];
    assert_eq!(ind.target, "1,200");
    assert_eq!(ind.typed.get(Field::Target).and_then(|t| t.format.as_deref()), Some("#,##0"));
    let struck = &back.sheets[0].struck;
    assert!(struck.iter().any(|s| s.text == policy), "{struck:?}");
}

/// A rewritten workbook does not carry everything the input held (hidden rows, here): the
/// findings `fix` says remain, and lists in 検証結果, are those a check of what it wrote finds,
/// not the input's (GS106 named a row the corrected workbook does not hide).
#[test]
fn what_remains_after_a_rewrite_is_what_the_rewritten_workbook_holds() {
    let mut doc = read_path(&common::repo("samples/広聴相談課.xlsx")).unwrap();
    doc.sheets[0].hidden_rows = vec![8];
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("課.json");
    std::fs::write(&input, serde_json::to_vec(&doc).unwrap()).unwrap();
    let codes = common::finding_codes;
    assert!(codes(&input).iter().any(|c| c == "GS106"));
    let fixed = goalsheet().arg("fix").arg(&input).output().unwrap();
    let said = String::from_utf8_lossy(&fixed.stdout);
    let after = codes(&corrected(&input));
    assert!(!after.iter().any(|c| c == "GS106"), "{after:?}");
    assert!(said.contains(&format!("残りの指摘 {} 件", after.len())), "{said}\nafter: {after:?}");
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(corrected(&input)).unwrap();
    let listed = book.worksheet_range("検証結果").unwrap();
    assert!(!listed.rows().any(|r| r.iter().any(|c| *c == Data::String("GS106".into()))), "{listed:?}");
}

/// A value as long as a cell holds, quoted by its finding's note: rust_xlsxwriter refuses a
/// note over 32,713 characters, and the whole rewritten workbook failed (exit 2). The note is
/// cut to what a note holds, and fixing the corrected workbook again changes nothing (the
/// patch cuts its notes and compares its 検証結果 as written).
#[test]
fn a_value_as_long_as_a_cell_holds_is_noted_in_a_rewritten_workbook() {
    common::reproducible();
    let mut doc = read_path(&common::repo("samples/広聴相談課.xlsx")).unwrap();
    doc.sheets[0].entries[0].grade = "長い文章。".repeat(6553);
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("課.json");
    std::fs::write(&input, serde_json::to_vec(&doc).unwrap()).unwrap();
    fix(&input);
    let first = corrected(&input);
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&first).unwrap();
    let listed = book.worksheet_range("検証結果").unwrap();
    assert!(listed.rows().any(|r| r.iter().any(|c| *c == Data::String("GS302".into()))), "{listed:?}");
    fix(&first);
    assert!(std::fs::read(corrected(&first)).unwrap() == std::fs::read(&first).unwrap(), "fixing again changed it");
}

/// A goal sheet saved as CSV from Excel or LibreOffice (名前を付けて保存 → CSV) is the sheet's
/// grid: labels beside their values, the table's header in two rows. It was read as
/// goalsheet's own CSV (one row per indicator), the table's header taken for the CSV's:
/// every field came out empty, a finding each. It is read by its labels, as the workbook is,
/// and `fix` rewrites it as an .xlsx.
#[test]
fn a_goal_sheet_saved_as_csv_is_read_as_the_sheet() {
    use crate::common::fixtures::{official_grid, GridCell};
    let spec = sample();
    let mut rows: Vec<Vec<String>> = Vec::new();
    for ((r, c), cell) in official_grid(&spec) {
        let GridCell::Value(text, _, _) = cell else { continue };
        let (r, c) = (r as usize, c as usize);
        if rows.len() <= r {
            rows.resize(r + 1, Vec::new());
        }
        if rows[r].len() <= c {
            rows[r].resize(c + 1, String::new());
        }
        rows[r][c] = text;
    }
    let mut csv = csv::Writer::from_writer(Vec::new());
    for row in &rows {
        csv.write_record(row.iter().chain(std::iter::repeat(&String::new())).take(11)).unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("課.csv");
    std::fs::write(&input, csv.into_inner().unwrap()).unwrap();
    let xlsx = dir.path().join("課.xlsx");
    std::fs::write(&xlsx, goal_sheet_xlsx(&spec, &Drift::default())).unwrap();
    let (from_csv, from_xlsx) = (read_path(&input).unwrap(), read_path(&xlsx).unwrap());
    let (a, b) = (&from_csv.sheets[0], &from_xlsx.sheets[0]);
    assert_eq!((&a.department, &a.division, &a.fiscal_year), (&b.department, &b.division, &b.fiscal_year));
    // Each entry's goal and grade, and each indicator's name, target and result.
    let values = |s: &goalsheet::model::Sheet| -> Vec<Vec<String>> {
        s.entries
            .iter()
            .map(|e| {
                let inds = e.indicators.iter().flat_map(|i| [i.name.clone(), i.target.clone(), i.result.clone()]);
                [e.goal.clone(), e.grade.clone()].into_iter().chain(inds).collect()
            })
            .collect()
    };
    assert_eq!(values(a), values(b));
    let codes = common::finding_codes(&input);
    assert!(!codes.iter().any(|c| c == "GS101" || c == "GS102"), "{codes:?}");
    fix(&input);
    assert_eq!(read_path(&corrected(&input)).unwrap().sheets[0].division, b.division);
}
