//! GS206 result-qualitative-outcome.

use crate::finding::{Finding, Location, Related};
use crate::grammar::quantity::qualitative_outcome;
use crate::lang::Msg;
use crate::model::Field;
use crate::rules::common::trimmed_span;
use crate::rules::quantity::result_not_quantity::figureless_results;
use crate::rules::{finding, SheetCtx};

declare_rule! {
    code: "GS206",
    name: "result-qualitative-outcome",
    title: ("言葉で書いた結果", "result in words"),
    family: Quantity,
    severity: Warning,
    fix: None,
    summary: ("数値の目標に対して、結果が「中止」「未実施」などの言葉です", "The target is a number and the result states an outcome such as 中止 instead"),
    doc_en: "## What it does
Reports a result that states a recognised outcome instead of a figure where the target is a
quantity: `中止`, `延期`, `未実施`, `実績なし`, `該当なし`, `集計中`, `調査中`, `確定前`, a dash
…, alone or with a remark (`中止（雨天のため）`). Any other result without a figure is GS205,
an error.

## Why
The outcome is a legitimate answer, but the grade cannot be checked against it: the reader
of the department file should see why, and a result still being counted (`集計中`) must be
filled in before the sheet is final.

## Example
```text
E8 目標: 8回 | F8 結果: 中止 | I8 評価: ×
```
Fine as an answer; make sure the grade and the narrative say what happened.

## Fix safety
No fix: nothing is wrong with the text itself.",
    doc_ja: "## 何をするか
目標が数値なのに、結果が数値の代わりに決まった言葉（`中止`、`延期`、`未実施`、`実績なし`、
`該当なし`、`集計中`、`調査中`、`確定前`、ダッシュ など。`中止（雨天のため）` のような注記付きも
含む）で書かれているときに報告します。それ以外の数値のない結果は GS205（エラー）です。

## なぜ
答えとしては正当ですが、評価を数値で確かめられません。部の取りまとめでは理由が分かるように
し、`集計中` のような結果は確定前に数値を記入する必要があります。

## 例
```text
E8 目標: 8回 | F8 結果: 中止 | I8 評価: ×
```
答えとしては問題ありません。評価と目標達成状況が実際の状況を説明しているか確かめてください。

## 修正の安全性
自動修正はありません。文字そのものに誤りはないためです。",
    check: check,
}

fn check(cx: &SheetCtx<'_>, out: &mut Vec<Finding>) {
    for (e, i, text) in figureless_results(cx) {
        let Some(outcome) = qualitative_outcome(text) else { continue };
        let loc = |f| Location::indicator(cx.index, e, i, f);
        let mut x = finding(
            &RULE,
            loc(Field::Result),
            Msg::new(
                format!("結果は「{outcome}」で数値がないため、評価を数値で確かめられません"),
                format!("the result says “{outcome}” instead of a figure, so the grade cannot be checked against the target"),
            ),
        );
        x.span = Some(trimmed_span(text));
        x.label = Some(Msg::new(format!("「{outcome}」"), format!("“{outcome}”")));
        x.related.push(Related { location: loc(Field::Target), label: Msg::new("数値の目標", "numeric target") });
        x.help = Some(Msg::new(
            "評価と目標達成状況がその理由を説明しているか確かめてください。集計中・確定前なら、確定した数値を記入してください",
            "make sure the grade and the narrative explain it; if the figure is still being counted, fill it in when it is final",
        ));
        out.push(x);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires_on_a_recognised_outcome_as_a_warning() {
        for r in ["中止", "未実施", "実績なし", "集計中", "中止（雨天のため）", "－"] {
            let f = findings_of(&doc_one("8回", r), "GS206");
            assert_eq!(f.len(), 1, "{r}");
            assert_eq!(f[0].severity, crate::finding::Severity::Warning);
            assert!(findings_of(&doc_one("8回", r), "GS205").is_empty(), "{r}");
        }
    }

    #[test]
    fn quiet_on_figures_other_words_and_qualitative_targets() {
        for (t, r) in [("8回", "10回"), ("8回", "abc"), ("推進", "中止"), ("8回", "")] {
            assert!(findings_of(&doc_one(t, r), "GS206").is_empty(), "{t} {r}");
        }
    }
}
