//! Fiscal years (stub: signatures fixed, being implemented).

use chrono::NaiveDate;

/// A Japanese fiscal year: April 1 of `start` to March 31 of `start + 1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FiscalYear {
    /// The Gregorian year in which it starts (令和6年度 → 2024).
    pub start: i32,
}

impl FiscalYear {
    /// 令和 year (2024 → 6).
    pub fn reiwa(self) -> i32 {
        self.start - 2018
    }
    /// April 1.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.start, 4, 1).unwrap_or_default()
    }
    /// March 31 of the next year.
    pub fn last_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.start + 1, 3, 31).unwrap_or_default()
    }
    /// The fiscal year a date falls in.
    pub fn containing(date: NaiveDate) -> FiscalYear {
        use chrono::Datelike;
        FiscalYear { start: if date.month() >= 4 { date.year() } else { date.year() - 1 } }
    }
}

/// Parses `令和6年度`, `令和６年度`, `令和元年度`, `R6`, `R6年度`, `2024`, `2024年度`, `平成31年度`.
pub fn parse_fiscal_year(_text: &str) -> Option<FiscalYear> {
    None
}

/// The year a table header names: `Ｒ６目標` / `R6結果` → 令和6 (as a FiscalYear).
pub fn parse_header_year(_label: &str) -> Option<FiscalYear> {
    None
}
