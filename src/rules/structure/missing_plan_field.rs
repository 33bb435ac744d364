//! GS101 missing-plan-field.

use crate::finding::Finding;
use crate::model::Field;
use crate::rules::structure::{report_blank, Required};
use crate::rules::SheetCtx;

declare_rule! {
    code: "GS101",
    name: "missing-plan-field",
    title: ("作成時の空欄", "empty plan field"),
    family: Structure,
    severity: Error,
    fix: None,
    summary: ("作成時に必要な項目が空欄です", "A field needed when the plan is made is empty"),
    doc_en: "## What it does
Reports empty fields that every sheet needs from the plan stage on: 年度, 作成日, 組織名（部）,
組織名（準部・課・機関名） in the header; 組織目標 for each No.; 取組指標, the target
(Ｒ６目標) and 取組名称（事業名） for each indicator row.
A 取組名称 left blank on a later row of an entry shares the one above it. A department or
division still named with the form's placeholder (`○○課`, `〇〇部`) is reported as not filled in.

## Why
The department office merges the divisions' sheets by department and year, and reads each goal
with its indicator and target. A sheet without them cannot be merged or evaluated.

## Example
A row whose Ｒ６目標 cell is empty:
```text
C8 取組指標: 改善実践数 | E8 Ｒ６目標: (empty)
```
Write the target, e.g. `8件`.

## Fix safety
No fix: only the division knows what to write.",
    doc_ja: "## 何をするか
作成時から必要な項目が空欄のときに報告します。見出しの「年度」「作成日」「組織名（部）」
「組織名（準部・課・機関名）」、各No.の「組織目標」、各指標行の「取組指標」「Ｒ６目標」
「取組名称（事業名）」です。
一つの目標の2行目以降で空欄の「取組名称（事業名）」は、上の行と共通とみなします。
組織名が様式の仮の名前（`○○課`、`〇〇部`）のままのものも、記入されていないものとして報告します。

## なぜ
部の取りまとめでは、部と年度ごとに各課のシートを統合し、目標・指標・目標値を読みます。
これらが空欄のシートは統合も評価もできません。

## 例
「Ｒ６目標」が空欄の行:
```text
C8 取組指標: 改善実践数 | E8 Ｒ６目標: (空欄)
```
目標値（例: `8件`）を記入してください。

## 修正の安全性
自動修正はありません。何を書くかは課にしか分かりません。",
    check: check,
}

fn check(cx: &SheetCtx<'_>, out: &mut Vec<Finding>) {
    let required = Required {
        sheet: &[Field::FiscalYear, Field::Created, Field::Department, Field::Division],
        entry: &[Field::Goal],
        indicator: &[Field::Name, Field::Target, Field::Initiative],
        may_share: &[Field::Initiative],
    };
    report_blank(&RULE, cx, &required, out);
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires_on_empty_plan_fields() {
        let mut d = doc_one("80%", "");
        d.sheets[0].created.clear();
        d.sheets[0].entries[0].indicators[0].target = "  ".into();
        let got = codes_at(&d, "GS101");
        assert_eq!(got, vec!["created".to_string(), "target".to_string()]);
    }

    #[test]
    fn fires_on_the_forms_placeholder_names() {
        for (department, division) in [("〇〇部", "○○課"), ("市民生活部", "××センター")] {
            let mut d = doc_one("80%", "");
            d.sheets[0].department = department.into();
            d.sheets[0].division = division.into();
            let got = codes_at(&d, "GS101");
            assert!(got.contains(&"division".to_string()), "{division}: {got:?}");
        }
        let mut d = doc_one("80%", "");
        d.sheets[0].division = "○推進課".into();
        d.sheets[0].department = "市民生活部".into();
        assert!(codes_at(&d, "GS101").is_empty(), "one mark is a name");
    }

    #[test]
    fn quiet_on_a_complete_plan_and_on_optional_fields() {
        let mut d = doc_one("80%", "");
        d.sheets[0].entries[0].indicators[0].plan_ref.clear();
        d.sheets[0].policy_indicators.clear();
        assert!(codes_at(&d, "GS101").is_empty());
    }
}
