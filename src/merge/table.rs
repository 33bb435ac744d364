//! 一覧: every indicator of every division as one flat table, the columns of
//! [`crate::flat`] (every field of the sheet, one spelling per value, numbers and units apart,
//! dates as dates) followed by two computed ones: 達成判定（計算） and 指摘件数.
//!
//! Machine-readable (one header row, no merged cells, an entry's goal and grade repeated on
//! each of its rows; 目標番号 and 指標番号 are the key, and the rows where 指標番号 is 1 count
//! the goals as 集計 does) and readable: wrapped text, rows as high as their text, a frozen
//! header and a filter, printed on A4 landscape at a legible size over as many pages as it
//! takes, the header row and the key columns repeated on every page.
//!
//! The headers are deliberately not the official sheet's labels (`組織目標`, `評価`, `No.` …):
//! the reader finds goal sheets by those labels, and 一覧 must not be taken for one when a
//! department file is read again.

use super::Department;
use crate::error::Result;
use crate::finding::Finding;
use crate::flat::{self, Value};
use crate::grammar::date::to_excel_serial;
use crate::grammar::quantity::{achieved, parse_quantity, Parsed};
use crate::layout;
use crate::model::Field;
use crate::write::{lines_needed, Styles};
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Worksheet};
use std::collections::HashMap;

/// The computed columns after [`flat::COLUMNS`]: (header, width).
pub const COMPUTED: [(&str, f64); 2] = [("達成判定（計算）", 10.0), ("指摘件数", 6.0)];

/// Every header of 一覧, in order.
pub fn headers() -> impl Iterator<Item = &'static str> {
    flat::COLUMNS.iter().map(|c| c.list).chain(COMPUTED.iter().map(|(h, _)| *h))
}

/// The tallest a row gets (Excel's limit is 409 pt); longer text is still all in the cell.
const MAX_ROW_LINES: u32 = 20;

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

/// Findings shown on each indicator's row, by (entry, indicator): its own, plus its entry's
/// (grade, No., goal) on the entry's first row, so that the column sums to every finding of
/// the table. Counted in one pass: asked row by row, a goal of thousands of indicators with
/// tens of thousands of findings took seconds.
fn findings_by_row(findings: &[Finding]) -> HashMap<(usize, usize), usize> {
    let mut by_row = HashMap::new();
    for f in findings {
        if let Some(e) = f.location.entry {
            *by_row.entry((e, f.location.indicator.unwrap_or(0))).or_insert(0) += 1;
        }
    }
    by_row
}

/// Writes 一覧 into `ws`.
pub(super) fn write_table(ws: &mut Worksheet, dept: &Department, styles: &Styles) -> Result<()> {
    let cell = styles.base.clone().set_border(FormatBorder::Thin).set_align(FormatAlign::Top);
    let text = cell.clone().set_text_wrap();
    let number = cell.clone().set_align(FormatAlign::Right);
    let date = number.clone().set_num_format("yyyy-mm-dd");
    let widths: Vec<f64> = flat::COLUMNS.iter().map(|c| c.width).chain(COMPUTED.iter().map(|(_, w)| *w)).collect();
    for (c, (label, width)) in headers().zip(&widths).enumerate() {
        ws.set_column_width(c as u16, *width)?;
        ws.write_string_with_format(0, c as u16, label, &styles.label)?;
    }
    ws.set_row_height(0, 30)?;
    let last_col = (widths.len() - 1) as u16;
    let mut row = 0u32;
    for d in &dept.divisions {
        let by_row = findings_by_row(&d.findings);
        for r in flat::rows(&d.sheet) {
            row += 1;
            let mut lines = 1;
            for (c, column) in flat::COLUMNS.iter().enumerate() {
                let c = c as u16;
                let value = r.text(column.value);
                match column.value {
                    Value::Field(Field::Division) => put_text(ws, row, c, d.name(), &text)?,
                    Value::Field(f @ (Field::Created | Field::Evaluated)) => {
                        match flat::date(r.written(f)).and_then(to_excel_serial) {
                            Some(serial) => ws.write_number_with_format(row, c, serial, &date).map(|_| ())?,
                            None => put_text(ws, row, c, &value, &text)?,
                        }
                    }
                    Value::Field(Field::No) | Value::IndicatorNo | Value::Number(_) => {
                        match value.parse::<rust_decimal::Decimal>().ok().and_then(|n| n.to_f64()) {
                            Some(n) => ws.write_number_with_format(row, c, n, &number).map(|_| ())?,
                            None => put_text(ws, row, c, &value, &text)?,
                        }
                    }
                    _ => put_text(ws, row, c, &value, &text)?,
                }
                lines = lines.max(lines_needed(&value, column.width));
            }
            let c = flat::COLUMNS.len() as u16;
            let (target, result) = (r.written(Field::Target), r.written(Field::Result));
            put_text(ws, row, c, computed_achievement(target, result), &text)?;
            let found = match r.entry {
                Some((e, _)) => by_row.get(&(e, r.indicator.map_or(0, |(i, _)| i))).copied().unwrap_or(0),
                None => 0,
            };
            ws.write_number_with_format(row, c + 1, found as f64, &number)?;
            let lines = lines.min(MAX_ROW_LINES);
            if lines > 1 {
                ws.set_row_height(row, f64::from(lines) * layout::LINE_HEIGHT + layout::ROW_PADDING)?;
            }
        }
    }
    ws.autofilter(0, 0, row, last_col)?;
    ws.set_freeze_panes(1, 4)?;
    ws.set_paper_size(layout::PAPER_A4);
    ws.set_landscape();
    ws.set_margins(0.4, 0.4, 0.5, 0.5, 0.3, 0.3);
    // Legible rather than one page wide (28 columns on one page were 4 pt): pages run
    // across, the header row and the key columns (課, 目標番号, 指標番号) repeat on each.
    ws.set_print_scale(80);
    ws.set_repeat_rows(0, 0)?;
    ws.set_repeat_columns(1, 3)?;
    ws.set_page_order(false);
    // With its section: a footer without one is centred by Excel but dropped by openpyxl.
    ws.set_footer("&C&P / &N");
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

    /// An indicator's row counts its own findings, and the first row of an entry its entry's
    /// too; findings of the header are on no row.
    #[test]
    fn findings_are_counted_on_their_rows() {
        use crate::finding::{Location, Severity};
        let at = |location: Location| Finding {
            code: "GS601",
            severity: Severity::Warning,
            message: crate::lang::Msg::new("", ""),
            help: None,
            location,
            span: None,
            label: None,
            related: vec![],
            fix: None,
        };
        let findings = [
            at(Location::sheet(0, Field::Division)),
            at(Location::entry(0, 0, Field::Grade)),
            at(Location::indicator(0, 0, 0, Field::Target)),
            at(Location::indicator(0, 0, 1, Field::Target)),
            at(Location::indicator(0, 0, 1, Field::Result)),
            at(Location::indicator(0, 1, 0, Field::Name)),
        ];
        let by_row = findings_by_row(&findings);
        let on = |e: usize, i: usize| by_row.get(&(e, i)).copied().unwrap_or(0);
        assert_eq!((on(0, 0), on(0, 1), on(0, 2), on(1, 0)), (2, 2, 0, 1));
        assert_eq!(by_row.values().sum::<usize>(), 5, "every finding but the header's");
    }

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
        let l = &layout::OFFICIAL;
        let year_words = [l.target_words, l.result_words]
            .into_iter()
            .flat_map(|w| w.words.accepted().chain(w.alone.iter().copied()));
        let mut official: Vec<String> = layout::COLUMNS
            .iter()
            .map(|c| layout::column_label(c.label, Some(6)))
            .chain(l.table_labels().map(|(t, _)| t.to_string()))
            .chain(year_words.map(String::from))
            .map(|l| squash(&l))
            .collect();
        official.push("No".to_string());
        for h in headers() {
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
    }
}
