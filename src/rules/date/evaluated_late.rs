//! GS406 evaluated-late.

use crate::finding::{Finding, Location, Related};
use crate::lang::Msg;
use crate::model::Field;
use crate::rules::common::trimmed_span;
use crate::rules::date::{date_names, field_date, year_names};
use crate::rules::{finding, SheetCtx};
use chrono::NaiveDate;

declare_rule! {
    code: "GS406",
    name: "evaluated-late",
    title: ("遅い評価日", "late evaluation"),
    family: Date,
    severity: Warning,
    fix: None,
    summary: ("評価日が年度末から離れすぎています", "The date evaluated is long after the fiscal year"),
    doc_en: "## What it does
Reports a 評価日 later than June 30 after the fiscal year ends (three months after March 31),
or before the fiscal year begins.

## Why
Sheets are evaluated at the end of March or shortly after; a 評価日 a year off is usually the
wrong era year (`R8.3.31` on a 令和6年度 sheet).

## Example
年度 `令和6年度`, 評価日 `R8.3.31` → write `R7.3.31`.

## Fix safety
No fix: the intended date is not known.",
    doc_ja: "## 何をするか
「評価日」が年度末（3月31日）から3か月を過ぎた6月30日より後、または年度の始まりより前の
ときに報告します。

## なぜ
評価は3月末かその少し後に行います。1年ずれた評価日は、ほとんどが元号の年の書き誤りです
（令和6年度のシートに `R8.3.31`）。

## 例
年度 `令和6年度`、評価日 `R8.3.31` → `R7.3.31` と書いてください。

## 修正の安全性
自動修正はありません。意図した日付が分からないためです。",
    check: check,
}

/// The last day an evaluation is still expected: June 30 after the year ends.
fn deadline(year: crate::grammar::year::FiscalYear) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year.start + 1, 6, 30)
}

fn check(cx: &SheetCtx<'_>, out: &mut Vec<Finding>) {
    let Some(year) = cx.year else { return };
    let Some(evaluated) = field_date(cx.sheet, Field::Evaluated) else { return };
    let Some(last) = deadline(year) else { return };
    if (year.first_day()..=last).contains(&evaluated) {
        return;
    }
    let (yja, yen) = year_names(year);
    let (dja, den) = date_names(evaluated);
    let (fja, fen) = date_names(year.first_day());
    let (lja, len) = date_names(last);
    let mut x = finding(
        &RULE,
        Location::sheet(cx.index, Field::Evaluated),
        Msg::new(
            format!("評価日（{dja}）が{yja}の評価の時期（{fja}〜{lja}）から外れています"),
            format!("the date evaluated, {den}, is far from {yen} (expected {fen} to {len})"),
        ),
    );
    x.span = Some(trimmed_span(&cx.sheet.evaluated));
    x.label = Some(Msg::new("評価日", "date evaluated"));
    x.related.push(Related {
        location: Location::sheet(cx.index, Field::FiscalYear),
        label: Msg::new("年度", "fiscal year"),
    });
    x.help = Some(Msg::new("評価日の年を確かめてください", "check the year of the date evaluated"));
    out.push(x);
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires_long_after_the_year() {
        let mut d = doc_one("8件", "10件");
        d.sheets[0].evaluated = "R8.3.31".into();
        let f = findings_of(&d, "GS406");
        assert_eq!(f.len(), 1);
        // Dates read the way the clerk writes them, not as ISO.
        assert!(
            f[0].message.ja.contains("令和8年3月31日") && f[0].message.ja.contains("令和7年6月30日"),
            "{}",
            f[0].message.ja
        );
        d.sheets[0].evaluated = "R7.7.1".into();
        assert_eq!(findings_of(&d, "GS406").len(), 1);
    }

    #[test]
    fn quiet_at_year_end_and_shortly_after() {
        let mut d = doc_one("8件", "10件");
        for ok in ["R7.3.31", "R7.4.15", "R7.6.30"] {
            d.sheets[0].evaluated = ok.into();
            assert!(findings_of(&d, "GS406").is_empty(), "{ok}");
        }
    }
}
