//! GS603 invisible-character.

use crate::finding::{Applicability, Edit, Finding, Fix};
use crate::lang::Msg;
use crate::rules::text::each_value;
use crate::rules::{finding, SheetCtx};

declare_rule! {
    code: "GS603",
    name: "invisible-character",
    title: ("見えない文字", "invisible character"),
    family: Text,
    severity: Warning,
    fix: Some(Applicability::Safe),
    summary: (
        "値に見えない文字（ゼロ幅スペースなど）があります",
        "A value holds an invisible character (a zero-width space …)"
    ),
    doc_en: "## What it does
Reports characters that show as nothing: the zero-width space (U+200B), the word joiner
(U+2060), the byte order mark (U+FEFF), text direction marks (U+200E, U+200F, U+202A–U+202E,
U+2066–U+2069) and control characters (a line break pasted from Word arrives as U+000B). They
come with text copied from web pages, PDFs, chat and e-mail. Variation selectors, which choose
a kanji's form (葛󠄀), are characters of the text and are not reported.

## Why
The cell looks right, but `市民生活部` with a zero-width space is another department than
`市民生活部`: merge refuses the file as of another department (GS801) or takes the division
twice (GS803), with two names that look alike, and searching or sorting the department file
misses the value.

## Example
`市民生活部\\u{200B}` → `市民生活部`.

## Fix safety
Safe: only the invisible characters are removed (a U+000B becomes the line break it stood
for); what the cell shows is unchanged.",
    doc_ja: "## 何をするか
画面に何も表示されない文字を報告します。ゼロ幅スペース（U+200B）、単語結合子（U+2060）、
BOM（U+FEFF）、書字方向の制御文字（U+200E、U+200F、U+202A〜U+202E、U+2066〜U+2069）と
制御文字です（Word から貼り付けた段落内改行は U+000B になります）。Web ページ、PDF、チャット、
メールからコピーした文に紛れ込みます。漢字の字形を選ぶ異体字セレクタ（葛󠄀）は文字の一部な
ので報告しません。

## なぜ
セルの見た目は正しくても、ゼロ幅スペースの入った `市民生活部` は `市民生活部` とは別の部です。
統合では別の部として拒否され（GS801）、同じ課が2つあるものとして扱われ（GS803）、そのとき
表示される2つの名前は同じに見えます。部のファイルでの検索や並べ替えからも漏れます。

## 例
`市民生活部\\u{200B}` → `市民生活部`。

## 修正の安全性
安全: 見えない文字を取り除くだけで（U+000B は本来の改行にします）、セルの見た目は変わりません。",
    check: check,
}

/// What an invisible character is, for the message; `None` for a character that shows.
fn invisible(c: char) -> Option<(&'static str, &'static str)> {
    Some(match c {
        '\u{200B}' => ("ゼロ幅スペース", "zero-width space"),
        '\u{2060}' => ("単語結合子", "word joiner"),
        '\u{FEFF}' => ("BOM（ゼロ幅ノーブレークスペース）", "byte order mark"),
        '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {
            ("書字方向の制御文字", "text direction mark")
        }
        '\u{000B}' => ("Word の段落内改行", "line break pasted from Word"),
        c if crate::grammar::invisible(c) => ("制御文字", "control character"),
        _ => return None,
    })
}

/// The text without its invisible characters (U+000B, Word's line break, as a line break).
fn cleaned(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\u{000B}' => Some('\n'),
            c if invisible(c).is_some() => None,
            c => Some(c),
        })
        .collect()
}

fn check(cx: &SheetCtx<'_>, out: &mut Vec<Finding>) {
    each_value(cx, |loc, text| {
        let Some((at, c)) = text.char_indices().find(|&(_, c)| invisible(c).is_some()) else { return };
        let (name_ja, name_en) = invisible(c).unwrap_or_default();
        let count = text.chars().filter(|&c| invisible(c).is_some()).count();
        let code = format!("U+{:04X}", u32::from(c));
        let (ja, en) = (loc.field.label_ja(), loc.field.label_en());
        let (msg_ja, msg_en) = if count == 1 {
            (
                format!("「{ja}」に見えない文字 {code}（{name_ja}）があります"),
                format!("the {en} holds an invisible character, {code} ({name_en})"),
            )
        } else {
            (
                format!("「{ja}」に見えない文字が {count} 個あります（最初は {code}、{name_ja}）"),
                format!("the {en} holds {count} invisible characters (the first {code}, {name_en})"),
            )
        };
        let mut x = finding(&RULE, loc.clone(), Msg::new(msg_ja, msg_en));
        x.span = Some(at..at + c.len_utf8());
        x.label = Some(Msg::new(format!("見えない文字 {code}"), format!("invisible {code}")));
        x.help = Some(Msg::new(
            "セルを選んで入力し直すか、`goalsheet fix` で取り除いてください",
            "type the value again, or let `goalsheet fix` remove the character",
        ));
        x.fix = Some(Fix {
            held: None,
            applicability: Applicability::Safe,
            message: Msg::new("見えない文字を取り除く", "remove the invisible characters"),
            edits: vec![Edit { location: loc, before: text.to_string(), after: cleaned(text) }],
        });
        out.push(x);
    });
}

#[cfg(test)]
mod tests {
    use super::cleaned;
    use crate::rules::testing::*;

    #[test]
    fn fires_with_a_safe_fix_in_any_field() {
        let mut d = doc_one("80%", "85%");
        d.sheets[0].department = "市民生活部\u{200B}".into();
        d.sheets[0].entries[0].indicators[0].status = "\u{FEFF}達成しました。\u{000B}来年度も\u{200E}続けます。".into();
        let f = findings_of(&d, "GS603");
        let fields: Vec<_> = f.iter().map(|f| f.location.field.key()).collect();
        assert_eq!(fields, vec!["department", "status"]);
        assert!(f[0].message.en.contains("U+200B (zero-width space)"), "{}", f[0].message.en);
        assert!(f[1].message.ja.contains("3 個"), "{}", f[1].message.ja);
        let after: Vec<_> = f.iter().map(|f| f.fix.as_ref().unwrap().edits[0].after.as_str()).collect();
        assert_eq!(after, vec!["市民生活部", "達成しました。\n来年度も続けます。"]);
    }

    #[test]
    fn quiet_on_text_that_shows_what_it_holds() {
        let mut d = doc_one("80%", "85%");
        // Line breaks, tabs, full-width spaces and a variation selector (葛 in its 葛󠄀 form).
        d.sheets[0].entries[0].indicators[0].status = "達成\tしました。\r\n\u{3000}葛\u{E0100}飾区と連携".into();
        assert!(findings_of(&d, "GS603").is_empty());
        assert_eq!(cleaned("葛\u{E0100}"), "葛\u{E0100}");
    }
}
