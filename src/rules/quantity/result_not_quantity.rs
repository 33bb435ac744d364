//! GS205 result-not-quantity.

use crate::finding::{Finding, Location, Related};
use crate::grammar::quantity::{qualitative_outcome, Parsed};
use crate::lang::Msg;
use crate::model::Field;
use crate::rules::common::trimmed_span;
use crate::rules::{finding, SheetCtx};

declare_rule! {
    code: "GS205",
    name: "result-not-quantity",
    title: ("数値でない結果", "result not a number"),
    family: Quantity,
    severity: Error,
    fix: None,
    summary: ("数値の目標に対して、結果が数値ではありません", "The target is a number but the result is not"),
    doc_en: "## What it does
Reports a result that holds no figure at all (`abc`, `推進`, `達成`) where the target is a
quantity (`8回`, `80%`, `白ネギ80ha アスパラ 42,150千円`). A result that states a recognised
outcome instead of a figure (`中止`, `未実施`, `実績なし`, `集計中` …) is GS206, a warning.
A result with figures in it that cannot be compared (a sentence) is left alone.

## Why
The grade cannot be checked against a result that is not a number, and the department's
totals cannot count it: the sheet would be sent upward with a grade nobody can verify.

## Example
```text
E8 目標: 8回 | F8 結果: abc | I8 評価: ○
```
Write the number of times held (`9回`), or, if the activity did not take place, say so with
one of the recognised words (`中止`).

## Fix safety
No fix: the figure is not known.",
    doc_ja: "## 何をするか
目標が数値（`8回`、`80%`、`白ネギ80ha アスパラ 42,150千円`）なのに、結果に数値がまったく
ない（`abc`、`推進`、`達成`）ときに報告します。数値の代わりに `中止`、`未実施`、`実績なし`、
`集計中` などの決まった言葉で結果を書いた場合は GS206（警告）です。数値を含む文章で比べ
られない結果は対象外です。

## なぜ
数値でない結果では評価が正しいか確かめられず、部の集計にも数えられません。誰も確かめられ
ない評価のまま上に報告されてしまいます。

## 例
```text
E8 目標: 8回 | F8 結果: abc | I8 評価: ○
```
実施した回数（`9回`）を書いてください。実施しなかった場合は `中止` などの決まった言葉で
書いてください。

## 修正の安全性
自動修正はありません。正しい数値が分からないためです。",
    check: check,
}

/// The indicators whose target is a quantity and whose result holds no figure: (entry,
/// indicator, result text). Shared with GS206, which takes the recognised outcomes.
pub(crate) fn figureless_results<'a>(cx: &SheetCtx<'a>) -> Vec<(usize, usize, &'a str)> {
    let mut out = Vec::new();
    for (e, entry) in cx.sheet.entries.iter().enumerate() {
        for (i, ind) in entry.indicators.iter().enumerate() {
            let numeric_target = matches!(&*cx.quantity(e, i, Field::Target), Parsed::Numeric(_) | Parsed::Several(_));
            let words = matches!(&*cx.quantity(e, i, Field::Result), Parsed::Qualitative);
            let figure = ind.result.chars().any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c));
            // A number cell its format shows without digits (a zero as `－` under
            // `[=0]"－";#,##0` or the accounting format) holds a figure all the same.
            let number_cell = ind
                .typed
                .get(Field::Result)
                .is_some_and(|t| t.kind == crate::model::CellKind::Number && !t.lacks_value());
            if numeric_target && words && !figure && !number_cell {
                out.push((e, i, ind.result.as_str()));
            }
        }
    }
    out
}

fn check(cx: &SheetCtx<'_>, out: &mut Vec<Finding>) {
    for (e, i, text) in figureless_results(cx) {
        if qualitative_outcome(text).is_some() {
            continue;
        }
        let loc = |f| Location::indicator(cx.index, e, i, f);
        let mut x = finding(
            &RULE,
            loc(Field::Result),
            Msg::new(
                format!("目標は数値ですが、結果「{}」は数値ではないため評価を確かめられません", text.trim()),
                format!(
                    "the target is a number but the result “{}” is not, so the grade cannot be checked",
                    text.trim()
                ),
            ),
        );
        x.span = Some(trimmed_span(text));
        x.label = Some(Msg::new("数値ではない結果", "not a number"));
        x.related.push(Related { location: loc(Field::Target), label: Msg::new("数値の目標", "numeric target") });
        x.help = Some(Msg::new(
            "目標と同じ単位の数値で結果を書いてください（実施しなかった場合は「中止」「未実施」などと書きます）",
            "write the result as a number in the target's unit (if it did not take place, write 中止 or 未実施)",
        ));
        out.push(x);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires_on_a_result_without_a_figure_against_a_numeric_target() {
        for (t, r) in [("8回", "abc"), ("80%", "推進"), ("8回", "達成"), ("白ネギ80ha アスパラ 42,150千円", "順調")]
        {
            assert_eq!(codes_at(&doc_one(t, r), "GS205"), vec!["result".to_string()], "{t} {r}");
        }
        let f = findings_of(&doc_one("8回", "abc"), "GS205");
        assert_eq!(f[0].severity, crate::finding::Severity::Error);
        assert!(f[0].message.en.contains("cannot be checked"));
    }

    #[test]
    fn quiet_on_a_zero_its_format_shows_as_a_dash() {
        use crate::model::{CellKind, Field};
        let mut d = doc_one("8回", "－");
        assert_eq!(findings_of(&d, "GS206").len(), 1, "typed as text, a dash is no figure");
        let cell = value_cell(CellKind::Number, 0.0, Some("[=0]\"－\";#,##0\"回\""));
        d.sheets[0].entries[0].indicators[0].typed.set(Field::Result, cell);
        assert!(findings_of(&d, "GS206").is_empty() && findings_of(&d, "GS205").is_empty());
    }

    #[test]
    fn quiet_on_figures_words_against_words_and_outcomes() {
        for (t, r) in [
            ("8回", "10回"),
            ("8回", ""),
            ("推進", "推進"),
            ("推進", "abc"),
            ("8回", "中止"),
            ("8回", "未実施"),
            ("8回", "4地区で3回実施"),
            ("8回", "1.2.3回"),
        ] {
            assert!(findings_of(&doc_one(t, r), "GS205").is_empty(), "{t} {r}");
        }
    }
}
