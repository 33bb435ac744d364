//! GS402 header-year-mismatch.

use crate::finding::Finding;
use crate::grammar::year::parse_header_year;
use crate::lang::Msg;
use crate::model::Field;
use crate::rules::common::trimmed_span;
use crate::rules::date::{header_year_finding, year_names};
use crate::rules::SheetCtx;

declare_rule! {
    code: "GS402",
    name: "header-year-mismatch",
    title: ("見出しの年", "header year"),
    family: Date,
    severity: Error,
    fix: None,
    summary: ("「Ｒ６目標」「Ｒ６結果」の見出しの年が年度と違います", "The year in the Ｒ６目標 / Ｒ６結果 headers differs from the fiscal year"),
    doc_en: "## What it does
Reports a `Ｒn目標` or `Ｒn結果` table header whose year is not the sheet's 年度 (a 令和6年度 sheet
says `Ｒ６目標`).

## Why
It is the usual sign of last year's sheet reused without updating the headers: the reader
cannot tell whether the targets are this year's.

## Example
年度 `令和7年度` with the header `Ｒ６目標` → write `Ｒ７目標` (or correct 年度).

## Fix safety
No fix: whether the header or 年度 is wrong is not known.",
    doc_ja: "## 何をするか
表の見出し「Ｒn目標」「Ｒn結果」の年が、シートの「年度」と違うときに報告します（令和6年度の
シートなら「Ｒ６目標」）。

## なぜ
前年度のシートを見出しを直さずに使い回したときによく起きます。目標が今年度のものか読み手に
分かりません。

## 例
年度が `令和7年度` で見出しが `Ｒ６目標` → `Ｒ７目標` と書いてください（または年度を直して
ください）。

## 修正の安全性
自動修正はありません。見出しと年度のどちらが誤りか分からないためです。",
    check: check,
}

fn check(cx: &SheetCtx<'_>, out: &mut Vec<Finding>) {
    let Some(year) = cx.year else { return };
    for f in [Field::TargetLabel, Field::ResultLabel] {
        let Some(label) = cx.sheet.field(f) else { continue };
        let Some(h) = parse_header_year(label) else { continue };
        if h == year || crate::rules::date::no_target_for_year::applies(cx, f) {
            continue;
        }
        let (yja, yen) = year_names(year);
        let (hja, hen) = year_names(h);
        let message = Msg::new(
            format!("見出し「{}」は{hja}を指していますが、年度は{yja}です", label.trim()),
            format!("the header “{}” names {hen}, but the sheet is for {yen}", label.trim()),
        );
        let mut x = header_year_finding(&RULE, cx, f, year, message, |want| {
            Msg::new(
                format!("見出しを「{want}」に直すか、年度を確かめてください"),
                format!("change the header to “{want}” or check the fiscal year"),
            )
        });
        x.span = Some(trimmed_span(label));
        out.push(x);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires_on_last_years_headers() {
        let mut d = doc_one("8件", "10件");
        d.sheets[0].fiscal_year = "令和7年度".into();
        d.sheets[0].target_label = "Ｒ６目標".into();
        d.sheets[0].result_label = "Ｒ７結果".into();
        assert_eq!(codes_at(&d, "GS402"), vec!["target_label".to_string()]);
    }

    #[test]
    fn quiet_when_headers_match_or_are_absent() {
        let mut d = doc_one("8件", "10件");
        assert!(findings_of(&d, "GS402").is_empty());
        d.sheets[0].target_label = "R6目標".into();
        d.sheets[0].result_label = "Ｒ６結果".into();
        assert!(findings_of(&d, "GS402").is_empty());
    }
}
