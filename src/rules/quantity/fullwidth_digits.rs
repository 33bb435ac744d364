//! GS204 fullwidth-digits.

use crate::finding::{Applicability, Edit, Finding, Fix};
use crate::grammar::quantity::{halfwidth_numeric, parse_quantity, Parsed};
use crate::lang::Msg;
use crate::model::Field;
use crate::rules::{finding, SheetCtx};
use std::borrow::Cow;
use std::ops::Range;

declare_rule! {
    code: "GS204",
    name: "fullwidth-digits",
    title: ("全角の数字", "full-width digits"),
    family: Quantity,
    severity: Warning,
    fix: Some(Applicability::Safe),
    summary: ("目標・結果に全角の数字や記号があります", "A target or result has full-width digits or symbols"),
    doc_en: "## What it does
Reports full-width digits (`１回`, `０件`, `１，７００件`) in a target or result, and a
full-width `％`, `，` or `．` in its number (`77.7％`, `1，700件`). Full-width brackets and
colons around an annotation (`（R5：290件）`, `（100％）`) are the usual Japanese way of writing
and are not reported on their own.

## Why
Excel does not treat `１` as a number: sums, filters and sorting in the department file skip
it, and other divisions write `1回`.

## Example
`１回` → `1回`, `０件` → `0件`, `77.7％` → `77.7%`, `1，700件` → `1,700件`.

## Fix safety
Safe: only the width of the digits and numeric symbols changes, never the value.",
    doc_ja: "## 何をするか
目標・結果の全角数字（`１回`、`０件`、`１，７００件`）と、数値部分の全角の `％`・`，`・`．`
（`77.7％`、`1，700件`）を報告します。注記のかっこやコロン（`（R5：290件）`、`（100％）`）の
全角は日本語の普通の書き方なので、それだけでは報告しません。

## なぜ
Excelは `１` を数値として扱いません。部の取りまとめでの合計・絞り込み・並べ替えから漏れ、
他の課は `1回` と書いています。

## 例
`１回` → `1回`、`０件` → `0件`、`77.7％` → `77.7%`、`1，700件` → `1,700件`。

## 修正の安全性
安全: 数字と数値記号の幅だけを変え、値は変えません。",
    check: check,
}

fn is_fullwidth_digit(c: char) -> bool {
    ('０'..='９').contains(&c)
}

fn check(cx: &SheetCtx<'_>, out: &mut Vec<Finding>) {
    for f in [Field::Target, Field::Result] {
        for (loc, text) in cx.values(f) {
            let parsed = match (loc.entry, loc.indicator) {
                (Some(e), Some(i)) => cx.quantity(e, i, f),
                _ => Cow::Owned(parse_quantity(text)),
            };
            let Parsed::Numeric(q) = &*parsed else { continue };
            let has_digit = |s: &Range<usize>| text.get(s.clone()).is_some_and(|t| t.chars().any(is_fullwidth_digit));
            let in_annotation =
                |s: &Range<usize>| q.annotations.iter().any(|a| a.span().start <= s.start && s.end <= a.span().end);
            // Full-width digits anywhere; a full-width ％ ， ． only in the number itself, as
            // `（100％）` beside full-width brackets is how Japanese is written.
            let spans: Vec<_> = q.fullwidth.iter().filter(|s| has_digit(s) || !in_annotation(s)).collect();
            let (Some(first), Some(last)) = (spans.first(), spans.last()) else { continue };
            let span = first.start..last.end;
            let message = if spans.iter().any(|s| has_digit(s)) {
                Msg::new(
                    format!("{}「{}」に全角の数字があります", f.label_ja(), text.trim()),
                    format!("the {} “{}” has full-width digits", f.label_en(), text.trim()),
                )
            } else {
                Msg::new(
                    format!("{}「{}」に全角の記号（％ ， ．）があります", f.label_ja(), text.trim()),
                    format!("the {} “{}” has a full-width symbol (％ ， ．)", f.label_en(), text.trim()),
                )
            };
            let mut x = finding(&RULE, loc.clone(), message);
            x.span = Some(span);
            x.label = Some(Msg::new("全角", "full-width"));
            if let Some(after) = halfwidth_numeric(text).filter(|a| a != text) {
                x.help = Some(Msg::new(
                    format!("「{after}」と半角で書いてください"),
                    format!("write “{after}” in half-width characters"),
                ));
                x.fix = Some(Fix {
                    held: None,
                    applicability: Applicability::Safe,
                    message: Msg::new(
                        format!("「{text}」を「{after}」にする"),
                        format!("replace “{text}” with “{after}”"),
                    ),
                    edits: vec![Edit { location: loc, before: text.to_string(), after }],
                });
            }
            out.push(x);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires_on_fullwidth_digits_with_a_safe_fix() {
        let f = findings_of(&doc_one("1回", "１回"), "GS204");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].span, Some(0..3));
        let fix = f[0].fix.as_ref().unwrap();
        assert_eq!(fix.applicability, crate::finding::Applicability::Safe);
        assert_eq!(fix.edits[0].after, "1回");
        assert_eq!(codes_at(&doc_one("０件", "２件"), "GS204"), vec!["target".to_string(), "result".to_string()]);
    }

    #[test]
    fn fires_on_a_fullwidth_percent_or_comma_in_the_number() {
        for (t, after) in [
            ("77.7％", "77.7%"),
            ("1，700件", "1,700件"),
            ("4．6以上", "4.6以上"),
            ("80％\n（R5：78％）", "80%\n（R5：78%）"),
        ] {
            let f = findings_of(&doc_one(t, t), "GS204");
            assert_eq!(f.len(), 2, "{t}: target and result");
            let fix = f[0].fix.as_ref().unwrap();
            assert_eq!(fix.edits[0].after, after, "{t}");
            assert!(f[0].message.ja.contains("全角の記号"), "{}", f[0].message.ja);
        }
    }

    #[test]
    fn quiet_on_fullwidth_brackets_and_annotation_percent() {
        for t in ["105回\n（100％）", "300件\n（R5：290件）", "推進", "前年より減少率（△0.35％）を鈍化させる", "77.7%"]
        {
            assert!(findings_of(&doc_one(t, t), "GS204").is_empty(), "{t}");
        }
    }
}
