//! GS303 grade-inconsistent.

use crate::finding::{Applicability, Edit, Finding, Fix, Location, Related};
use crate::grammar::grade::{from_achievements, Grade};
use crate::grammar::quantity::achieved_parsed;
use crate::lang::Msg;
use crate::model::Field;
use crate::rules::common::trimmed_span;
use crate::rules::grade::{describe, meant};
use crate::rules::{finding, SheetCtx};

declare_rule! {
    code: "GS303",
    name: "grade-inconsistent",
    title: ("評価と実績の食い違い", "grade against results"),
    family: Grade,
    severity: Error,
    fix: Some(Applicability::Unsafe),
    summary: ("評価が目標と結果に合っていません", "The grade does not agree with the targets and results"),
    doc_en: "## What it does
Recomputes each entry's grade from its indicators and reports a grade that disagrees. An
indicator is achieved when its result meets its target in the target's direction: 以上 / 超
mean higher is better, 以下 / 以内 / 未満 lower is better; without one, higher is better, except a
target of 0, which can only mean \"at most\". Equal counts as met. All indicators achieved → ○,
none → ×, some → △.

Qualitative indicators (`推進`) and indicators whose units differ cannot be compared and are
left out; the grade must still agree with the numeric ones: ○ with a missed numeric indicator
is a contradiction, whatever the qualitative ones say.

## Why
The grade is what the department reports upwards. A ○ over a missed target, or a × over
targets that were all met, is either a typo in the grade or in a figure.

## Example
```text
E8 目標: 80% | F8 結果: 77.7% | I8 評価: ○
```
77.7% does not reach 80%: the grade should be ×, or the figure is wrong.

## Fix safety
Unsafe: the recomputed grade is offered only when every indicator is numeric, and it changes
what the sheet says; the figure may be the mistake instead. Applied only with `--unsafe-fixes`.",
    doc_ja: "## 何をするか
各組織目標の評価を指標から計算し直し、記入された評価と合わないときに報告します。結果が
目標の向きに届いていれば達成です。「以上」「超」は大きいほど良い、「以下」「以内」「未満」は
小さいほど良い、比較語がなければ大きいほど良い（ただし目標0は「以下」の意味）とみなし、
同じ値は達成とします。すべて達成→○、一つも達成なし→×、一部達成→△です。

「推進」のような定性的な指標や、単位が違う指標は比べられないので除きます。それでも数値の
指標とは合っていなければなりません。数値の指標が一つでも未達成なのに○なら、定性的な指標が
どうであれ矛盾です。

## なぜ
評価は部として上に報告する内容です。目標に届いていないのに○、すべて届いているのに×なら、
評価か数値のどちらかの書き誤りです。

## 例
```text
E8 目標: 80% | F8 結果: 77.7% | I8 評価: ○
```
77.7% は 80% に届いていないので、評価は×のはずです（または数値の誤りです）。

## 修正の安全性
安全ではありません: 計算し直した評価は、すべての指標が数値のときだけ提案します。シートの
内容を変えるうえ、誤りは数値の方かもしれません。`--unsafe-fixes` を付けたときだけ適用します。",
    check: check,
}

/// One numeric indicator's verdict.
struct Verdict {
    indicator: usize,
    met: bool,
    assumed: bool,
}

fn check(cx: &SheetCtx<'_>, out: &mut Vec<Finding>) {
    for (e, entry) in cx.sheet.entries.iter().enumerate() {
        let Some(grade) = meant(cx, &entry.grade) else { continue };
        let mut verdicts = Vec::new();
        let mut unknown = 0usize;
        for i in 0..entry.indicators.len() {
            let (t, r) = (cx.quantity(e, i, Field::Target), cx.quantity(e, i, Field::Result));
            match achieved_parsed(&t, &r) {
                Some(a) => verdicts.push(Verdict { indicator: i, met: a.met, assumed: a.direction_assumed }),
                None => unknown += 1,
            }
        }
        if verdicts.is_empty() {
            continue;
        }
        let flags: Vec<bool> = verdicts.iter().map(|v| v.met).collect();
        let with = |fill: bool| {
            let mut all = flags.clone();
            all.extend(std::iter::repeat_n(fill, unknown));
            from_achievements(&all)
        };
        let mut possible: Vec<Grade> = [with(true), with(false)].into_iter().flatten().collect();
        possible.dedup();
        if possible.is_empty() || possible.contains(&grade) {
            continue;
        }
        let met = flags.iter().filter(|m| **m).count();
        let total = flags.len();
        let (gja, gen) = describe(grade);
        let numeric_ja = if unknown > 0 { "数値の指標" } else { "指標" };
        let numeric_en = if unknown > 0 { "numeric indicators" } else { "indicators" };
        let mut x = finding(
            &RULE,
            Location::entry(cx.index, e, Field::Grade),
            Msg::new(
                format!("評価は{gja}ですが、{numeric_ja}{total}件のうち目標に届いたのは{met}件です"),
                format!("the grade is {gen}, but {met} of {total} {numeric_en} met the target"),
            ),
        );
        x.span = Some(trimmed_span(&entry.grade));
        x.label = Some(Msg::new(format!("評価 {}", entry.grade.trim()), format!("grade {}", entry.grade.trim())));
        for v in &verdicts {
            let loc = |f| Location::indicator(cx.index, e, v.indicator, f);
            x.related.push(Related { location: loc(Field::Target), label: Msg::new("目標", "target") });
            x.related.push(Related {
                location: loc(Field::Result),
                label: if v.met { Msg::new("達成", "met") } else { Msg::new("未達成", "missed") },
            });
        }
        let fitting: Vec<&str> = possible.iter().map(|g| g.symbol()).collect();
        let (mut hja, mut hen) = (
            format!("評価を「{}」にするか、目標・結果の数値を確かめてください", fitting.join("」か「")),
            format!("grade it {} or check the figures", fitting.join(" or ")),
        );
        if unknown > 0 {
            hja.push_str("。数値で比べられない指標は除いて判定しました");
            hen.push_str("; indicators that cannot be compared as numbers were left out");
        }
        if verdicts.iter().any(|v| v.assumed) {
            hja.push_str("。「以上」「以下」の書かれていない目標は、大きいほど良い（目標0は「以下」）とみなしました。逆の向きなら目標に「以下」などを書き足してください");
            hen.push_str("; targets without 以上 / 以下 were taken as higher-is-better (a target of 0 as at-most): if one means the opposite, add 以下 or 未満 to it");
        }
        x.help = Some(Msg::new(hja, hen));
        if unknown == 0 {
            if let Some(g) = from_achievements(&flags) {
                let sym = g.symbol();
                let loc = Location::entry(cx.index, e, Field::Grade);
                x.fix = Some(Fix {
                    held: None,
                    applicability: Applicability::Unsafe,
                    message: Msg::new(format!("評価を「{sym}」にする"), format!("set the grade to “{sym}”")),
                    edits: vec![Edit { location: loc, before: entry.grade.clone(), after: sym.to_string() }],
                });
            }
        }
        out.push(x);
    }
}

#[cfg(test)]
mod tests {
    use crate::finding::Applicability;
    use crate::rules::testing::*;

    fn fires(grade: &str, rows: &[(&str, &str)]) -> Vec<crate::finding::Finding> {
        findings_of(&doc_entry(grade, rows), "GS303")
    }

    #[test]
    fn fires_on_a_contradiction_with_an_unsafe_recomputed_grade() {
        let f = fires("○", &[("80%", "77.7%")]);
        assert_eq!(f.len(), 1);
        let fix = f[0].fix.as_ref().unwrap();
        assert_eq!(fix.applicability, Applicability::Unsafe);
        assert_eq!(fix.edits[0].after, "×");
        assert_eq!(fires("×", &[("12回", "16回")])[0].fix.as_ref().unwrap().edits[0].after, "○");
        assert_eq!(
            fires("○", &[("1,700件", "1,512件"), ("1,900件", "1,996件")])[0].fix.as_ref().unwrap().edits[0].after,
            "△"
        );
    }

    #[test]
    fn respects_direction() {
        assert!(fires("×", &[("0件", "1件")]).is_empty());
        assert_eq!(fires("○", &[("0件", "1件")]).len(), 1);
        assert!(fires("○", &[("4.6以上", "4.7")]).is_empty());
        assert!(fires("○", &[("5件以下", "3件")]).is_empty());
        assert_eq!(fires("○", &[("5件以下", "6件")]).len(), 1);
        // 以内 ("within") is at most, as 以下 is.
        assert!(fires("○", &[("30分以内", "28分"), ("3.5%以内", "3.2%")]).is_empty());
        assert_eq!(fires("○", &[("14日以内", "15日")]).len(), 1);
    }

    #[test]
    fn a_variant_grade_is_checked_by_its_meaning() {
        assert!(fires("〇", &[("85.0%", "92.2%")]).is_empty());
        assert_eq!(fires("〇", &[("85.0%", "80.0%")]).len(), 1);
    }

    #[test]
    fn qualitative_indicators_are_left_out_but_numeric_contradictions_stay() {
        assert!(
            fires("○", &[("85.0%", "92.2%"), ("次期事業者の選定", "次期事業者の選定及び契約の締結を達成")]).is_empty()
        );
        assert!(fires("△", &[("85.0%", "92.2%"), ("推進", "推進")]).is_empty());
        let f = fires("○", &[("85.0%", "80.0%"), ("推進", "推進")]);
        assert_eq!(f.len(), 1);
        assert!(f[0].fix.is_none(), "no unique grade when a qualitative indicator is unknown");
        assert!(
            fires("×", &[("前年より減少率（△0.35％）を鈍化させる（R5：88.15％）", "△0.52%\n(R6:87.63%)")]).is_empty()
        );
        assert!(fires("○", &[("推進", "推進")]).is_empty());
    }

    #[test]
    fn a_legend_symbol_is_checked_by_the_legends_meaning() {
        let with = |grade: &str, rows: &[(&str, &str)]| {
            let mut d = doc_entry(grade, rows);
            d.sheets[0].legend = "◎：予定以上 ○：予定どおり △：やや遅れ".into();
            findings_of(&d, "GS303")
        };
        assert!(with("◎", &[("8件", "10件")]).is_empty(), "◎ is above ○: achieved");
        assert_eq!(with("◎", &[("8件", "6件")]).len(), 1);
        assert!(with("△(やや遅れ)", &[("8件", "6件"), ("8件", "9件")]).is_empty());
        assert_eq!(with("○(予定どおり)", &[("8件", "6件")]).len(), 1);
    }

    #[test]
    fn the_forms_of_other_governments_sheets_are_checked() {
        assert_eq!(fires("○", &[("3.6ha", "1.2→3.1ha")]).len(), 1);
        assert!(fires("×", &[("3.6ha", "1.2→3.1ha")]).is_empty());
        assert_eq!(fires("○", &[("7戸/15戸", "6戸/15戸")]).len(), 1);
        assert_eq!(fires("○", &[("1,000万円", "784万円")]).len(), 1);
        assert_eq!(fires("○", &[("開催回数3回", "開催回数2回")]).len(), 1);
        assert!(fires("○", &[("4地区", "4地区実施")]).is_empty());
        assert_eq!(fires("○", &[("300a", "285")]).len(), 1, "a unit on one side is the other's");
        let t = "白ネギ80ha アスパラ 42,150千円";
        assert_eq!(fires("○", &[(t, "白ネギ85ha アスパラ 40,000千円")]).len(), 1);
        assert!(fires("△", &[(t, "白ネギ85ha アスパラ 40,000千円"), ("8件", "9件")]).is_empty());
        assert!(fires("○", &[(t, "玉ねぎ85ha アスパラ 40,000千円")]).is_empty(), "other labels: qualitative");
    }

    #[test]
    fn help_mentions_an_assumed_direction() {
        let f = fires("○", &[("80%", "77.7%")]);
        assert!(f[0].help.as_ref().unwrap().ja.contains("大きいほど良い"));
        let f = fires("○", &[("80%以上", "77.7%")]);
        assert!(!f[0].help.as_ref().unwrap().ja.contains("大きいほど良い"));
    }
}
