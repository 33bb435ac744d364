//! GS502 narrative-figure-mismatch.

use crate::finding::{Finding, Location, Related};
use crate::grammar::quantity::{parse_quantity, Number, Parsed, Quantity, Shape};
use crate::lang::Msg;
use crate::model::{Field, Indicator};
use crate::rules::narrative::{number_spans, shares_pair, statuses, word_pairs};
use crate::rules::{finding, SheetCtx};
use rust_decimal::Decimal;
use std::ops::Range;

declare_rule! {
    code: "GS502",
    name: "narrative-figure-mismatch",
    title: ("記述の数値", "narrative figure"),
    family: Narrative,
    severity: Warning,
    fix: None,
    summary: ("目標達成状況で述べた数値が結果と違います", "The narrative restates the result with a different figure"),
    doc_en: "## What it does
Finds figures in 目標達成状況 that clearly restate the result or its ratio to the target, and
reports those that disagree:
- a total: 「計16回開催」 (result `16回`);
- the measure named with は: 「達成状況は92.2%で」, 「意見交換会回数は8回で」;
- a count of what the indicator counts: 「9件の業務改善を実施」 for the indicator 改善実践数;
- the ratio to the target: 「目標値の88.9%」 (1,512 ÷ 1,700).

Figures that are not the result are left alone: differences (「前年度より186件減少」), parts and
wholes (「全体(108校)」, 「61校の中学校のうち、21校」), months (「最高月（12月）：96.9％」), other
units, the target itself (「目標の80%には届きませんでした」 for a target of 80%). A figure
rounded to fewer decimals (`95%` for `95.0%`) agrees.

## Why
The narrative is read as the explanation of the result; a different figure makes the reader
doubt both, and is usually one of them not updated.

## Example
```text
F9 結果: 10 | J9 目標達成状況: …9件の業務改善を実施しました。
```
Make the two agree.

## Fix safety
No fix: which figure is right is not known.",
    doc_ja: "## 何をするか
「目標達成状況」の中で、結果や目標に対する割合をはっきり言い直している数値を見つけ、結果と
合わないものを報告します。
- 合計: 「計16回開催」（結果 `16回`）
- 「は」で示した指標の値: 「達成状況は92.2%で」「意見交換会回数は8回で」
- 指標が数えているものの数: 指標「改善実践数」に対する「9件の業務改善を実施」
- 目標に対する割合: 「目標値の88.9%」（1,512 ÷ 1,700）

結果ではない数値は対象外です。差（「前年度より186件減少」）、全体と内訳（「全体(108校)」
「61校の中学校のうち、21校」）、月（「最高月（12月）：96.9％」）、別の単位の数値、目標そのもの
（目標 80% に対する「目標の80%には届きませんでした」）などです。
小数の桁を減らして丸めた数値（`95.0%` に対する `95%`）は一致とみなします。

## なぜ
目標達成状況は結果の説明として読まれます。数値が違うと読み手はどちらも疑い、たいていは
どちらかの直し忘れです。

## 例
```text
F9 結果: 10 | J9 目標達成状況: …9件の業務改善を実施しました。
```
両者をそろえてください。

## 修正の安全性
自動修正はありません。どちらの数値が正しいか分からないためです。",
    check: check,
}

/// What a figure in the narrative restates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Restated {
    /// The result itself.
    Result { said: Decimal, span: Range<usize> },
    /// The result as a percentage of the target.
    Ratio { said: Decimal, span: Range<usize> },
}

const TOPICS: [&str; 8] = ["結果", "実績", "達成状況", "回数", "件数", "率", "数", "点"];
const DIFFERENCE: [&str; 9] = ["増", "減", "多", "少", "上昇", "低下", "差", "アップ", "ダウン"];

fn chars_before(text: &str, at: usize, n: usize) -> &str {
    let before = &text[..at];
    let start = before.char_indices().rev().nth(n.saturating_sub(1)).map_or(0, |(i, _)| i);
    &before[start..]
}

/// The value of `text` read as a quantity, when it reads as one.
fn read(text: &str) -> Option<Number> {
    match parse_quantity(text) {
        Parsed::Numeric(q) => Some(q.main),
        _ => None,
    }
}

/// The unit text right after a number, if it is `unit` written in either width.
fn unit_after<'a>(rest: &'a str, unit: &str) -> Option<&'a str> {
    if unit.is_empty() {
        return None;
    }
    if rest.starts_with(unit) {
        return rest.get(..unit.len());
    }
    // The unit with its `%` written full-width.
    let mut written = rest.chars();
    let mut len = 0;
    for u in unit.chars() {
        let wide = if u == '%' { '％' } else { u };
        if written.next() != Some(wide) {
            return None;
        }
        len += wide.len_utf8();
    }
    rest.get(..len)
}

/// The figures of a narrative that clearly restate the result or its ratio to the target.
pub(crate) fn restated(text: &str, ind: &Indicator, result: &Number) -> Vec<Restated> {
    let mut out = Vec::new();
    // The name's word pairs, made when a figure first needs them.
    let name = std::cell::OnceCell::new();
    let share_word = |a: &str| shares_pair(a, name.get_or_init(|| word_pairs(&ind.name)));
    for num in number_spans(text) {
        let rest = &text[num.end..];
        let before2 = chars_before(text, num.start, 2);
        let before6 = chars_before(text, num.start, 6);
        // The ratio to the target: 「目標値の88.9%」.
        if let Some(u) = unit_after(rest, "%") {
            if ["目標値の", "目標の", "目標比", "達成率は", "達成率"].iter().any(|p| text[..num.start].ends_with(p))
            {
                if let Some(n) = read(&text[num.start..num.end + u.len()]) {
                    out.push(Restated::Ratio { said: n.value, span: num.start..num.end + u.len() });
                }
                continue;
            }
        }
        // The figure must be in the result's unit (any counter for a result without one, in
        // the 「9件の業務改善」 form only).
        let (unit_len, unit_known) = match result.unit.as_deref() {
            Some(u) => match unit_after(rest, u) {
                Some(found) => (found.len(), true),
                None => continue,
            },
            None => {
                let counter: String = rest
                    .chars()
                    .take_while(|c| !c.is_ascii() && !"のをがはでにと、。（(".contains(*c))
                    .take(3)
                    .collect();
                (counter.len(), false)
            }
        };
        let after = &rest[unit_len..];
        if DIFFERENCE.iter().any(|d| after.starts_with(d)) {
            continue;
        }
        let total = before2.ends_with('計');
        let topic = text[..num.start].ends_with('は') && {
            let head = before6.trim_end_matches('は');
            TOPICS.iter().any(|t| head.ends_with(t)) || share_word(head)
        };
        let counted = after.starts_with('の') && {
            let noun: String =
                after.chars().skip(1).take_while(|c| !"をがはでにと、。\n".contains(*c)).take(8).collect();
            share_word(&noun)
        };
        let clear = if unit_known {
            total || topic || counted
        } else if unit_len == 0 {
            topic
        } else {
            counted || total
        };
        if !clear {
            continue;
        }
        let span = num.start..num.end + unit_len;
        if let Some(n) = read(&text[span.clone()]) {
            out.push(Restated::Result { said: n.value, span });
        }
    }
    out
}

/// Whether two figures agree at the precision of the less precise one.
fn agree(a: Decimal, b: Decimal) -> bool {
    let dp = a.scale().min(b.scale());
    a.round_dp(dp) == b.round_dp(dp)
}

fn ratio(target: &Quantity, result: &Quantity) -> Option<Decimal> {
    if target.main.unit != result.main.unit || target.main.value.is_zero() {
        return None;
    }
    result.main.value.checked_div(target.main.value)?.checked_mul(Decimal::ONE_HUNDRED)
}

fn check(cx: &SheetCtx<'_>, out: &mut Vec<Finding>) {
    for (e, entry) in cx.sheet.entries.iter().enumerate() {
        for (i, text) in statuses(entry) {
            let Some(ind) = entry.indicators.get(i) else { continue };
            let result = cx.quantity(e, i, Field::Result);
            // A range or ratio is not one figure a narrative restates.
            let Parsed::Numeric(result) = &*result else { continue };
            if result.shape != Shape::Point {
                continue;
            }
            let target = cx.quantity(e, i, Field::Target);
            let target = match &*target {
                Parsed::Numeric(t) => Some(t),
                _ => None,
            };
            for r in restated(text, ind, &result.main) {
                let (said, span, expected, is_ratio) = match r {
                    Restated::Result { said, span } => (said, span, Some(result.main.value), false),
                    Restated::Ratio { said, span } => (said, span, target.and_then(|t| ratio(t, result)), true),
                };
                let Some(expected) = expected else { continue };
                if agree(said, expected) {
                    continue;
                }
                // A percentage result restated as such (「達成率は95.4%」 for a result of 95.4%)
                // is the result, not a wrong ratio to the target.
                if is_ratio && result.main.unit.as_deref() == Some("%") && agree(said, result.main.value) {
                    continue;
                }
                // Nor is a percentage target named after 目標の (「目標の80%には届きませんでした」
                // for a target of 80%).
                let target_said =
                    target.is_some_and(|t| t.main.unit.as_deref() == Some("%") && agree(said, t.main.value));
                if is_ratio && target_said {
                    continue;
                }
                let figure = text.get(span.clone()).unwrap_or_default().to_string();
                let shown_result = ind.result.trim().replace('\n', " ");
                let msg = if is_ratio {
                    let pct = expected.round_dp(said.scale().max(1)).normalize();
                    Msg::new(
                        format!(
                            "目標達成状況の「{figure}」は、結果÷目標（{shown_result} ÷ {}）の {pct}% と合いません",
                            ind.target.trim().replace('\n', " ")
                        ),
                        format!(
                            "the narrative says “{figure}”, but result ÷ target ({shown_result} ÷ {}) is {pct}%",
                            ind.target.trim().replace('\n', " ")
                        ),
                    )
                } else {
                    Msg::new(
                        format!("目標達成状況では「{figure}」ですが、結果は「{shown_result}」です"),
                        format!("the narrative says “{figure}”, but the result is “{shown_result}”"),
                    )
                };
                let mut x = finding(&RULE, Location::indicator(cx.index, e, i, Field::Status), msg);
                x.span = Some(span);
                x.label = Some(Msg::new("結果と違う数値", "differs from the result"));
                x.related.push(Related {
                    location: Location::indicator(cx.index, e, i, Field::Result),
                    label: Msg::new("結果", "result"),
                });
                x.help = Some(Msg::new(
                    "結果と目標達成状況の数値をそろえてください",
                    "make the result and the narrative agree",
                ));
                out.push(x);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{restated, Restated};
    use crate::grammar::quantity::{parse_quantity, Parsed};
    use crate::rules::testing::*;

    #[test]
    fn recognises_the_seeds_restatements() {
        let d = seed();
        let mut seen = Vec::new();
        for s in &d.sheets {
            for e in &s.entries {
                for i in &e.indicators {
                    let Parsed::Numeric(r) = parse_quantity(&i.result) else { continue };
                    for x in restated(&i.status, i, &r.main) {
                        let span = match &x {
                            Restated::Result { span, .. } | Restated::Ratio { span, .. } => span.clone(),
                        };
                        seen.push(i.status[span].to_string());
                    }
                }
            }
        }
        assert_eq!(seen, vec!["16回", "8回", "4.70", "9件", "92.2%", "95%", "88.9%", "105.1％"]);
    }

    /// A narrative of 100,000 figures each introduced by a word, for an indicator whose name
    /// is a million characters with that word at its end: the name was searched once for each
    /// figure, 3×10¹¹ bytes.
    #[test]
    fn many_figures_against_a_long_name_are_read_in_one_pass() {
        let mut d = doc_entry("○", &[("10件", "9件")]);
        let ind = &mut d.sheets[0].entries[0].indicators[0];
        ind.name = format!("{}改善", "一".repeat(1_000_000));
        let text = "改善は9件。".repeat(100_000);
        let Parsed::Numeric(r) = parse_quantity(&ind.result) else { panic!("a number") };
        let found = restated(&text, ind, &r.main);
        assert_eq!(found.len(), 100_000);
        assert!(found.iter().all(|x| matches!(x, Restated::Result { said, .. } if said.to_string() == "9")));
    }

    fn fires(name: &str, target: &str, result: &str, status: &str) -> usize {
        let mut d = doc_entry("○", &[(target, result)]);
        d.sheets[0].entries[0].indicators[0].name = name.into();
        d.sheets[0].entries[0].indicators[0].status = status.into();
        findings_of(&d, "GS502").len()
    }

    #[test]
    fn fires_on_clear_restatements_that_disagree() {
        assert_eq!(fires("改善実践数", "8", "10", "実務手順の見直しなどを適宜行い、9件の業務改善を実施しました。"), 1);
        assert_eq!(
            fires("実施数（回）", "12回", "16回", "体験型交通安全教室等を計15回開催し、目標値を上回りました。"),
            1
        );
        assert_eq!(fires("民事相談件数", "1,700件", "1,512件", "前年度より186件減少し、目標値の80.0%でした。"), 1);
        assert_eq!(fires("1次回答率", "85.0%", "92.2%", "年間の達成状況は90.2%で目標を達成しました。"), 1);
    }

    #[test]
    fn quiet_when_a_percentage_result_is_restated_after_a_ratio_word() {
        assert_eq!(fires("市政世論調査の回収率（％）", "90.0%", "95.4%", "達成率は95.4%となりました。"), 0);
        // …but a ratio that is neither the result nor result ÷ target still fires.
        assert_eq!(fires("市政世論調査の回収率（％）", "90.0%", "95.4%", "達成率は99.0%となりました。"), 1);
        // A percentage target named after 目標の is the target, not a ratio to it.
        assert_eq!(fires("回収率", "80%", "77.7%", "回収率は77.7%で、目標の80%には届きませんでした。"), 0);
        assert_eq!(fires("回収率", "80%", "77.7%", "回収率は77.7%で、目標の90%でした。"), 1);
    }

    #[test]
    fn quiet_on_agreeing_figures_and_on_figures_that_are_not_the_result() {
        assert_eq!(fires("改善実践数", "8", "10", "10件の業務改善を実施しました。"), 0);
        assert_eq!(fires("実施数（回）", "12回", "16回", "等を計16回開催し、目標値を上回ることができました。"), 0);
        assert_eq!(fires("民事相談件数", "1,700件", "1,512件", "前年度より186件減少し、目標値の88.9%でした。"), 0);
        assert_eq!(
            fires(
                "専門家相談件数",
                "1,900件",
                "1,996件",
                "前年度より115件多く、目標値の105.1％となり目標を達成しました。"
            ),
            0
        );
        assert_eq!(
            fires(
                "15秒以内応答率（％）",
                "90.0%",
                "95.0%",
                "年間の達成状況は95%で目標を達成しました。\n最高月（5月）：96.0％\n最低月（10月）：94.3％"
            ),
            0
        );
        assert_eq!(
            fires(
                "応募学校数",
                "103校",
                "99校",
                "目標校数より4校少ない応募数でしたが、全体(108校)の9割以上の学校が応募しました。"
            ),
            0
        );
        assert_eq!(
            fires("セミナーを開催した中学校の数の割合", "28.0%", "34.4%", "　61校の中学校のうち、21校で実施しました。"),
            0
        );
        assert_eq!(fires("窓口アンケートの実施（年1回）", "4.6以上", "4.7", "窓口アンケート結果は4.70でした。"), 0);
        assert_eq!(
            fires(
                "講座利用者満足度",
                "95.0%",
                "90.4%",
                "受講者満足度100％を達成した講座もありましたが、満足度が95％に満たないものがあり"
            ),
            0
        );
        assert_eq!(
            fires(
                "実施校数",
                "105回\n（100％）",
                "105回\n（100％）",
                "市内小学区全校（105校（民間実施校含む））において実施"
            ),
            0
        );
    }
}
