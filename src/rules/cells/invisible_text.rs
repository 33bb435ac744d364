//! GS704 invisible-text.

use crate::finding::Finding;
use crate::lang::Msg;
use crate::rules::cells::{each_value_cell, quoted};
use crate::rules::{finding, SheetCtx};

declare_rule! {
    code: "GS704",
    name: "invisible-text",
    title: ("見えない文字色", "invisible text"),
    family: Cells,
    severity: Warning,
    fix: None,
    summary: ("値の文字が背景と同じ色で見えません", "A value is written in its background's colour"),
    doc_en: "## What it does
Reports each value of the sheet whose text is the colour of its background, or too close to it
to tell apart (.xlsx, .xls, .ods): white or a 5 % grey on a white cell, yellow on white, text on
a fill of its own colour.

## Why
Turning text white is a common way to hide it without deleting it: last year's figure kept
for reference, a remark meant for the division only. Nobody reviewing the sheet on screen or
on paper sees it, but goalsheet reads it like any other value: it is checked, counted and
written into the department file, in black there.

## Example
F14 (結果) `1,996件` in white font on an unfilled cell.

## Fix safety
No fix: whether the value is meant to be seen (give it back its colour) or to go (delete it)
is the division's decision.",
    doc_ja: "## 何をするか
シートの値のうち、文字の色が背景と同じか、見分けられないほど近いもの（塗りつぶしのないセルに
白や 5% の灰色、黄色の文字、または塗りつぶしと同じ色の文字）を報告します（.xlsx、.xls、.ods）。

## なぜ
文字を白くするのは、削除せずに隠すときによく使われる方法です（参考に残した前年度の数値、
課の中だけのメモなど）。画面でも印刷でも確認する人には見えませんが、goalsheet は他の値と
同じように読みます。検査され、集計で数えられ、部のファイルには黒い文字で入ります。

## 例
F14（結果）の `1,996件` が、塗りつぶしのないセルに白い文字で書かれている。

## 修正の安全性
自動修正はありません。見せる値なら文字の色を戻し、不要なら削除するかは課が決めることです。",
    check: check,
}

fn check(cx: &SheetCtx<'_>, out: &mut Vec<Finding>) {
    if cx.sheet.invisible.is_empty() {
        return;
    }
    let invisible: std::collections::HashSet<_> = cx.sheet.invisible.iter().collect();
    for (location, cell) in each_value_cell(cx) {
        if !invisible.contains(&cell) {
            continue;
        }
        let shown = quoted(location.value(cx.doc).unwrap_or_default());
        let (ja, en) = (location.field.label_ja(), location.field.label_en());
        let mut x = finding(
            &RULE,
            location,
            Msg::new(
                format!("「{ja}」の「{shown}」は文字の色が背景と同じ（か見分けられないほど近い色）で、画面でも印刷でも見えません。この値も検査され、統合では部のファイルに入ります"),
                format!("the {en} “{shown}” is written in its background's colour (or one too close to tell apart): nobody sees it on screen or on paper, yet it is checked and goes into the department file"),
            ),
        );
        x.help = Some(Msg::new(
            "見せる値なら文字の色を戻し（［ホーム］→［フォントの色］→［自動］）、不要なら削除してください",
            "if it is meant to be seen, give the text its colour back (Home → Font Color → Automatic); if not, delete it",
        ));
        out.push(x);
    }
}

#[cfg(test)]
mod tests {
    use crate::address::CellRef;
    use crate::model::Field;
    use crate::rules::testing::*;

    #[test]
    fn fires_once_per_invisible_cell_of_a_value() {
        let mut d = doc_one("8件", "10件");
        let ind = &mut d.sheets[0].entries[0].indicators[0];
        ind.cells.set(Field::Target, CellRef::parse("E8").unwrap());
        ind.cells.set(Field::Result, CellRef::parse("F8").unwrap());
        assert!(findings_of(&d, "GS704").is_empty(), "nothing invisible");
        // A cell that holds no value of the sheet (a helper list beside the table) is not ours.
        d.sheets[0].invisible = vec![CellRef::parse("M8").unwrap()];
        assert!(findings_of(&d, "GS704").is_empty());
        d.sheets[0].invisible = vec![CellRef::parse("F8").unwrap()];
        let f = findings_of(&d, "GS704");
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].location.indicator, f[0].location.field), (Some(0), Field::Result));
        assert!(f[0].message.ja.starts_with("「結果」の「10件」は文字の色が背景と同じ"), "{}", f[0].message.ja);
    }
}
