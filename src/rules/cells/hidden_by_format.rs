//! GS706 hidden-by-format.

use crate::finding::Finding;
use crate::lang::Msg;
use crate::rules::cells::{each_value_cell, quoted};
use crate::rules::{finding, SheetCtx};

declare_rule! {
    code: "GS706",
    name: "hidden-by-format",
    title: ("表示形式で隠れた値", "value hidden by its format"),
    family: Cells,
    severity: Warning,
    fix: None,
    summary: ("値がセルの表示形式で隠れて空欄に見えます", "A value is hidden by its cell's number format"),
    doc_en: "## What it does
Reports each value of the sheet that its cell's number format shows as nothing (.xlsx, .xls):
the format `;;;`, or a format whose section for zero (or for text) is left empty.

## Why
The cell looks empty on screen and on paper, and goalsheet reads it as it shows: empty
(GS101/GS102 say so, and the department file has nothing there). What it holds is seen only
in the formula bar: a figure hidden on purpose, or a format copied from another cell.

## Example
F15 (結果) holding `99校` under the format `;;;`; a result of 0 under `0;-0;;@`.

## Fix safety
No fix: whether the value is meant to be seen (set the format back to General) or to go is
the division's decision.",
    doc_ja: "## 何をするか
シートの値のうち、セルの表示形式で何も表示されないもの（表示形式 `;;;`、ゼロや文字列の部分が
空の表示形式）を報告します（.xlsx、.xls）。

## なぜ
セルは画面でも印刷でも空欄に見え、goalsheet も見えるとおり空欄として読みます（GS101・GS102 が
空欄と報告し、部のファイルでも空欄になります）。入っている値は数式バーでしか見えません。わざと
隠した値か、ほかのセルから表示形式を写してしまったものです。

## 例
F15（結果）に `99校` が入っていて、表示形式が `;;;`。結果の 0 の表示形式が `0;-0;;@`。

## 修正の安全性
自動修正はありません。見せる値なら表示形式を［標準］に戻すか、不要なら削除するかは課が決める
ことです。",
    check: check,
}

fn check(cx: &SheetCtx<'_>, out: &mut Vec<Finding>) {
    if cx.sheet.hidden_by_format.is_empty() {
        return;
    }
    let held: std::collections::HashMap<_, _> = cx.sheet.hidden_by_format.iter().map(|h| (h.cell, h)).collect();
    for (location, cell) in each_value_cell(cx) {
        let Some(hidden) = held.get(&cell) else { continue };
        let shown = quoted(&hidden.text);
        let (ja, en) = (location.field.label_ja(), location.field.label_en());
        let mut x = finding(
            &RULE,
            location,
            Msg::new(
                format!("「{ja}」には「{shown}」が入っていますが、セルの表示形式で隠れて空欄に見えます。見えるとおり空欄として読み、統合でも空欄になります"),
                format!("the {en} holds “{shown}”, hidden by the cell's number format so that it shows empty; it is read as it shows, empty, and merged so"),
            ),
        );
        x.help = Some(Msg::new(
            "見せる値なら表示形式を［標準］に戻し（［ホーム］→［数値の書式］）、不要なら削除してください",
            "if it is meant to be seen, set the cell's format back to General (Home → Number Format); if not, delete it",
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
    fn fires_on_a_value_its_format_hides() {
        let mut d = doc_one("103校", "");
        let ind = &mut d.sheets[0].entries[0].indicators[0];
        ind.cells.set(Field::Result, CellRef::parse("F8").unwrap());
        assert!(findings_of(&d, "GS706").is_empty(), "nothing hidden");
        let hidden = |a: &str| CellText { cell: CellRef::parse(a).unwrap(), text: "99校".into() };
        d.sheets[0].hidden_by_format = vec![hidden("M8")];
        assert!(findings_of(&d, "GS706").is_empty(), "not a value of the sheet");
        d.sheets[0].hidden_by_format = vec![hidden("F8")];
        let f = findings_of(&d, "GS706");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].location.field, Field::Result);
        assert!(f[0].message.ja.starts_with("「結果」には「99校」が入っていますが"), "{}", f[0].message.ja);
    }
}
