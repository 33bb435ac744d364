//! GS103 missing-no.

use crate::finding::{Applicability, Edit, Finding, Fix, Location};
use crate::lang::Msg;
use crate::model::Field;
use crate::rules::common::blank;
use crate::rules::structure::parse_no;
use crate::rules::{finding, SheetCtx};

declare_rule! {
    code: "GS103",
    name: "missing-no",
    title: ("No.の空欄", "missing No."),
    family: Structure,
    severity: Warning,
    fix: Some(Applicability::Safe),
    summary: ("No.が空欄です", "An entry has no No."),
    doc_en: "## What it does
Reports an entry (組織目標) whose No. cell is empty.

## Why
Goals are referred to by their No. in meetings and in the department file.

## Example
Entries numbered `1`, (empty), `3`: the second one should be `2`.

## Fix safety
Safe: fills in the number that follows the previous entry's No. (1 for the first entry).",
    doc_ja: "## 何をするか
No.が空欄の組織目標を報告します。

## なぜ
会議でも部の取りまとめでも、組織目標はNo.で呼ばれます。

## 例
`1`、（空欄）、`3` と並んでいるとき、2番目は `2` です。

## 修正の安全性
安全: 直前のNo.の次の番号（最初の目標なら1）を記入します。",
    check: check,
}

fn check(cx: &SheetCtx<'_>, out: &mut Vec<Finding>) {
    let mut prev: u32 = 0;
    for (e, entry) in cx.sheet.entries.iter().enumerate() {
        if blank(&entry.no) {
            let n = prev + 1;
            let loc = Location::entry(cx.index, e, Field::No);
            let mut x = finding(&RULE, loc.clone(), Msg::new("No.が空欄です", "the No. is empty"));
            x.help = Some(Msg::new(format!("No.に「{n}」と記入してください"), format!("write {n} as the No.")));
            x.fix = Some(Fix {
                held: None,
                applicability: Applicability::Safe,
                message: Msg::new(format!("No.に「{n}」を記入する"), format!("fill in No. {n}")),
                edits: vec![Edit { location: loc, before: entry.no.clone(), after: n.to_string() }],
            });
            out.push(x);
            prev = n;
        } else if let Some(n) = parse_no(&entry.no) {
            prev = n;
        } else {
            prev += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fills_the_next_number() {
        let mut d = doc_nos(&["1", "", "3"]);
        let f = findings_of(&d, "GS103");
        assert_eq!(f.len(), 1);
        let fix = f[0].fix.as_ref().unwrap();
        assert_eq!(fix.edits[0].after, "2");
        d.sheets[0].entries[1].no = "2".into();
        assert!(findings_of(&d, "GS103").is_empty());
    }
}
