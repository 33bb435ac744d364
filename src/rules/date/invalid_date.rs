//! GS403 invalid-date.

use crate::finding::{Finding, Location};
use crate::grammar::date::parse_date;
use crate::lang::Msg;
use crate::model::Field;
use crate::rules::common::blank;
use crate::rules::{finding, SheetCtx};

declare_rule! {
    code: "GS403",
    name: "invalid-date",
    title: ("読めない日付", "unreadable date"),
    family: Date,
    severity: Error,
    fix: None,
    summary: ("作成日・評価日が日付として読み取れません", "A date created or evaluated cannot be read"),
    doc_en: "## What it does
Reports a 作成日 or 評価日 that is not a valid date: `R6.4.31`, `令和6年13月1日`, `R6,5,15` … The
label points at the part that is wrong. Dates are read as Excel date cells or as text in the
forms `R6.5.15`, `令和6年5月15日`, `2024/5/15` (eras 令和 R, 平成 H, 昭和 S).

## Why
The dates are checked against the fiscal year and against each other, and the department file
shows them as dates.

## Example
`R6.4.31` → April has 30 days; write `R6.4.30` (or the intended date).

## Fix safety
No fix: the intended date is not known.",
    doc_ja: "## 何をするか
「作成日」「評価日」が正しい日付でないときに報告します（`R6.4.31`、`令和6年13月1日`、
`R6,5,15` など）。ラベルが誤っている部分を指します。日付はExcelの日付セルか、`R6.5.15`、
`令和6年5月15日`、`2024/5/15` の形の文字（元号は令和 R、平成 H、昭和 S）として読み取ります。

## なぜ
日付は年度や互いの前後関係と照らし合わせて確かめ、部の取りまとめでも日付として表示します。

## 例
`R6.4.31` → 4月は30日までです。`R6.4.30`（または意図した日付）と書いてください。

## 修正の安全性
自動修正はありません。意図した日付が分からないためです。",
    check: check,
}

fn check(cx: &SheetCtx<'_>, out: &mut Vec<Finding>) {
    for f in [Field::Created, Field::Evaluated] {
        let Some(text) = cx.sheet.field(f) else { continue };
        if blank(text) {
            continue;
        }
        let Err(err) = parse_date(text) else { continue };
        // A date cell is a date, whatever its format shows (kanji numerals, no year).
        if super::cell_date(cx.sheet, f).is_some() {
            continue;
        }
        let mut x = finding(
            &RULE,
            Location::sheet(cx.index, f),
            Msg::new(
                format!("{}「{}」を日付として読み取れません", f.label_ja(), text.trim()),
                format!("the {} “{}” is not a valid date", f.label_en(), text.trim()),
            ),
        );
        x.span = Some(err.span);
        x.label = Some(err.reason);
        x.help = Some(Msg::new(
            "「R6.5.15」「令和6年5月15日」「2024/5/15」のように書くか、Excelの日付として入力してください",
            "write it like R6.5.15, 令和6年5月15日 or 2024/5/15, or enter it as an Excel date",
        ));
        out.push(x);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires_on_impossible_dates() {
        let mut d = doc_one("8件", "10件");
        d.sheets[0].created = "R6.4.31".into();
        let f = findings_of(&d, "GS403");
        assert_eq!(f.len(), 1);
        assert!(f[0].span.is_some());
    }

    #[test]
    fn a_date_cell_is_a_date_whatever_its_format_shows() {
        use crate::model::{CellKind, Field};
        let mut d = doc_one("8件", "");
        // 2024-04-01 under `[DBNum1][$-411]ggge"年"m"月"d"日"` and under `m"月"d"日"`.
        for shown in ["令和六年四月一日", "4月1日"] {
            d.sheets[0].created = shown.into();
            d.sheets[0].typed.clear(Field::Created);
            assert_eq!(findings_of(&d, "GS403").len(), 1, "typed as text, {shown} is not read");
            let cell = value_cell(CellKind::Date, 45383.0, None);
            d.sheets[0].typed.set(Field::Created, cell);
            assert!(findings_of(&d, "GS403").is_empty(), "a date cell showing {shown}");
        }
    }

    #[test]
    fn quiet_on_valid_and_empty_dates() {
        let mut d = doc_one("8件", "");
        for ok in ["R6.5.15", "令和6年5月15日", "2024/5/15"] {
            d.sheets[0].created = ok.into();
            assert!(findings_of(&d, "GS403").is_empty(), "{ok}");
        }
    }
}
