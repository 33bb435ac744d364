//! GS106 hidden-row.

use crate::finding::{Finding, Location};
use crate::lang::Msg;
use crate::model::Field;
use crate::rules::{finding, SheetCtx};

declare_rule! {
    code: "GS106",
    name: "hidden-row",
    title: ("非表示の行", "hidden row"),
    family: Structure,
    severity: Warning,
    fix: None,
    summary: ("表の行が非表示になっています", "A row of the table is hidden"),
    doc_en: "## What it does
Reports each row of the table that is hidden in the worksheet (.xlsx), at the first value it
holds: a goal or an indicator the division hid instead of deleting, or a row hidden by mistake.

## Why
Nobody reviewing the sheet on screen or on paper sees a hidden row, but goalsheet reads it like
any other: it is checked, counted in 集計 and listed in the department file. What is submitted
should be what is shown.

## Example
Row 12 (an indicator dropped this year) hidden rather than deleted.

## Fix safety
No fix: whether the row is to be shown or deleted is the division's decision.",
    doc_ja: "## 何をするか
表の行のうち、ワークシートで非表示になっている行（.xlsx）を、その行の最初の値の位置で報告
します。削除する代わりに隠した目標や指標、誤って隠した行です。

## なぜ
非表示の行は、画面でも印刷でも確認する人には見えませんが、goalsheet は他の行と同じように
読みます。検査され、集計で数えられ、部のファイルの一覧にも入ります。提出するものは見えている
ものと同じであるべきです。

## 例
今年度でやめた指標の行（12行目）を、削除せずに非表示にしている。

## 修正の安全性
自動修正はありません。表示するか削除するかは課が決めることです。",
    check: check,
}

fn check(cx: &SheetCtx<'_>, out: &mut Vec<Finding>) {
    for &row in &cx.sheet.hidden_rows {
        let Some(location) = first_value_in_row(cx, row - 1) else { continue };
        let mut x = finding(
            &RULE,
            location,
            Msg::new(
                format!("{row}行目が非表示になっています。この行の値も検査され、統合では部のファイルに入ります"),
                format!("row {row} is hidden: what it holds is checked and goes into the department file, though nobody sees it"),
            ),
        );
        x.help = Some(Msg::new(
            "行を再表示して確かめ（行番号を右クリック→［再表示］）、不要なら行を削除してください",
            "unhide the row and check it (right-click the row numbers → Unhide); delete it if it is not needed",
        ));
        out.push(x);
    }
}

/// The first field of the table read from the zero-based `row`, in reading order.
fn first_value_in_row(cx: &SheetCtx<'_>, row: u32) -> Option<Location> {
    for (e, entry) in cx.sheet.entries.iter().enumerate() {
        for f in Field::ALL {
            if entry.cells.get(f).is_some_and(|c| c.row == row) && entry.field(f).is_some() {
                return Some(Location::entry(cx.index, e, f));
            }
        }
        for (i, ind) in entry.indicators.iter().enumerate() {
            for f in Field::ALL {
                if ind.cells.get(f).is_some_and(|c| c.row == row) && ind.field(f).is_some() {
                    return Some(Location::indicator(cx.index, e, i, f));
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::address::CellRef;
    use crate::model::Field;
    use crate::rules::testing::*;

    #[test]
    fn fires_once_per_hidden_row_at_its_first_value() {
        let mut d = doc_entry("○", &[("8件", "10件"), ("5件", "6件")]);
        let e = &mut d.sheets[0].entries[0];
        e.cells.set(Field::No, CellRef::parse("A8").unwrap());
        for (i, row) in ["8", "9"].iter().enumerate() {
            for (f, col) in [(Field::Name, "C"), (Field::Target, "E"), (Field::Result, "F")] {
                e.indicators[i].cells.set(f, CellRef::parse(&format!("{col}{row}")).unwrap());
            }
        }
        assert!(findings_of(&d, "GS106").is_empty(), "nothing hidden");
        d.sheets[0].hidden_rows = vec![9];
        let f = findings_of(&d, "GS106");
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].location.indicator, f[0].location.field), (Some(1), Field::Name));
        assert!(f[0].message.ja.starts_with("9行目が非表示"));
        d.sheets[0].hidden_rows = vec![8];
        assert_eq!(findings_of(&d, "GS106")[0].location.field, Field::No, "the goal's row: its No. first");
    }
}
