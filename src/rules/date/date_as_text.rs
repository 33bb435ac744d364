//! GS408 date-as-text.

use crate::finding::{Applicability, Finding, Fix, Location};
use crate::grammar::date::{format_date, parse_date};
use crate::lang::Msg;
use crate::rules::common::trimmed_span;
use crate::rules::{finding, SheetCtx};

declare_rule! {
    code: "GS408",
    name: "date-as-text",
    title: ("日付セル", "date cells"),
    family: Date,
    severity: Info,
    fix: Some(Applicability::Safe),
    summary: ("作成日・評価日が日付セルでなく文字で入力されています", "A date created or evaluated is typed as text, not a date cell"),
    doc_en: "## What it does
Reports a 作成日 or 評価日 that reads as a date but sits in the workbook as text (`R6.5.15`
typed with a leading `'`, or into a cell formatted as text), rather than as an Excel date cell.
Only workbooks know the difference; JSON and CSV have no date cells.

## Why
A date held as text sorts and filters as text (`R6.10.1` before `R6.4.1`), is not a date to
formulas, and shows differently from the other sheets. The value itself is fine, so this is
information, not a warning.

## Example
作成日 `R6.5.15` as text → a date cell showing `R6.5.15` (the same era format).

## Fix safety
Safe: the date is the one written, in the style it was written in; only the cell's type
changes (`goalsheet fix`).",
    doc_ja: "## 何をするか
「作成日」「評価日」が日付として読めるのに、Excel の日付セルではなく文字として入っている
（先頭に `'` を付けて入力した、書式が文字列のセルに入力した）ときに知らせます。日付セルと
文字の違いはブックにだけあり、JSON や CSV にはありません。

## なぜ
文字の日付は文字として並べ替え・絞り込みされ（`R6.10.1` が `R6.4.1` より前）、数式からは
日付として扱えず、ほかのシートと表示もそろいません。値そのものは正しいので、警告ではなく
情報です。

## 例
文字の作成日 `R6.5.15` → `R6.5.15` と表示する日付セル（同じ元号の書式）。

## 修正の安全性
安全です。書かれた日付を書かれた書き方のまま日付セルにし、変わるのはセルの種類だけです
（`goalsheet fix`）。",
    check: check,
}

fn check(cx: &SheetCtx<'_>, out: &mut Vec<Finding>) {
    for &field in &cx.sheet.text_dates {
        let text = cx.sheet.field(field).unwrap_or_default();
        let Ok(parsed) = parse_date(text) else { continue };
        let shown = format_date(parsed.date, parsed.style);
        let (ja, en) = (field.label_ja(), field.label_en());
        let mut x = finding(
            &RULE,
            Location::sheet(cx.index, field),
            Msg::new(
                format!("{ja}「{}」は日付セルでなく文字で入力されています", text.trim()),
                format!("the {en} “{}” is typed as text, not as a date cell", text.trim()),
            ),
        );
        x.span = Some(trimmed_span(text));
        x.label = Some(Msg::new("文字の日付", "date as text"));
        x.help = Some(Msg::new(
            "日付セルにすると、並べ替えや絞り込みが日付の順になります",
            "as a date cell it sorts and filters as a date",
        ));
        // The writer makes the date cell from `Sheet::text_dates`; there is no text to edit.
        x.fix = Some(Fix {
            held: None,
            applicability: Applicability::Safe,
            message: Msg::new(
                format!("文字で入力された日付「{}」を日付セル（{shown}）にする", text.trim()),
                format!("write the date typed as text “{}” as a date cell ({shown})", text.trim()),
            ),
            edits: Vec::new(),
        });
        out.push(x);
    }
}

#[cfg(test)]
mod tests {
    use crate::model::Field;
    use crate::rules::testing::*;

    #[test]
    fn text_dates_that_read_are_reported_once_each() {
        let mut d = doc_one("10件", "12件");
        d.sheets[0].created = "R6.5.15".into();
        d.sheets[0].evaluated = "R7.3.31".into();
        assert!(findings_of(&d, "GS408").is_empty(), "date cells (or no workbook): nothing");
        d.sheets[0].text_dates = vec![Field::Created, Field::Evaluated];
        let f = findings_of(&d, "GS408");
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].location.field, Field::Created);
        assert!(f[0].message.ja.contains("「R6.5.15」"), "{}", f[0].message.ja);
        assert!(f[0].fix.as_ref().is_some_and(|x| x.message.ja.contains("日付セル（R6.5.15）")));
        // Text that is no date is GS403's business.
        d.sheets[0].created = "5月頃".into();
        assert_eq!(findings_of(&d, "GS408").len(), 1);
    }
}
