//! GS405 evaluated-before-created.

use crate::finding::{Finding, Location, Related};
use crate::lang::Msg;
use crate::model::Field;
use crate::rules::common::trimmed_span;
use crate::rules::date::field_date;
use crate::rules::{finding, SheetCtx};

declare_rule! {
    code: "GS405",
    name: "evaluated-before-created",
    title: ("作成日より前の評価日", "evaluated before created"),
    family: Date,
    severity: Error,
    fix: None,
    summary: ("評価日が作成日より前です", "The date evaluated is before the date created"),
    doc_en: "## What it does
Reports a 評価日 earlier than the sheet's 作成日.

## Why
A goal is evaluated after it was planned; a reversed pair is a typo in one of the dates.

## Example
作成日 `R6.5.15`, 評価日 `R6.3.31` → write `R7.3.31`.

## Fix safety
No fix: which date is wrong is not known.",
    doc_ja: "## 何をするか
「評価日」が「作成日」より前のときに報告します。

## なぜ
評価は計画の後に行うものです。前後が逆なら、どちらかの日付の書き誤りです。

## 例
作成日 `R6.5.15`、評価日 `R6.3.31` → `R7.3.31` と書いてください。

## 修正の安全性
自動修正はありません。どちらの日付が誤りか分からないためです。",
    check: check,
}

fn check(cx: &SheetCtx<'_>, out: &mut Vec<Finding>) {
    let (Some(created), Some(evaluated)) =
        (field_date(cx.sheet, Field::Created), field_date(cx.sheet, Field::Evaluated))
    else {
        return;
    };
    if evaluated >= created {
        return;
    }
    let (eja, een) = super::date_names(evaluated);
    let (cja, cen) = super::date_names(created);
    let mut x = finding(
        &RULE,
        Location::sheet(cx.index, Field::Evaluated),
        Msg::new(
            format!("評価日（{eja}）が作成日（{cja}）より前です"),
            format!("the date evaluated, {een}, is before the date created, {cen}"),
        ),
    );
    x.span = Some(trimmed_span(&cx.sheet.evaluated));
    x.label = Some(Msg::new("評価日", "date evaluated"));
    x.related.push(Related {
        location: Location::sheet(cx.index, Field::Created),
        label: Msg::new("作成日", "date created"),
    });
    x.help = Some(Msg::new("評価日と作成日の年を確かめてください", "check the years of both dates"));
    out.push(x);
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires_when_reversed_only() {
        let mut d = doc_one("8件", "10件");
        d.sheets[0].created = "R6.5.15".into();
        d.sheets[0].evaluated = "R6.3.31".into();
        assert_eq!(findings_of(&d, "GS405").len(), 1);
        d.sheets[0].evaluated = "R6.5.15".into();
        assert!(findings_of(&d, "GS405").is_empty());
        d.sheets[0].evaluated = "R7.3.31".into();
        assert!(findings_of(&d, "GS405").is_empty());
    }
}
