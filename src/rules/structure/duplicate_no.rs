//! GS104 duplicate-no.

use crate::finding::{Finding, Location, Related};
use crate::lang::Msg;
use crate::model::Field;
use crate::rules::structure::parse_no;
use crate::rules::{finding, SheetCtx};
use std::collections::BTreeMap;

declare_rule! {
    code: "GS104",
    name: "duplicate-no",
    title: ("No.の重複", "duplicate No."),
    family: Structure,
    severity: Error,
    fix: None,
    summary: ("同じNo.が二度使われています", "Two entries have the same No."),
    doc_en: "## What it does
Reports an entry whose No. was already used by an earlier entry of the same sheet.

## Why
A No. must name one goal; with two goals numbered 2, a remark about \"No.2\" is ambiguous and
the department file cannot tell them apart.

## Example
Entries numbered `1`, `2`, `2`, `4`: the third should be `3`.

## Fix safety
No fix: a copied row may also carry the wrong goal, which a person must look at.",
    doc_ja: "## 何をするか
同じシートの前の組織目標と同じNo.を報告します。

## なぜ
No.は一つの目標を指す番号です。No.2が二つあると「No.2について」という指摘がどちらを指すか
分からず、部の取りまとめでも区別できません。

## 例
`1`、`2`、`2`、`4` と並んでいるとき、3番目は `3` のはずです。

## 修正の安全性
自動修正はありません。行をコピーしたときは目標の内容も違っていることがあり、人が確かめる必要が
あります。",
    check: check,
}

fn check(cx: &SheetCtx<'_>, out: &mut Vec<Finding>) {
    let mut seen: BTreeMap<u32, usize> = BTreeMap::new();
    for (e, entry) in cx.sheet.entries.iter().enumerate() {
        let Some(n) = parse_no(&entry.no) else { continue };
        if let Some(&first) = seen.get(&n) {
            let mut x = finding(
                &RULE,
                Location::entry(cx.index, e, Field::No),
                Msg::new(format!("No.{n} が二度使われています"), format!("No. {n} is used twice")),
            );
            x.label = Some(Msg::new("二度目", "second use"));
            x.related.push(Related {
                location: Location::entry(cx.index, first, Field::No),
                label: Msg::new("最初", "first use"),
            });
            x.help = Some(Msg::new("番号を1から順に振り直してください", "renumber the entries 1, 2, 3 …"));
            out.push(x);
        } else {
            seen.insert(n, e);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires_on_the_second_use() {
        let d = doc_nos(&["1", "2", "２", "4"]);
        let f = findings_of(&d, "GS104");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].location.entry, Some(2));
        assert_eq!(f[0].related[0].location.entry, Some(1));
    }

    #[test]
    fn quiet_on_distinct_numbers() {
        assert!(findings_of(&doc_nos(&["1", "2", "3"]), "GS104").is_empty());
    }
}
