//! GS302 unknown-grade.

use crate::finding::Finding;
use crate::grammar::grade::{parse_grade, GradeCell};
use crate::lang::Msg;
use crate::model::Field;
use crate::rules::common::trimmed_span;
use crate::rules::{finding, SheetCtx};

declare_rule! {
    code: "GS302",
    name: "unknown-grade",
    family: Grade,
    severity: Error,
    fix: None,
    summary: ("評価が○・△・×のどれでもありません", "A grade is none of ○ △ ×"),
    doc_en: "## What it does
Reports a grade that is neither one of the legend's symbols ○ △ × nor a variant with one clear
meaning (see GS301): `◎`, `−`, `済`, `A`, `○△` …

## Why
The department file counts ○, △ and × per division; anything else cannot be counted and says
nothing clear about the goal.

## Example
`◎` → write ○ if every indicator met its target, △ if some did, × if none did.

## Fix safety
No fix: the intended grade is not known.",
    doc_ja: "## 何をするか
評価が凡例の記号○・△・×のどれでもなく、意味が一つに決まる書き方（GS301）でもないときに
報告します。`◎`、`−`、`済`、`A`、`○△` などです。

## なぜ
部の取りまとめでは課ごとに○・△・×を数えます。それ以外は数えられず、目標がどうだったのかも
伝わりません。

## 例
`◎` → すべての指標が目標に届いたなら○、一部なら△、どれも届かなければ×と書いてください。

## 修正の安全性
自動修正はありません。意図した評価が分からないためです。",
    check: check,
}

fn check(cx: &SheetCtx<'_>, out: &mut Vec<Finding>) {
    for (loc, text) in cx.values(Field::Grade) {
        if parse_grade(text) != GradeCell::Unknown {
            continue;
        }
        let mut x = finding(
            &RULE,
            loc,
            Msg::new(
                format!("評価「{}」は○・△・×のどれでもありません", text.trim()),
                format!("the grade “{}” is none of ○ △ ×", text.trim()),
            ),
        );
        x.span = Some(trimmed_span(text));
        x.label = Some(Msg::new("凡例にない評価", "not in the legend"));
        x.help = Some(Msg::new(
            "すべての指標が目標に届いたなら○、一部なら△、どれも届かなければ×と書いてください",
            "write ○ if every indicator met its target, △ if some did, × if none did",
        ));
        out.push(x);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires_without_a_fix() {
        for g in ["◎", "済", "A"] {
            let f = findings_of(&doc_entry(g, &[("8件", "10件")]), "GS302");
            assert_eq!(f.len(), 1, "{g}");
            assert!(f[0].fix.is_none());
        }
    }

    #[test]
    fn quiet_on_legend_variants_and_empty() {
        for g in ["○", "〇", "✕", "達成"] {
            assert!(findings_of(&doc_entry(g, &[("8件", "10件")]), "GS302").is_empty(), "{g}");
        }
        assert!(findings_of(&doc_one("8件", ""), "GS302").is_empty());
    }
}
