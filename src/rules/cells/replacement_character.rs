//! GS703 replacement-character.

use crate::finding::Finding;
use crate::lang::Msg;
use crate::rules::cells::each_field;
use crate::rules::{finding, SheetCtx};

declare_rule! {
    code: "GS703",
    name: "replacement-character",
    title: ("読めない文字", "unreadable character"),
    family: Cells,
    severity: Error,
    fix: None,
    summary: ("読み取れなかった文字（�）があります", "A character could not be read (�)"),
    doc_en: "## What it does
Reports a field holding U+FFFD REPLACEMENT CHARACTER (�): the mark a reader leaves where the
bytes of the file did not make a character (an .xls string cut between two records, a CSV in
another encoding, a broken escape in an .xlsx).

## Why
A character of the division's text was lost in reading, silently: what is checked, merged
and converted is no longer what was written.

## Example
```text
B8 組織目標: 市民サービスの�上
```
Check the character in the original file and type it again; an .xls saved again as .xlsx in
Excel often reads correctly.

## Fix safety
No fix: the lost character is not known.",
    doc_ja: "## 何をするか
U+FFFD（置換文字 �）を含む項目を報告します。ファイルのバイト列が文字にならなかった箇所に
読み取り側が置く印です（.xls で2つのレコードにまたがった文字列、別の文字コードの CSV、
.xlsx の壊れたエスケープなど）。

## なぜ
課が書いた文字が、読み取りの途中で黙って失われています。検査・統合・変換されるのは、もう
書かれたとおりの文ではありません。

## 例
```text
B8 組織目標: 市民サービスの�上
```
元のファイルでこの文字を確かめて入力し直してください。.xls は Excel で .xlsx として保存し
直すと正しく読めることがよくあります。

## 修正の安全性
自動修正はありません。失われた文字が分からないためです。",
    check: check,
}

fn check(cx: &SheetCtx<'_>, out: &mut Vec<Finding>) {
    each_field(cx, |loc, text| {
        let Some(at) = text.find(char::REPLACEMENT_CHARACTER) else { return };
        let count = text.matches(char::REPLACEMENT_CHARACTER).count();
        let (ja, en) = (loc.field.label_ja(), loc.field.label_en());
        let mut x = finding(
            &RULE,
            loc,
            Msg::new(
                format!("「{ja}」に読み取れなかった文字（�）が {count} 個あります"),
                format!("the {en} holds {count} character(s) that could not be read (�)"),
            ),
        );
        x.span = Some(at..at + char::REPLACEMENT_CHARACTER.len_utf8());
        x.label = Some(Msg::new("読み取れなかった文字", "unreadable character"));
        x.help = Some(Msg::new(
            "元のファイルでこの文字を確かめて入力し直してください（.xls は Excel で .xlsx として保存し直すと読めることがあります）",
            "check the character in the original file and type it again (an .xls saved again as .xlsx in Excel often reads correctly)",
        ));
        out.push(x);
    });
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires_on_a_replacement_character_in_any_field() {
        let mut d = doc_one("80%", "77.7%");
        d.sheets[0].entries[0].goal = "市民サービスの\u{FFFD}\u{FFFD}上".into();
        d.sheets[0].department = "市民\u{FFFD}部".into();
        assert_eq!(codes_at(&d, "GS703"), vec!["department".to_string(), "goal".to_string()]);
        let f = findings_of(&d, "GS703");
        assert!(f[1].message.ja.contains("2 個"));
    }

    #[test]
    fn quiet_on_ordinary_text() {
        assert!(findings_of(&doc_one("80%", "77.7%"), "GS703").is_empty());
    }
}
