//! GS105 no-out-of-sequence.

use crate::finding::{Finding, Location};
use crate::lang::Msg;
use crate::model::Field;
use crate::rules::common::{blank, trimmed_span};
use crate::rules::structure::parse_no;
use crate::rules::{finding, SheetCtx};
use std::collections::BTreeSet;

declare_rule! {
    code: "GS105",
    name: "no-out-of-sequence",
    title: ("No.の順番", "No. out of sequence"),
    family: Structure,
    severity: Warning,
    fix: None,
    summary: ("No.が1から順に並んでいません", "Entries are not numbered 1, 2, 3 …"),
    doc_en: "## What it does
Reports a No. that is not the previous entry's No. plus one (the first entry is 1), and a No.
that is not a number at all (`①`, `(3)`, `No.3` and `３` are numbers). A No. `例`, `記入例`,
`（例）` … is the form's example row left in the table, said as such (it would be counted as a
goal); the entries after it are numbered as without it. Duplicates are reported by GS104
instead.

## Why
A gap or a jump usually means a goal was deleted or rows were moved without renumbering; the
department office numbers goals 1, 2, 3 … in its file.

## Example
Entries numbered `1`, `2`, `4`: the third should be `3`.

## Fix safety
No fix: renumbering changes how every later goal is referred to; do it by hand.",
    doc_ja: "## 何をするか
直前のNo.に1を足した番号になっていないNo.（最初は1）と、数字でないNo.を報告します（`①`、
`(3)`、`No.3`、`３` は数字とみなします）。No.が `例`、`記入例`、`（例）` などの行は様式の記入例が
残っているものとして報告します（目標として集計されてしまいます）。その後の番号は記入例がない
ものとして数えます。
重複はGS104が報告します。

## なぜ
番号の飛びやずれは、目標を削除したり行を移動したりして番号を振り直していないことがほとんど
です。部の取りまとめでは1、2、3…と番号を振ります。

## 例
`1`、`2`、`4` と並んでいるとき、3番目は `3` のはずです。

## 修正の安全性
自動修正はありません。振り直すと後の目標の呼び方がすべて変わるため、手で直してください。",
    check: check,
}

fn check(cx: &SheetCtx<'_>, out: &mut Vec<Finding>) {
    let mut prev: u32 = 0;
    let mut seen = BTreeSet::new();
    for (e, entry) in cx.sheet.entries.iter().enumerate() {
        if blank(&entry.no) {
            prev += 1;
            continue;
        }
        let loc = Location::entry(cx.index, e, Field::No);
        let expected = prev + 1;
        match parse_no(&entry.no) {
            Some(n) => {
                if n != expected && !seen.contains(&n) {
                    let mut x = finding(
                        &RULE,
                        loc,
                        Msg::new(
                            format!("No.{n} は順番どおりではありません（{expected} のはずです）"),
                            format!("No. {n} is out of sequence (expected {expected})"),
                        ),
                    );
                    x.span = Some(trimmed_span(&entry.no));
                    x.help = Some(Msg::new("番号を1から順に振り直してください", "renumber the entries 1, 2, 3 …"));
                    out.push(x);
                }
                seen.insert(n);
                prev = n;
            }
            None if crate::grammar::no::is_example(&entry.no) => {
                // The form's example row, left in: said as such, and the entries after it are
                // numbered from where they would be without it.
                let mut x = finding(
                    &RULE,
                    loc,
                    Msg::new(
                        format!(
                            "様式の記入例の行（No.「{}」）が表に残っています。このままでは目標として集計されます",
                            entry.no.trim()
                        ),
                        format!(
                            "the form's example row (No. “{}”) is still in the table: it would be counted as a goal",
                            entry.no.trim()
                        ),
                    ),
                );
                x.span = Some(trimmed_span(&entry.no));
                x.help = Some(Msg::new("記入例の行を削除してください", "delete the example row"));
                out.push(x);
            }
            None => {
                let mut x = finding(
                    &RULE,
                    loc,
                    Msg::new(
                        format!("No.「{}」が番号ではありません", entry.no.trim()),
                        format!("No. “{}” is not a number", entry.no.trim()),
                    ),
                );
                x.span = Some(trimmed_span(&entry.no));
                x.help = Some(Msg::new(format!("「{expected}」と記入してください"), format!("write {expected}")));
                out.push(x);
                prev = expected;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires_on_a_gap_and_on_text() {
        let f = findings_of(&doc_nos(&["1", "2", "4"]), "GS105");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].location.entry, Some(2));
        assert_eq!(findings_of(&doc_nos(&["1", "二"]), "GS105").len(), 1);
        assert_eq!(findings_of(&doc_nos(&["2", "3"]), "GS105").len(), 1);
    }

    /// The form's example row left at the top: said as such, and the entries after it are
    /// not "out of sequence".
    #[test]
    fn an_example_row_is_named_and_not_counted() {
        for example in ["記入例", "例", "（例）", "例1", "【記載例】"] {
            let f = findings_of(&doc_nos(&[example, "1", "2"]), "GS105");
            assert_eq!(f.len(), 1, "{example}: {f:?}");
            assert!(f[0].message.en.contains("example row"), "{example}");
            assert_eq!(f[0].location.entry, Some(0));
        }
        let f = findings_of(&doc_nos(&["例外", "1"]), "GS105");
        assert!(f[0].message.en.contains("is not a number"), "例外 is no example");
    }

    #[test]
    fn quiet_on_sequence_and_leaves_duplicates_to_gs104() {
        assert!(findings_of(&doc_nos(&["1", "２", "3"]), "GS105").is_empty());
        assert!(findings_of(&doc_nos(&["1", "2", "2", "3"]), "GS105").is_empty());
    }

    /// Circled numbers, brackets and a No. prefix are numbers as people write them.
    #[test]
    fn the_ways_people_number_are_numbers() {
        assert!(findings_of(&doc_nos(&["①", "②", "③"]), "GS105").is_empty());
        assert!(findings_of(&doc_nos(&["(1)", "（２）", "No.3", "№4", "5."]), "GS105").is_empty());
        assert!(findings_of(&doc_nos(&["⑳", "㉑"]), "GS105").len() == 1, "⑳ is 20, not 1");
        assert_eq!(findings_of(&doc_nos(&["①", "③"]), "GS105").len(), 1, "a gap is still a gap");
        assert_eq!(findings_of(&doc_nos(&["1", "2-1"]), "GS105").len(), 1, "a sub-number is not a No.");
    }
}
