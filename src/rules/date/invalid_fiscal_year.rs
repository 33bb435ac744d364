//! GS401 invalid-fiscal-year.

use crate::finding::{Finding, Location};
use crate::lang::Msg;
use crate::model::Field;
use crate::rules::common::{blank, trimmed_span};
use crate::rules::{finding, SheetCtx};

declare_rule! {
    code: "GS401",
    name: "invalid-fiscal-year",
    title: ("年度の書き方", "unreadable fiscal year"),
    family: Date,
    severity: Error,
    fix: None,
    summary: ("年度が読み取れません", "The fiscal year cannot be read"),
    doc_en: "## What it does
Reports a 年度 that is not a fiscal year goalsheet can read: `令和6年度`, `令和６年度`, `令和元年度`,
`R6年度`, `2024年度`, `平成31年度` are all read.

## Why
The department file groups sheets by fiscal year, and the dates and the `Ｒ６目標` headers are
checked against it.

## Example
`令和年度` or `6年` → write `令和6年度`.

## Fix safety
No fix: the intended year is not known.",
    doc_ja: "## 何をするか
「年度」が読み取れる年度の書き方になっていないときに報告します。`令和6年度`、`令和６年度`、
`令和元年度`、`R6年度`、`2024年度`、`平成31年度` は読み取れます。

## なぜ
部の取りまとめは年度ごとに行い、日付や「Ｒ６目標」の見出しも年度と照らし合わせて確かめます。

## 例
`令和年度` や `6年` → `令和6年度` と書いてください。

## 修正の安全性
自動修正はありません。意図した年度が分からないためです。",
    check: check,
}

fn check(cx: &SheetCtx<'_>, out: &mut Vec<Finding>) {
    let text = &cx.sheet.fiscal_year;
    if blank(text) || cx.year.is_some() {
        return;
    }
    let mut x = finding(
        &RULE,
        Location::sheet(cx.index, Field::FiscalYear),
        Msg::new(
            format!("年度「{}」を読み取れません", text.trim()),
            format!("cannot read the fiscal year “{}”", text.trim()),
        ),
    );
    x.span = Some(trimmed_span(text));
    x.help = Some(Msg::new("「令和6年度」のように書いてください", "write it like 令和6年度"));
    out.push(x);
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires_on_unreadable_years_only() {
        let mut d = doc_one("8件", "10件");
        d.sheets[0].fiscal_year = "令和年度".into();
        assert_eq!(findings_of(&d, "GS401").len(), 1);
        for ok in ["令和6年度", "令和６年度", "R6年度"] {
            d.sheets[0].fiscal_year = ok.into();
            assert!(findings_of(&d, "GS401").is_empty(), "{ok}");
        }
    }
}
