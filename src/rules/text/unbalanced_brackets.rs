//! GS602 unbalanced-brackets.

use crate::finding::Finding;
use crate::lang::Msg;
use crate::rules::text::each_value;
use crate::rules::{finding, SheetCtx};
use std::ops::Range;

declare_rule! {
    code: "GS602",
    name: "unbalanced-brackets",
    title: ("かっこの対応", "unbalanced brackets"),
    family: Text,
    severity: Warning,
    fix: None,
    summary: ("かっこの対応が取れていません", "Brackets do not pair up"),
    doc_en: "## What it does
Reports an opening bracket without its closing one, or a closing one without its opening one:
「」 『』 （） 【】 〔〕 and ASCII (). A half-width `(` closed by a full-width `）` counts as a pair.

## Why
A stray bracket is usually a leftover of an edit (「「防災」) and makes the sentence hard to
read on paper.

## Example
`全体委員研修は、「「防災」をテーマに開催` → `「防災」をテーマに開催`.

## Fix safety
No fix: which bracket is extra, or where the missing one goes, is not known.",
    doc_ja: "## 何をするか
閉じかっこのない開きかっこ、開きかっこのない閉じかっこを報告します。対象は「」『』（）【】〔〕
と半角の () です。半角の `(` を全角の `）` で閉じているものは対として数えます。

## なぜ
余分なかっこは編集の消し残し（「「防災」）がほとんどで、印刷すると文が読みにくくなります。

## 例
`全体委員研修は、「「防災」をテーマに開催` → `「防災」をテーマに開催`。

## 修正の安全性
自動修正はありません。どのかっこが余分か、足りないかっこをどこに入れるかが分からないためです。",
    check: check,
}

fn pair_of(c: char) -> Option<(char, bool)> {
    Some(match c {
        '「' => ('」', true),
        '『' => ('』', true),
        '（' | '(' => (')', true),
        '【' => ('】', true),
        '〔' => ('〕', true),
        '」' => ('」', false),
        '』' => ('』', false),
        '）' | ')' => (')', false),
        '】' => ('】', false),
        '〕' => ('〕', false),
        _ => return None,
    })
}

/// The characters of `text` that may be brackets, with their byte offsets: every bracket of
/// [`pair_of`] is `(`, `)` or a three-byte character starting `E3 80` (「」『』【】〔〕) or
/// `EF BC` (（）), so the text is stepped through a character at a time by its first byte
/// and only those are decoded.
fn brackets(text: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while let Some(&b) = bytes.get(i) {
            let at = i;
            let width = match b {
                0..=0x7F => 1,
                0x80..=0xDF => 2,
                0xE0..=0xEF => 3,
                _ => 4,
            };
            i += width;
            let candidate = match b {
                b'(' | b')' => true,
                0xE3 => bytes.get(at + 1) == Some(&0x80),
                0xEF => bytes.get(at + 1) == Some(&0xBC),
                _ => false,
            };
            if candidate {
                if let Some(c) = text.get(at..).and_then(|rest| rest.chars().next()) {
                    return Some((at, c));
                }
            }
        }
        None
    })
}

/// The first bracket that has no partner, if any.
pub(crate) fn unbalanced(text: &str) -> Option<Range<usize>> {
    let mut stack: Vec<(char, Range<usize>)> = Vec::new();
    for (i, c) in brackets(text) {
        let Some((close, opening)) = pair_of(c) else { continue };
        let span = i..i + c.len_utf8();
        if opening {
            stack.push((close, span));
        } else {
            match stack.last() {
                Some((want, _)) if *want == close => {
                    stack.pop();
                }
                _ => return Some(stack.pop().map(|(_, s)| s).unwrap_or(span)),
            }
        }
    }
    stack.into_iter().next().map(|(_, s)| s)
}

fn check(cx: &SheetCtx<'_>, out: &mut Vec<Finding>) {
    each_value(cx, |loc, text| {
        let Some(span) = unbalanced(text) else { return };
        let bracket = text.get(span.clone()).unwrap_or_default().to_string();
        let mut x = finding(
            &RULE,
            loc.clone(),
            Msg::new(
                format!("「{}」のかっこ「{bracket}」に対応するかっこがありません", loc.field.label_ja()),
                format!("the bracket “{bracket}” in the {} has no partner", loc.field.label_en()),
            ),
        );
        x.span = Some(span);
        x.label = Some(Msg::new("対のないかっこ", "unpaired bracket"));
        x.help = Some(Msg::new(
            "余分なかっこを消すか、足りないかっこを補ってください",
            "remove the extra bracket or add the missing one",
        ));
        out.push(x);
    });
}

#[cfg(test)]
mod tests {
    use super::unbalanced;

    #[test]
    fn finds_the_unpaired_bracket() {
        let t = "全体委員研修は、「「防災」をテーマに開催";
        assert_eq!(unbalanced(t).map(|s| &t[s]), Some("「"));
        assert_eq!(unbalanced(t).map(|s| s.start), t.find('「'));
        assert!(unbalanced("民事相談件数（件）\n(相談員、人権擁護委員）").is_none());
        assert!(unbalanced("105校（民間実施校含む））").is_some());
        assert!(unbalanced("「子ども体験型安全教室」を（105校）").is_none());
    }

    #[test]
    fn brackets_are_found_among_any_characters() {
        let t = "a（b）c「d」e『f』g【h】i〔j〕k(l)m、。・ｱ😀é（";
        let found: Vec<(usize, char)> = super::brackets(t).filter(|(_, c)| super::pair_of(*c).is_some()).collect();
        let all: Vec<(usize, char)> = t.char_indices().filter(|(_, c)| super::pair_of(*c).is_some()).collect();
        assert_eq!(found, all);
        assert_eq!(found.len(), 13);
        assert_eq!(unbalanced(t).map(|s| &t[s]), Some("（"));
    }

    #[test]
    fn the_rule_fires_on_a_narrative_and_not_on_balanced_text() {
        use crate::rules::testing::{doc_one, findings_of};
        let mut d = doc_one("8件", "10件");
        d.sheets[0].entries[0].indicators[0].status = "全体委員研修は、「「防災」をテーマに開催しました。".into();
        assert_eq!(findings_of(&d, "GS602").len(), 1);
        d.sheets[0].entries[0].indicators[0].status = "全体委員研修は、「防災」をテーマに開催しました。".into();
        assert!(findings_of(&d, "GS602").is_empty());
    }
}
