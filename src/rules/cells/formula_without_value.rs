//! GS701 formula-without-value.

use crate::finding::Finding;
use crate::lang::Msg;
use crate::rules::cells::each_field;
use crate::rules::{finding, SheetCtx};

declare_rule! {
    code: "GS701",
    name: "formula-without-value",
    title: ("未計算の数式", "uncomputed formula"),
    family: Cells,
    severity: Error,
    fix: None,
    summary: ("数式の計算結果が保存されていません", "A formula's result was never computed"),
    doc_en: "## What it does
Reports a cell holding a formula whose result is not in the file: the formula was written by a
program (not Excel) that saved no result, or that saved a placeholder (0 or empty text) and
asked Excel to recalculate everything when the file is opened. goalsheet reads the values Excel
saved, so it cannot know what such a cell shows.

## Why
Without it, the cell reads as blank (\"fill in the result\") or as the placeholder 0, and the
grade is judged against a figure nobody wrote. The result is there in Excel; it only has to be
computed and saved.

## Example
```text
F9 Ｒ６結果: =E9+18 (no saved result)
```
Open the workbook in Excel and save it: Excel computes the formula and saves its result.

## Fix safety
No fix: `fix` never writes over a formula.",
    doc_ja: "## 何をするか
数式の計算結果がファイルに保存されていないセルを報告します。Excel 以外のプログラムが結果を
保存せずに数式だけを書いたときや、仮の値（0 や空の文字）を置いて「開くときに再計算する」
設定にしたときに起きます。goalsheet は Excel が保存した値を読むため、このセルに何が表示
されるかが分かりません。

## なぜ
このままでは、セルは空欄（「結果を記入してください」）や仮の 0 として読まれ、誰も書いていない
数値で評価が判定されます。結果は Excel で計算すれば表示されます。計算して保存するだけです。

## 例
```text
F9 Ｒ６結果: =E9+18（計算結果が保存されていない）
```
ブックを Excel で開き、上書き保存してください。Excel が数式を計算し、結果を保存します。

## 修正の安全性
自動修正はありません。`fix` は数式を上書きしません。",
    check: check,
}

fn check(cx: &SheetCtx<'_>, out: &mut Vec<Finding>) {
    if cx.sheet.typed.is_empty()
        && cx.sheet.entries.iter().all(|e| e.typed.is_empty() && e.indicators.iter().all(|i| i.typed.is_empty()))
    {
        return;
    }
    each_field(cx, |loc, _| {
        let Some(t) = loc.typed(cx.doc).filter(|t| t.lacks_value()) else { return };
        let formula = t.formula.as_deref().unwrap_or_default();
        let (ja, en) = (loc.field.label_ja(), loc.field.label_en());
        let message = if t.stale {
            Msg::new(
                format!("「{ja}」の数式 ={formula} の計算結果が保存されていません（保存されている値は、ファイルを作ったプログラムが置いた仮の値です）"),
                format!("the {en} is the formula ={formula}, whose result was never saved (the value in the file is a placeholder left by the program that wrote it)"),
            )
        } else {
            Msg::new(
                format!("「{ja}」の数式 ={formula} の計算結果が保存されていません"),
                format!("the {en} is the formula ={formula}, whose result was never saved"),
            )
        };
        let mut x = finding(&RULE, loc, message);
        x.help = Some(Msg::new(
            "ブックを Excel で開いて上書き保存すると、計算結果が保存されます",
            "open the workbook in Excel and save it: Excel computes the formula and saves its result",
        ));
        out.push(x);
    });
}

#[cfg(test)]
mod tests {
    use crate::model::{CellKind, TypedCell};
    use crate::rules::testing::*;

    fn formula(kind: CellKind, number: Option<f64>, stale: bool) -> TypedCell {
        TypedCell { kind, number, format: None, formula: Some("E9+18".into()), stale }
    }

    #[test]
    fn fires_on_a_formula_without_a_saved_result_instead_of_blank() {
        let mut d = doc_one("300件", "");
        d.sheets[0].entries[0].indicators[0].result.clear();
        d.sheets[0].entries[0].indicators[0].target.clear();
        d.sheets[0].entries[0].indicators[0]
            .typed
            .set(crate::model::Field::Target, formula(CellKind::Empty, None, false));
        let f = findings_of(&d, "GS701");
        assert_eq!(f.len(), 1);
        assert!(f[0].message.ja.contains("=E9+18"), "{:?}", f[0].message);
        assert!(f[0].help.as_ref().is_some_and(|h| h.ja.contains("Excel で開いて")));
        assert!(!codes_at(&d, "GS101").contains(&"target".to_string()), "not reported as blank");
    }

    #[test]
    fn fires_on_a_stale_placeholder() {
        let mut d = doc_one("300件", "");
        d.sheets[0].entries[0].indicators[0].result.clear();
        d.sheets[0].entries[0].indicators[0]
            .typed
            .set(crate::model::Field::Result, formula(CellKind::Number, Some(0.0), true));
        let f = findings_of(&d, "GS701");
        assert_eq!(f.len(), 1);
        assert!(f[0].message.en.contains("placeholder"));
    }

    #[test]
    fn quiet_on_a_formula_with_its_result_and_on_plain_values() {
        let mut d = doc_one("300件", "318件");
        assert!(findings_of(&d, "GS701").is_empty());
        d.sheets[0].entries[0].indicators[0]
            .typed
            .set(crate::model::Field::Result, formula(CellKind::Number, Some(318.0), false));
        assert!(findings_of(&d, "GS701").is_empty());
    }
}
