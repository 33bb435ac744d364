//! GS705 struck-through-text.

use crate::finding::Finding;
use crate::lang::Msg;
use crate::rules::cells::{each_value_cell, quoted};
use crate::rules::{finding, SheetCtx};

declare_rule! {
    code: "GS705",
    name: "struck-through-text",
    title: ("見え消し", "struck-through text"),
    family: Cells,
    severity: Warning,
    fix: None,
    summary: ("値に取り消し線の文字（見え消し）があります", "A value holds struck-through text (a correction left visible)"),
    doc_en: "## What it does
Reports each value of the sheet holding text struck through (.xlsx, .xls, .ods): a run of the cell's text,
or the whole cell.

## Why
Striking through the old text and writing the new beside it (見え消し) is how an office shows
a correction for review. goalsheet reads the struck text as part of the value: `1,700件
1,600件` is no number, so the grade is not checked against the target, and the department
file's 一覧 (one value per cell) lists both as the value, without a figure; a row struck
through is counted like any other. The division's sheet in the department file keeps the
line.

## Example
E13 (目標) `1,700件 1,600件` with `1,700件` struck through; a dropped indicator's row struck
through instead of deleted.

## Fix safety
No fix: in the version submitted, delete the struck text (or the row) by hand.",
    doc_ja: "## 何をするか
シートの値のうち、取り消し線の引かれた文字があるもの（セルの文字の一部、またはセル全体）を
報告します（.xlsx、.xls、.ods）。

## なぜ
古い文字に取り消し線を引いて新しい文字を書き添える見え消しは、修正を確認してもらうときの
書き方です。goalsheet は取り消し線の文字も値の一部として読みます。`1,700件 1,600件` は数値として
読めないため評価は目標と照合されず、部のファイルの一覧（1セル1値の表）には数値なしで両方の文字が
値として入ります。取り消し線を引いた行も、ほかの行と同じように数えられます。部のファイルの課の
シートでは取り消し線は残ります。

## 例
E13（目標）が `1,700件 1,600件` で、`1,700件` に取り消し線が引かれている。やめた指標の行を削除せず
取り消し線を引いている。

## 修正の安全性
自動修正はありません。提出する版では、取り消した文字（または行）を手で削除してください。",
    check: check,
}

fn check(cx: &SheetCtx<'_>, out: &mut Vec<Finding>) {
    if cx.sheet.struck.is_empty() {
        return;
    }
    let struck_at: std::collections::HashMap<_, _> = cx.sheet.struck.iter().map(|s| (s.cell, s)).collect();
    for (location, cell) in each_value_cell(cx) {
        let Some(struck) = struck_at.get(&cell) else { continue };
        let value = location.value_in(cx.sheet).unwrap_or_default();
        let text = struck.text.trim();
        let shown = quoted(text);
        let (ja, en) = (location.field.label_ja(), location.field.label_en());
        let whole = text == value.trim();
        let mut x = finding(
            &RULE,
            location,
            Msg::new(
                format!("「{ja}」の「{shown}」に取り消し線が引かれています（見え消し）。goalsheet は取り消し線の文字も値の一部として読みます（評価の確認でも部のファイルの一覧でも、ほかの文字と区別されません）"),
                format!("the {en}'s “{shown}” is struck through (a correction left visible): goalsheet reads it as part of the value (neither the grade check nor the department file's 一覧 tells it from the rest)"),
            ),
        );
        if let (false, Some(at)) = (whole, value.find(text).filter(|_| !text.is_empty())) {
            x.span = Some(at..at + text.len());
            x.label = Some(Msg::new("取り消し線", "struck through"));
        }
        x.help = Some(Msg::new(
            "提出する版では、取り消した文字を削除してください（行全体なら行を削除）",
            "in the version submitted, delete the struck-through text (or the row, if all of it is struck)",
        ));
        out.push(x);
    }
}

#[cfg(test)]
mod tests {
    use crate::address::CellRef;
    use crate::model::{CellText, Field};
    use crate::rules::testing::*;

    #[test]
    fn fires_on_struck_text_of_a_value_pointing_at_it() {
        let mut d = doc_one("1,700件 1,600件", "1,650件");
        let ind = &mut d.sheets[0].entries[0].indicators[0];
        ind.cells.set(Field::Target, CellRef::parse("E8").unwrap());
        ind.cells.set(Field::Result, CellRef::parse("F8").unwrap());
        assert!(findings_of(&d, "GS705").is_empty(), "nothing struck");
        let struck = |cell: &str, text: &str| CellText { cell: CellRef::parse(cell).unwrap(), text: text.into() };
        d.sheets[0].struck = vec![struck("M8", "メモ")];
        assert!(findings_of(&d, "GS705").is_empty(), "not a value of the sheet");
        d.sheets[0].struck = vec![struck("E8", "1,700件")];
        let f = findings_of(&d, "GS705");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].location.field, Field::Target);
        assert_eq!(f[0].span, Some(0.."1,700件".len()));
        assert!(f[0].message.ja.starts_with("「目標」の「1,700件」に取り消し線"), "{}", f[0].message.ja);
        d.sheets[0].struck = vec![struck("F8", "1,650件")];
        assert_eq!(findings_of(&d, "GS705")[0].span, None, "the whole value");
    }
}
