//! GS404 created-outside-year.

use crate::finding::{Finding, Location, Related};
use crate::lang::Msg;
use crate::model::Field;
use crate::rules::common::trimmed_span;
use crate::rules::date::{date_names, field_date, year_names};
use crate::rules::{finding, SheetCtx};

declare_rule! {
    code: "GS404",
    name: "created-outside-year",
    title: ("年度外の作成日", "created outside the year"),
    family: Date,
    severity: Warning,
    fix: None,
    summary: ("作成日が年度の期間外です", "The date created is outside the fiscal year"),
    doc_en: "## What it does
Reports a 作成日 that does not fall within the sheet's fiscal year (April 1 to March 31 of the
next year; 令和6年度 is 2024-04-01 to 2025-03-31).

## Why
A plan dated in another year is usually a year typed wrong (`R5.4.1` on a 令和6年度 sheet) or
last year's sheet reused.

## Example
年度 `令和6年度`, 作成日 `R5.4.1` → write `R6.4.1`.

## Fix safety
No fix: whether the date or 年度 is wrong is not known.",
    doc_ja: "## 何をするか
「作成日」がシートの年度の期間（4月1日から翌年3月31日まで。令和6年度なら2024年4月1日から
2025年3月31日）に入っていないときに報告します。

## なぜ
別の年度の作成日は、年の打ち間違い（令和6年度のシートに `R5.4.1`）か、前年度のシートの
使い回しがほとんどです。

## 例
年度 `令和6年度`、作成日 `R5.4.1` → `R6.4.1` と書いてください。

## 修正の安全性
自動修正はありません。日付と年度のどちらが誤りか分からないためです。",
    check: check,
}

fn check(cx: &SheetCtx<'_>, out: &mut Vec<Finding>) {
    let Some(year) = cx.year else { return };
    let Some(created) = field_date(cx.sheet, Field::Created) else { return };
    if (year.first_day()..=year.last_day()).contains(&created) {
        return;
    }
    let (yja, yen) = year_names(year);
    let (dja, den) = date_names(created);
    let (fja, fen) = date_names(year.first_day());
    let (lja, len) = date_names(year.last_day());
    let mut x = finding(
        &RULE,
        Location::sheet(cx.index, Field::Created),
        Msg::new(
            format!("作成日（{dja}）が{yja}（{fja}〜{lja}）の期間外です"),
            format!("the date created, {den}, is outside {yen} ({fen} to {len})"),
        ),
    );
    x.span = Some(trimmed_span(&cx.sheet.created));
    x.label = Some(Msg::new("作成日", "date created"));
    x.related.push(Related {
        location: Location::sheet(cx.index, Field::FiscalYear),
        label: Msg::new("年度", "fiscal year"),
    });
    x.help = Some(Msg::new("作成日と年度を確かめてください", "check the date created and the fiscal year"));
    out.push(x);
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires_outside_the_year() {
        let mut d = doc_one("8件", "");
        for bad in ["R5.4.1", "R7.4.1", "2024/3/31"] {
            d.sheets[0].created = bad.into();
            assert_eq!(findings_of(&d, "GS404").len(), 1, "{bad}");
        }
    }

    #[test]
    fn a_date_cell_whose_format_hides_the_year_is_checked_by_its_date() {
        use crate::model::{CellKind, Field};
        let mut d = doc_one("8件", "");
        d.sheets[0].created = "4月1日".into();
        for (serial, n) in [(45017.0, 1), (45383.0, 0)] {
            // 2023-04-01 (the year before) and 2024-04-01, shown as `4月1日`.
            let cell = value_cell(CellKind::Date, serial, None);
            d.sheets[0].typed.set(Field::Created, cell);
            assert_eq!(findings_of(&d, "GS404").len(), n, "{serial}");
        }
    }

    #[test]
    fn quiet_inside_the_year() {
        let mut d = doc_one("8件", "");
        for ok in ["R6.4.1", "R6.5.15", "2025/3/31"] {
            d.sheets[0].created = ok.into();
            assert!(findings_of(&d, "GS404").is_empty(), "{ok}");
        }
    }
}
