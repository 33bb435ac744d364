//! GS102 missing-evaluation-field.

use crate::finding::Finding;
use crate::model::Field;
use crate::rules::structure::{report_blank, Required};
use crate::rules::{SheetCtx, Stage};

declare_rule! {
    code: "GS102",
    name: "missing-evaluation-field",
    title: ("評価時の空欄", "empty evaluation field"),
    family: Structure,
    severity: Error,
    fix: None,
    summary: ("評価時に必要な項目が空欄です", "A field needed at evaluation is empty"),
    doc_en: "## What it does
At the evaluation stage, reports empty 評価日, 評価 (grade), results (Ｒ６結果), 目標達成状況 and
今後の方針. A sheet is at the evaluation stage as soon as any result, grade, narrative or 評価日
is filled in; `--stage evaluation` checks every sheet at that stage.
A 目標達成状況 or 今後の方針 left blank on a later row of an entry shares the one above it (as
the official layout's merged cell does, or a merge removed leaves it).

## Why
A half-evaluated sheet is the most common reason a department office sends a sheet back.

## Example
```text
F9 Ｒ６結果: 318件 | I9 評価: (empty)
```
Write the grade: ○, △ or ×.

## Fix safety
No fix: only the division knows the result.",
    doc_ja: "## 何をするか
評価時のシートで「評価日」「評価」「Ｒ６結果」「目標達成状況」「今後の方針」が空欄のときに報告
します。結果・評価・目標達成状況・評価日のどれか一つでも記入されていれば評価時のシートと
みなします。`--stage evaluation` を付けるとすべてのシートを評価時として検査します。
一つの目標の2行目以降で空欄の「目標達成状況」「今後の方針」は、上の行と共通とみなします（公式の
様式のセル結合や、結合を解除したときと同じ）。

## なぜ
評価の記入漏れは、部の取りまとめでシートを差し戻す一番多い理由です。

## 例
```text
F9 Ｒ６結果: 318件 | I9 評価: (空欄)
```
評価（○・△・×）を記入してください。

## 修正の安全性
自動修正はありません。結果は課にしか分かりません。",
    check: check,
}

fn check(cx: &SheetCtx<'_>, out: &mut Vec<Finding>) {
    if cx.stage != Stage::Evaluation {
        return;
    }
    let required = Required {
        sheet: &[Field::Evaluated],
        entry: &[Field::Grade],
        indicator: &[Field::Result, Field::Status, Field::Policy],
        may_share: &[Field::Status, Field::Policy],
    };
    report_blank(&RULE, cx, &required, out);
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use crate::rules::{CheckOptions, Stage};

    #[test]
    fn fires_on_a_half_evaluated_sheet() {
        let mut d = doc_one("80%", "85%");
        d.sheets[0].entries[0].grade.clear();
        assert_eq!(codes_at(&d, "GS102"), vec!["grade".to_string()]);
    }

    #[test]
    fn quiet_at_plan_stage_unless_asked() {
        let mut d = doc_one("80%", "");
        d.sheets[0].evaluated.clear();
        d.sheets[0].entries[0].grade.clear();
        d.sheets[0].entries[0].indicators[0].status.clear();
        d.sheets[0].entries[0].indicators[0].policy.clear();
        assert!(codes_at(&d, "GS102").is_empty());
        let forced = CheckOptions { stage: Some(Stage::Evaluation) };
        assert_eq!(codes_at_with(&d, "GS102", &forced).len(), 5);
    }

    /// The rows of an entry share the first row's narrative when theirs are blank (a merge
    /// removed leaves the text in the first row only); a blank first row is still reported.
    #[test]
    fn a_blank_continuation_row_shares_the_first_rows_narrative() {
        let mut d = doc_entry("○", &[("8件", "10件"), ("5件", "6件")]);
        let rows = &mut d.sheets[0].entries[0].indicators;
        rows[1].status.clear();
        rows[1].policy.clear();
        assert!(codes_at(&d, "GS102").is_empty());
        let rows = &mut d.sheets[0].entries[0].indicators;
        rows[0].status.clear();
        rows[1].status = "実施しました。".into();
        assert_eq!(codes_at(&d, "GS102"), vec!["status".to_string()]);
    }
}
