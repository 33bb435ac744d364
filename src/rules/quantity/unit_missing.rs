//! GS203 unit-missing.

use crate::finding::{Finding, Location, Related};
use crate::grammar::quantity::Parsed;
use crate::lang::Msg;
use crate::model::Field;
use crate::rules::{finding, SheetCtx};

declare_rule! {
    code: "GS203",
    name: "unit-missing",
    title: ("単位の欠落", "missing unit"),
    family: Quantity,
    severity: Warning,
    fix: None,
    summary: ("目標と結果の一方にだけ単位があります", "Only one of target and result has a unit"),
    doc_en: "## What it does
Reports an indicator where the target has a unit and the result does not, or the other way
round (`8件` against `10`).

## Why
Without the unit the reader has to guess whether the two are the same measure, and goalsheet
cannot compare them to check the grade.

## Example
```text
E8 目標: 8件 | F8 結果: 10
```
Write `10件`.

## Fix safety
No fix: the unit is probably the other one's, but a person should confirm it.",
    doc_ja: "## 何をするか
目標には単位があるのに結果にはない（またはその逆の）指標を報告します（`8件` と `10`）。

## なぜ
単位がないと同じ尺度の数値かどうか読み手が推測することになり、goalsheetも比べられないため
評価を確認できません。

## 例
```text
E8 目標: 8件 | F8 結果: 10
```
`10件` と書いてください。

## 修正の安全性
自動修正はありません。相手と同じ単位である可能性が高いですが、人が確かめてください。",
    check: check,
}

fn check(cx: &SheetCtx<'_>, out: &mut Vec<Finding>) {
    for (e, entry) in cx.sheet.entries.iter().enumerate() {
        for i in 0..entry.indicators.len() {
            let (t, r) = (cx.quantity(e, i, Field::Target), cx.quantity(e, i, Field::Result));
            let (Parsed::Numeric(t), Parsed::Numeric(r)) = (&*t, &*r) else {
                continue;
            };
            let loc = |f| Location::indicator(cx.index, e, i, f);
            let (missing, span, other, unit) = match (&t.main.unit, &r.main.unit) {
                (Some(u), None) => (Field::Result, r.main.span.clone(), Field::Target, u),
                (None, Some(u)) => (Field::Target, t.main.span.clone(), Field::Result, u),
                _ => continue,
            };
            let mut x = finding(
                &RULE,
                loc(missing),
                Msg::new(
                    format!("{}に単位がありません（{}は「{unit}」）", missing.label_ja(), other.label_ja()),
                    format!("the {} has no unit (the {} is in “{unit}”)", missing.label_en(), other.label_en()),
                ),
            );
            x.span = Some(span);
            x.label = Some(Msg::new("単位なし", "no unit"));
            x.related.push(Related {
                location: loc(other),
                label: Msg::new(format!("単位「{unit}」"), format!("unit “{unit}”")),
            });
            x.help = Some(Msg::new(format!("同じ単位「{unit}」を付けてください"), format!("add the unit “{unit}”")));
            out.push(x);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires_when_one_side_lacks_the_unit() {
        assert_eq!(codes_at(&doc_one("8件", "10"), "GS203"), vec!["result".to_string()]);
        assert_eq!(codes_at(&doc_one("8", "10件"), "GS203"), vec!["target".to_string()]);
    }

    #[test]
    fn quiet_when_both_or_neither_have_one() {
        for (t, r) in [("8", "10"), ("4.6以上", "4.7"), ("8件", "10件"), ("推進", "10件")] {
            assert!(findings_of(&doc_one(t, r), "GS203").is_empty(), "{t} {r}");
        }
    }
}
