//! GS407 no-target-for-year.

use crate::finding::Finding;
use crate::grammar::year::parse_header_year;
use crate::lang::Msg;
use crate::model::Field;
use crate::rules::date::{header_year_finding, year_names};
use crate::rules::SheetCtx;

declare_rule! {
    code: "GS407",
    name: "no-target-for-year",
    title: ("年度の列なし", "no column for the year"),
    family: Date,
    severity: Error,
    fix: None,
    summary: ("目標・結果の列が複数あり、年度の列がありません", "Several target/result columns, none for the fiscal year"),
    doc_en: "## What it does
On a sheet whose table has several `Ｒn目標` / `Ｒn結果` columns (last year's shown beside this
year's), the pair whose year is the sheet's 年度 is read as the target and result, and the
others are kept as they are. This rule reports a sheet where no column is for its 年度.

## Why
Without a column for the year, goalsheet would have to guess which figures are this year's;
reading last year's as this year's judges the grades against the wrong figures.

## Example
年度 `令和7年度`, headers `Ｒ５目標` `Ｒ５結果` `Ｒ６目標` `Ｒ６結果` → add (or rename to)
`Ｒ７目標` / `Ｒ７結果`, or correct 年度.

## Fix safety
No fix: whether the headers or 年度 are wrong is not known.",
    doc_ja: "## 何をするか
表に「Ｒn目標」「Ｒn結果」の列が複数ある（前年度の列を並べて残している）シートでは、「年度」と
同じ年の列を目標・結果として読み、ほかの列はそのまま残します。このルールは、どの列も「年度」
の年でないシートを報告します。

## なぜ
年度の列がなければ、どれが今年度の数値かを推測するしかありません。前年度の数値を今年度の
ものとして読むと、評価を違う数値で判定してしまいます。

## 例
年度が `令和7年度` で見出しが `Ｒ５目標` `Ｒ５結果` `Ｒ６目標` `Ｒ６結果` → `Ｒ７目標` /
`Ｒ７結果` の列を設ける（見出しを直す）か、年度を直してください。

## 修正の安全性
自動修正はありません。見出しと年度のどちらが誤りか分からないためです。",
    check: check,
}

/// Whether the sheet has several target/result columns and none of one kind (`field`: the
/// target or the result header) is for its year: then this rule reports it, and GS402 does
/// not repeat it.
pub(crate) fn applies(cx: &SheetCtx<'_>, field: Field) -> bool {
    let Some(year) = cx.year else { return false };
    let is_target = |t: &str| crate::read::locate::normalize(t).contains("目標");
    let mut of_kind =
        cx.sheet.year_labels.iter().filter(|c| is_target(&c.text) == (field == Field::TargetLabel)).peekable();
    of_kind.peek().is_some() && of_kind.all(|c| parse_header_year(&c.text) != Some(year))
}

fn check(cx: &SheetCtx<'_>, out: &mut Vec<Finding>) {
    let Some(year) = cx.year else { return };
    for f in [Field::TargetLabel, Field::ResultLabel] {
        if !applies(cx, f) {
            continue;
        }
        let (yja, yen) = year_names(year);
        let found: Vec<String> =
            cx.sheet.year_labels.iter().map(|c| format!("{}（{}）", c.text.trim(), c.cell)).collect();
        let found_en: Vec<String> =
            cx.sheet.year_labels.iter().map(|c| format!("“{}” ({})", c.text.trim(), c.cell)).collect();
        let (kja, ken) = if f == Field::TargetLabel { ("目標", "target") } else { ("結果", "result") };
        let message = Msg::new(
            format!("{yja}の{kja}の列がありません（見出し: {}）", found.join("、")),
            format!("no {ken} column is for {yen} (headers: {})", found_en.join(", ")),
        );
        let x = header_year_finding(&RULE, cx, f, year, message, |want| {
            Msg::new(
                format!("「{want}」の列を設けるか、年度を確かめてください。今は一番左の列を{kja}として読んでいます"),
                format!(
                    "add a “{want}” column or check the fiscal year; the leftmost column is read as the {ken} for now"
                ),
            )
        });
        out.push(x);
    }
}

#[cfg(test)]
mod tests {
    use crate::address::CellRef;
    use crate::model::RawCell;
    use crate::rules::testing::*;

    fn labels(texts: &[&str]) -> Vec<RawCell> {
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| RawCell { cell: CellRef::new(6, 4 + i as u32), text: t.to_string(), typed: None })
            .collect()
    }

    #[test]
    fn fires_when_no_pair_is_for_the_year() {
        let mut d = doc_one("8件", "10件");
        d.sheets[0].fiscal_year = "令和7年度".into();
        d.sheets[0].target_label = "Ｒ５目標".into();
        d.sheets[0].result_label = "Ｒ５結果".into();
        d.sheets[0].year_labels = labels(&["Ｒ５目標", "Ｒ５結果", "Ｒ６目標", "Ｒ６結果"]);
        assert_eq!(codes_at(&d, "GS407"), vec!["target_label".to_string(), "result_label".to_string()]);
        assert!(codes_at(&d, "GS402").is_empty(), "said once");
    }

    #[test]
    fn quiet_when_a_pair_is_for_the_year_or_there_is_one_pair() {
        let mut d = doc_one("8件", "10件");
        d.sheets[0].target_label = "Ｒ６目標".into();
        d.sheets[0].result_label = "Ｒ６結果".into();
        d.sheets[0].year_labels = labels(&["Ｒ５目標", "Ｒ５結果", "Ｒ６目標", "Ｒ６結果"]);
        assert!(findings_of(&d, "GS407").is_empty());
        let mut d = doc_one("8件", "10件");
        d.sheets[0].target_label = "Ｒ５目標".into();
        assert!(findings_of(&d, "GS407").is_empty());
        assert_eq!(codes_at(&d, "GS402"), vec!["target_label".to_string()], "one pair: GS402 says it");
    }
}
