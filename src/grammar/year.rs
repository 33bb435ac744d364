//! Fiscal years: the `年度` field, the `Ｒ６目標` / `Ｒ６結果` table headers and the CLI's `--year`.
//!
//! # Grammar
//! After width folding (`Ｒ６` reads as `R6`, see [`crate::grammar`]) and with all whitespace
//! removed (headers are often broken over lines: `Ｒ６\n目標`), a fiscal year is one of
//!
//! - an era year: `令和` / `R` / `r` / `㋿` (also `平成` `H`, `昭和` `S`, `大正` `T`, `明治` `M`:
//!   the eras of [`crate::grammar::date::ERAS`]) then digits or `元`
//!   (`令和元年度`), then optionally `年度` (or a bare `年`, which people write in headers);
//! - a Gregorian year: exactly four digits, then optionally `年度` / `年`;
//! - either, followed by the same fiscal year in brackets, written either way
//!   (`令和６年度（2024年度）`); brackets naming another year do not read.
//!
//! A fiscal year starts on April 1 of its Gregorian year, so `平成31年度` and `令和元年度` are the
//! same year (2019): the era changed on May 1, inside that fiscal year. An era year that the
//! era never reached as a fiscal year (`平成32年度`, `昭和65年度`, year 0) is rejected.
//!
//! [`parse_header_year`] looks for such a year anywhere in a header label (`Ｒ６目標`,
//! `令和6年度目標`); the layout's placeholder `Ｒ〇目標` holds no year and gives `None`.

use chrono::NaiveDate;

use super::date::ERAS;
use super::fold_str;

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
    /// The fiscal year of 令和 `reiwa` (6 → 2024).
    pub fn from_reiwa(reiwa: i32) -> FiscalYear {
        FiscalYear { start: reiwa + 2018 }
    }
}

/// Reads a year at the start of `s` (folded, no whitespace). Returns the year and the
/// number of bytes used, including a trailing `年度` or `年`.
fn scan(s: &str) -> Option<(FiscalYear, usize)> {
    for era in &ERAS {
        let short = era.short.to_string();
        let lower = era.short.to_ascii_lowercase().to_string();
        for name in [era.long, short.as_str(), lower.as_str()] {
            let Some(rest) = s.strip_prefix(name) else { continue };
            let (n, used) = if let Some(r) = rest.strip_prefix('元') {
                (1, rest.len() - r.len())
            } else {
                let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
                if digits == 0 || digits > 4 {
                    return None;
                }
                (rest.get(..digits)?.parse::<i32>().ok()?, digits)
            };
            // The last fiscal year of an era is the one its last day falls in: 平成31年度
            // (2019-04-30), 昭和63年度 (1989-01-07 is in FY1988).
            let last = era.last_day().map(|d| FiscalYear::containing(d).start - era.offset());
            if n < 1 || last.is_some_and(|last| n > last) {
                return None;
            }
            let tail = suffix_len(rest.get(used..)?);
            return Some((FiscalYear { start: era.offset() + n }, name.len() + used + tail));
        }
    }
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits != 4 {
        return None;
    }
    let start: i32 = s.get(..4)?.parse().ok()?;
    if start < 1000 {
        return None;
    }
    Some((FiscalYear { start }, 4 + suffix_len(s.get(4..)?)))
}

fn suffix_len(rest: &str) -> usize {
    if rest.starts_with("年度") {
        "年度".len()
    } else if rest.starts_with('年') {
        '年'.len_utf8()
    } else {
        0
    }
}

fn compact(text: &str) -> String {
    fold_str(text).chars().filter(|c| !c.is_whitespace()).collect()
}

/// Parses `令和6年度`, `令和６年度`, `令和元年度`, `R6`, `R6年度`, `2024`, `2024年度`, `平成31年度`,
/// and a year followed by the same year in brackets, as people write both calendars
/// (`令和６年度（2024年度）`, `2024年度(R6)`, `令和6（2024）年度`); brackets naming another year do
/// not read.
pub fn parse_fiscal_year(text: &str) -> Option<FiscalYear> {
    let s = compact(text);
    let whole = |s: &str| scan(s).filter(|(_, used)| *used == s.len()).map(|(y, _)| y);
    let (y, used) = scan(&s)?;
    match s.get(used..)? {
        "" => Some(y),
        rest => {
            let (inner, after) = rest.strip_prefix('(')?.split_once(')')?;
            let other = whole(inner).filter(|same| *same == y)?;
            // The bracket may also sit before the suffix: `令和6（2024）年度`.
            let bare = !s[..used].ends_with('年') && !s[..used].ends_with("年度");
            match after {
                "" => Some(other),
                "年度" | "年" if bare => Some(other),
                _ => None,
            }
        }
    }
}

/// Parses the CLI's `--year` (`2025`, `R7`, `令和7`, `令和7年度`): the same grammar as
/// [`parse_fiscal_year`].
pub fn parse_year_arg(text: &str) -> Option<FiscalYear> {
    parse_fiscal_year(text)
}

/// The year a table header names: `Ｒ６目標` / `R6結果` → 令和6 (as a FiscalYear).
///
/// The year may sit anywhere in the label (`目標（R6）`), but an era letter glued to other
/// Latin letters (`PR6`) or digits glued to more digits do not count.
pub fn parse_header_year(label: &str) -> Option<FiscalYear> {
    let s = compact(label);
    let mut prev: Option<char> = None;
    for (i, c) in s.char_indices() {
        let glued = match prev {
            Some(p) => p.is_ascii_alphanumeric(),
            None => false,
        };
        if !glued {
            if let Some((y, used)) = s.get(i..).and_then(scan) {
                let after = s.get(i + used..).and_then(|r| r.chars().next());
                if !after.is_some_and(|a| a.is_ascii_digit()) {
                    return Some(y);
                }
            }
        }
        prev = Some(c);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fy(s: &str) -> Option<i32> {
        parse_fiscal_year(s).map(|y| y.start)
    }

    #[test]
    fn era_forms() {
        for s in [
            "令和6年度",
            "令和６年度",
            "R6",
            "R6年度",
            "Ｒ６",
            "r6",
            "Ｒ６年度",
            " 令和 6 年度 ",
            "令和6年度\n",
            "㋿6年度",
            "令和06年度",
        ] {
            assert_eq!(fy(s), Some(2024), "{s}");
        }
        assert_eq!(fy("令和元年度"), Some(2019));
        assert_eq!(fy("令和1年度"), Some(2019));
        assert_eq!(fy("平成31年度"), Some(2019));
        assert_eq!(fy("H30年度"), Some(2018));
        assert_eq!(fy("平成元年度"), Some(1989));
        assert_eq!(fy("昭和63年度"), Some(1988));
        assert_eq!(fy("大正15年度"), Some(1926));
        assert_eq!(fy("大正16年度"), None);
        assert_eq!(fy("R10"), Some(2028));
    }

    #[test]
    fn western_forms() {
        for s in ["2024", "2024年度", "２０２４年度", " 2024 "] {
            assert_eq!(fy(s), Some(2024), "{s}");
        }
    }

    #[test]
    fn rejects_what_is_not_a_year() {
        for s in [
            "",
            "   ",
            "令和",
            "R",
            "令和0年度",
            "平成32年度",
            "昭和64年度",
            "24",
            "20245",
            "令和6年度目標",
            "6年度",
            "X6",
            "令和六年度",
            "R6.5.15",
        ] {
            assert_eq!(fy(s), None, "{s}");
        }
    }

    #[test]
    fn both_calendars() {
        for s in [
            "令和６年度（2024年度）",
            "令和6年度(2024)",
            "2024年度（令和6年度）",
            "R6(2024年度)",
            "令和6年度 （ 2024年度 ）",
            "令和6（2024）年度",
            "2024（令和6）年度",
            "R6(2024)年度",
        ] {
            assert_eq!(fy(s), Some(2024), "{s}");
        }
        for s in [
            "令和６年度（2025年度）",
            "令和6（2025）年度",
            "令和6年度（2024）年度",
            "令和6（2024）年度目標",
            "令和6年度（",
            "令和6年度()",
            "令和6年度（2024年度）目標",
            "令和6年度（2024年度）（R6）",
        ] {
            assert_eq!(fy(s), None, "{s}");
        }
    }

    #[test]
    fn same_fiscal_year_across_the_era_change() {
        assert_eq!(parse_fiscal_year("平成31年度"), parse_fiscal_year("令和元年度"));
    }

    #[test]
    fn cli_argument() {
        for s in ["2025", "R7", "令和7", "令和7年度", "r7"] {
            assert_eq!(parse_year_arg(s).map(|y| y.reiwa()), Some(7), "{s}");
        }
        assert_eq!(parse_year_arg("next"), None);
    }

    #[test]
    fn header_labels() {
        for s in ["Ｒ６目標", "R6目標", "Ｒ６結果", "Ｒ６\n目標", "Ｒ ６ 目 標", "令和6年度目標", "目標（R6）"]
        {
            assert_eq!(parse_header_year(s).map(|y| y.reiwa()), Some(6), "{s}");
        }
        assert_eq!(parse_header_year("Ｒ１０目標").map(|y| y.reiwa()), Some(10));
        assert_eq!(parse_header_year("R10\n結果").map(|y| y.reiwa()), Some(10));
        for s in ["Ｒ〇目標", "目標", "結果", "", "PR6目標"] {
            assert_eq!(parse_header_year(s), None, "{s}");
        }
    }

    #[test]
    fn header_follows_layout_labels() {
        use crate::layout::{column_label, ColumnLabel};
        for reiwa in [1, 6, 7, 10, 12] {
            for l in [ColumnLabel::Target, ColumnLabel::Result] {
                let text = column_label(l, Some(reiwa));
                assert_eq!(parse_header_year(&text).map(|y| y.reiwa()), Some(reiwa), "{text}");
            }
        }
        assert_eq!(parse_header_year(&column_label(ColumnLabel::Target, None)), None);
    }

    #[test]
    fn round_trip_with_layout_text() {
        use crate::layout::fiscal_year_text;
        for reiwa in 1..=80 {
            let y = parse_fiscal_year(&fiscal_year_text(reiwa)).map(|y| y.reiwa());
            assert_eq!(y, Some(reiwa));
        }
    }

    #[test]
    fn bounds_of_a_fiscal_year() {
        let y = FiscalYear::from_reiwa(6);
        assert_eq!(y.first_day().to_string(), "2024-04-01");
        assert_eq!(y.last_day().to_string(), "2025-03-31");
        assert_eq!(FiscalYear::containing(y.last_day()), y);
        assert_eq!(FiscalYear::containing(y.first_day()), y);
        assert_ne!(FiscalYear::containing(y.first_day().pred_opt().unwrap()), y);
    }
}
