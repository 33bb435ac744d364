//! Rich text kept through a fix. A division marks words in a narrative in red or bold (the
//! usual way to show what changed since last year); a fix that trims a trailing line break or
//! turns full-width digits half-width must not turn that cell back to plain text. The cell's
//! runs are read from its string item (the `<si>` of the shared strings, or its own `<is>`),
//! the fixed text is laid over them character by character, and the cell is written as an
//! inline string with the same runs and their fonts (`<rPr>` copied byte for byte).
//!
//! Phonetic guides (`<rPh>`, furigana) are left out: they index characters of the old text.
//! A run whose properties carry a prefixed element or attribute (declared on a root the cell
//! does not have), or are damaged XML, is not copied: the cell is then written as plain text,
//! as before.

use super::xml;
use crate::error::Result;
use quick_xml::events::Event;
use std::ops::Range;

/// One run: its properties as written (`<rPr>…</rPr>`, or empty) and its text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Run {
    pub props: String,
    pub text: String,
}

/// The runs of a string item's content (what is inside `<si>` or `<is>`): `None` for a plain
/// string (no `<r>`), or when the item cannot be read or its runs not copied.
pub fn runs(item: &[u8]) -> Option<Vec<Run>> {
    if memchr::memmem::find(item, b"<r>").is_none() && memchr::memmem::find(item, b"<r ").is_none() {
        return None;
    }
    let mut r = xml::reader(item);
    let (mut runs, mut run): (Vec<Run>, Option<Run>) = (Vec::new(), None);
    let (mut props_from, mut text_from, mut phonetic) = (None, None, 0u32);
    loop {
        let before = usize::try_from(r.buffer_position()).ok()?;
        let event = r.read_event().ok()?;
        let after = usize::try_from(r.buffer_position()).ok()?;
        match event {
            Event::Start(e) => match e.local_name().as_ref() {
                "rPh" => phonetic += 1,
                _ if phonetic > 0 => {}
                "r" => run = Some(Run::default()),
                "rPr" if run.is_some() => props_from = Some(before),
                "t" => text_from = Some(after),
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                _ if phonetic > 0 => {}
                "rPr" => run.as_mut()?.props = std::str::from_utf8(item.get(before..after)?).ok()?.to_string(),
                "r" => runs.push(Run::default()),
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                "rPh" => phonetic = phonetic.saturating_sub(1),
                _ if phonetic > 0 => {}
                "rPr" => {
                    let from = props_from.take()?;
                    run.as_mut()?.props = std::str::from_utf8(item.get(from..after)?).ok()?.to_string();
                }
                "t" => {
                    let raw = std::str::from_utf8(item.get(text_from.take()?..before)?).ok()?;
                    let text = quick_xml::escape::unescape(raw).ok()?;
                    let text = crate::read::xlsx_fast::unescape_excel(&text).into_owned();
                    match run.as_mut() {
                        Some(run) => run.text.push_str(&text),
                        // Text before the first run: a run with the cell's own font.
                        None => runs.push(Run { props: String::new(), text }),
                    }
                }
                "r" => runs.push(run.take()?),
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    // A prefix would be undeclared where the run is copied to, and damaged properties
    // (`<rPr><b></rPr>`) would damage the cell they are copied into.
    if runs.is_empty() || runs.iter().any(|r| r.props.contains(':') || !xml::well_formed(r.props.as_bytes())) {
        return None;
    }
    Some(runs)
}

/// `text` laid over the runs: each character keeps the run of the character it replaces
/// ([`crate::fix::carry::carried`]). Empty runs go.
pub fn restyled(runs: &[Run], text: &str) -> Vec<Run> {
    let old: Vec<(char, usize)> =
        runs.iter().enumerate().flat_map(|(i, r)| r.text.chars().map(move |c| (c, i))).collect();
    let new: Vec<char> = text.chars().collect();
    let mut out: Vec<Run> = runs.iter().map(|r| Run { props: r.props.clone(), text: String::new() }).collect();
    if out.is_empty() || old.is_empty() {
        return vec![Run { props: out.first().map(|r| r.props.clone()).unwrap_or_default(), text: text.to_string() }];
    }
    for (c, run) in new.into_iter().zip(crate::fix::carry::carried(&old, &text.chars().collect::<Vec<_>>())) {
        out[run].text.push(c);
    }
    out.retain(|r| !r.text.is_empty());
    out
}

/// A fixed cell's new text as an inline string's content (`<is>…</is>`): in the cell's runs
/// (see [`restyled`]) when it had runs whose text is `before`, what the fix started from;
/// plain otherwise.
pub fn inline_string(runs: Option<Vec<Run>>, before: Option<&str>, after: &str) -> String {
    let own = |runs: &Vec<Run>| before.is_some_and(|b| runs.iter().map(|r| r.text.as_str()).collect::<String>() == b);
    match runs.filter(own) {
        Some(runs) => inline(&restyled(&runs, after)),
        None => format!("<is><t xml:space=\"preserve\">{}</t></is>", xml::text(after)),
    }
}

/// The runs as an inline string's content, `<is>…</is>`.
fn inline(runs: &[Run]) -> String {
    let mut out = String::from("<is>");
    for r in runs {
        out.push_str("<r>");
        out.push_str(&r.props);
        out.push_str("<t xml:space=\"preserve\">");
        xml::push_text(&mut out, &r.text);
        out.push_str("</t></r>");
    }
    out.push_str("</is>");
    out
}

/// The workbook's shared strings, read the first time a fixed cell's text is one of them.
pub struct SharedStrings {
    part: Option<String>,
    items: Option<Option<Items>>,
}

impl SharedStrings {
    /// The shared strings of the workbook whose part is `part` (none: the workbook has none).
    pub fn of(part: Option<String>) -> SharedStrings {
        SharedStrings { part, items: None }
    }

    /// The runs of item `index` (the index a cell's `<v>` gives; see [`runs`]), the part read
    /// with `read` the first time.
    pub fn runs(
        &mut self,
        index: usize,
        read: impl FnOnce(&str) -> Result<Option<Vec<u8>>>,
    ) -> Result<Option<Vec<Run>>> {
        if self.items.is_none() {
            let bytes = match &self.part {
                Some(part) => read(part)?,
                None => None,
            };
            self.items = Some(bytes.map(Items::new));
        }
        Ok(self.items.as_ref().and_then(Option::as_ref).and_then(|items| items.runs(index)))
    }
}

/// A shared strings part and where its items are.
struct Items {
    bytes: Vec<u8>,
    /// Where each item's start tag is: found once, in one pass, however many cells ask.
    starts: Vec<usize>,
}

impl Items {
    /// The items are found by their start tags (no text holds a `<`); [`inline_string`]
    /// compares the runs' text with the cell's, so a part written otherwise only costs its runs.
    fn new(bytes: Vec<u8>) -> Items {
        let starts = memchr::memmem::find_iter(&bytes, b"<si")
            .filter(|&at| matches!(bytes.get(at + 3), Some(b'>' | b'/' | b' ' | b'\t' | b'\r' | b'\n')))
            .collect();
        Items { bytes, starts }
    }

    fn runs(&self, index: usize) -> Option<Vec<Run>> {
        runs(self.bytes.get(self.item(index)?)?)
    }

    /// Where the content of item `index` is.
    fn item(&self, index: usize) -> Option<Range<usize>> {
        let at = *self.starts.get(index)?;
        let tag_end = at + memchr::memchr(b'>', self.bytes.get(at..)?)?;
        if self.bytes.get(tag_end.checked_sub(1)?) == Some(&b'/') {
            return Some(tag_end + 1..tag_end + 1);
        }
        let content = tag_end + 1;
        Some(content..content + memchr::memmem::find(self.bytes.get(content..)?, b"</si>")?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RED: &str = r#"<rPr><b/><color rgb="FFFF0000"/><rFont val="游ゴシック"/></rPr>"#;

    fn run(props: &str, text: &str) -> Run {
        Run { props: props.into(), text: text.into() }
    }

    #[test]
    fn runs_are_read_with_their_fonts_and_without_furigana() {
        let item = format!(
            "<t>前年度より</t><r>{RED}<t>2.4ポイント</t></r><r><t xml:space=\"preserve\">上昇&amp;達成_x000D_\n</t></r>\
             <rPh sb=\"0\" eb=\"3\"><t>ゼンネンド</t></rPh><phoneticPr fontId=\"1\"/>"
        );
        let runs = runs(item.as_bytes()).unwrap();
        assert_eq!(runs, [run("", "前年度より"), run(RED, "2.4ポイント"), run("", "上昇&達成\r\n")]);
        assert_eq!(super::runs(b"<t>plain</t><rPh sb=\"0\" eb=\"1\"><t>p</t></rPh>"), None, "no run: plain");
        let prefixed = br#"<r><rPr><x14:foo/></rPr><t>a</t></r>"#;
        assert_eq!(super::runs(prefixed), None, "a prefix would be undeclared in the sheet");
        assert_eq!(super::runs(b"<r><t>unclosed"), None);
    }

    #[test]
    fn a_trimmed_line_break_leaves_the_runs_as_they_were() {
        let runs = [run("", "回収率は、"), run(RED, "2.4ポイント上昇"), run("", "し、達成しました。\n")];
        let out = restyled(&runs, "回収率は、2.4ポイント上昇し、達成しました。");
        assert_eq!(out, [run("", "回収率は、"), run(RED, "2.4ポイント上昇"), run("", "し、達成しました。")]);
        // A leading space in a run of its own: the run goes.
        let out = restyled(&[run(RED, " "), run("", "達成")], "達成");
        assert_eq!(out, [run("", "達成")]);
    }

    #[test]
    fn characters_replaced_one_for_one_keep_their_runs() {
        let runs = [run("", "目標"), run(RED, "１２０"), run("", "件")];
        assert_eq!(restyled(&runs, "目標120件"), [run("", "目標"), run(RED, "120"), run("", "件")]);
    }

    #[test]
    fn a_changed_middle_takes_the_run_of_its_first_character() {
        let runs = [run("", "約"), run(RED, "１，２００"), run("", "人")];
        // Five characters become four (a comma dropped, say): the middle goes to the red run.
        assert_eq!(restyled(&runs, "約1200人"), [run("", "約"), run(RED, "1200"), run("", "人")]);
        // Inserted at the end: the run of the character before.
        assert_eq!(restyled(&[run(RED, "ab")], "abc"), [run(RED, "abc")]);
        // Inserted at the start: the run after.
        assert_eq!(restyled(&[run(RED, "bc"), run("", "d")], "abcd"), [run(RED, "abc"), run("", "d")]);
        // Whatever the edit, the text is the fixed text.
        for text in ["", "x", "約1,200人です", "人"] {
            let out = restyled(&runs, text);
            assert_eq!(out.iter().map(|r| r.text.as_str()).collect::<String>(), text);
        }
    }

    #[test]
    fn inline_strings_keep_the_fonts_and_escape_the_text() {
        let xml = inline(&[run("", "a<b"), run(RED, "c")]);
        assert_eq!(
            xml,
            format!("<is><r><t xml:space=\"preserve\">a&lt;b</t></r><r>{RED}<t xml:space=\"preserve\">c</t></r></is>")
        );
    }

    #[test]
    fn shared_items_are_found_by_index() {
        let sst =
            br#"<sst><si><t>a</t></si><si/><sis/><si xml:space="preserve"><r><t>b</t></r><r><t>c</t></r></si></sst>"#;
        let items = Items::new(sst.to_vec());
        let at = |i| items.item(i).map(|r| String::from_utf8_lossy(&sst[r]).into_owned());
        assert_eq!(at(0).as_deref(), Some("<t>a</t>"));
        assert_eq!(at(1).as_deref(), Some(""));
        assert_eq!(at(2).as_deref(), Some("<r><t>b</t></r><r><t>c</t></r>"), "<sis/> is no item");
        assert_eq!(at(3), None);
        assert_eq!(items.runs(2), Some(vec![run("", "b"), run("", "c")]));
        let mut lazy = SharedStrings::of(Some("xl/sharedStrings.xml".into()));
        let mut reads = 0;
        for _ in 0..2 {
            let runs = lazy.runs(2, |_| {
                reads += 1;
                Ok(Some(sst.to_vec()))
            });
            assert_eq!(runs.unwrap(), Some(vec![run("", "b"), run("", "c")]));
        }
        assert_eq!(reads, 1, "read once");
        assert_eq!(SharedStrings::of(None).runs(0, |_| unreachable!()).unwrap(), None);
    }
}
