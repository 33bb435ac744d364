//! GS601 stray-whitespace.

use crate::finding::{Applicability, Edit, Finding, Fix};
use crate::lang::Msg;
use crate::model::CellKind;
use crate::rules::text::{each_value, is_prose};
use crate::rules::{finding, SheetCtx};

declare_rule! {
    code: "GS601",
    name: "stray-whitespace",
    title: ("余分な空白", "stray whitespace"),
    family: Text,
    severity: Warning,
    fix: Some(Applicability::Safe),
    summary: ("値の前後に余分な空白や改行があります", "A value has stray spaces or line breaks around it"),
    doc_en: "## What it does
Reports spaces, tabs and line breaks at the start or end of a value. In narrative fields
(組織目標, 概要, 目標達成状況, 今後の方針, 政策指標) a full-width space at the start is the usual
paragraph indent (字下げ) and is kept.

## Why
Invisible in Excel, but `○ ` is not `○` for COUNTIF, `R6.5.15 ` may not read as a date, and a
trailing line break adds an empty line when the sheet is printed.

## Example
`○ ` → `○`; `318件\\n` → `318件`.

## Fix safety
Safe: only the surrounding whitespace is removed; the text itself is unchanged.",
    doc_ja: "## 何をするか
値の先頭や末尾にある空白・タブ・改行を報告します。組織目標・概要・目標達成状況・今後の方針・
政策指標の先頭の全角空白は、段落の字下げとして残します。

## なぜ
Excelでは見えませんが、`○ ` はCOUNTIFで `○` として数えられず、`R6.5.15 ` は日付として読めない
ことがあり、末尾の改行は印刷したときに空行になります。

## 例
`○ ` → `○`、`318件\\n` → `318件`。

## 修正の安全性
安全: 前後の空白を取り除くだけで、文字そのものは変えません。",
    check: check,
}

/// The value without stray whitespace (keeping a prose indent).
pub(crate) fn cleaned(text: &str, prose: bool) -> &str {
    let end = text.trim_end();
    if prose {
        end.trim_start_matches(|c: char| c.is_whitespace() && c != '\u{3000}')
    } else {
        end.trim_start()
    }
}

fn check(cx: &SheetCtx<'_>, out: &mut Vec<Finding>) {
    each_value(cx, |loc, text| {
        // Most values start and end with a visible character: nothing to trim.
        let ends = (text.chars().next(), text.chars().next_back());
        if let (Some(first), Some(last)) = ends {
            if !first.is_whitespace() && !last.is_whitespace() {
                return;
            }
        }
        if text.trim().is_empty() {
            return;
        }
        // A number or date shown with its format's padding (`#,##0_ `, the accounting format
        // `_ * #,##0_ `): the spaces are the format's, not typed, and not in the cell.
        if loc.typed(cx.doc).is_some_and(|t| matches!(t.kind, CellKind::Number | CellKind::Date | CellKind::Boolean)) {
            return;
        }
        let after = cleaned(text, is_prose(loc.field));
        if after == text {
            return;
        }
        let lead = text.len() - text.trim_start().len();
        let trail_start = text.trim_end().len();
        let span = if text.starts_with(after) { trail_start..text.len() } else { 0..lead.max(1).min(text.len()) };
        let mut x = finding(
            &RULE,
            loc.clone(),
            Msg::new(
                format!("「{}」の前後に余分な空白や改行があります", loc.field.label_ja()),
                format!("the {} has stray whitespace around it", loc.field.label_en()),
            ),
        );
        x.span = Some(span);
        x.label = Some(Msg::new("余分な空白", "stray whitespace"));
        x.help =
            Some(Msg::new("前後の空白と改行を消してください", "remove the spaces and line breaks around the value"));
        x.fix = Some(Fix {
            held: None,
            applicability: Applicability::Safe,
            message: Msg::new("前後の空白を取り除く", "remove the surrounding whitespace"),
            edits: vec![Edit { location: loc, before: text.to_string(), after: after.to_string() }],
        });
        out.push(x);
    });
}

#[cfg(test)]
mod tests {
    use super::cleaned;
    use crate::rules::testing::*;

    #[test]
    fn fires_with_a_safe_fix() {
        let mut d = doc_entry("○ ", &[("80%", " 85%\n")]);
        d.sheets[0].created = "R6.4.1 ".into();
        let f = findings_of(&d, "GS601");
        let fields: Vec<_> = f.iter().map(|f| f.location.field.key()).collect();
        assert_eq!(fields, vec!["created", "result", "grade"], "reading order: header, then the row left to right");
        let after: Vec<_> = f.iter().map(|f| f.fix.as_ref().unwrap().edits[0].after.as_str()).collect();
        assert_eq!(after, vec!["R6.4.1", "85%", "○"]);
    }

    #[test]
    fn quiet_on_a_number_padded_by_its_format() {
        use crate::model::{CellKind, Field};
        // 1,512 under `_ * #,##0_ ;…` (会計) shows as ` 1,512 `; typed with spaces it is text.
        let mut d = doc_one("1,700", " 1,512 ");
        assert_eq!(findings_of(&d, "GS601").len(), 1, "typed text");
        let cell = value_cell(CellKind::Number, 1512.0, Some("_ * #,##0_ ;_ * -#,##0_ ;_ * \"-\"_ ;_ @_ "));
        d.sheets[0].entries[0].indicators[0].typed.set(Field::Result, cell);
        assert!(findings_of(&d, "GS601").is_empty());
    }

    #[test]
    fn keeps_a_prose_indent() {
        let mut d = doc_one("8件", "10件");
        d.sheets[0].entries[0].indicators[0].status = "\u{3000}61校の中学校のうち、21校で実施しました。".into();
        assert!(findings_of(&d, "GS601").is_empty());
        assert_eq!(cleaned("\u{3000}本文。\n", true), "\u{3000}本文。");
        assert_eq!(cleaned("\u{3000}○", false), "○");
    }

    /// A cell merged over two indicator rows, or over the columns of two fields, is read into
    /// both: one finding, at the first. Two cells of the same text are two findings.
    #[test]
    fn a_merged_cell_is_reported_once() {
        use crate::address::CellRef;
        use crate::model::Field;
        let mut d = doc_entry("○", &[("8件", "10件"), ("5件", "6件")]);
        let at = |r: &str| CellRef::parse(r).unwrap();
        for (i, row) in ["G10", "G11"].into_iter().enumerate() {
            let ind = &mut d.sheets[0].entries[0].indicators[i];
            ind.initiative = "事業　".into();
            ind.cells.set(Field::Initiative, at(row));
        }
        assert_eq!(findings_of(&d, "GS601").len(), 2, "two cells");
        for ind in &mut d.sheets[0].entries[0].indicators {
            ind.cells.set(Field::Initiative, at("G10"));
            ind.merged.set(Field::Initiative, crate::address::CellRange::parse("G10:G11").unwrap());
        }
        let one = findings_of(&d, "GS601");
        assert_eq!(one.len(), 1, "one merged cell");
        assert_eq!(one[0].location.indicator, Some(0));

        // Over the columns of two fields (取組名称 and 概要 as one G10:H10).
        let mut d = doc_entry("○", &[("8件", "10件")]);
        let ind = &mut d.sheets[0].entries[0].indicators[0];
        for f in [Field::Initiative, Field::Summary] {
            *ind.field_mut(f).unwrap() = "事業　".into();
            ind.cells.set(f, at("G10"));
            ind.merged.set(f, crate::address::CellRange::parse("G10:H10").unwrap());
        }
        let one = findings_of(&d, "GS601");
        assert_eq!(one.len(), 1, "one merged cell: {one:?}");
        assert_eq!(one[0].location.field, Field::Initiative);
    }
}
