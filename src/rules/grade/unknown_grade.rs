//! GS302 unknown-grade.

use crate::finding::Finding;
use crate::grammar::grade::GradeCell;
use crate::lang::Msg;
use crate::model::Field;
use crate::rules::common::trimmed_span;
use crate::rules::{finding, SheetCtx};

declare_rule! {
    code: "GS302",
    name: "unknown-grade",
    title: ("不明な評価", "unknown grade"),
    family: Grade,
    severity: Error,
    fix: None,
    summary: ("評価が○・△・×のどれでもありません", "A grade is none of ○ △ ×"),
    doc_en: "## What it does
Reports a grade that is neither one of the legend's symbols nor a variant with one clear
meaning (see GS301): `◎`, `−`, `済`, `A`, `○△` … The legend is the sheet's own legend row
when it has one (`◎：予定以上 ○：予定どおり △：やや遅れ` makes ◎ a grade and × not one; a
symbol followed by its legend word, `○(予定どおり)`, is that grade), else ○ △ ×.

## Why
The department file counts ○, △ and × per division; anything else cannot be counted and says
nothing clear about the goal.

## Example
`◎` → write ○ if every indicator met its target, △ if some did, × if none did.

## Fix safety
No fix: the intended grade is not known.",
    doc_ja: "## 何をするか
評価が凡例の記号のどれでもなく、意味が一つに決まる書き方（GS301）でもないときに
報告します。`◎`、`−`、`済`、`A`、`○△` などです。凡例は、シートに凡例の行があればその凡例
（`◎：予定以上 ○：予定どおり △：やや遅れ` なら◎は評価で、×は評価ではありません。
`○(予定どおり)` のように凡例の語を添えた記号はその評価です）、なければ○・△・×です。

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
    // A sheet with its own legend is told its own symbols.
    let own = cx.legend.as_ref().filter(|l| !l.is_default()).map(|l| l.symbols());
    for (loc, text) in cx.values(Field::Grade) {
        if cx.grade(text) != GradeCell::Unknown {
            continue;
        }
        let (message, help) = match &own {
            None => (
                Msg::new(
                    format!("評価「{}」は○・△・×のどれでもありません", text.trim()),
                    format!("the grade “{}” is none of ○ △ ×", text.trim()),
                ),
                Msg::new(
                    "すべての指標が目標に届いたなら○、一部なら△、どれも届かなければ×と書いてください",
                    "write ○ if every indicator met its target, △ if some did, × if none did",
                ),
            ),
            Some(symbols) => (
                Msg::new(
                    format!("評価「{}」はこのシートの凡例（{symbols}）にありません", text.trim()),
                    format!("the grade “{}” is not in this sheet's legend ({symbols})", text.trim()),
                ),
                Msg::new(
                    format!("凡例の記号（{symbols}）のどれかで書いてください"),
                    format!("write one of the legend's symbols ({symbols})"),
                ),
            ),
        };
        let mut x = finding(&RULE, loc, message);
        x.span = Some(trimmed_span(text));
        x.label = Some(Msg::new("凡例にない評価", "not in the legend"));
        x.help = Some(help);
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
    fn follows_the_sheets_legend() {
        let with = |legend: &str, grade: &str| {
            let mut d = doc_entry(grade, &[("8件", "10件")]);
            d.sheets[0].legend = legend.into();
            findings_of(&d, "GS302")
        };
        let own = "◎：予定以上 ○：予定どおり △：やや遅れ";
        for g in ["◎", "○", "○(予定どおり)", "◎（予定以上）", "〇"] {
            assert!(with(own, g).is_empty(), "{g}");
        }
        let f = with(own, "×");
        assert_eq!(f.len(), 1, "× is not in this legend");
        assert!(f[0].message.ja.contains("◎ ○ △"), "{}", f[0].message.ja);
        assert_eq!(with(own, "○(やや遅れ)").len(), 1);
        assert!(with("★★★《達成!》 ★★《概ね達成》 ★《未達成》", "★★★").is_empty());
        assert_eq!(with("★★★《達成!》 ★★《概ね達成》 ★《未達成》", "○").len(), 1);
        assert_eq!(with(crate::layout::LEGEND, "◎").len(), 1, "the default legend has no ◎");
        assert!(with(crate::layout::LEGEND, "○").is_empty());
    }

    #[test]
    fn quiet_on_legend_variants_and_empty() {
        for g in ["○", "〇", "✕", "達成"] {
            assert!(findings_of(&doc_entry(g, &[("8件", "10件")]), "GS302").is_empty(), "{g}");
        }
        // A symbol with its own word of the official legend, on a sheet that has it.
        for g in ["○（達成）", "○(達成)", "○ 達成"] {
            assert!(findings_of(&doc_entry(g, &[("8件", "10件")]), "GS302").is_empty(), "{g}");
        }
        assert_eq!(findings_of(&doc_entry("○（未達成）", &[("8件", "10件")]), "GS302").len(), 1, "another item's word");
        assert!(findings_of(&doc_one("8件", ""), "GS302").is_empty());
    }
}
