//! GS301 grade-variant.

use crate::finding::{Applicability, Edit, Finding, Fix};
use crate::grammar::grade::GradeCell;
use crate::lang::Msg;
use crate::model::Field;
use crate::rules::common::span_of;
use crate::rules::grade::describe;
use crate::rules::{finding, SheetCtx};

declare_rule! {
    code: "GS301",
    name: "grade-variant",
    title: ("評価の記号", "grade symbols"),
    family: Grade,
    severity: Warning,
    fix: Some(Applicability::Safe),
    summary: ("評価が凡例の記号（○△×）で書かれていません", "A grade is not written with the legend's symbols ○ △ ×"),
    doc_en: "## What it does
Reports a grade written with a look-alike of the legend's symbols, or in words, that has one
clear meaning: 〇 (U+3007, the kanji zero) ◯ ⭕ and the letter O for ○; ✕ ☓ ✖ x X ｘ for ×; 達成 / 一部未達成 /
未達成 for ○ / △ / ×; and ○ △ × followed by a word of the same meaning that is not the legend's
own (`△（一部達成）`, `○（目標達成）`).

## Why
The sheet's legend is `○：達成　△：一部未達成　×：未達成`. Counting grades in the department
file (COUNTIF, filters) only finds the legend's exact characters: a 〇 looks the same on paper
but is counted as no grade.

## Example
`〇` → `○`, `✕` → `×`, `達成` → `○`, `△（一部達成）` → `△`.

## Fix safety
Safe: each variant means exactly one grade; only how it is written changes.",
    doc_ja: "## 何をするか
評価が凡例の記号に似た別の文字や言葉で書かれていて、意味が一つに決まるものを報告します。
〇（漢数字のゼロ、U+3007）◯ ⭕ と英字の O は ○、✕ ☓ ✖ x X ｘ は ×、「達成」「一部未達成」「未達成」は
○・△・× です。○△× のあとに、凡例の言葉ではないが同じ意味の言葉が書かれたもの（`△（一部達成）`、
`○（目標達成）`）も報告します。

## なぜ
シートの凡例は「○：達成　△：一部未達成　×：未達成」です。部の取りまとめでの評価の集計
（COUNTIFや絞り込み）は凡例と同じ文字しか数えません。〇は印刷すると同じに見えますが、
評価なしとして数えられます。

## 例
`〇` → `○`、`✕` → `×`、`達成` → `○`、`△（一部達成）` → `△`。

## 修正の安全性
安全: どの書き方も意味する評価は一つだけで、書き方を変えるだけです。",
    check: check,
}

fn check(cx: &SheetCtx<'_>, out: &mut Vec<Finding>) {
    for (loc, text) in cx.values(Field::Grade) {
        let GradeCell::Variant { grade, found } = cx.grade(text) else { continue };
        let sym = grade.symbol();
        let code = match found.chars().count() {
            1 => found.chars().next().map(|c| format!("U+{:04X}", c as u32)).unwrap_or_default(),
            _ => String::new(),
        };
        let (cja, cen) = if code.is_empty() {
            (String::new(), String::new())
        } else {
            (format!("（{code}）"), format!(" ({code})"))
        };
        let (dja, den) = describe(grade);
        // `△（一部達成）`: the symbol is the legend's, the word is not.
        let message = if found.starts_with(sym) {
            Msg::new(
                format!("評価「{found}」は凡例の書き方ではありません。{dja}の意味なら「{sym}」だけを書きます"),
                format!("the grade “{found}” is not written as the legend writes it; for {den} write “{sym}” alone"),
            )
        } else {
            Msg::new(
                format!("評価「{found}」{cja}は凡例の記号ではありません。{dja}の意味なら「{sym}」です"),
                format!("the grade “{found}”{cen} is not a legend symbol; for {den} write “{sym}”"),
            )
        };
        let mut x = finding(&RULE, loc.clone(), message);
        x.span = Some(span_of(text, &found));
        x.label = Some(Msg::new(format!("「{sym}」と書く"), format!("write “{sym}”")));
        x.help = Some(Msg::new(
            format!("凡例どおり「{sym}」と書いてください（○・△・×のいずれか）"),
            format!("write “{sym}” as in the legend (one of ○ △ ×)"),
        ));
        x.fix = Some(Fix {
            held: None,
            applicability: Applicability::Safe,
            message: Msg::new(format!("「{found}」を「{sym}」に置き換える"), format!("replace “{found}” with “{sym}”")),
            edits: vec![Edit { location: loc, before: text.to_string(), after: sym.to_string() }],
        });
        out.push(x);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires_on_lookalikes_with_a_safe_fix() {
        for (g, want) in [
            ("〇", "○"),
            ("◯", "○"),
            ("✕", "×"),
            ("x", "×"),
            ("達成", "○"),
            ("一部未達成", "△"),
            ("○（目標達成）", "○"),
        ] {
            let f = findings_of(&doc_entry(g, &[("8件", "10件")]), "GS301");
            assert_eq!(f.len(), 1, "{g}");
            let fix = f[0].fix.as_ref().unwrap();
            assert_eq!(fix.applicability, crate::finding::Applicability::Safe);
            assert_eq!(fix.edits[0].after, want, "{g}");
        }
    }

    /// The legend's symbol with a word of its meaning is one grade: GS301 (fixed to the symbol),
    /// checked against the figures, never the error "none of ○ △ ×".
    #[test]
    fn a_legend_symbol_with_a_word_of_its_meaning_is_that_grade() {
        let d = doc_entry("△（一部達成）", &[("8件", "10件"), ("8件", "6件")]);
        let f = findings_of(&d, "GS301");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].fix.as_ref().unwrap().edits[0].after, "△");
        assert!(f[0].message.get(crate::Lang::Ja).contains("凡例の書き方ではありません"), "{:?}", f[0].message);
        assert!(findings_of(&d, "GS302").is_empty());
        assert!(findings_of(&d, "GS303").is_empty(), "one of two met: △");
        let wrong = doc_entry("○（目標達成）", &[("8件", "6件")]);
        assert_eq!(findings_of(&wrong, "GS303").len(), 1, "checked against the figures");
    }

    #[test]
    fn quiet_on_the_legend_symbols() {
        for g in ["○", "△", "×"] {
            assert!(findings_of(&doc_entry(g, &[("8件", "10件")]), "GS301").is_empty(), "{g}");
        }
    }
}
