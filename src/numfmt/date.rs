//! Date and time sections.

use super::{Item, Section};
use crate::grammar::date::era_of;
use chrono::{Datelike, Duration, NaiveDate};
use std::fmt::Write as _;

/// One date or time token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Part {
    /// `yy` (2) or `yyyy` (4).
    Year(u8),
    /// `m`, `mm`, `mmm` (Jan), `mmmm` (January), `mmmmm` (J).
    Month(u8),
    Minute(u8),
    /// `d`, `dd`, `ddd` (Mon), `dddd` (Monday).
    Day(u8),
    Hour(u8),
    Second(u8),
    /// Digits of a fraction of a second (`ss.00`).
    SubSecond(u8),
    /// `AM/PM` (`None`) or `A/P` with its case (`Some(upper)`).
    AmPm(Option<bool>),
    /// `[h]`, `[mm]`, `[ss]`: elapsed hours, minutes or seconds, and their width.
    Elapsed(u8, u8),
    /// `g` (R), `gg` (令), `ggg` (令和).
    Era(u8),
    /// `e` (6), `ee` (06): the year of the era.
    EraYear(u8),
    /// `aaa` (水), `aaaa` (水曜日).
    Weekday(u8),
}

/// The date token starting at `chars[i]`, and its length in chars.
pub(super) fn token(chars: &[char], i: usize) -> Option<(Part, usize)> {
    let c = chars.get(i)?.to_ascii_lowercase();
    let run = chars[i..].iter().take_while(|d| d.to_ascii_lowercase() == c).count();
    let n = run.min(255) as u8;
    let part = match c {
        'y' => Part::Year(if n <= 2 { 2 } else { 4 }),
        'm' => Part::Month(n.min(5)),
        'd' => Part::Day(n.min(4)),
        'h' => Part::Hour(n.min(2)),
        's' => Part::Second(n.min(2)),
        'g' => Part::Era(n.min(3)),
        'e' => Part::EraYear(n.min(2)),
        'a' => {
            let word = |w: &str| {
                let len = w.chars().count();
                chars.get(i..i + len).is_some_and(|s| s.iter().collect::<String>().eq_ignore_ascii_case(w))
            };
            if word("am/pm") {
                return Some((Part::AmPm(None), 5));
            }
            if word("a/p") {
                return Some((Part::AmPm(Some(chars[i] == 'A')), 3));
            }
            if run >= 3 {
                Part::Weekday(n.min(4))
            } else {
                return None;
            }
        }
        _ => return None,
    };
    Some((part, run))
}

/// `[h]`, `[mm]`, `[ss]`.
pub(super) fn elapsed(unit: u8, width: usize) -> Option<Part> {
    matches!(unit, b'h' | b'm' | b's').then_some(Part::Elapsed(unit, width.min(255) as u8))
}

/// `m`/`mm` right after hours or right before seconds are minutes.
pub(super) fn settle(items: &mut [Item]) {
    let parts: Vec<(usize, Part)> = items
        .iter()
        .enumerate()
        .filter_map(|(i, t)| if let Item::Date(p) = t { Some((i, *p)) } else { None })
        .collect();
    for (k, &(i, p)) in parts.iter().enumerate() {
        let Part::Month(n) = p else { continue };
        if n > 2 {
            continue;
        }
        let before = k.checked_sub(1).map(|b| parts[b].1);
        let after = parts.get(k + 1).map(|a| a.1);
        let minute = matches!(before, Some(Part::Hour(_) | Part::Elapsed(b'h', _)))
            || matches!(after, Some(Part::Second(_) | Part::Elapsed(b's', _)));
        if minute {
            items[i] = Item::Date(Part::Minute(n));
        }
    }
}

/// The largest serial Excel shows as a date: 9999-12-31.
const LAST_SERIAL: f64 = 2_958_466.0;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const DAYS_JA: [&str; 7] = ["日", "月", "火", "水", "木", "金", "土"];

/// Excel's calendar day of a serial: (year, month, day), with 1900-01-00 (serial 0) and
/// 1900-02-29 (serial 60) as Excel shows them in the 1900 system, and the weekday (0 =
/// Sunday) as Excel counts it.
fn calendar(day: i64, date1904: bool) -> Option<(i32, u32, u32, usize)> {
    if date1904 {
        let d = NaiveDate::from_ymd_opt(1904, 1, 1)?.checked_add_signed(Duration::days(day))?;
        return Some((d.year(), d.month(), d.day(), ((day + 5) % 7) as usize));
    }
    let weekday = ((day + 6) % 7) as usize;
    match day {
        0 => Some((1900, 1, 0, weekday)),
        60 => Some((1900, 2, 29, weekday)),
        _ => {
            let base =
                if day < 60 { NaiveDate::from_ymd_opt(1899, 12, 31)? } else { NaiveDate::from_ymd_opt(1899, 12, 30)? };
            let d = base.checked_add_signed(Duration::days(day))?;
            Some((d.year(), d.month(), d.day(), weekday))
        }
    }
}

/// `v` (≥ 0) under a date section; `None` past 9999-12-31.
pub(super) fn render(section: &Section, v: f64, date1904: bool) -> Option<String> {
    if !(0.0..LAST_SERIAL).contains(&v) {
        return None;
    }
    let items = &section.items;
    let sub_digits = items
        .iter()
        .filter_map(|t| if let Item::Date(Part::SubSecond(n)) = t { Some(*n) } else { None })
        .max()
        .unwrap_or(0);
    let unit = 10i64.pow(sub_digits as u32);
    let per_day = 86_400 * unit;
    let mut day = v.floor() as i64;
    let mut t = ((v - v.floor()) * per_day as f64).round() as i64;
    if t >= per_day {
        day += 1;
        t -= per_day;
    }
    let (y, m, d, weekday) = calendar(day, date1904)?;
    let total = day * per_day + t;
    let (hour, minute, second, sub) = (t / (3600 * unit), t / (60 * unit) % 60, t / unit % 60, t % unit);
    let twelve = items.iter().any(|t| matches!(t, Item::Date(Part::AmPm(_))));
    // Era from a real calendar day (1900-01-00 and 1900-02-29 fall back a day).
    let real = NaiveDate::from_ymd_opt(y, m, d.max(1)).or_else(|| NaiveDate::from_ymd_opt(y, m, d - 1));
    let era = real.and_then(era_of);
    let gannen = section.gannen || matches!(section.dbnum, 1 | 2);
    let mut out = String::new();
    for item in items {
        let part = match item {
            Item::Date(p) => *p,
            Item::Lit(s) => {
                out.push_str(s);
                continue;
            }
            _ => continue,
        };
        match part {
            Part::Year(2) => {
                let _ = write!(out, "{:02}", y.rem_euclid(100));
            }
            Part::Year(_) => {
                let _ = write!(out, "{y:04}");
            }
            Part::Month(1) => {
                let _ = write!(out, "{m}");
            }
            Part::Month(2) => {
                let _ = write!(out, "{m:02}");
            }
            Part::Month(n) => {
                let name = MONTHS[(m - 1) as usize];
                out.push_str(match n {
                    3 => &name[..3],
                    4 => name,
                    _ => &name[..1],
                });
            }
            Part::Day(1) => {
                let _ = write!(out, "{d}");
            }
            Part::Day(2) => {
                let _ = write!(out, "{d:02}");
            }
            Part::Day(n) => {
                let name = DAYS[weekday];
                out.push_str(if n == 3 { &name[..3] } else { name });
            }
            Part::Hour(n) => {
                let h = if twelve {
                    match hour % 12 {
                        0 => 12,
                        h => h,
                    }
                } else {
                    hour
                };
                let _ = if n >= 2 { write!(out, "{h:02}") } else { write!(out, "{h}") };
            }
            Part::Minute(n) => {
                let _ = if n >= 2 { write!(out, "{minute:02}") } else { write!(out, "{minute}") };
            }
            Part::Second(n) => {
                let _ = if n >= 2 { write!(out, "{second:02}") } else { write!(out, "{second}") };
            }
            Part::SubSecond(n) => {
                let digits = format!("{sub:0width$}", width = sub_digits as usize);
                out.push('.');
                out.push_str(&digits[..n as usize]);
            }
            Part::AmPm(None) => out.push_str(if hour >= 12 { "PM" } else { "AM" }),
            Part::AmPm(Some(upper)) => out.push(match (hour >= 12, upper) {
                (true, true) => 'P',
                (true, false) => 'p',
                (false, true) => 'A',
                (false, false) => 'a',
            }),
            Part::Elapsed(u, width) => {
                let n = match u {
                    b'h' => total / (3600 * unit),
                    b'm' => total / (60 * unit),
                    _ => total / unit,
                };
                let _ = write!(out, "{n:0width$}", width = width as usize);
            }
            Part::Era(n) => {
                if let Some((e, _)) = era {
                    match n {
                        1 => out.push(e.short),
                        2 => out.extend(e.long.chars().take(1)),
                        _ => out.push_str(e.long),
                    }
                }
            }
            Part::EraYear(n) => match era {
                Some((_, 1)) if gannen => out.push('元'),
                Some((_, ey)) => {
                    let _ = if n >= 2 { write!(out, "{ey:02}") } else { write!(out, "{ey}") };
                }
                None => {
                    let _ = write!(out, "{y}");
                }
            },
            Part::Weekday(n) => {
                out.push_str(DAYS_JA[weekday]);
                if n >= 4 {
                    out.push_str("曜日");
                }
            }
        }
    }
    Some(match section.dbnum {
        0 => out,
        n => super::dbnum(&out, n),
    })
}
