//! Dates of 作成日 / 評価日 (stub: signatures fixed, being implemented).

use crate::lang::Msg;
use chrono::NaiveDate;
use std::ops::Range;

/// How a date was written, so it can be written back the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateStyle {
    /// `R6.5.15`
    EraShort,
    /// `令和6年5月15日`
    EraLong,
    /// `2024/5/15`
    Western,
}

/// A date that parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParsedDate {
    pub date: NaiveDate,
    pub style: DateStyle,
}

/// Why a date did not parse, and where in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError {
    pub span: Range<usize>,
    pub reason: Msg,
}

/// Parses a date as typed in a cell. Empty text is an error with an empty span.
pub fn parse_date(text: &str) -> Result<ParsedDate, DateError> {
    Err(DateError { span: 0..text.len(), reason: Msg::new("未実装", "not implemented") })
}

/// Writes a date in a style; `parse_date(&format_date(d, s))` gives back `d` and `s`.
pub fn format_date(date: NaiveDate, _style: DateStyle) -> String {
    date.to_string()
}

/// An Excel serial date (1900 system) as a date; `None` outside 1900..=9999.
pub fn from_excel_serial(_serial: f64) -> Option<NaiveDate> {
    None
}
