//! The department file built from the seed's six divisions: totals, the chart, the flat
//! table, sheet names, refusals and what `--force` decides.

use crate::common::*;
use calamine::{Data, Reader};
use goalsheet::grammar::year::FiscalYear;
use goalsheet::merge::{department_bytes, merge_documents, Department, MergeOptions, LIST_SHEET, SUMMARY_SHEET};
use goalsheet::{Document, ErrorKind, Lang};

fn seed() -> Document {
    let text = std::fs::read_to_string(repo("tests/data/shimin-seikatsu-r6.json")).expect("seed json");
    serde_json::from_str(&text).expect("seed is a Document")
}

/// The seed as the department office gets it: one file per division.
fn division_files() -> Vec<Document> {
    seed()
        .sheets
        .into_iter()
        .map(|s| Document {
            source: Some(format!("提出/{}.xlsx", s.division)), sheets: vec![s], ..Document::default()
        })
        .collect()
}

fn merged() -> Department {
    merge_documents(division_files(), &MergeOptions::default()).expect("the seed merges")
}

fn num(d: &Data) -> f64 {
    match d {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        other => panic!("expected a number, found {other:?}"),
    }
}

/// The 集計 table read back: (division or 合計, the ten counts in column order, share).
fn summary_rows(bytes: &[u8]) -> Vec<(String, Vec<f64>, Option<f64>)> {
    let mut book = open(bytes);
    let range = book.worksheet_range(SUMMARY_SHEET).unwrap();
    let header = (0..range.height() as u32)
        .find(|&r| matches!(range.get_value((r, 0)), Some(Data::String(s)) if s == "課"))
        .expect("header row with 課");
    let mut rows = Vec::new();
    for r in header + 1.. {
        let name = match range.get_value((r, 0)) {
            Some(Data::String(s)) => s.clone(),
            _ => break,
        };
        let counts: Vec<f64> =
            [1u32, 2, 3, 4, 5, 6, 8, 9, 10, 11].iter().map(|&c| num(range.get_value((r, c)).unwrap())).collect();
        let share = match range.get_value((r, 7)) {
            Some(Data::Float(f)) => Some(*f),
            _ => None,
        };
        let total = name == "合計";
        rows.push((name, counts, share));
        if total {
            break;
        }
    }
    rows
}

#[test]
fn totals_are_the_sum_of_the_divisions_and_count_variants_by_meaning() {
    let dept = merged();
    assert_eq!(dept.name, "市民生活部");
    assert_eq!(dept.year, Some(FiscalYear { start: 2024 }));
    let t = dept.totals();
    // 広聴相談課 writes 〇 (U+3007) twice: they count as ○.
    assert_eq!(
        (t.entries, t.indicators, t.achieved, t.partly, t.not_achieved, t.ungraded, t.unknown),
        (24, 28, 16, 1, 7, 0, 0)
    );

    let bytes = department_bytes(&dept, Lang::Ja).unwrap();
    let rows = summary_rows(&bytes);
    assert_eq!(rows.len(), 7, "six divisions and the totals: {rows:?}");
    let (label, totals, share) = rows.last().unwrap();
    assert_eq!(label, "合計");
    // Goals with their grades beside them, then indicators and main initiatives.
    assert_eq!(totals[..7], [24.0, 16.0, 1.0, 7.0, 0.0, 0.0, 28.0]);
    assert_eq!(totals[7], t.initiatives as f64);
    assert!(t.initiatives > t.entries, "・ items and several initiatives per goal: {}", t.initiatives);
    assert!((share.unwrap() - 16.0 / 24.0).abs() < 1e-9, "{share:?}");
    for (col, total) in totals.iter().enumerate() {
        let sum: f64 = rows[..6].iter().map(|r| r.1[col]).sum();
        assert_eq!(sum, *total, "column {col}");
    }
    let kouchou = rows.iter().find(|r| r.0 == "広聴相談課").unwrap();
    let seed_kouchou = seed().sheets.into_iter().find(|s| s.division == "広聴相談課").unwrap();
    assert_eq!(kouchou.1[..4], [4.0, 2.0, 1.0, 1.0]);
    assert_eq!(kouchou.1[6], seed_kouchou.indicator_count() as f64);
    assert_eq!(kouchou.2, Some(0.5));
    // The findings columns are what check finds, division by division.
    let errors: usize = dept.divisions.iter().map(|d| d.counts.errors).sum();
    let warnings: usize = dept.divisions.iter().map(|d| d.counts.warnings).sum();
    assert_eq!((totals[8], totals[9]), (errors as f64, warnings as f64));
    assert!(errors + warnings > 0, "the seed has defects (〇, full-width digits …)");
}

#[test]
fn the_title_names_department_and_year() {
    let bytes = department_bytes(&merged(), Lang::Ja).unwrap();
    let mut book = open(&bytes);
    let range = book.worksheet_range(SUMMARY_SHEET).unwrap();
    assert_eq!(
        text_at(&range, goalsheet::address::CellRef::new(0, 0)),
        "市民生活部\u{3000}令和6年度\u{3000}組織目標 集計"
    );
}

/// Every page of the department file prints its number where the sheet puts it: a footer
/// needs its section (`&C`), or readers other than Excel (openpyxl) drop it.
#[test]
fn every_footer_names_its_section() {
    let bytes = department_bytes(&merged(), Lang::Ja).unwrap();
    let zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
    let sheets: Vec<String> = zip
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.into_owned()))
        .filter(|n| n.starts_with("xl/worksheets/sheet"))
        .collect();
    let mut footers = 0;
    for name in sheets {
        let xml = part(&bytes, &name);
        for (tag, end) in [("<oddFooter>", "</oddFooter>"), ("<oddHeader>", "</oddHeader>")] {
            if let Some(start) = xml.find(tag) {
                let text = &xml[start + tag.len()..xml[start..].find(end).unwrap() + start];
                assert!(["&amp;L", "&amp;C", "&amp;R"].iter().any(|s| text.starts_with(s)), "{name}: {text}");
                footers += 1;
            }
        }
    }
    assert!(footers >= 3, "the list and the division sheets have page numbers");
}

#[test]
fn summary_has_a_stacked_column_chart_of_the_grades() {
    let bytes = department_bytes(&merged(), Lang::Ja).unwrap();
    let chart = part(&bytes, "xl/charts/chart1.xml");
    assert!(chart.contains("<c:barDir val=\"col\"/>"), "a column chart");
    assert!(chart.contains("<c:grouping val=\"stacked\"/>"), "stacked");
    assert_eq!(chart.matches("<c:ser>").count(), 3, "one series each for ○ △ ×");
    for r in ["集計!$C$4", "集計!$D$4", "集計!$E$4", "集計!$A$5:$A$10"] {
        assert!(chart.contains(r), "{r} in the chart's references");
    }
}

#[test]
fn sheets_come_in_order_and_the_list_has_one_row_per_indicator() {
    let dept = merged();
    let bytes = department_bytes(&dept, Lang::Ja).unwrap();
    let mut book = open(&bytes);
    let names = book.sheet_names();
    let mut want = vec![SUMMARY_SHEET.to_string(), LIST_SHEET.to_string()];
    want.extend(dept.divisions.iter().map(|d| d.sheet.division.clone()));
    want.push("検証結果".to_string());
    assert_eq!(names, want);

    let range = book.worksheet_range(LIST_SHEET).unwrap();
    assert_eq!(range.height(), 1 + 28, "one header row, one row per indicator");
    assert!(book.merge_cells_by_sheet_name(LIST_SHEET).unwrap().is_empty(), "no merged cells");
    let header: Vec<String> = (0..range.width() as u32)
        .map(|c| match range.get_value((0, c)) {
            Some(Data::String(s)) => s.clone(),
            other => panic!("header cell {c}: {other:?}"),
        })
        .collect();
    let col =
        |name: &str| header.iter().position(|h| h == name).unwrap_or_else(|| panic!("{name} in {header:?}")) as u32;
    // 市民協働課 No.1 target `300件\n（R5：290件）` … pick the row whose target text is it.
    let row = (1..range.height() as u32)
        .find(|&r| matches!(range.get_value((r, col("目標値（記載どおり）"))), Some(Data::String(s)) if s.starts_with("1,700件")))
        .expect("the 1,700件 target");
    assert_eq!(range.get_value((row, col("目標値（数値）"))), Some(&Data::Float(1700.0)));
    assert_eq!(range.get_value((row, col("目標値（単位）"))), Some(&Data::String("件".into())));
    assert_eq!(range.get_value((row, col("結果（数値）"))), Some(&Data::Float(1512.0)));
    assert_eq!(range.get_value((row, col("達成判定（計算）"))), Some(&Data::String("未達成".into())));
    // 〇 is shown as the grade it means.
    let grades: Vec<String> = (1..range.height() as u32)
        .filter_map(|r| match range.get_value((r, col("評価（記号）"))) {
            Some(Data::String(s)) => Some(s.clone()),
            _ => None,
        })
        .collect();
    assert!(grades.iter().all(|g| ["○", "△", "×"].contains(&g.as_str())), "{grades:?}");
    // Every finding of the department is counted once.
    let counted: f64 = (1..range.height() as u32).map(|r| num(range.get_value((r, col("指摘件数"))).unwrap())).sum();
    let all: usize =
        dept.divisions.iter().map(|d| d.findings.iter().filter(|f| f.location.entry.is_some()).count()).sum();
    assert_eq!(counted, all as f64);
    // Filter and frozen header.
    let xml = part(&bytes, "xl/worksheets/sheet2.xml");
    assert!(xml.contains("<autoFilter ref=\"A1:AB29\"/>"), "autofilter over the table");
    assert!(xml.contains("state=\"frozen\""), "frozen header");
}

#[test]
fn findings_sheet_lists_every_division_finding() {
    let dept = merged();
    let bytes = department_bytes(&dept, Lang::Ja).unwrap();
    let mut book = open(&bytes);
    let range = book.worksheet_range("検証結果").unwrap();
    let total: usize = dept.divisions.iter().map(|d| d.findings.len()).sum();
    assert_eq!(range.height(), 1 + total);
    // 広聴相談課's 〇 is reported in its sheet of this workbook.
    let found = (1..range.height() as u32).any(|r| {
        matches!(range.get_value((r, 1)), Some(Data::String(s)) if s == "広聴相談課")
            && matches!(range.get_value((r, 0)), Some(Data::String(s)) if s == "広聴相談課.xlsx")
    });
    assert!(found, "a finding of 広聴相談課 naming its file");
}

#[test]
fn sheet_names_are_made_valid_and_unique() {
    let mut files = division_files();
    files.truncate(2);
    let long = "あ".repeat(40);
    for (i, name) in ["総務課[本庁]/窓口:*?", long.as_str(), "総務課[本庁]/窓口:*?　", "集計"].iter().enumerate()
    {
        let mut s = files[0].sheets[0].clone();
        s.division = name.to_string();
        files.push(Document { source: Some(format!("{i}.xlsx")), sheets: vec![s], ..Document::default() });
    }
    // 総務課[本庁]/窓口:*? twice (the second with a trailing space) is the same division.
    let e = merge_documents(files.clone(), &MergeOptions::default()).unwrap_err();
    assert!(matches!(e.kind, ErrorKind::Conflict { .. }));
    files.remove(4);
    let dept = merge_documents(files, &MergeOptions::default()).unwrap();
    let bytes = department_bytes(&dept, Lang::Ja).unwrap();
    let names = open(&bytes).sheet_names();
    assert!(names.contains(&"総務課［本庁］／窓口：＊？".to_string()), "{names:?}");
    assert!(names.contains(&"あ".repeat(31)), "{names:?}");
    assert!(
        names.contains(&"集計 (2)".to_string()),
        "a division named 集計 does not take the summary's name: {names:?}"
    );
    for n in &names {
        assert!(n.encode_utf16().count() <= 31 && !n.contains(['[', ']', ':', '*', '?', '/', '\\']), "{n}");
    }
    // Two divisions that only differ after the 31st character get distinct sheets.
    let mut files = division_files();
    files.truncate(1);
    for tail in ["一課", "二課"] {
        let mut s = files[0].sheets[0].clone();
        s.division = format!("{}{tail}", "い".repeat(31));
        files.push(Document { source: Some(format!("{tail}.xlsx")), sheets: vec![s], ..Document::default() });
    }
    let dept = merge_documents(files, &MergeOptions::default()).unwrap();
    let names = open(&department_bytes(&dept, Lang::Ja).unwrap()).sheet_names();
    assert!(names.contains(&"い".repeat(31)) && names.contains(&format!("{} (2)", "い".repeat(27))), "{names:?}");
}

fn conflict_text(e: &goalsheet::Error, lang: Lang) -> String {
    assert!(matches!(e.kind, ErrorKind::Conflict { .. }), "{e}");
    e.message(lang)
}

#[test]
fn another_department_is_refused_naming_the_files_unless_forced() {
    let mut files = division_files();
    files[2].sheets[0].department = "総務部".into();
    let e = merge_documents(files.clone(), &MergeOptions::default()).unwrap_err();
    let ja = conflict_text(&e, Lang::Ja);
    let en = conflict_text(&e, Lang::En);
    assert!(ja.contains("総務部") && ja.contains("消費生活センター.xlsx") && ja.contains("--force"), "{ja}");
    assert!(en.contains("different departments") && en.contains("消費生活センター.xlsx"), "{en}");

    let forced = merge_documents(files.clone(), &MergeOptions { force: true, ..MergeOptions::default() }).unwrap();
    assert_eq!(forced.name, "市民生活部", "the majority wins");
    assert_eq!(forced.divisions.len(), 6);
    assert!(forced.notes[0].ja.contains("市民生活部") && forced.notes[0].ja.contains("総務部"));
    // The note is on 集計.
    let bytes = department_bytes(&forced, Lang::Ja).unwrap();
    let mut book = open(&bytes);
    let range = book.worksheet_range(SUMMARY_SHEET).unwrap();
    let texts: Vec<String> = range
        .used_cells()
        .filter_map(|(_, _, d)| match d {
            Data::String(s) => Some(s.clone()),
            _ => None,
        })
        .collect();
    assert!(texts.iter().any(|t| t == "統合メモ"), "{texts:?}");
    assert!(texts.iter().any(|t| t.contains("総務部") && t.contains("--force")));

    // --department decides, and is itself checked against the inputs.
    let named = MergeOptions { department: Some("総務部".into()), force: true, ..MergeOptions::default() };
    assert_eq!(merge_documents(files.clone(), &named).unwrap().name, "総務部");
    let unforced = MergeOptions { department: Some("総務部".into()), ..MergeOptions::default() };
    let e = merge_documents(division_files(), &unforced).unwrap_err();
    assert!(conflict_text(&e, Lang::En).contains("--department"));
}

#[test]
fn another_fiscal_year_is_refused_but_full_width_digits_are_the_same_year() {
    let files = division_files();
    // The seed mixes 令和6年度 and 令和６年度: that is one year.
    assert!(files.iter().any(|d| d.sheets[0].fiscal_year == "令和6年度"));
    assert!(files.iter().any(|d| d.sheets[0].fiscal_year == "令和６年度"));
    let mut files = files;
    files[5].sheets[0].fiscal_year = "令和5年度".into();
    let e = merge_documents(files.clone(), &MergeOptions::default()).unwrap_err();
    let ja = conflict_text(&e, Lang::Ja);
    assert!(ja.contains("年度が一致しません") && ja.contains("令和5年度") && ja.contains("広聴相談課.xlsx"), "{ja}");
    let forced = merge_documents(files.clone(), &MergeOptions { force: true, ..MergeOptions::default() }).unwrap();
    assert_eq!(forced.year, Some(FiscalYear { start: 2024 }));
    let by_arg = MergeOptions { year: Some(FiscalYear { start: 2023 }), force: true, ..MergeOptions::default() };
    let d = merge_documents(files, &by_arg).unwrap();
    assert_eq!(d.year_text(), "令和5年度");
    assert!(d.notes.iter().any(|n| n.en.contains("--year")));
}

#[test]
fn the_same_division_twice_is_refused_and_forced_keeps_the_first() {
    let mut files = division_files();
    let mut again = files[0].clone();
    again.source = Some("再提出/市民協働課.xlsx".into());
    again.sheets[0].entries.truncate(1);
    files.push(again);
    let e = merge_documents(files.clone(), &MergeOptions::default()).unwrap_err();
    let ja = conflict_text(&e, Lang::Ja);
    assert!(ja.contains("「市民協働課」が 提出/市民協働課.xlsx と 再提出/市民協働課.xlsx にあります"), "{ja}");
    let d = merge_documents(files, &MergeOptions { force: true, ..MergeOptions::default() }).unwrap();
    assert_eq!(d.divisions.len(), 6);
    assert_eq!(d.divisions[0].sheet.entries.len(), 4, "the first one given is kept");
    assert!(d.notes[0].ja.contains("取り込みませんでした"));
}

#[test]
fn same_inputs_give_the_same_bytes() {
    reproducible();
    let a = department_bytes(&merged(), Lang::Ja).unwrap();
    let b = department_bytes(&merged(), Lang::Ja).unwrap();
    assert!(a == b, "byte-identical");
}

#[test]
fn nothing_to_merge_is_a_usage_error() {
    let e = merge_documents(Vec::new(), &MergeOptions::default()).unwrap_err();
    assert!(matches!(e.kind, ErrorKind::Usage { .. }));
}
