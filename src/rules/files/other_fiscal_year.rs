//! GS802 other-fiscal-year.

use crate::finding::{Finding, Location};
use crate::lang::Msg;
use crate::merge::Disagreement;
use crate::model::Field;
use crate::rules::common::trimmed_span;
use crate::rules::files::FilesCtx;
use crate::rules::finding;

declare_rule! {
    code: "GS802",
    name: "other-fiscal-year",
    title: ("他の年度", "other fiscal year"),
    family: Files,
    severity: Error,
    fix: None,
    summary: ("他のファイルと年度が違います（統合できません）", "The fiscal year differs from the other files' (merge would refuse)"),
    doc_en: "## What it does
When several files are checked together, reports a sheet whose 年度 differs from the year most
of the sheets are of (ties: the first file's). Years are compared by meaning: `令和6年度`, `R6`
and `2024` are the same year.

## Why
`goalsheet merge` makes one department file for one fiscal year and refuses inputs of
different years; last year's sheet left in the folder, or kept in the workbook beside this
year's, is a common slip.

## Example
Five sheets say `令和6年度`, one says `令和5年度`: that one is reported.

## Fix safety
No fix: either the year is mistyped (correct it) or the file is another year's (take it out of
the folder).",
    doc_ja: "## 何をするか
複数のファイルをまとめて検査したとき、年度が他の多くのシート（同数なら先のファイル）と違う
シートを報告します。`令和6年度`、`R6`、`2024` は同じ年度として比べます。

## なぜ
`goalsheet merge` は一つの年度の部のファイルを作るため、違う年度のシートがあると統合を断ります。
前年度のシートがフォルダに残っている、またはブックに今年度のシートと並んで残っているのは
よくある誤りです。

## 例
5枚が `令和6年度`、1枚が `令和5年度` なら、その1枚を報告します。

## 修正の安全性
自動修正はありません。年度の書き誤りなら直し、別の年度のファイルならフォルダから外してください。",
    check_files: check,
}

fn check(cx: &FilesCtx<'_>, out: &mut Vec<(usize, Finding)>) {
    for (i, d) in &cx.disagreements {
        let Disagreement::FiscalYear { expected } = d else { continue };
        let Some((doc, sheet)) = cx.at(*i) else { continue };
        let Some(s) = cx.docs.get(doc).and_then(|d| d.sheets.get(sheet)) else { continue };
        // Last year's sheet kept in a workbook beside this year's (a reference copy): the
        // sheet, not the file, is what goes.
        let beside = cx.docs[doc].sheets.iter().enumerate().find(|(k, other)| {
            *k != sheet
                && crate::merge::same_name_key(&other.division) == crate::merge::same_name_key(&s.division)
                && !cx.disagreements.iter().any(|(j, _)| cx.at(*j) == Some((doc, *k)))
        });
        let year = s.fiscal_year.trim();
        let mut x = finding(
            &RULE,
            Location::sheet(sheet, Field::FiscalYear),
            Msg::new(
                format!("年度「{year}」は、他のシートの「{expected}」と違います。このままでは統合できません"),
                format!("the fiscal year “{year}” differs from the other sheets' “{expected}”: merge would refuse it"),
            ),
        );
        x.span = Some(trimmed_span(&s.fiscal_year));
        x.label = Some(Msg::new(format!("「{expected}」ではない"), format!("not “{expected}”")));
        x.help = Some(match beside {
            Some((_, this_year)) => Msg::new(
                format!(
                    "このブックには「{expected}」のシート「{}」もあります。別の年度のシート「{}」は、統合する前にブックから削除してください",
                    this_year.sheet, s.sheet
                ),
                format!(
                    "this workbook also holds the “{expected}” sheet “{}”: delete the other year's sheet “{}” from it before merging",
                    this_year.sheet, s.sheet
                ),
            ),
            None => Msg::new(
                "書き誤りなら年度を直し、別の年度のファイルならフォルダから外してください",
                "correct the year if it is mistyped, or take the file out if it is another year's",
            ),
        });
        out.push((doc, x));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::files::tests::{codes, division};

    #[test]
    fn fires_on_another_years_sheet() {
        let docs = [
            division("a.xlsx", "市民生活部", "令和6年度", "A課"),
            division("b.xlsx", "市民生活部", "令和5年度", "B課"),
            division("c.xlsx", "市民生活部", "R6", "C課"),
        ];
        assert_eq!(codes(&docs), vec![(1, "GS802")]);
    }

    /// Last year's sheet of a division kept in its workbook beside this year's is another
    /// year's sheet (GS802, whose help says to delete that sheet), not a second sheet of the
    /// division (GS803).
    #[test]
    fn last_years_sheet_beside_this_years_is_another_year_not_a_duplicate() {
        let mut a = division("a.xlsx", "市民生活部", "令和6年度", "A課");
        let mut last = a.sheets[0].clone();
        last.fiscal_year = "令和5年度".into();
        last.sheet = "R5（参考）".into();
        a.sheets[0].sheet = "A課".into();
        a.sheets.push(last);
        let docs = [a, division("b.xlsx", "市民生活部", "令和6年度", "B課")];
        assert_eq!(codes(&docs), vec![(0, "GS802")]);
        let f = crate::rules::files::check_files(&docs);
        assert!(
            f[0].1.help.as_ref().is_some_and(|h| h.ja.contains("「R5（参考）」は、統合する前にブックから削除")),
            "{:?}",
            f[0].1.help
        );
    }

    #[test]
    fn quiet_on_the_same_year_written_differently() {
        let docs =
            [division("a.xlsx", "市民生活部", "令和6年度", "A課"), division("b.xlsx", "市民生活部", "2024", "B課")];
        assert!(codes(&docs).is_empty());
    }
}
