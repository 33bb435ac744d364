//! GS106 hidden-row-or-column.

use crate::address::CellRef;
use crate::finding::{Finding, Location};
use crate::lang::Msg;
use crate::model::Level;
use crate::rules::{finding, SheetCtx};
use std::collections::HashMap;

declare_rule! {
    code: "GS106",
    name: "hidden-row-or-column",
    title: ("非表示の行・列", "hidden row or column"),
    family: Structure,
    severity: Warning,
    fix: None,
    summary: ("表の行や列が非表示になっています", "A row or column of the table is hidden"),
    doc_en: "## What it does
Reports each row and each column of the table that is hidden in the worksheet (.xlsx, .xls, .ods) and
holds a value, at its first value: a goal or an indicator the division hid instead of
deleting, a column of values hidden to save room, or a row hidden by mistake.

## Why
Nobody reviewing the sheet on screen or on paper sees a hidden row or column, but goalsheet
reads it like any other: it is checked, counted in 集計 and listed in the department file.
What is submitted should be what is shown.

## Example
Row 12 (an indicator dropped this year) hidden rather than deleted; column D (位置づけ)
hidden.

## Fix safety
No fix: whether to show or delete it is the division's decision.",
    doc_ja: "## 何をするか
表の行と列のうち、ワークシートで非表示になっていて値のあるもの（.xlsx、.xls、.ods）を、最初の値の位置で
報告します。削除する代わりに隠した目標や指標、幅を詰めるために隠した列、誤って隠した行です。

## なぜ
非表示の行や列は、画面でも印刷でも確認する人には見えませんが、goalsheet は他の行と同じように
読みます。検査され、集計で数えられ、部のファイルの一覧にも入ります。提出するものは見えている
ものと同じであるべきです。

## 例
今年度でやめた指標の行（12行目）を、削除せずに非表示にしている。位置づけの列（D列）を非表示に
している。

## 修正の安全性
自動修正はありません。再表示するか削除するかは課が決めることです。",
    check: check,
}

fn check(cx: &SheetCtx<'_>, out: &mut Vec<Finding>) {
    if cx.sheet.hidden_rows.is_empty() && cx.sheet.hidden_columns.is_empty() {
        return;
    }
    // The first value of the table (not the header) in each row and each column, in reading
    // order, found in one pass (a sheet may hide every one of its rows).
    let (mut first_in_row, mut first_in_column) = (HashMap::new(), HashMap::new());
    for (location, cell) in Location::read_from_cells(cx.sheet, cx.index) {
        if location.field.level() != Level::Sheet {
            first_in_row.entry(cell.row + 1).or_insert_with(|| location.clone());
            first_in_column.entry(CellRef::column_name(cell.col)).or_insert(location);
        }
    }
    let rows = cx.sheet.hidden_rows.iter().map(|&row| {
        let said = (
            format!("{row}行目が非表示になっています。この行の値も検査され、統合では部のファイルに入ります"),
            format!("row {row} is hidden: what it holds is checked and goes into the department file, though nobody sees it"),
        );
        let help = Msg::new(
            "行を再表示して確かめ（行番号を右クリック→［再表示］）、不要なら行を削除してください",
            "unhide the row and check it (right-click the row numbers → Unhide); delete it if it is not needed",
        );
        (first_in_row.get(&row).cloned(), said, help)
    });
    let columns = cx.sheet.hidden_columns.iter().map(|column| {
        let said = (
            format!("{column}列が非表示になっています。この列の値も検査され、統合では部のファイルに入ります"),
            format!("column {column} is hidden: what it holds is checked and goes into the department file, though nobody sees it"),
        );
        let help = Msg::new(
            "列を再表示して確かめてください（列番号を右クリック→［再表示］）",
            "unhide the column and check it (right-click the column letters → Unhide)",
        );
        (first_in_column.get(column).cloned(), said, help)
    });
    for (location, (ja, en), help) in rows.chain(columns) {
        let Some(location) = location else { continue };
        let mut x = finding(&RULE, location, Msg::new(ja, en));
        x.help = Some(help);
        out.push(x);
    }
}

#[cfg(test)]
mod tests {
    use crate::address::CellRef;
    use crate::model::Field;
    use crate::rules::testing::*;

    #[test]
    fn fires_once_per_hidden_row_or_column_at_its_first_value() {
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
        d.sheets[0].hidden_rows.clear();
        d.sheets[0].hidden_columns = vec!["E".into()];
        let f = findings_of(&d, "GS106");
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].location.indicator, f[0].location.field), (Some(0), Field::Target));
        assert!(f[0].message.en.starts_with("column E is hidden"));
    }
}
