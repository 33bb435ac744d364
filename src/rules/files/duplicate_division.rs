//! GS803 duplicate-division.

use crate::finding::{Finding, Location};
use crate::lang::Msg;
use crate::merge::Disagreement;
use crate::model::Field;
use crate::rules::common::trimmed_span;
use crate::rules::files::FilesCtx;
use crate::rules::finding;

declare_rule! {
    code: "GS803",
    name: "duplicate-division",
    title: ("課の重複", "duplicate division"),
    family: Files,
    severity: Error,
    fix: None,
    summary: ("同じ課のシートが複数あります（統合できません）", "The same division appears more than once (merge would refuse)"),
    doc_en: "## What it does
When several files are checked together, reports every sheet after the first of a division
that already appeared (組織名（準部・課・機関名）, compared as a person would). A department
file written by merge (with 集計 and 一覧) among the divisions' files is not compared: its
sheets are the last merge's copies, which merge replaces with the divisions' own files. Nor
is a workbook checked together with its corrected copy (`fix` without --out-dir writes
`課.corrected.xlsx` beside `課.xlsx`): merge takes the copy in its place.

## Why
`goalsheet merge` takes each division once and refuses a second sheet of the same division:
which one is the right one is for the office to decide (an old version, a copy, a misnamed
division).

## Example
`広聴相談課.xlsx` and `広聴相談課（修正版）.xlsx` both hold 広聴相談課: the second is reported.

## Fix safety
No fix: keep only the right file in the folder, or correct the division's name if it is
mistyped.",
    doc_ja: "## 何をするか
複数のファイルをまとめて検査したとき、すでに出てきた課（組織名（準部・課・機関名）。全角・
半角と空白は区別しません）のシートを、2枚目以降すべて報告します。課のファイルと一緒にある部の
ファイル（merge が書いた、集計と一覧のあるもの）は比べません。そのシートは前回の統合の写しで、
統合では各課のファイルのシートに置き換わります。修正したブック（--out-dir なしの fix が
`課.xlsx` の隣に書く `課.corrected.xlsx`）と一緒にある元のブックも比べません。統合では修正した
ブックが代わりに使われます。

## なぜ
`goalsheet merge` は各課を一度だけ取り込み、同じ課の2枚目があると統合を断ります。どちらが
正しいか（古い版、コピー、課名の誤り）は庶務担当が判断することです。

## 例
`広聴相談課.xlsx` と `広聴相談課（修正版）.xlsx` の両方に広聴相談課があれば、後の方を報告します。

## 修正の安全性
自動修正はありません。正しいファイルだけをフォルダに残すか、課名の誤りなら直してください。",
    check_files: check,
}

fn check(cx: &FilesCtx<'_>, out: &mut Vec<(usize, Finding)>) {
    for (i, d) in &cx.disagreements {
        let Disagreement::Division { first, first_file } = d else { continue };
        let Some((doc, sheet)) = cx.at(*i) else { continue };
        let Some(s) = cx.docs.get(doc).and_then(|d| d.sheets.get(sheet)) else { continue };
        let division = s.division.trim();
        // The division twice in one workbook (a copy kept, perhaps hidden): a sheet goes. Said
        // without the file's name, which `fix` would otherwise write into 検証結果 as given
        // (its folder, and `課.corrected.xlsx` when the corrected workbook is fixed again).
        let key = crate::merge::same_name_key(&s.division);
        let same_book = cx.docs[doc]
            .sheets
            .iter()
            .enumerate()
            .find(|(k, other)| *k != sheet && crate::merge::same_name_key(&other.division) == key)
            .filter(|_| first_file.is_some() && *first_file == cx.docs[doc].source)
            .map(|(_, other)| other.sheet.as_str());
        let message = match same_book {
            Some(other) => Msg::new(
                format!(
                    "「{division}」のシートはこのブックのシート「{other}」にもあります。このままでは統合できません"
                ),
                format!("“{division}” is also in this workbook's sheet “{other}”: merge would refuse it"),
            ),
            None => Msg::new(
                format!("「{division}」のシートは {first} にもあります。このままでは統合できません"),
                format!("“{division}” is also in {first}: merge would refuse it"),
            ),
        };
        let mut x = finding(&RULE, Location::sheet(sheet, Field::Division), message);
        x.span = Some(trimmed_span(&s.division));
        x.label = Some(Msg::new("2枚目", "second sheet"));
        let help = same_book.map(|other| {
            Msg::new(
                format!(
                    "このブックには同じ課のシート「{other}」もあります。提出するシートだけを残し、もう一方をブックから削除してください（見えないときは、非表示のシートです。シート見出しを右クリックして［再表示］）"
                ),
                format!(
                    "this workbook holds the division's sheet “{other}” too: keep the sheet to submit and delete the other from the workbook (if you cannot see it, it is hidden: right-click a sheet tab → Unhide)"
                ),
            )
        });
        x.help = Some(help.unwrap_or_else(|| {
            Msg::new(
                "正しい方のファイルだけを残すか、課名の誤りなら直してください",
                "keep only the right file, or correct the division's name if it is mistyped",
            )
        }));
        out.push((doc, x));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::files::tests::{codes, division};

    #[test]
    fn fires_on_every_later_copy() {
        let docs = [
            division("a.xlsx", "市民生活部", "令和6年度", "広聴相談課"),
            division("b.xlsx", "市民生活部", "令和6年度", "市民協働課"),
            division("c.xlsx", "市民生活部", "令和6年度", "広聴相談課"),
            division("d.xlsx", "市民生活部", "令和6年度", "広聴 相談課"),
        ];
        assert_eq!(codes(&docs), vec![(2, "GS803"), (3, "GS803")]);
        let f = crate::rules::files::check_files(&docs);
        assert!(f[0].1.message.ja.contains("a.xlsx"), "{}", f[0].1.message.ja);
    }

    /// `fix` without --out-dir writes the corrected copy beside the original: merge takes the
    /// copy in its place, so the pair is no second sheet. A copy in another folder, or a file
    /// named like a corrected version by hand, is.
    #[test]
    fn a_workbook_beside_its_corrected_copy_is_no_duplicate() {
        let found = |a: &str, b: &str| {
            let docs = [
                division(a, "市民生活部", "令和6年度", "広聴相談課"),
                division(b, "市民生活部", "令和6年度", "広聴相談課"),
            ];
            crate::rules::files::check_files(&docs).len()
        };
        assert_eq!(found("提出/広聴相談課.corrected.xlsx", "提出/広聴相談課.xlsx"), 0);
        assert_eq!(found("提出/広聴相談課.xls", "提出/広聴相談課.corrected.xlsx"), 0);
        assert_eq!(found("提出/広聴相談課.xlsm", "提出/広聴相談課.corrected.xlsm"), 0);
        for (a, b) in [
            ("提出/広聴相談課.xlsx", "提出/広聴相談課（修正版）.xlsx"),
            ("旧/広聴相談課.corrected.xlsx", "提出/広聴相談課.xlsx"),
            ("提出/広聴相談課.xlsm", "提出/広聴相談課.corrected.xlsx"),
        ] {
            assert_eq!(found(a, b), 1, "{a} {b}");
        }
    }

    /// One workbook holding the division on two sheets (a copy kept, perhaps hidden): the help
    /// says to delete a sheet, not to keep "the right file"; merge's refusal says so too.
    #[test]
    fn two_sheets_of_one_workbook_are_told_to_delete_one() {
        let mut book = division("広聴相談課.xlsx", "市民生活部", "令和6年度", "広聴相談課");
        let mut copy = book.sheets[0].clone();
        copy.sheet = "元データ".into();
        book.sheets.push(copy);
        let f = crate::rules::files::check_files(std::slice::from_ref(&book));
        assert_eq!(f.len(), 1, "{f:?}");
        let help = f[0].1.help.clone().unwrap().en;
        let first = &book.sheets[0].sheet;
        assert!(
            help.contains(&format!("holds the division's sheet “{first}” too")) && help.contains("Unhide"),
            "{help}"
        );
        // Named by its sheet, not its file: `fix` writes the message into 検証結果, and a
        // corrected workbook fixed again has another file name.
        let message = f[0].1.message.en.clone();
        assert_eq!(message, format!("“広聴相談課” is also in this workbook's sheet “{first}”: merge would refuse it"));
        let e = crate::merge::merge_documents(vec![book], &Default::default()).unwrap_err();
        let why = e.message(crate::Lang::En);
        assert!(why.contains("広聴相談課.xlsx holds the division on two sheets"), "{why}");
    }

    #[test]
    fn quiet_on_distinct_divisions_and_blank_names() {
        let docs =
            [division("a.xlsx", "市民生活部", "令和6年度", ""), division("b.xlsx", "市民生活部", "令和6年度", "")];
        assert!(codes(&docs).is_empty());
    }
}
