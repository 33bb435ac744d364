//! GS702 error-value.

use crate::finding::Finding;
use crate::lang::Msg;
use crate::model::CellKind;
use crate::rules::cells::each_field;
use crate::rules::common::trimmed_span;
use crate::rules::{finding, SheetCtx};

declare_rule! {
    code: "GS702",
    name: "error-value",
    title: ("エラー値", "error value"),
    family: Cells,
    severity: Error,
    fix: None,
    summary: ("セルがエラー値（#DIV/0! など）です", "A cell shows an error value (#DIV/0! …)"),
    doc_en: "## What it does
Reports a field whose cell holds an Excel error value: `#DIV/0!`, `#REF!`, `#VALUE!`, `#N/A`,
`#NAME?`, `#NUM!`, `#NULL!`, `#SPILL!` (also `#CALC!`, `#GETTING_DATA`), whether the workbook
stores it as an error or a CSV/JSON file carries it as text.

## Why
An error value is not a result: a formula failed (a division by zero, a deleted cell it
referred to). Read as text it would pass as a qualitative result such as `推進`, and the
grade would go unchecked.

## Example
```text
F9 Ｒ６結果: #DIV/0!   (=E9/D9 with D9 empty)
```
Correct the formula or the cells it uses so that it shows a value.

## Fix safety
No fix: what the formula should compute is not known.",
    doc_ja: "## 何をするか
セルが Excel のエラー値（`#DIV/0!`、`#REF!`、`#VALUE!`、`#N/A`、`#NAME?`、`#NUM!`、`#NULL!`、
`#SPILL!`、ほかに `#CALC!`、`#GETTING_DATA`）の項目を報告します。ブックにエラーとして保存
されている場合も、CSV・JSON に文字として書かれている場合も対象です。

## なぜ
エラー値は結果ではなく、数式の失敗（0 での割り算、参照先のセルの削除など）です。文字として
読むと「推進」のような数値でない結果として通ってしまい、評価が確かめられません。

## 例
```text
F9 Ｒ６結果: #DIV/0!   （=E9/D9 で D9 が空欄）
```
値が表示されるように、数式か参照先のセルを直してください。

## 修正の安全性
自動修正はありません。数式が何を計算すべきかは分からないためです。",
    check: check,
}

/// Excel's error values, as cells show them.
pub(crate) const ERROR_VALUES: [&str; 10] =
    ["#DIV/0!", "#REF!", "#VALUE!", "#N/A", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!", "#GETTING_DATA"];

fn check(cx: &SheetCtx<'_>, out: &mut Vec<Finding>) {
    each_field(cx, |loc, text| {
        let typed = loc.typed(cx.doc);
        let is_error = typed.is_some_and(|t| t.kind == CellKind::Error)
            || (text.contains('#') && ERROR_VALUES.contains(&text.trim()));
        if !is_error {
            return;
        }
        let (ja, en) = (loc.field.label_ja(), loc.field.label_en());
        let shown = text.trim();
        let message = match typed.and_then(|t| t.formula.as_deref()) {
            Some(formula) => Msg::new(
                format!("「{ja}」の数式 ={formula} がエラー値 {shown} になっています"),
                format!("the {en} is the formula ={formula}, which gives the error value {shown}"),
            ),
            None => {
                Msg::new(format!("「{ja}」がエラー値 {shown} です"), format!("the {en} is the error value {shown}"))
            }
        };
        let mut x = finding(&RULE, loc, message);
        x.span = Some(trimmed_span(text));
        x.help = Some(Msg::new(
            "値が表示されるように、数式か参照先のセルを直してください",
            "correct the formula or the cells it uses so that it shows a value",
        ));
        out.push(x);
    });
}

#[cfg(test)]
mod tests {
    use crate::model::{CellKind, Field, TypedCell};
    use crate::rules::testing::*;

    #[test]
    fn fires_on_error_values_typed_or_written() {
        let d = doc_one("80%", "#DIV/0!");
        assert_eq!(codes_at(&d, "GS702"), vec!["result".to_string()]);
        let mut d = doc_one("#REF!", "77.7%");
        d.sheets[0].entries[0].indicators[0].typed.set(
            Field::Target,
            TypedCell {
                kind: CellKind::Error,
                number: None,
                format: None,
                formula: Some("E9/D9".into()),
                stale: false,
            },
        );
        let f = findings_of(&d, "GS702");
        assert_eq!(f.len(), 1);
        assert!(f[0].message.ja.contains("=E9/D9") && f[0].message.ja.contains("#REF!"));
    }

    #[test]
    fn quiet_on_text_that_only_mentions_a_hash() {
        let mut d = doc_one("80%", "77.7%");
        d.sheets[0].entries[0].indicators[0].status = "#N/A の件数を減らしました".into();
        assert!(findings_of(&d, "GS702").is_empty());
    }
}
