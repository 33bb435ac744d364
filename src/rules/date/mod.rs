//! GS4xx: the fiscal year (年度), the `Ｒ６目標` / `Ｒ６結果` headers and the dates 作成日 /
//! 評価日, read through [`crate::grammar::year`] and [`crate::grammar::date`].

pub mod created_outside_year;
pub mod date_as_text;
pub mod evaluated_before_created;
pub mod evaluated_late;
pub mod header_year_mismatch;
pub mod invalid_date;
pub mod invalid_fiscal_year;
pub mod no_target_for_year;

use crate::finding::{Finding, Location, Related};
use crate::grammar::date::{from_excel_serial, parse_date};
use crate::grammar::year::FiscalYear;
use crate::lang::Msg;
use crate::layout::ColumnLabel;
use crate::model::{CellKind, Field, Sheet};
use crate::rules::{finding, Rule, SheetCtx};
use chrono::NaiveDate;

/// A date field's date: its text's, when it parses, else its date cell's (whatever the cell's
/// format shows: `令和六年四月一日` under `[DBNum1]`, `4月1日` without the year).
pub(crate) fn field_date(sheet: &Sheet, field: Field) -> Option<NaiveDate> {
    let text = sheet.field(field)?;
    if text.trim().is_empty() {
        return None;
    }
    parse_date(text).ok().map(|d| d.date).or_else(|| cell_date(sheet, field))
}

/// The date of a field's Excel date cell (its serial, in the 1900 system), when it is one.
pub(crate) fn cell_date(sheet: &Sheet, field: Field) -> Option<NaiveDate> {
    let cell = sheet.typed.get(field)?;
    if cell.kind != CellKind::Date || cell.lacks_value() {
        return None;
    }
    from_excel_serial(cell.number?)
}

/// `令和6年度` for a fiscal year, in both languages.
pub(crate) fn year_names(y: crate::grammar::year::FiscalYear) -> (String, String) {
    (crate::layout::fiscal_year_text(y.reiwa()), format!("FY{} (令和{})", y.start, y.reiwa()))
}

/// A date as people read it: `令和6年5月15日` in Japanese, `2024-05-15` in English.
pub(crate) fn date_names(d: NaiveDate) -> (String, String) {
    (crate::grammar::date::format_date(d, crate::grammar::date::DateStyle::EraLong), d.format("%Y-%m-%d").to_string())
}

/// A finding of `rule` on the `Ｒn目標` or `Ｒn結果` header (`header`: the target or result
/// label) that disagrees with the sheet's 年度 `year`: it points at 年度 too, and its help is
/// `help` of the header the year's column should have (`Ｒ７目標`).
pub(crate) fn header_year_finding(
    rule: &Rule,
    cx: &SheetCtx<'_>,
    header: Field,
    year: FiscalYear,
    message: Msg,
    help: impl FnOnce(&str) -> Msg,
) -> Finding {
    let mut x = finding(rule, Location::sheet(cx.index, header), message);
    x.related.push(Related {
        location: Location::sheet(cx.index, Field::FiscalYear),
        label: Msg::new("年度", "fiscal year"),
    });
    let label = if header == Field::TargetLabel { ColumnLabel::Target } else { ColumnLabel::Result };
    x.help = Some(help(&crate::layout::column_label(label, Some(year.reiwa()))));
    x
}
