//! Property tests: merging generated division sheets, the department's totals are the sums of
//! the inputs, and no division's values are lost.
//!
//! The expected figures are computed here from the inputs (entries, indicators, grades read
//! with the one grade grammar, findings of `check` on each division alone), then compared with
//! `Department::totals` and with the totals row of 集計 as it is read back from the written
//! department file (cached results of its `SUM` formulas), and with the sum of its division
//! rows.

use crate::gen::{difference, sheet, values, Charset};
use goalsheet::finding::Severity;
use goalsheet::grammar::date::parse_date;
use goalsheet::grammar::grade::{parse_grade, Grade, GradeCell};
use goalsheet::merge::{department_bytes, merge_documents, MergeOptions, SUMMARY_SHEET};
use goalsheet::model::RawSheet;
use goalsheet::read::read_bytes;
use goalsheet::rules::check_document;
use goalsheet::{Document, Lang};
use proptest::prelude::*;

const DIVISIONS: [&str; 4] = ["市民生活課", "広聴相談課", "消費生活センター", "男女共同参画課"];

/// 目標数, ○, △, ×, 未評価, 評価不明, 指標数, 主な取組数, エラー, 警告.
type Figures = [usize; 10];

fn figures(doc: &Document) -> Figures {
    let mut f = [0; 10];
    for s in &doc.sheets {
        f[0] += s.entries.len();
        f[6] += s.entries.iter().map(|e| e.indicators.len()).sum::<usize>();
        f[7] += s.entries.iter().map(goalsheet::flat::initiatives).sum::<usize>();
        for e in &s.entries {
            let i = match parse_grade(&e.grade) {
                GradeCell::Empty => 4,
                GradeCell::Unknown => 5,
                cell => match cell.grade() {
                    Some(Grade::Achieved) => 1,
                    Some(Grade::Partly) => 2,
                    Some(Grade::NotAchieved) => 3,
                    None => 5,
                },
            };
            f[i] += 1;
        }
    }
    let findings = check_document(doc, &Default::default());
    f[8] = findings.iter().filter(|x| x.severity == Severity::Error).count();
    f[9] = findings.iter().filter(|x| x.severity == Severity::Warning).count();
    f
}

fn sum(all: &[Figures]) -> Figures {
    let mut t = [0; 10];
    for f in all {
        for (a, b) in t.iter_mut().zip(f) {
            *a += b;
        }
    }
    t
}

/// The figures of one row of 集計 (columns B–G, I–L), if the row holds them.
fn summary_row(raw: &RawSheet, row: u32) -> Option<Figures> {
    let mut f = [0; 10];
    for (i, col) in [1u32, 2, 3, 4, 5, 6, 8, 9, 10, 11].into_iter().enumerate() {
        let text = &raw.cells.iter().find(|c| c.cell.row == row && c.cell.col == col)?.text;
        f[i] = text.parse().ok()?;
    }
    Some(f)
}

fn dates_as_dates(mut doc: Document) -> Document {
    for s in &mut doc.sheets {
        for d in [&mut s.created, &mut s.evaluated] {
            if let Ok(p) = parse_date(d) {
                *d = p.date.to_string();
            }
        }
    }
    doc
}

/// One to four divisions of one department and one fiscal year, each its own file. Every
/// `No.` is filled in: the department file is read back, and the reader cannot tell a one-row
/// entry without `No.` from a continuation row (docs/hardening.md).
fn divisions() -> impl Strategy<Value = Vec<Document>> {
    let sheets: Vec<_> = DIVISIONS.iter().map(|d| sheet(Charset::Unicode, d, false)).collect();
    (sheets, 1usize..=4).prop_map(|(sheets, n)| {
        sheets
            .into_iter()
            .take(n)
            .map(|mut s| {
                s.fiscal_year = "令和6年度".into();
                Document { source: Some(format!("{}.xlsx", s.division)), sheets: vec![s], ..Document::default() }
            })
            .collect()
    })
}

fn config() -> ProptestConfig {
    ProptestConfig { cases: 32, max_shrink_iters: 128, ..ProptestConfig::default() }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn totals_are_the_sums_of_the_inputs(inputs in divisions()) {
        let each: Vec<Figures> = inputs.iter().map(figures).collect();
        let expected = sum(&each);
        let dept = merge_documents(inputs.clone(), &MergeOptions::default()).expect("merges");
        let t = dept.totals();
        let totals = [t.entries, t.achieved, t.partly, t.not_achieved, t.ungraded, t.unknown, t.indicators, t.initiatives, t.errors, t.warnings];
        prop_assert_eq!(totals, expected, "Department::totals");

        // The written department file: 集計's division rows and totals row.
        let bytes = department_bytes(&dept, Lang::Ja).expect("writes");
        let read = read_bytes(&bytes, "部.xlsx").expect("the department file reads");
        let summary = read.other_sheets.iter().find(|s| s.name == SUMMARY_SHEET).expect("集計 is kept as an other sheet");
        let total_row = summary.cells.iter().find(|c| c.col_is_zero() && c.text == "合計").map(|c| c.cell.row).expect("a 合計 row");
        let rows: Vec<Figures> = (0..total_row).filter_map(|r| summary_row(summary, r)).collect();
        prop_assert_eq!(rows.len(), inputs.len(), "one row per division");
        prop_assert_eq!(&rows, &each, "each division's row");
        prop_assert_eq!(summary_row(summary, total_row), Some(expected), "the 合計 row");

        // Every division's sheet is in the file with all its values.
        let original = dates_as_dates(values(Document { sheets: inputs.into_iter().flat_map(|d| d.sheets).collect(), ..Document::default() }));
        let merged = dates_as_dates(values(Document { sheets: read.sheets, ..Document::default() }));
        if let Some(d) = difference(&merged, &original) {
            return Err(TestCaseError::fail(format!("a division sheet of the department file differs: {d}")));
        }
    }
}

trait ColZero {
    fn col_is_zero(&self) -> bool;
}

impl ColZero for goalsheet::model::RawCell {
    fn col_is_zero(&self) -> bool {
        self.cell.col == 0
    }
}
