//! Dates of 作成日 / 評価日, as typed in a cell or stored as an Excel date.
//!
//! # Grammar
//! Read after width folding (`令和６年５月１５日` reads as `令和6年5月15日`, see
//! [`crate::grammar`]), with whitespace allowed around the date and between its parts:
//!
//! ```text
//! date     = era year sep month sep day [日]    (sep: one of . / - used twice, or 年 月 … 日)
//!          | yyyy sep month sep day [日]
//! era      = 令和 | R | r | ㋿    (from 2019-05-01)
//!          | 平成 | H | h | ㍻    (1989-01-08 – 2019-04-30)
//!          | 昭和 | S | s | ㍼    (1926-12-25 – 1989-01-07)
//!          | 大正 | T | t | ㍽    (1912-07-30 – 1926-12-24)
//!          | 明治 | M | m | ㍾    (1868-10-23 – 1912-07-29)
//! year     = digits | 元          (元年 = 1)
//! ```
//!
//! A day of the week may follow in brackets, `令和6年5月15日（水）`; it must be the right one.
//! Then `現在` or `時点` (`令和7年3月31日現在`, "as of") may follow: the date all the same.
//! The punctuation separators must be the same twice (`R6.5/15` is rejected: it is more
//! likely a typo than a choice). `年 月 日` are the long form and need all three.
//!
//! # Styles
//! [`DateStyle`] records which family was written, so a fix can write the date back the same
//! way: `Western` for a four-digit year (any separators); for an era year, `EraLong` when written
//! with `年 月 日` (`令和6年5月15日`, also `R6年5月15日`) and `EraShort` with punctuation
//! (`R6.5.15`, `R6/5/15`, `令和6.5.15`). [`format_date`] writes the canonical form of each:
//! `R6.5.15`, `令和6年5月15日` (`令和元年…` for year 1), `2024/5/15`.
//!
//! # Errors
//! A [`DateError`] has a byte span into the original text and a bilingual reason:
//! an impossible month or day (`R6.2.30`) points at that number; an era year the era never had
//! on that date (`平成32年`, `R1.4.1`) points at the year; text that is not a date points at
//! the whole (trimmed) text, or at trailing junk after a complete date; empty text gives an
//! empty span `0..0`.

use crate::lang::Msg;
use chrono::{Datelike, Duration, NaiveDate};
use std::ops::Range;

use super::{fold, span_of, trimmed, Folded};

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

/// A Japanese era: names, the first and last day, and the Gregorian year of its year 1.
#[derive(Debug)]
pub struct Era {
    /// `令和`
    pub long: &'static str,
    /// `R`
    pub short: char,
    /// First day (year, month, day).
    pub first: (i32, u32, u32),
    /// Last day, `None` for the current era.
    pub last: Option<(i32, u32, u32)>,
}

impl Era {
    /// Gregorian year = era year + offset.
    pub fn offset(&self) -> i32 {
        self.first.0 - 1
    }
    /// The first day.
    pub fn first_day(&self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.first.0, self.first.1, self.first.2)
    }
    /// The last day, `None` for the current era.
    pub fn last_day(&self) -> Option<NaiveDate> {
        self.last.and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d))
    }
    /// Whether `d` falls in this era.
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.first_day().is_some_and(|f| d >= f) && self.last_day().is_none_or(|l| d <= l)
    }
}

/// The eras, newest first.
pub const ERAS: [Era; 5] = [
    Era { long: "令和", short: 'R', first: (2019, 5, 1), last: None },
    Era { long: "平成", short: 'H', first: (1989, 1, 8), last: Some((2019, 4, 30)) },
    Era { long: "昭和", short: 'S', first: (1926, 12, 25), last: Some((1989, 1, 7)) },
    Era { long: "大正", short: 'T', first: (1912, 7, 30), last: Some((1926, 12, 24)) },
    Era { long: "明治", short: 'M', first: (1868, 10, 23), last: Some((1912, 7, 29)) },
];

/// The era a date falls in, with its era year; `None` before 明治.
pub fn era_of(date: NaiveDate) -> Option<(&'static Era, i32)> {
    ERAS.iter().find(|e| e.contains(date)).map(|e| (e, date.year() - e.offset()))
}

fn err(span: Range<usize>, ja: impl Into<String>, en: impl Into<String>) -> DateError {
    DateError { span, reason: Msg::new(ja, en) }
}

const FORMS_JA: &str = "日付は「R6.5.15」「令和6年5月15日」「2024/5/15」のように書いてください。";
const FORMS_EN: &str = "Write the date like `R6.5.15`, `令和6年5月15日` or `2024/5/15`.";

/// A cursor over the folded characters.
struct Cursor<'a> {
    chars: &'a [Folded],
    pos: usize,
    end: usize,
    len: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<char> {
        if self.pos < self.end {
            self.chars.get(self.pos).map(|f| f.c)
        } else {
            None
        }
    }
    fn skip_space(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }
    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }
    fn eat_str(&mut self, s: &str) -> bool {
        let n = s.chars().count();
        let matches = s
            .chars()
            .enumerate()
            .all(|(i, c)| self.pos + i < self.end && self.chars.get(self.pos + i).map(|f| f.c) == Some(c));
        if matches {
            self.pos += n;
        }
        matches
    }
    /// Digits: their value (saturating) and their folded index range.
    fn number(&mut self) -> Option<(u32, usize, usize)> {
        let start = self.pos;
        let mut v: u32 = 0;
        while let Some(d) = self.peek().and_then(|c| c.to_digit(10)) {
            v = v.saturating_mul(10).saturating_add(d);
            self.pos += 1;
        }
        (self.pos > start).then_some((v, start, self.pos))
    }
    fn span(&self, from: usize, to: usize) -> Range<usize> {
        span_of(self.chars, from, to, self.len)
    }
}

/// Parses a date as typed in a cell. Empty text is an error with an empty span.
pub fn parse_date(text: &str) -> Result<ParsedDate, DateError> {
    let chars = fold(text);
    let (start, end) = trimmed(&chars);
    if start == end {
        return Err(err(0..0, format!("日付が空です。{FORMS_JA}"), format!("The date is empty. {FORMS_EN}")));
    }
    let mut cur = Cursor { chars: &chars, pos: start, end, len: text.len() };
    let whole = cur.span(start, end);
    let garbage =
        || err(whole.clone(), format!("日付として読めません。{FORMS_JA}"), format!("This is not a date. {FORMS_EN}"));

    // Era or four-digit year.
    let era = ERAS.iter().find(|e| cur.eat_str(e.long) || cur.eat(e.short) || cur.eat(e.short.to_ascii_lowercase()));
    cur.skip_space();
    let (year_value, year_from, year_to) =
        if era.is_some() && cur.eat('元') { (1, cur.pos - 1, cur.pos) } else { cur.number().ok_or_else(garbage)? };
    if era.is_none() && year_to - year_from != 4 {
        return Err(garbage());
    }
    let year_span = cur.span(year_from, year_to);

    // Separator after the year decides the form.
    cur.skip_space();
    let long = cur.eat('年');
    let sep = if long {
        None
    } else {
        match cur.peek() {
            Some(c @ ('.' | '/' | '-')) => {
                cur.pos += 1;
                Some(c)
            }
            _ => return Err(garbage()),
        }
    };
    cur.skip_space();
    let (month, m_from, m_to) = cur.number().ok_or_else(garbage)?;
    cur.skip_space();
    let sep_at = cur.pos;
    let ok = match sep {
        None => cur.eat('月'),
        Some(c) => cur.eat(c),
    };
    if !ok {
        if let (Some(want), Some('.' | '/' | '-')) = (sep, cur.peek()) {
            return Err(err(
                cur.span(sep_at, sep_at + 1),
                format!("区切り記号が混在しています。「{want}」にそろえてください。"),
                format!("Mixed separators: use `{want}` throughout."),
            ));
        }
        return Err(garbage());
    }
    cur.skip_space();
    let (day, d_from, d_to) = cur.number().ok_or_else(garbage)?;
    cur.skip_space();
    let has_nichi = cur.eat('日');
    if long && !has_nichi {
        return Err(garbage());
    }
    cur.skip_space();
    let weekday = weekday(&mut cur);
    // 「令和7年3月31日現在」: the date a figure stands at, still that date.
    if cur.eat_str("現在") || cur.eat_str("時点") {
        cur.skip_space();
    }
    if cur.pos < end {
        let junk = cur.span(cur.pos, end);
        return Err(err(
            junk,
            format!("日付の後に余分な文字があります。{FORMS_JA}"),
            format!("Extra characters after the date. {FORMS_EN}"),
        ));
    }

    // Values.
    if !(1..=12).contains(&month) {
        return Err(err(
            cur.span(m_from, m_to),
            format!("{month}月という月はありません。"),
            format!("There is no month {month}."),
        ));
    }
    let year = match era {
        Some(e) => {
            if year_value == 0 {
                return Err(err(
                    year_span,
                    format!("{}0年という年はありません（最初の年は元年＝1年です）。", e.long),
                    format!("There is no year 0 of {} (the first year is 元年 = 1).", e.long),
                ));
            }
            i64::from(year_value) + i64::from(e.offset())
        }
        None => i64::from(year_value),
    };
    let year = i32::try_from(year).ok().filter(|y| (1..=9999).contains(y)).ok_or_else(garbage)?;
    let Some(date) = NaiveDate::from_ymd_opt(year, month, day) else {
        let last = days_in_month(year, month);
        return Err(err(
            cur.span(d_from, d_to),
            format!("{month}月{day}日という日はありません（{month}月は{last}日までです）。"),
            format!("There is no day {day} in month {month} (it has {last} days)."),
        ));
    };
    if let Some(e) = era {
        if !e.contains(date) {
            let first = e.first_day().unwrap_or_default();
            let range_ja = match e.last_day() {
                Some(l) => format!("{}から{}まで", ja_western(first), ja_western(l)),
                None => format!("{}から", ja_western(first)),
            };
            let range_en = match e.last_day() {
                Some(l) => format!("from {first} to {l}"),
                None => format!("from {first}"),
            };
            let hint = match era_of(date) {
                Some(_) => (
                    format!("この日は{}です。", format_date(date, DateStyle::EraLong)),
                    format!(" That day is {}.", format_date(date, DateStyle::EraShort)),
                ),
                None => (String::new(), String::new()),
            };
            return Err(err(
                year_span,
                format!(
                    "{}{}年{}月{}日はありません。{}は{}です。{}",
                    e.long, year_value, month, day, e.long, range_ja, hint.0
                ),
                format!("{} {} ({date}) is outside the era: {} runs {range_en}.{}", e.long, year_value, e.long, hint.1),
            ));
        }
    }
    if let Some((written, from, to)) = weekday {
        let actual = WEEKDAYS[date.weekday().num_days_from_sunday() as usize % 7];
        if written != actual {
            return Err(err(
                cur.span(from, to),
                format!("{}は{actual}曜日です（{written}曜日ではありません）。", ja_western(date)),
                format!("{date} is a {} (the text says {written}).", date.weekday()),
            ));
        }
    }
    let style = match (era, long) {
        (None, _) => DateStyle::Western,
        (Some(_), true) => DateStyle::EraLong,
        (Some(_), false) => DateStyle::EraShort,
    };
    Ok(ParsedDate { date, style })
}

const WEEKDAYS: [char; 7] = ['日', '月', '火', '水', '木', '金', '土'];

/// An optional day of the week after the date, `（水）` / `(水曜日)`: the character and its
/// folded index range. Leaves the cursor alone when there is none.
fn weekday(cur: &mut Cursor<'_>) -> Option<(char, usize, usize)> {
    let save = cur.pos;
    if !cur.eat('(') {
        return None;
    }
    cur.skip_space();
    let from = cur.pos;
    let found = cur.peek().filter(|c| WEEKDAYS.contains(c)).and_then(|w| {
        cur.pos += 1;
        let _ = cur.eat_str("曜日") || cur.eat('曜');
        let to = cur.pos;
        cur.skip_space();
        cur.eat(')').then_some((w, from, to))
    });
    match found {
        Some(f) => {
            cur.skip_space();
            Some(f)
        }
        None => {
            cur.pos = save;
            None
        }
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    let next =
        if month == 12 { NaiveDate::from_ymd_opt(year + 1, 1, 1) } else { NaiveDate::from_ymd_opt(year, month + 1, 1) };
    next.and_then(|n| n.pred_opt()).map(|d| d.day()).unwrap_or(31)
}

fn ja_western(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

fn era_long_year(era: &Era, year: i32) -> String {
    if year == 1 {
        format!("{}元年", era.long)
    } else {
        format!("{}{}年", era.long, year)
    }
}

/// Writes a date in a style; `parse_date(&format_date(d, s))` gives back `d` and `s`.
///
/// Era styles pick the era the date falls in (`H31.4.30`, `S64.1.7`); a date before 明治 has no
/// era and is written in the Western style.
pub fn format_date(date: NaiveDate, style: DateStyle) -> String {
    // Four-digit year: the parser reads a Western year only with four digits, so year 24 is
    // `0024/5/15` (found by fuzzing: `0024-05-15` parsed, but `24/5/15` did not parse back).
    let western = || format!("{:04}/{}/{}", date.year(), date.month(), date.day());
    match (style, era_of(date)) {
        (DateStyle::Western, _) | (_, None) => western(),
        (DateStyle::EraShort, Some((e, y))) => {
            format!("{}{}.{}.{}", e.short, y, date.month(), date.day())
        }
        (DateStyle::EraLong, Some((e, y))) => {
            format!("{}{}月{}日", era_long_year(e, y), date.month(), date.day())
        }
    }
}

/// An Excel serial date (1900 system) as a date; `None` outside 1900..=9999.
///
/// Excel counts 1900-01-01 as 1 and, copying Lotus 1-2-3, believes 1900 was a leap year:
/// serial 60 is the non-existent 1900-02-29 (`None` here) and every serial from 61 on is one
/// more than the true day count. The time of day (fractional part) is ignored.
pub fn from_excel_serial(serial: f64) -> Option<NaiveDate> {
    if !serial.is_finite() {
        return None;
    }
    let whole = serial.floor();
    if !(1.0..=2_958_465.0).contains(&whole) {
        return None;
    }
    let n = whole as i64;
    let base = if n < 60 {
        NaiveDate::from_ymd_opt(1899, 12, 31)?
    } else if n == 60 {
        return None;
    } else {
        NaiveDate::from_ymd_opt(1899, 12, 30)?
    };
    base.checked_add_signed(Duration::days(n))
}

/// A date as an Excel serial (1900 system), the inverse of [`from_excel_serial`].
pub fn to_excel_serial(date: NaiveDate) -> Option<f64> {
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    let mut n = (date - base).num_days();
    if date < NaiveDate::from_ymd_opt(1900, 3, 1)? {
        n -= 1;
    }
    (1..=2_958_465).contains(&n).then_some(n as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn ok(s: &str) -> (NaiveDate, DateStyle) {
        let p = parse_date(s).unwrap_or_else(|e| panic!("{s}: {e:?}"));
        (p.date, p.style)
    }

    fn bad(s: &str) -> DateError {
        match parse_date(s) {
            Ok(p) => panic!("{s} parsed as {p:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn era_short_forms() {
        use DateStyle::EraShort;
        for s in ["R6.5.15", "R6/5/15", "R6-5-15", "Ｒ６．５．１５", "r6.5.15", " R6.5.15 ", "令和6.5.15", "R06.05.15"]
        {
            assert_eq!(ok(s), (ymd(2024, 5, 15), EraShort), "{s}");
        }
        assert_eq!(ok("R6.4.1"), (ymd(2024, 4, 1), EraShort));
        assert_eq!(ok("H31.4.30"), (ymd(2019, 4, 30), EraShort));
        assert_eq!(ok("S64.1.7"), (ymd(1989, 1, 7), EraShort));
        assert_eq!(ok("R1.5.1"), (ymd(2019, 5, 1), EraShort));
        assert_eq!(ok("H1.1.8"), (ymd(1989, 1, 8), EraShort));
    }

    #[test]
    fn era_long_forms() {
        use DateStyle::EraLong;
        for s in [
            "令和6年5月15日",
            "令和６年５月１５日",
            "令和 6 年 5 月 15 日",
            "R6年5月15日",
            "㋿6年5月15日",
            "\n令和6年5月15日\n",
        ] {
            assert_eq!(ok(s), (ymd(2024, 5, 15), EraLong), "{s}");
        }
        assert_eq!(ok("令和元年5月1日"), (ymd(2019, 5, 1), EraLong));
        assert_eq!(ok("平成31年4月30日"), (ymd(2019, 4, 30), EraLong));
        assert_eq!(ok("平成元年1月8日"), (ymd(1989, 1, 8), EraLong));
        assert_eq!(ok("昭和64年1月7日"), (ymd(1989, 1, 7), EraLong));
        assert_eq!(ok("昭和元年12月25日"), (ymd(1926, 12, 25), EraLong));
    }

    #[test]
    fn western_forms() {
        use DateStyle::Western;
        for s in ["2024/5/15", "2024-05-15", "2024年5月15日", "2024.5.15", "２０２４／５／１５", " 2024/5/15\t"]
        {
            assert_eq!(ok(s), (ymd(2024, 5, 15), Western), "{s}");
        }
    }

    #[test]
    fn impossible_day_points_at_the_day() {
        let s = "R6.2.30";
        let e = bad(s);
        assert_eq!(&s[e.span.clone()], "30");
        assert!(e.reason.ja.contains("29日まで"), "{:?}", e.reason);
        assert!(e.reason.en.contains("29 days"));
        let s = "令和６年２月３０日";
        assert_eq!(&s[bad(s).span], "３０");
        assert!(parse_date("R6.2.29").is_ok(), "2024 is a leap year");
        let s = "R7.2.29";
        assert_eq!(&s[bad(s).span], "29");
        let s = "R6.4.0";
        assert_eq!(&s[bad(s).span], "0");
    }

    #[test]
    fn impossible_month_points_at_the_month() {
        let s = "R6.13.1";
        let e = bad(s);
        assert_eq!(&s[e.span], "13");
        assert!(e.reason.ja.contains("13月"));
        let s = "2024-00-10";
        assert_eq!(&s[bad(s).span], "00");
    }

    #[test]
    fn outside_the_era_points_at_the_year() {
        let s = "平成32年1月1日";
        let e = bad(s);
        assert_eq!(&s[e.span.clone()], "32");
        assert!(e.reason.ja.contains("令和2年"), "{}", e.reason.ja);
        let s = "R1.4.1";
        let e = bad(s);
        assert_eq!(&s[e.span.clone()], "1");
        assert_eq!(e.span, 1..2);
        assert!(e.reason.ja.contains("平成31年"), "{}", e.reason.ja);
        let s = "S64.1.8";
        assert_eq!(&s[bad(s).span], "64");
        let s = "H1.1.7";
        assert_eq!(&s[bad(s).span], "1");
        let s = "令和0年5月1日";
        assert_eq!(&s[bad(s).span], "0");
    }

    #[test]
    fn garbage_points_at_everything() {
        for s in ["未定", "R6", "R6.5", "令和6年5月", "令和6年5月15", "2024", "24/5/15", "R6..15", "5月15日"]
        {
            let e = bad(s);
            assert_eq!(e.span, 0..s.len(), "{s}");
            assert!(e.reason.ja.contains("R6.5.15"));
        }
        let s = "  未定 ";
        assert_eq!(&s[bad(s).span], "未定");
    }

    #[test]
    fn trailing_junk_and_mixed_separators() {
        let s = "R6.5.15済";
        assert_eq!(&s[bad(s).span], "済");
        let s = "R6.5/15";
        let e = bad(s);
        assert_eq!(&s[e.span], "/");
    }

    #[test]
    fn day_of_week_is_checked() {
        assert_eq!(ok("令和6年5月15日（水）"), (ymd(2024, 5, 15), DateStyle::EraLong));
        assert_eq!(ok("R6.5.15 (水曜日)"), (ymd(2024, 5, 15), DateStyle::EraShort));
        assert_eq!(ok("2024/5/15(水曜)"), (ymd(2024, 5, 15), DateStyle::Western));
        assert_eq!(ok("令和7年3月31日現在"), (ymd(2025, 3, 31), DateStyle::EraLong));
        assert_eq!(ok("R7.3.31 時点"), (ymd(2025, 3, 31), DateStyle::EraShort));
        assert_eq!(ok("2025/3/31(月)現在"), (ymd(2025, 3, 31), DateStyle::Western));
        let s = "令和6年5月15日（木）";
        let e = bad(s);
        assert_eq!(&s[e.span], "木");
        assert!(e.reason.ja.contains("水曜日"), "{}", e.reason.ja);
        let s = "R6.5.15（晴）";
        assert_eq!(&s[bad(s).span], "（晴）");
    }

    #[test]
    fn empty_is_an_empty_span() {
        assert_eq!(bad("").span, 0..0);
        assert_eq!(bad("  　").span, 0..0);
    }

    #[test]
    fn formats_each_style_in_the_right_era() {
        let d = ymd(2024, 5, 15);
        assert_eq!(format_date(d, DateStyle::EraShort), "R6.5.15");
        assert_eq!(format_date(d, DateStyle::EraLong), "令和6年5月15日");
        assert_eq!(format_date(d, DateStyle::Western), "2024/5/15");
        assert_eq!(format_date(ymd(2019, 5, 1), DateStyle::EraLong), "令和元年5月1日");
        assert_eq!(format_date(ymd(2019, 5, 1), DateStyle::EraShort), "R1.5.1");
        assert_eq!(format_date(ymd(2019, 4, 30), DateStyle::EraShort), "H31.4.30");
        assert_eq!(format_date(ymd(2019, 4, 30), DateStyle::EraLong), "平成31年4月30日");
        assert_eq!(format_date(ymd(1989, 1, 7), DateStyle::EraShort), "S64.1.7");
        assert_eq!(format_date(ymd(1989, 1, 8), DateStyle::EraLong), "平成元年1月8日");
        assert_eq!(format_date(ymd(1800, 1, 1), DateStyle::EraShort), "1800/1/1");
    }

    #[test]
    fn format_then_parse_gives_the_same_date_and_style() {
        let mut d = ymd(1988, 12, 20);
        while d < ymd(2020, 1, 10) {
            for style in [DateStyle::EraShort, DateStyle::EraLong, DateStyle::Western] {
                let text = format_date(d, style);
                assert_eq!(ok(&text), (d, style), "{text}");
            }
            d = d.succ_opt().unwrap();
        }
    }

    #[test]
    fn excel_serials() {
        assert_eq!(from_excel_serial(1.0), Some(ymd(1900, 1, 1)));
        assert_eq!(from_excel_serial(59.0), Some(ymd(1900, 2, 28)));
        assert_eq!(from_excel_serial(60.0), None, "Excel's fake 1900-02-29");
        assert_eq!(from_excel_serial(61.0), Some(ymd(1900, 3, 1)));
        assert_eq!(from_excel_serial(45427.0), Some(ymd(2024, 5, 15)));
        assert_eq!(from_excel_serial(45427.75), Some(ymd(2024, 5, 15)));
        assert_eq!(from_excel_serial(2_958_465.0), Some(ymd(9999, 12, 31)));
        for bad in [0.0, 0.5, -1.0, 2_958_466.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert_eq!(from_excel_serial(bad), None, "{bad}");
        }
        for d in [ymd(1900, 1, 1), ymd(1900, 2, 28), ymd(1900, 3, 1), ymd(2024, 5, 15)] {
            assert_eq!(to_excel_serial(d).and_then(from_excel_serial), Some(d));
        }
    }
}
