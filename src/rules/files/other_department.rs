//! GS801 other-department.

use crate::finding::{Finding, Location};
use crate::lang::Msg;
use crate::merge::Disagreement;
use crate::model::Field;
use crate::rules::common::trimmed_span;
use crate::rules::files::FilesCtx;
use crate::rules::finding;

declare_rule! {
    code: "GS801",
    name: "other-department",
    title: ("他の部", "other department"),
    family: Files,
    severity: Error,
    fix: None,
    summary: ("他のファイルと部が違います（統合できません）", "The department differs from the other files' (merge would refuse)"),
    doc_en: "## What it does
When several files are checked together, reports a sheet whose 組織名（部） differs from the
department most of the sheets name (ties: the first file's). Names are compared as a person
would: full-width and half-width alike, spaces ignored.

## Why
`goalsheet merge` makes one department file and refuses inputs of different departments, so a
folder that checks clean must merge clean: the office learns about the stray file now, at its
cell, not when merging.

## Example
Five sheets say `市民生活部`, one says `市民生活局`: that one is reported.

## Fix safety
No fix: either the name is mistyped (correct it) or the file belongs to another department
(take it out of the folder).",
    doc_ja: "## 何をするか
複数のファイルをまとめて検査したとき、組織名（部）が他の多くのシート（同数なら先のファイル）と
違うシートを報告します。全角・半角の違いと空白は区別しません。

## なぜ
`goalsheet merge` は一つの部のファイルを作るため、違う部のシートがあると統合を断ります。検査で
問題がなかったフォルダはそのまま統合できるべきなので、統合の時ではなく今、そのセルで知らせます。

## 例
5枚が `市民生活部`、1枚が `市民生活局` なら、その1枚を報告します。

## 修正の安全性
自動修正はありません。名前の書き誤りなら直し、別の部のファイルならフォルダから外してください。",
    check_files: check,
}

fn check(cx: &FilesCtx<'_>, out: &mut Vec<(usize, Finding)>) {
    for (i, d) in &cx.disagreements {
        let Disagreement::Department { expected } = d else { continue };
        let Some((doc, sheet)) = cx.at(*i) else { continue };
        let Some(s) = cx.docs.get(doc).and_then(|d| d.sheets.get(sheet)) else { continue };
        let mut x = finding(
            &RULE,
            Location::sheet(sheet, Field::Department),
            Msg::new(
                format!(
                    "部「{}」は、他のファイルの「{expected}」と違います。このままでは統合できません",
                    s.department.trim()
                ),
                format!(
                    "the department “{}” differs from the other files' “{expected}”: merge would refuse it",
                    s.department.trim()
                ),
            ),
        );
        x.span = Some(trimmed_span(&s.department));
        x.label = Some(Msg::new(format!("「{expected}」ではない"), format!("not “{expected}”")));
        x.help = Some(Msg::new(
            "書き誤りなら部の名前を直し、別の部のファイルならフォルダから外してください",
            "correct the name if it is mistyped, or take the file out if it belongs to another department",
        ));
        out.push((doc, x));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::files::tests::{codes, division};

    #[test]
    fn fires_on_the_odd_one_out() {
        let docs = [
            division("a.xlsx", "市民生活部", "令和6年度", "A課"),
            division("b.xlsx", "市民生活局", "令和6年度", "B課"),
            division("c.xlsx", "市民生活部", "令和6年度", "C課"),
        ];
        assert_eq!(codes(&docs), vec![(1, "GS801")]);
        let f = crate::rules::files::check_files(&docs);
        assert_eq!(f[0].1.location.field, crate::model::Field::Department);
        assert!(f[0].1.message.ja.contains("市民生活部"));
    }

    #[test]
    fn quiet_on_width_and_spaces() {
        let docs = [
            division("a.xlsx", "市民生活部", "令和6年度", "A課"),
            division("b.xlsx", "市民 生活部", "令和6年度", "B課"),
        ];
        assert!(codes(&docs).is_empty());
    }
}
