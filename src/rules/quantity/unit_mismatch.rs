//! GS202 unit-mismatch.

use crate::finding::{Finding, Related};
use crate::grammar::quantity::Parsed;
use crate::lang::Msg;
use crate::model::Field;
use crate::rules::quantity::unit_text;
use crate::rules::{finding, SheetCtx};

declare_rule! {
    code: "GS202",
    name: "unit-mismatch",
    title: ("単位の不一致", "unit mismatch"),
    family: Quantity,
    severity: Error,
    fix: None,
    summary: ("目標と結果の単位が違います", "Target and result have different units"),
    doc_en: "## What it does
Reports an indicator whose target and result are both numbers with a unit, but not the same
unit (ways of writing one unit count as the same: `％` and `%`, `人` and `名`, `か所` and `箇所`,
`日` and `日間`).

## Why
`80%` against `77件` cannot be compared: one of them is in the wrong row or the wrong unit, and
the grade cannot be checked.

## Example
```text
E8 目標: 80% | F8 結果: 77件
```
Write the result in the target's unit (`77.7%`) or correct the target.

## Fix safety
No fix: which of the two is wrong is not known.",
    doc_ja: "## 何をするか
目標と結果がどちらも単位付きの数値なのに、単位が違う指標を報告します（`％` と `%`、`人` と
`名`、`か所` と `箇所`、`日` と `日間` のように、一つの単位の書き方の違いは同じ単位とみなします）。

## なぜ
`80%` と `77件` は比べられません。どちらかが別の行の値か単位の誤りで、評価も確認できません。

## 例
```text
E8 目標: 80% | F8 結果: 77件
```
結果を目標と同じ単位で書く（`77.7%`）か、目標を直してください。

## 修正の安全性
自動修正はありません。どちらが誤りか分からないためです。",
    check: check,
}

fn check(cx: &SheetCtx<'_>, out: &mut Vec<Finding>) {
    for (e, entry) in cx.sheet.entries.iter().enumerate() {
        for i in 0..entry.indicators.len() {
            let (t, r) = (cx.quantity(e, i, Field::Target), cx.quantity(e, i, Field::Result));
            let (Parsed::Numeric(t), Parsed::Numeric(r)) = (&*t, &*r) else {
                continue;
            };
            let (Some(tu), Some(ru)) = (&t.main.unit, &r.main.unit) else { continue };
            if tu == ru {
                continue;
            }
            let loc = |f| crate::finding::Location::indicator(cx.index, e, i, f);
            let mut x = finding(
                &RULE,
                loc(Field::Result),
                Msg::new(
                    format!("結果の単位「{ru}」が目標の単位「{tu}」と違います"),
                    format!("the result is in “{ru}” but the target in “{tu}”"),
                ),
            );
            x.span = Some(r.main.unit_span.clone().unwrap_or(r.main.span.clone()));
            x.label =
                Some(Msg::new(format!("単位「{}」", unit_text(&r.main)), format!("unit “{}”", unit_text(&r.main))));
            x.related.push(Related {
                location: loc(Field::Target),
                label: Msg::new(format!("目標の単位「{tu}」"), format!("target unit “{tu}”")),
            });
            x.help = Some(Msg::new(
                format!("結果を目標と同じ「{tu}」で書くか、目標を直してください"),
                format!("write the result in “{tu}” as the target is, or correct the target"),
            ));
            out.push(x);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires_on_different_units() {
        let f = findings_of(&doc_one("80%", "77件"), "GS202");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].related.len(), 1);
    }

    #[test]
    fn quiet_on_same_unit_in_either_width_and_on_words() {
        for (t, r) in [
            ("80%", "77.7％"),
            ("300件\n（R5：290件）", "318件"),
            ("推進", "推進"),
            ("8", "10"),
            ("105回\n（100％）", "105回\n（100％）"),
            ("100人", "120名"),
            ("10店舗", "12店"),
            ("2週間", "2週"),
        ] {
            assert!(findings_of(&doc_one(t, r), "GS202").is_empty(), "{t} {r}");
        }
    }
}
