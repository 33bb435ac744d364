//! GS501 narrative-grade-contradiction.

use crate::finding::{Finding, Location, Related};
use crate::grammar::grade::Grade;
use crate::lang::Msg;
use crate::model::Field;
use crate::rules::grade::{describe, meant};
use crate::rules::narrative::statuses;
use crate::rules::{finding, SheetCtx};
use std::ops::Range;

declare_rule! {
    code: "GS501",
    name: "narrative-grade-contradiction",
    title: ("記述と評価の矛盾", "narrative against grade"),
    family: Narrative,
    severity: Warning,
    fix: None,
    summary: ("目標達成状況の記述が評価と食い違っています", "The narrative says the opposite of the grade"),
    doc_en: "## What it does
Reads what 目標達成状況 says about the goal in words — 「目標を達成しました」「達成できました」
「目標値を上回ることができました」 as achieved; 「目標には届きませんでした」「達成できませんでしたが」
「目標を下回りました」「未達成」 as not achieved — and reports a narrative that says achieved under a ×
grade, or not achieved under a ○ grade. △ agrees with either. Only sentences about the 目標 are
read (「満足度100％を達成した講座もありました」 is not about the goal), nor those about another
year (「前年度は目標を達成しましたが」), and negations are taken into account.

## Why
A reader takes the narrative and the grade together; when they disagree, one of them was not
updated.

## Example
```text
I8 評価: ○ | J8 目標達成状況: …目標には届きませんでした。
```
Grade it ×, or correct the narrative.

## Fix safety
No fix: which of the two is right is not known.",
    doc_ja: "## 何をするか
「目標達成状況」が目標について言葉で何と言っているかを読み取ります。「目標を達成しました」
「達成できました」「目標値を上回ることができました」は達成、「目標には届きませんでした」
「達成できませんでしたが」「目標を下回りました」「未達成」は未達成です。評価が×なのに達成と
書いている、○なのに未達成と書いている記述を報告します。△はどちらとも矛盾しません。目標に
ついての文だけを読み（「満足度100％を達成した講座もありました」は目標の話ではありません）、
別の年度の話（「前年度は目標を達成しましたが」）は読まず、否定の言い方も考慮します。

## なぜ
読み手は記述と評価を合わせて読みます。食い違っていれば、どちらかを直し忘れています。

## 例
```text
I8 評価: ○ | J8 目標達成状況: …目標には届きませんでした。
```
評価を×にするか、記述を直してください。

## 修正の安全性
自動修正はありません。どちらが正しいか分からないためです。",
    check: check,
}

/// What a sentence says about the goal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Claim {
    pub achieved: bool,
    pub span: Range<usize>,
}

/// Verbs that say how the result stands to the target, and whether they mean achieved.
const VERBS: [(&str, bool); 4] = [("達成", true), ("上回", true), ("下回", false), ("届", true)];
const NEGATIONS: [&str; 6] = ["ませ", "ず", "なかっ", "ない", "至らな", "至りませ"];
/// How a verb goes on when it states a fact: 達成し(た), 達成でき(た), 上回り, 届き, 上回っ …
const CONJUGATION: [&str; 10] = ["し", "でき", "され", "とな", "り", "っ", "き", "い", "る", "か"];
/// How it goes on when it states an intent, not a fact: 達成しよう, 達成するため.
const INTENT: [&str; 4] = ["しよう", "するよう", "できるよう", "する"];
const CLAUSE_END: [char; 7] = ['、', '。', '\n', '，', '．', ',', '.'];

/// The claims a narrative makes about achieving its goal.
pub(crate) fn claims(text: &str) -> Vec<Claim> {
    let mut out = Vec::new();
    // Every claim has 目標 just before its verb: without it there is nothing to look for.
    if !text.contains("目標") {
        return out;
    }
    for (verb, positive) in VERBS {
        for (p, _) in text.match_indices(verb) {
            let before = &text[..p];
            // The eight characters before the verb.
            let window_start = before.char_indices().rev().nth(7).map_or(0, |(i, _)| i);
            let window = &before[window_start..];
            let Some(subject_at) = window.rfind("目標") else { continue };
            let subject_start = window_start + subject_at;
            // 「前年度は目標を達成しましたが、…」 speaks of another year: the clause's words before
            // 目標, up to twelve characters (a search to the clause's start, for each verb, was
            // the text's length times the number of verbs when no punctuation came before).
            let lead_start = text[..subject_start].char_indices().rev().nth(11).map_or(0, |(i, _)| i);
            let lead = &text[lead_start..subject_start];
            let lead = lead
                .rfind(CLAUSE_END)
                .map_or(lead, |i| &lead[i + lead[i..].chars().next().map_or(1, char::len_utf8)..]);
            if about_another_year(lead) {
                continue;
            }
            let rest = &text[p + verb.len()..];
            // The clause ends within twenty characters: a search past them, for each verb, was
            // the text's length times the number of verbs when no punctuation followed.
            let limit = rest.char_indices().nth(20).map_or(rest.len(), |(i, _)| i);
            let clause_len = rest[..limit].find(CLAUSE_END).unwrap_or(limit);
            let clause = &rest[..clause_len];
            let span = subject_start..p + verb.len() + clause_len;
            if before.ends_with('未') {
                out.push(Claim { achieved: false, span });
                continue;
            }
            let verb_form =
                clause.strip_prefix("することが").or_else(|| clause.strip_prefix("ることが")).unwrap_or(clause);
            let verb_form = verb_form.strip_prefix("は").unwrap_or(verb_form);
            if INTENT.iter().any(|i| verb_form.starts_with(i)) || !CONJUGATION.iter().any(|c| verb_form.starts_with(c))
            {
                continue;
            }
            let negated = NEGATIONS.iter().any(|n| clause.contains(n));
            out.push(Claim { achieved: positive != negated, span });
        }
    }
    out.sort_by_key(|c| c.span.start);
    out
}

/// Whether the words of a clause before its 目標 make it about an earlier year: 前年度は,
/// 昨年は, 前回には (but not 今年度は, 前年度に引き続き). A year by its number (`令和5年度は`)
/// is not taken: the sheet's own year is written so too, and its claims must be read.
fn about_another_year(lead: &str) -> bool {
    const PAST: [&str; 6] = ["前年度", "昨年度", "前年", "昨年", "前回", "前期"];
    let topic = |at: usize| lead[at..].starts_with('は') || lead[at..].starts_with("には");
    PAST.iter().any(|w| lead.match_indices(w).any(|(i, _)| topic(i + w.len())))
}

fn check(cx: &SheetCtx<'_>, out: &mut Vec<Finding>) {
    for (e, entry) in cx.sheet.entries.iter().enumerate() {
        let Some(grade) = meant(cx, &entry.grade) else { continue };
        if grade == Grade::Partly {
            // No claim contradicts 「一部達成」.
            continue;
        }
        let contradicts = |c: &Claim| match grade {
            Grade::Achieved => !c.achieved,
            Grade::NotAchieved => c.achieved,
            Grade::Partly => false,
        };
        for (i, text) in statuses(entry) {
            let Some(claim) = claims(text).into_iter().find(|c| contradicts(c)) else { continue };
            let (gja, gen) = describe(grade);
            let said = text.get(claim.span.clone()).unwrap_or_default().to_string();
            let (wja, wen) = if claim.achieved { ("達成", "achieved") } else { ("未達成", "not achieved") };
            let mut x = finding(
                &RULE,
                Location::indicator(cx.index, e, i, Field::Status),
                Msg::new(
                    format!("目標達成状況は「{said}」と{wja}を述べていますが、評価は{gja}です"),
                    format!("the narrative says the goal was {wen} (“{said}”), but the grade is {gen}"),
                ),
            );
            x.span = Some(claim.span);
            x.label = Some(Msg::new(format!("{wja}と読める記述"), format!("reads as {wen}")));
            x.related.push(Related {
                location: Location::entry(cx.index, e, Field::Grade),
                label: Msg::new("評価", "grade"),
            });
            x.help = Some(Msg::new(
                "評価と記述のどちらが正しいか確かめ、もう一方を直してください",
                "check which of the grade and the narrative is right, and correct the other",
            ));
            out.push(x);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::*;

    fn said(text: &str) -> Vec<bool> {
        claims(text).into_iter().map(|c| c.achieved).collect()
    }

    /// 100,000 claims with no punctuation between them (1.5 MB): the end of each claim's clause
    /// was searched for to the end of the text, 10¹¹ characters.
    #[test]
    fn many_claims_without_punctuation_are_read_in_one_pass() {
        let found = claims(&"目標達成し".repeat(100_000));
        assert_eq!(found.len(), 100_000);
        assert!(found.iter().all(|c| c.achieved));
        assert_eq!(found[1].span, 15..87, "目標, the verb and twenty characters");
    }

    #[test]
    fn reads_claims_with_negation() {
        assert_eq!(said("予算管理することで、目標を達成できました。"), vec![true]);
        assert_eq!(said("協働事業数は目標を達成しました。"), vec![true]);
        assert_eq!(said("伸び率となりましたが、目標には届きませんでした。"), vec![false]);
        assert_eq!(said("数値目標は達成できませんでしたが、PRを行いました。"), vec![false]);
        assert_eq!(said("男性の選任が多く目標未達成となりました。"), vec![false]);
        assert_eq!(said("全体では目標を下回りました。"), vec![false]);
        assert_eq!(said("計16回開催し、目標値を上回ることができました。"), vec![true]);
        assert_eq!(said("8回で目標を達成し、連携を確認しました。"), vec![true]);
        assert_eq!(said("目標は達成したものの、課題が残りました。"), vec![true]);
        assert_eq!(said("目標を達成することができませんでした。"), vec![false]);
        assert_eq!(said("目標を達成できなかったものの"), vec![false]);
        assert_eq!(said("目標値に届かず、"), vec![false]);
        assert_eq!(said("目標を大きく上回りました。"), vec![true]);
    }

    #[test]
    fn ignores_what_is_not_about_the_goal() {
        assert!(said("受講者満足度100％を達成した講座もありましたが").is_empty());
        assert!(said("全国平均を上回る伸び率となりました").is_empty());
        assert!(said("目標達成に向けて取り組みます。").is_empty());
        assert!(said("目標値の88.9%でした。").is_empty());
        assert!(said("目標達成に向けて努力しました。").is_empty());
        assert!(said("目標を達成するため、研修を行いました。").is_empty());
        assert!(said("目標達成状況は良好でした。").is_empty());
        // Another year's result.
        assert!(said("前年度は目標を達成しましたが、今年度は下回りました。").is_empty());
        assert!(said("昨年は目標を下回りました。").is_empty());
        assert_eq!(said("令和6年度は目標を達成しました。"), vec![true], "the sheet's own year, by number");
        assert_eq!(said("昨年度は未達成でしたが、今年度は目標を達成しました。"), vec![true]);
        assert_eq!(said("前年度に引き続き目標を達成しました。"), vec![true]);
        assert_eq!(said("今年度は目標を達成しました。"), vec![true]);
    }

    #[test]
    fn reads_the_seed_narratives() {
        let d = seed();
        let mut read = Vec::new();
        for s in &d.sheets {
            for e in &s.entries {
                for i in &e.indicators {
                    for c in claims(&i.status) {
                        read.push((s.division.as_str(), e.no.as_str(), c.achieved));
                    }
                }
            }
        }
        assert_eq!(
            read,
            vec![
                ("市民協働課", "1", false),
                ("市民協働課", "2", true),
                ("市民協働課", "3", true),
                ("市民生活課", "1", false),
                ("市民生活課", "2", true),
                ("消費生活センター", "2", true),
                ("男女共同参画課", "1", false),
                ("男女共同参画課", "2", false),
                ("広聴相談課", "1", true),
                ("広聴相談課", "1", true),
                ("広聴相談課", "2", true),
                ("広聴相談課", "2", true),
                ("広聴相談課", "3", true),
            ]
        );
    }

    #[test]
    fn fires_against_the_grade() {
        let mut d = doc_entry("○", &[("80%", "85%")]);
        d.sheets[0].entries[0].indicators[0].status = "努力しましたが、目標には届きませんでした。".into();
        assert_eq!(findings_of(&d, "GS501").len(), 1);
        d.sheets[0].entries[0].grade = "×".into();
        assert!(findings_of(&d, "GS501").is_empty());
        d.sheets[0].entries[0].indicators[0].status = "目標を達成しました。".into();
        assert_eq!(findings_of(&d, "GS501").len(), 1);
        d.sheets[0].entries[0].grade = "△".into();
        assert!(findings_of(&d, "GS501").is_empty());
    }
}
