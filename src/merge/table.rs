//! 一覧: every indicator of every division as one flat table.
//!
//! Follows the national rules for machine-readable tables (機械判読可能なデータの表記方法):
//! one header row, no merged cells, one value per cell, numbers as numbers. So a target
//! `300件\n（R5：290件）` gives three cells (the text as written, 300, 件), and an entry's
//! goal and grade are repeated on each of its indicator rows. An autofilter and a frozen
//! header row make it usable as it is.
//!
//! The headers are deliberately not the official sheet's labels (`組織目標`, `評価`, `No.` …):
//! the reader finds goal sheets by those labels, and 一覧 must not be taken for one when a
//! department file is read again.

use super::Department;
use crate::error::Result;
use crate::finding::Finding;
use crate::grammar::grade::parse_grade;
use crate::grammar::quantity::{achieved, parse_quantity, Parsed};
use crate::grammar::year::parse_fiscal_year;
use crate::write::Styles;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Worksheet};

/// The header row: (text, width).
pub const HEADERS: [(&str, f64); 16] = [
    ("年度", 11.0),
    ("部", 12.0),
    ("課", 16.0),
    ("目標番号", 9.0),
    ("組織目標の内容", 36.0),
    ("取組指標名", 30.0),
    ("計画上の位置づけ", 16.0),
    ("目標値（記載どおり）", 16.0),
    ("目標値（数値）", 13.0),
    ("目標値（単位）", 13.0),
    ("結果（記載どおり）", 16.0),
    ("結果（数値）", 12.0),
    ("結果（単位）", 12.0),
    ("評価（記号）", 12.0),
    ("達成判定（計算）", 16.0),
    ("指摘件数", 9.0),
];

/// What the computed achievement column says.
pub const ACHIEVED: &str = "達成";
pub const NOT_ACHIEVED: &str = "未達成";
pub const UNDECIDABLE: &str = "判定不可";

/// The computed achievement of one indicator: 達成 / 未達成 when target and result are
/// numbers in the same unit, 判定不可 when they cannot be compared, empty before a result.
pub fn computed_achievement(target: &str, result: &str) -> &'static str {
    match (parse_quantity(target), parse_quantity(result)) {
        (_, Parsed::Empty) => "",
        (Parsed::Numeric(t), Parsed::Numeric(r)) => match achieved(&t, &r) {
            Some(a) if a.met => ACHIEVED,
            Some(_) => NOT_ACHIEVED,
            None => UNDECIDABLE,
        },
        _ => UNDECIDABLE,
    }
}

/// The number and unit of a target or result, when it is a quantity.
fn number_and_unit(text: &str) -> Option<(f64, String)> {
    let Parsed::Numeric(q) = parse_quantity(text) else { return None };
    Some((q.main.value.to_f64()?, q.main.unit.clone().unwrap_or_default()))
}

/// Findings shown on an indicator's row: its own, plus its entry's (grade, No., goal) on the
/// entry's first row, so that the column sums to every finding of the table.
fn findings_on_row(findings: &[Finding], entry: usize, indicator: usize) -> usize {
    findings
        .iter()
        .filter(|f| {
            f.location.entry == Some(entry)
                && (f.location.indicator == Some(indicator) || (f.location.indicator.is_none() && indicator == 0))
        })
        .count()
}

/// Writes 一覧 into `ws`.
pub(super) fn write_table(ws: &mut Worksheet, dept: &Department, styles: &Styles) -> Result<()> {
    let cell = styles.base.clone().set_border(FormatBorder::Thin).set_align(FormatAlign::Top);
    // No wrapping: one line per indicator keeps the table scannable; widen a column to read more.
    let text = cell.clone();
    let number = cell.clone().set_align(FormatAlign::Right);
    for (c, (label, width)) in HEADERS.iter().enumerate() {
        ws.set_column_width(c as u16, *width)?;
        ws.write_string_with_format(0, c as u16, *label, &styles.label)?;
    }
    ws.set_row_height(0, 30)?;
    let mut row = 0u32;
    for d in &dept.divisions {
        let s = &d.sheet;
        // The year the sheet itself names (normally the department's; with --force it may not be).
        let year = match parse_fiscal_year(&s.fiscal_year) {
            Some(y) => crate::layout::fiscal_year_text(y.reiwa()),
            None => s.fiscal_year.trim().to_string(),
        };
        for (e, entry) in s.entries.iter().enumerate() {
            let grade = match parse_grade(&entry.grade).grade() {
                Some(g) => g.symbol().to_string(),
                None => entry.grade.trim().to_string(),
            };
            for (i, ind) in entry.indicators.iter().enumerate() {
                row += 1;
                let strings: [(u16, &str); 10] = [
                    (0, year.as_str()),
                    (1, s.department.trim()),
                    (2, d.name()),
                    (4, entry.goal.as_str()),
                    (5, ind.name.as_str()),
                    (6, ind.plan_ref.as_str()),
                    (7, ind.target.as_str()),
                    (10, ind.result.as_str()),
                    (13, grade.as_str()),
                    (14, computed_achievement(&ind.target, &ind.result)),
                ];
                for (c, v) in strings {
                    put_text(ws, row, c, v, &text)?;
                }
                match entry.no.trim().parse::<u32>() {
                    Ok(n) => {
                        ws.write_number_with_format(row, 3, f64::from(n), &number)?;
                    }
                    Err(_) => put_text(ws, row, 3, entry.no.trim(), &text)?,
                }
                for (c, v) in [(8u16, &ind.target), (11, &ind.result)] {
                    match number_and_unit(v) {
                        Some((n, unit)) => {
                            ws.write_number_with_format(row, c, n, &number)?;
                            put_text(ws, row, c + 1, &unit, &text)?;
                        }
                        None => {
                            ws.write_blank(row, c, &number)?;
                            ws.write_blank(row, c + 1, &text)?;
                        }
                    }
                }
                ws.write_number_with_format(row, 15, findings_on_row(&d.findings, e, i) as f64, &number)?;
            }
        }
    }
    ws.autofilter(0, 0, row, (HEADERS.len() - 1) as u16)?;
    ws.set_freeze_panes(1, 0)?;
    ws.set_paper_size(crate::layout::PAPER_A4);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    Ok(())
}

fn put_text(ws: &mut Worksheet, row: u32, col: u16, v: &str, format: &Format) -> Result<()> {
    if v.is_empty() {
        ws.write_blank(row, col, format)?;
    } else {
        ws.write_string_with_format(row, col, v, format)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reader finds goal sheets by the official table labels; 一覧 must share none.
    #[test]
    fn headers_are_not_the_official_labels() {
        use crate::layout;
        let squash = |s: &str| -> String {
            s.chars()
                .filter(|c| !c.is_whitespace())
                .map(|c| {
                    if c == '（' {
                        '('
                    } else if c == '）' {
                        ')'
                    } else {
                        c
                    }
                })
                .collect()
        };
        let mut official: Vec<String> = layout::COLUMNS
            .iter()
            .map(|c| layout::column_label(c.label, Some(6)))
            .chain(layout::GROUP_LABELS.iter().map(|g| g.label.to_string()))
            .map(|l| squash(&l))
            .collect();
        official.extend(["No", "目標値", "結果", "実績"].map(String::from));
        for (h, _) in HEADERS {
            assert!(!official.contains(&squash(h)), "{h} is an official label");
        }
    }

    #[test]
    fn achievement_is_computed_from_the_grammar() {
        assert_eq!(computed_achievement("80%", "77.7%"), NOT_ACHIEVED);
        assert_eq!(computed_achievement("4.6以上", "4.7"), ACHIEVED);
        assert_eq!(computed_achievement("0件", "1件"), NOT_ACHIEVED);
        assert_eq!(computed_achievement("推進", "推進"), UNDECIDABLE);
        assert_eq!(computed_achievement("10件", "10回"), UNDECIDABLE);
        assert_eq!(computed_achievement("10件", ""), "");
        assert_eq!(number_and_unit("300件\n（R5：290件）"), Some((300.0, "件".to_string())));
        assert_eq!(number_and_unit("１回"), Some((1.0, "回".to_string())));
    }
}
