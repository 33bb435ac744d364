//! Every workbook format reads into the same model, and cell values read as the text Excel
//! shows: percent and thousands formats, era dates, formulas' cached values, booleans, errors.

use crate::common;

use crate::common::fixtures::{
    goal_sheet_ods, goal_sheet_xls_sheet, goal_sheet_xlsx, sample, xls, Drift, XlsSheet, XlsVal,
};
use goalsheet::model::{Field, Sheet};
use goalsheet::read::{read_bytes, read_path};
use rust_xlsxwriter::{Format, Formula, Workbook};

fn only_sheet(bytes: &[u8], name: &str) -> Sheet {
    let doc = read_bytes(bytes, name).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(doc.sheets.len(), 1);
    doc.sheets.into_iter().next().unwrap()
}

fn assert_sample(s: &Sheet) {
    let spec = sample();
    assert_eq!(s.division, spec.division);
    assert_eq!(s.fiscal_year, spec.fiscal_year);
    assert_eq!(s.created, spec.created);
    assert_eq!(s.policy_indicators, spec.policy_indicators);
    assert_eq!(s.entries.len(), 3);
    assert_eq!(s.indicator_count(), 6);
    assert_eq!(s.entries[1].indicators[0].target, "300件\n（R5：290件）");
    assert_eq!(s.entries[1].indicators[2].cells.get(Field::Target).unwrap().to_string(), "E11");
    assert_eq!(s.entries[1].merged.get(Field::Goal).unwrap().to_string(), "B9:B11");
    assert_eq!(s.entries[2].grade, "×");
}

#[test]
fn xlsx_and_xlsm_case_insensitive() {
    let bytes = goal_sheet_xlsx(&sample(), &Drift::default());
    assert_sample(&only_sheet(&bytes, "a.xlsx"));
    assert_sample(&only_sheet(&bytes, "a.XLSM"));
}

#[test]
fn ods_with_spans_as_merges() {
    let s = only_sheet(&goal_sheet_ods(&sample()), "a.ods");
    assert_sample(&s);
    assert_eq!(s.merged.get(Field::PolicyIndicators).unwrap().to_string(), "C4:K4");
}

#[test]
fn xls_biff8_built_with_cfb() {
    let bytes = xls(&[goal_sheet_xls_sheet(&sample())]);
    let s = only_sheet(&bytes, "a.xls");
    assert_sample(&s);
}

#[test]
fn renamed_files_still_read() {
    // An .xls saved under .xlsx, and an .xlsx under .xls.
    let x = xls(&[goal_sheet_xls_sheet(&sample())]);
    assert_sample(&only_sheet(&x, "renamed.xlsx"));
    let y = goal_sheet_xlsx(&sample(), &Drift::default());
    assert_sample(&only_sheet(&y, "renamed.xls"));
    let o = goal_sheet_ods(&sample());
    assert_sample(&only_sheet(&o, "renamed.xlsx"));
}

#[test]
fn read_path_sets_source_and_names_file_in_errors() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("広聴相談課.xlsx");
    std::fs::write(&p, goal_sheet_xlsx(&sample(), &Drift::default())).unwrap();
    let doc = read_path(&p).unwrap();
    assert_eq!(doc.source.as_deref(), Some(p.to_string_lossy().as_ref()));
    let missing = dir.path().join("ない.xlsx");
    let e = read_path(&missing).unwrap_err();
    assert_eq!(e.file.as_deref(), Some(missing.as_path()));
    let e = read_path(&dir.path().join("x.pdf")).unwrap_err();
    assert!(matches!(e.kind, goalsheet::ErrorKind::UnsupportedFormat { .. }));
}

/// The official sheet with targets/results/dates as typed numbers with formats.
fn numeric_workbook() -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let spec = sample();
    common::fixtures::write_goal_sheet(ws, &spec, &Drift::default());
    let pct0 = Format::new().set_num_format("0%");
    let pct1 = Format::new().set_num_format("0.0%");
    let thousands = Format::new().set_num_format("#,##0");
    let era_short = Format::new().set_num_format(goalsheet::layout::DATE_FORMAT_SHORT);
    let era_long = Format::new().set_num_format(goalsheet::layout::DATE_FORMAT_LONG);
    // E8 80% / F8 77.7% as numbers; E12 1,700; F12 1512 plain; E13 0; F13 formula; E11 4.6.
    ws.write_number_with_format(7, 4, 0.8, &pct0).unwrap();
    ws.write_number_with_format(7, 5, 0.777, &pct1).unwrap();
    ws.write_number_with_format(11, 4, 1700, &thousands).unwrap();
    ws.write_number(11, 5, 1512).unwrap();
    ws.write_number(10, 5, 4.7).unwrap();
    ws.write_formula(12, 5, Formula::new("=1+0").set_result("1")).unwrap();
    ws.write_boolean(12, 3, true).unwrap();
    ws.write_formula(11, 3, Formula::new("=NA()").set_result("#N/A")).unwrap();
    // 作成日 J1 as an era date cell (2024-05-15 = serial 45427), 評価日 J2 long era.
    ws.write_number_with_format(0, 9, 45427, &era_short).unwrap();
    ws.write_number_with_format(1, 9, 45747, &era_long).unwrap();
    wb.save_to_buffer().unwrap()
}

#[test]
fn numbers_read_as_displayed() {
    let s = only_sheet(&numeric_workbook(), "n.xlsx");
    let i = |e: usize, k: usize| &s.entries[e].indicators[k];
    assert_eq!(i(0, 0).target, "80%");
    assert_eq!(i(0, 0).result, "77.7%");
    assert_eq!(i(2, 0).target, "1,700");
    assert_eq!(i(2, 0).result, "1512");
    assert_eq!(i(1, 2).result, "4.7");
    assert_eq!(i(2, 1).result, "1");
    assert_eq!(i(2, 1).plan_ref, "TRUE");
    assert_eq!(i(2, 0).plan_ref, "#N/A");
    assert_eq!(s.created, "R6.5.15");
    assert_eq!(s.evaluated, "令和7年3月31日");
}

/// Date cells under the formats Japanese Excel offers besides the era ones: 長い日付形式 from
/// the number format list (`[$-F800]dddd, mmmm dd, yyyy`, the system's long date), kanji
/// numerals, a day without its year. They read as Excel shows them on a Japanese PC, and the
/// date rules take each cell's date, not its text (these were "not a valid date", GS403).
#[test]
fn date_cells_in_any_format_are_dates() {
    for (created, evaluated, shown) in [
        ("[$-F800]dddd, mmmm dd, yyyy", "[$-x-sysdate]dddd, mmmm dd, yyyy", ("2024年5月15日", "2025年3月31日")),
        (
            "[DBNum1][$-411]ggge\"年\"m\"月\"d\"日\"",
            "[DBNum1][$-411]ggge\"年\"m\"月\"d\"日\"",
            ("令和六年五月十五日", "令和七年三月三十一日"),
        ),
        ("m\"月\"d\"日\"", "m\"月\"d\"日\"", ("5月15日", "3月31日")),
    ] {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        common::fixtures::write_goal_sheet(ws, &sample(), &Drift::default());
        ws.write_number_with_format(0, 9, 45427, &Format::new().set_num_format(created)).unwrap();
        ws.write_number_with_format(1, 9, 45747, &Format::new().set_num_format(evaluated)).unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let doc = read_bytes(&bytes, "d.xlsx").unwrap();
        let s = &doc.sheets[0];
        assert_eq!((s.created.as_str(), s.evaluated.as_str()), shown, "{created}");
        let findings = goalsheet::rules::check_document(&doc, &Default::default());
        let dates: Vec<_> = findings.iter().filter(|f| f.code.starts_with("GS40")).map(|f| f.code).collect();
        assert!(dates.is_empty(), "{created}: {dates:?}");
    }
}

/// Numbers under the formats Japanese Excel offers for figures pad them with spaces (`_ `): the
/// accounting format (会計) and `#,##0_ `. Excel shows the padding, so the text has it; the
/// cell holds a number, so it is no "stray whitespace" (GS601, which `fix` could not remove).
#[test]
fn a_number_padded_by_its_format_has_no_stray_whitespace() {
    for code in ["_ * #,##0_ ;_ * -#,##0_ ;_ * \"-\"_ ;_ @_ ", "#,##0_ ", "#,##0_);[Red]\\(#,##0\\)"] {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        common::fixtures::write_goal_sheet(ws, &sample(), &Drift::default());
        let format = Format::new().set_num_format(code);
        ws.write_number_with_format(11, 4, 1700, &format).unwrap();
        ws.write_number_with_format(11, 5, 1512, &format).unwrap();
        let doc = read_bytes(&wb.save_to_buffer().unwrap(), "n.xlsx").unwrap();
        let i = &doc.sheets[0].entries[2].indicators[0];
        assert_eq!(i.result.trim(), "1,512", "{code}");
        assert_ne!(i.result, "1,512", "{code}: shown with the format's padding");
        let findings = goalsheet::rules::check_document(&doc, &Default::default());
        let stray: Vec<_> = findings.iter().filter(|f| f.code == "GS601").map(|f| f.location.field).collect();
        assert!(stray.is_empty(), "{code}: {stray:?}");
    }
}

#[test]
fn xls_numbers_and_ods_displayed_text() {
    let mut sheet = goal_sheet_xls_sheet(&sample());
    sheet.cells.retain(|(r, c, _)| !((*r == 7 || *r == 11) && *c == 5));
    sheet.cells.push((7, 5, XlsVal::Number(8.0)));
    sheet.cells.push((11, 5, XlsVal::Number(4.75)));
    let s = only_sheet(&xls(&[sheet]), "n.xls");
    assert_eq!(s.entries[0].indicators[0].result, "8");
    assert_eq!(s.entries[2].indicators[0].result, "4.75");

    // ODS: a percentage cell reads as LibreOffice displayed it.
    let row = |cells: &str| format!("<table:table-row>{cells}</table:table-row>");
    let header: String = ["No.", "組織目標", "取組指標", "Ｒ６目標", "Ｒ６結果", "評価", "目標達成状況"]
        .iter()
        .map(|t| common::fixtures::ods_cell(t, 1, 1))
        .collect();
    let data = format!(
        "{}{}{}{}{}{}{}",
        common::fixtures::ods_cell("1", 1, 1),
        common::fixtures::ods_cell("目標", 1, 1),
        common::fixtures::ods_cell("率", 1, 1),
        r#"<table:table-cell office:value-type="percentage" office:value="0.8"><text:p>80%</text:p></table:table-cell>"#,
        r#"<table:table-cell office:value-type="float" office:value="1512"><text:p>1,512</text:p></table:table-cell>"#,
        common::fixtures::ods_cell("○", 1, 1),
        common::fixtures::ods_cell("達成", 1, 1),
    );
    let ods = common::fixtures::ods("課", &(row(&header) + &row(&data)));
    let s = only_sheet(&ods, "p.ods");
    assert_eq!(s.entries[0].indicators[0].target, "80%");
    assert_eq!(s.entries[0].indicators[0].result, "1,512");
    assert_eq!(s.entries[0].indicators[0].cells.get(Field::Target).unwrap().to_string(), "D2");
}

#[test]
fn minimal_table_without_header_block() {
    // Header fields missing: still a goal sheet, fields empty without provenance.
    let sheet = XlsSheet {
        name: "表".into(),
        cells: ["No.", "組織目標", "取組指標", "R6目標", "R6結果", "評価"]
            .iter()
            .enumerate()
            .map(|(c, t)| (0, c as u32, XlsVal::Text(t.to_string())))
            .chain([
                (1, 0, XlsVal::Number(1.0)),
                (1, 1, XlsVal::Text("g".into())),
                (2, 2, XlsVal::Text("二つ目".into())),
            ])
            .collect(),
        merges: vec![],
        dimensions: None,
    };
    let s = only_sheet(&xls(&[sheet]), "t.xls");
    assert_eq!(s.division, "");
    assert!(s.cells.get(Field::Division).is_none());
    assert_eq!(s.entries.len(), 1);
    assert_eq!(s.entries[0].no, "1");
    assert_eq!(s.entries[0].indicators.len(), 2, "blank No. continues the entry above");
}
