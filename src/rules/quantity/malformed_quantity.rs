//! GS201 malformed-quantity.

use crate::finding::Finding;
use crate::grammar::quantity::{parse_quantity, Parsed};
use crate::lang::Msg;
use crate::model::Field;
use crate::rules::{finding, SheetCtx};
use std::borrow::Cow;

declare_rule! {
    code: "GS201",
    name: "malformed-quantity",
    title: ("数値の書き方", "malformed number"),
    family: Quantity,
    severity: Error,
    fix: None,
    summary: ("目標・結果の数値の書き方が崩れています", "A target or result looks like a number but is malformed"),
    doc_en: "## What it does
Reports a target or result that looks like a quantity (a number with a unit, a comparator such
as 以上, a bracketed note) but has a part that cannot be read: two decimal points, a stray
bracket, a comparator before the number … The label points at the part in question.

## Why
A target or result that cannot be read as a number cannot be compared, so the grade cannot be
checked, and the department's totals go wrong.

## Example
`1.700.5件` or `80%%`: write `1,700件` or `80%`.
Words alone (`推進`) are fine: they are a qualitative target.

## Fix safety
No fix: the intended number is not known.",
    doc_ja: "## 何をするか
数値（単位、「以上」などの比較語、かっこ書きの注記）のように見えて、読み取れない部分がある
目標・結果を報告します。小数点が二つある、かっこが閉じていない、比較語が数字の前にある、など
です。ラベルが問題の部分を指します。

## なぜ
数値として読めない目標・結果は比べられないため、評価の確認ができず、部の集計も狂います。

## 例
`1.700.5件` や `80%%` は、`1,700件` や `80%` と書いてください。
「推進」のような言葉だけの目標は定性的な目標として問題ありません。

## 修正の安全性
自動修正はありません。意図した数値が分からないためです。",
    check: check,
}

fn check(cx: &SheetCtx<'_>, out: &mut Vec<Finding>) {
    for f in [Field::Target, Field::Result] {
        for (loc, text) in cx.values(f) {
            let parsed = match (loc.entry, loc.indicator) {
                (Some(e), Some(i)) => cx.quantity(e, i, f),
                _ => Cow::Owned(parse_quantity(text)),
            };
            if let Parsed::Malformed { span, reason } = &*parsed {
                let mut x = finding(
                    &RULE,
                    loc,
                    Msg::new(
                        format!("{}「{}」を数値として読み取れません", f.label_ja(), text.trim()),
                        format!("the {} “{}” cannot be read as a number", f.label_en(), text.trim()),
                    ),
                );
                x.span = Some(span.clone());
                x.label = Some(reason.clone());
                x.help = Some(Msg::new(
                    "「1,700件」「80%」「4.6以上」「300件（R5：290件）」のように書いてください",
                    "write it like 1,700件, 80%, 4.6以上 or 300件（R5：290件）",
                ));
                out.push(x);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires_on_malformed_numbers_with_a_span() {
        let f = findings_of(&doc_one("1.700.5件", "80%"), "GS201");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].location.field.key(), "target");
        assert!(f[0].span.is_some());
    }

    #[test]
    fn quiet_on_numbers_and_words() {
        for t in ["1,700件", "推進", "4.6以上", "300件\n（R5：290件）", "△0.52%\n(R6:87.63%)", "次期事業者の選定"]
        {
            assert!(findings_of(&doc_one(t, t), "GS201").is_empty(), "{t}");
        }
    }
}
