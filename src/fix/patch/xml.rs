//! Small pieces of XML text the patcher reads and writes: escaping, attributes, element spans.

use crate::error::Error;
use crate::read::guard;
use quick_xml::events::{BytesStart, Event};
use std::borrow::Cow;
use std::fmt::Write as _;

/// A reader that keeps every byte (no trimming) so spans can be copied back verbatim.
pub fn reader(xml: &[u8]) -> quick_xml::Reader<&[u8]> {
    let mut r = quick_xml::Reader::from_reader(xml);
    let config = r.config_mut();
    config.trim_text(false);
    config.check_end_names = false;
    r
}

/// Where the end tag `</qname>` of an element whose content starts at `from` begins, found
/// with memchr instead of reading the content event by event; `None` (read it event by event)
/// when the content holds a comment, CDATA or a processing instruction (`<!`, `<?`), in which
/// a tag may be text, or an element of the same name, which the first end tag would close.
pub fn close_of(xml: &[u8], from: usize, qname: &[u8]) -> Option<usize> {
    let rest = xml.get(from..)?;
    // `<qname` or `</qname` at `at` (the `<`) ends the name, not a longer one.
    let named = |name_at: usize| {
        rest.get(name_at..name_at + qname.len()) == Some(qname)
            && matches!(rest.get(name_at + qname.len()), Some(b'>' | b' ' | b'\t' | b'\r' | b'\n' | b'/'))
    };
    // One pass over the tags: the first end tag of this name closes the element, unless a
    // comment, CDATA or processing instruction (`<!`, `<?`) or an element of the same name
    // comes first.
    for lt in memchr::memchr_iter(b'<', rest) {
        match rest.get(lt + 1) {
            Some(b'!' | b'?') => return None,
            Some(b'/') if named(lt + 2) => return Some(from + lt),
            Some(b'/') => {}
            _ if named(lt + 1) => return None,
            _ => {}
        }
    }
    None
}

/// Debug builds: checks that a well-formed part (`bytes`) read the fast way (memchr, jumps)
/// gives what reading it event by event with quick-xml gives, and that both take it or both
/// refuse it. A damaged part is not compared: the two may cut it into elements differently
/// (where an element with unbalanced quotes ends, at what depth a stray end tag is seen), and
/// the fast way may take what quick-xml refuses, since it jumps over what the patch neither
/// reads nor changes and leaves it byte for byte as the division's file has it (all found by
/// the `fix` fuzz target).
#[cfg(debug_assertions)]
pub fn debug_agree<T>(
    part: &str,
    bytes: &[u8],
    fast: &crate::Result<T>,
    events: &crate::Result<T>,
    same: impl Fn(&T, &T) -> bool,
) {
    if !well_formed(bytes) {
        return;
    }
    match (fast, events) {
        (Ok(f), Ok(e)) => debug_assert!(same(f, e), "the fast read of {part} disagrees with quick-xml"),
        // Both refuse; with several defects each may name another one first.
        (Err(_), Err(_)) => {}
        (Ok(_), Err(e)) => debug_assert!(false, "only quick-xml's read of {part} refuses it: {e}"),
        (Err(f), Ok(_)) => debug_assert!(false, "only the fast read of {part} refuses it: {f}"),
    }
}

/// Whether `xml` (a part, or elements cut from one) is well-formed as far as the patch needs:
/// tags and attributes read, every element closed by its own end tag, no character XML does
/// not allow (a NUL, a control character) and no XML declaration after an element. (quick-xml
/// reads past the last two; the patch's fast reads do not, found by the `fix` fuzz target.)
pub fn well_formed(xml: &[u8]) -> bool {
    if xml.iter().any(|&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) {
        return false;
    }
    let mut r = quick_xml::Reader::from_reader(xml);
    r.config_mut().check_end_names = true;
    let mut depth = 0usize;
    let mut element_seen = false;
    loop {
        let event = r.read_event();
        match event {
            Ok(quick_xml::events::Event::Decl(_)) if element_seen => return false,
            Ok(quick_xml::events::Event::Start(_) | quick_xml::events::Event::Empty(_)) if !element_seen => {
                element_seen = true;
                depth += usize::from(matches!(event, Ok(quick_xml::events::Event::Start(_))));
            }
            Ok(quick_xml::events::Event::Start(_)) => depth += 1,
            Ok(quick_xml::events::Event::End(_)) => match depth.checked_sub(1) {
                Some(d) => depth = d,
                None => return false,
            },
            Ok(quick_xml::events::Event::Eof) => return depth == 0,
            Ok(_) => {}
            Err(_) => return false,
        }
    }
}

/// `bytes`, refused unless [`well_formed`]: the small parts the patch adds to (the workbook,
/// relationships, content types, comments) are spliced by where their elements end, and in a
/// damaged part that is not where Excel or the reader sees them end (a relationships part cut
/// short was written anew without the relationships it named; a workbook with two sheet
/// lists got the added sheets in the one the reader does not read, and again on the next fix).
pub fn undamaged(part: &str, bytes: &[u8]) -> crate::Result<()> {
    if well_formed(bytes) {
        Ok(())
    } else {
        Err(malformed(part, "damaged: its tags do not pair up"))
    }
}

/// The part could not be understood: the patcher does not guess.
pub fn malformed(part: &str, what: impl std::fmt::Display) -> Error {
    guard::corrupt(format!("{part}: {what}"))
}

/// Byte offset as usize (parts are bounded by the guard, far below `usize::MAX`).
pub fn at(pos: u64) -> usize {
    usize::try_from(pos).unwrap_or(usize::MAX)
}

/// The unescaped value of attribute `key` (matched on its local name when `local`).
pub fn attr(e: &BytesStart<'_>, key: &str) -> Option<String> {
    for a in e.attributes().with_checks(false).flatten() {
        if a.key.as_ref() == key {
            return quick_xml::escape::unescape(&a.value).ok().map(Cow::into_owned);
        }
    }
    None
}

/// [`attr`] without a copy when the value needs no unescaping (the common case: cell and row
/// addresses, style indexes and types are read for every cell of a sheet).
pub fn attr_ref<'a>(e: &'a BytesStart<'_>, key: &str) -> Option<Cow<'a, str>> {
    for a in e.attributes().with_checks(false).flatten() {
        if a.key.as_ref() == key {
            return match a.value {
                Cow::Borrowed(raw) => quick_xml::escape::unescape(raw).ok(),
                Cow::Owned(raw) => quick_xml::escape::unescape(&raw).ok().map(|v| Cow::Owned(v.into_owned())),
            };
        }
    }
    None
}

/// The value of the attribute whose local name is `local` (any prefix, e.g. `r:id`).
pub fn attr_local(e: &BytesStart<'_>, local: &str) -> Option<String> {
    for a in e.attributes().with_checks(false).flatten() {
        if a.key.local_name().as_ref() == local {
            return quick_xml::escape::unescape(&a.value).ok().map(Cow::into_owned);
        }
    }
    None
}

/// The prefix the element declares for `namespace` (`Some("")` for the default one).
pub fn prefix_of(e: &BytesStart<'_>, namespace: &str) -> Option<String> {
    for a in e.attributes().with_checks(false).flatten() {
        let key = a.key.as_ref();
        if a.value.as_ref() == namespace {
            if key == "xmlns" {
                return Some(String::new());
            }
            if let Some(p) = key.strip_prefix("xmlns:") {
                return Some(p.to_string());
            }
        }
    }
    None
}

/// A start tag rebuilt from `e`'s attributes, without those in `drop`, then `add` (raw
/// values already escaped), closed with `/>` when `empty`.
pub fn start_tag(e: &BytesStart<'_>, drop: &[&str], add: &[(&str, String)], empty: bool) -> String {
    let mut s = String::from("<");
    s.push_str(e.name().as_ref());
    for a in e.attributes().with_checks(false).flatten() {
        let key = a.key.as_ref();
        if drop.contains(&key) {
            continue;
        }
        // The raw (escaped) value, requoted with `"`.
        let raw = a.value.replace('"', "&quot;");
        s.push_str(&format!(" {key}=\"{raw}\""));
    }
    for (k, v) in add {
        s.push_str(&format!(" {k}=\"{v}\""));
    }
    s.push_str(if empty { "/>" } else { ">" });
    s
}

/// Text for element content: XML-escaped, and characters XML cannot hold written as Excel's
/// `_xHHHH_` escapes (a literal `_xHHHH_` escaped too, so it reads back as written).
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_text(&mut out, s);
    out
}

/// [`text`], appended to `out` (the added sheets write thousands of cells into one string).
pub fn push_text(out: &mut String, s: &str) {
    // Most text needs no escape: copied whole (U+FFFE and U+FFFF start with 0xEF in UTF-8).
    if !s.bytes().any(|b| matches!(b, b'&' | b'<' | b'>' | b'_' | 0xEF) || b < 0x20) {
        out.push_str(s);
        return;
    }
    let bytes = s.as_bytes();
    for (i, ch) in s.char_indices() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\t' | '\n' | '\r' => out.push(ch),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {
                let _ = write!(out, "_x{:04X}_", c as u32);
            }
            '_' if is_escape_at(&bytes[i..]) => out.push_str("_x005F_"),
            c => out.push(c),
        }
    }
}

fn is_escape_at(b: &[u8]) -> bool {
    b.len() >= 7 && b[1] == b'x' && b[2..6].iter().all(u8::is_ascii_hexdigit) && b[6] == b'_'
}

/// Text for an attribute value.
pub fn attr_text(s: &str) -> String {
    text(s).replace('"', "&quot;").replace('\n', "&#10;").replace('\r', "&#13;").replace('\t', "&#9;")
}

/// Applies `(start, end, replacement)` splices (sorted by start, not overlapping) to `xml`.
pub fn splice(xml: &[u8], mut edits: Vec<(usize, usize, Vec<u8>)>) -> Vec<u8> {
    edits.sort_by_key(|e| (e.0, e.1));
    let mut out = Vec::with_capacity(xml.len() + edits.iter().map(|e| e.2.len()).sum::<usize>());
    let mut pos = 0;
    for (start, end, with) in edits {
        let start = start.max(pos);
        out.extend_from_slice(&xml[pos..start]);
        out.extend_from_slice(&with);
        pos = end.max(start);
    }
    out.extend_from_slice(&xml[pos..]);
    out
}

/// The path of `target` relative to the folder `from_dir` (both package paths without a
/// leading `/`; `from_dir` empty or ending in `/`).
pub fn relative(from_dir: &str, target: &str) -> String {
    let from: Vec<&str> = from_dir.split('/').filter(|s| !s.is_empty()).collect();
    let to: Vec<&str> = target.split('/').collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; from.len() - common];
    parts.extend(&to[common..]);
    parts.join("/")
}

/// The package path a relationship target names, seen from the folder `base_dir`.
pub fn resolve(base_dir: &str, target: &str) -> String {
    let joined = match target.strip_prefix('/') {
        Some(abs) => abs.to_string(),
        None => format!("{base_dir}{target}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for p in joined.split('/') {
        match p {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// The folder of a part path (`xl/worksheets/` for `xl/worksheets/sheet1.xml`).
pub fn dir_of(path: &str) -> &str {
    match path.rfind('/') {
        Some(i) => &path[..=i],
        None => "",
    }
}

/// SpreadsheetML's namespace, which a part's elements may carry by a prefix.
pub const MAIN_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

/// A part as the patch reads it (and writes it, if it changes it): without a byte order mark,
/// since quick-xml's positions do not count one and every splice is placed by them (a part
/// starting with one, as .NET's XML writers make them, had each edit three bytes early: found
/// by the `fix` fuzz target), and with SpreadsheetML by a prefix made the default namespace
/// ([`main_ns_as_default`]). A UTF-16 mark goes too: what follows is then read as the UTF-8
/// the patch reads, and refused if it is not.
pub fn as_patched(data: Vec<u8>) -> Vec<u8> {
    let mark = [&b"\xEF\xBB\xBF"[..], b"\xFF\xFE", b"\xFE\xFF"].into_iter().find(|m| data.starts_with(m));
    let data = match mark {
        Some(m) => data[m.len()..].to_vec(),
        None => data,
    };
    main_ns_as_default(&data).unwrap_or(data)
}

/// `xml` with SpreadsheetML's namespace made the default one, when its root element carries it
/// by a prefix (`<x:worksheet xmlns:x="…main">`, as the Open XML SDK writes): every `p:` of an
/// element name is dropped and the root's `xmlns:p` becomes `xmlns`. The patch reads and
/// writes unprefixed elements; the part means the same, and only those prefixes change.
/// `None` when the root is not prefixed so, or when the change could alter the meaning: a
/// default namespace declared anywhere, the prefix declared again, an attribute with it, or
/// markup the reader refuses.
pub fn main_ns_as_default(xml: &[u8]) -> Option<Vec<u8>> {
    // Most parts have an unprefixed root: told by a look at its name, not a reader.
    memchr::memchr(b':', root_name(xml)?)?;
    let mut r = reader(xml);
    let mut prefix: Option<Vec<u8>> = None;
    let mut cuts: Vec<(usize, usize, Vec<u8>)> = Vec::new();
    loop {
        let before = at(r.buffer_position());
        let event = r.read_event().ok()?;
        let after = at(r.buffer_position());
        let (e, close) = match &event {
            Event::Start(e) | Event::Empty(e) => (e.name(), false),
            Event::End(e) => (e.name(), true),
            Event::Eof => break,
            _ => continue,
        };
        let name = e.as_ref().as_bytes();
        let start_event = match &event {
            Event::Start(s) | Event::Empty(s) => Some(s),
            _ => None,
        };
        let Some(p) = &prefix else {
            // The root: prefixed, declaring that prefix as SpreadsheetML, no default namespace.
            let s = start_event?;
            let colon = memchr::memchr(b':', name)?;
            let p = &name[..colon];
            let mut declares = false;
            for a in s.attributes().with_checks(false) {
                let a = a.ok()?;
                let key = a.key.as_ref().as_bytes();
                if key == b"xmlns" {
                    return None;
                }
                if key.strip_prefix(b"xmlns:") == Some(p) {
                    if a.value.as_ref() != MAIN_NS {
                        return None;
                    }
                    declares = true;
                    // `xmlns:p=` → `xmlns=`: the `:p` dropped.
                    let from = attribute_at(xml.get(before..after)?, key)? + before + b"xmlns".len();
                    cuts.push((from, from + 1 + p.len(), Vec::new()));
                }
            }
            if !declares {
                return None;
            }
            prefix = Some(p.to_vec());
            let name_at = before + 1;
            cuts.push((name_at, name_at + p.len() + 1, Vec::new()));
            continue;
        };
        if let Some(s) = start_event {
            for a in s.attributes().with_checks(false) {
                let a = a.ok()?;
                let key = a.key.as_ref().as_bytes();
                let redeclares = key == b"xmlns" || key.strip_prefix(b"xmlns:") == Some(p.as_slice());
                let prefixed = key.strip_prefix(p.as_slice()).is_some_and(|rest| rest.first() == Some(&b':'));
                if redeclares || prefixed {
                    return None;
                }
            }
        }
        if name.strip_prefix(p.as_slice()).is_some_and(|rest| rest.first() == Some(&b':')) {
            let name_at = before + if close { 2 } else { 1 };
            if xml.get(name_at..name_at + p.len()) != Some(p.as_slice()) {
                return None;
            }
            cuts.push((name_at, name_at + p.len() + 1, Vec::new()));
        }
    }
    prefix.is_some().then(|| splice(xml, cuts))
}

/// The name of the root element: after the XML declaration, processing instructions,
/// comments and a document type.
fn root_name(xml: &[u8]) -> Option<&[u8]> {
    let mut i = 0;
    loop {
        i += memchr::memchr(b'<', xml.get(i..)?)?;
        let rest = &xml[i..];
        let skip_to = if rest.starts_with(b"<?") {
            memchr::memmem::find(rest, b"?>")
        } else if rest.starts_with(b"<!--") {
            memchr::memmem::find(rest, b"-->")
        } else if rest.starts_with(b"<!") {
            memchr::memchr(b'>', rest)
        } else {
            let name = &rest[1..];
            let len =
                name.iter().position(|b| b.is_ascii_whitespace() || matches!(b, b'>' | b'/')).unwrap_or(name.len());
            return Some(&name[..len]);
        };
        i += skip_to? + 1;
    }
}

/// Where the attribute named `key` starts in the start tag `tag`: after whitespace, followed
/// (after any whitespace) by `=`.
fn attribute_at(tag: &[u8], key: &[u8]) -> Option<usize> {
    memchr::memmem::find_iter(tag, key).find(|&i| {
        let spaced = i > 0 && tag[i - 1].is_ascii_whitespace();
        let rest = &tag[i + key.len()..];
        let eq = rest.iter().find(|b| !b.is_ascii_whitespace());
        spaced && eq == Some(&b'=')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_xml_cannot_hold() {
        assert_eq!(text("a<b&c\u{1}_x0041_"), "a&lt;b&amp;c_x0001__x005F_x0041_");
        assert_eq!(attr_text("\"x\"\n"), "&quot;x&quot;&#10;");
    }

    /// What the debug check's leniency and the copies of styles rest on: damage is told from
    /// a well-formed part.
    #[test]
    fn well_formed_parts_are_told_from_damaged_ones() {
        assert!(well_formed(b"<?xml version=\"1.0\"?><a x=\"1\"><b/><c>t</c></a>"));
        assert!(well_formed(b"\r\n<?xml version=\"1.0\"?>\n<a>\tt</a>"), "white space around");
        // Text with a NUL, and a second document inside the first, which quick-xml reads past
        // and the fast reads do not (found by the `fix` fuzz target).
        let second = b"<a><b/><?xml version=\"1.0\"?><c/></a>";
        for damaged in [&b"<a><b></a>"[..], b"<a>", b"</a>", b"<a></a></a>", b"<a x=\"1></a>", b"<a>\0</a>", second] {
            assert!(!well_formed(damaged), "{}", String::from_utf8_lossy(damaged));
        }
    }

    #[test]
    fn paths() {
        assert_eq!(relative("xl/worksheets/", "xl/comments1.xml"), "../comments1.xml");
        assert_eq!(relative("xl/", "xl/worksheets/sheet3.xml"), "worksheets/sheet3.xml");
        assert_eq!(resolve("xl/worksheets/", "../drawings/vmlDrawing1.vml"), "xl/drawings/vmlDrawing1.vml");
        assert_eq!(resolve("xl/", "/xl/worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml");
        assert_eq!(dir_of("xl/worksheets/sheet1.xml"), "xl/worksheets/");
    }

    #[test]
    fn splices_in_order() {
        let out = splice(b"abcdef", vec![(4, 5, b"X".to_vec()), (1, 1, b"+".to_vec())]);
        assert_eq!(out, b"a+bcdXf");
    }

    #[test]
    fn the_end_tag_is_found_only_where_no_tag_can_hide_or_nest() {
        let close = |xml: &str, name: &str| {
            let from = xml.find('>').unwrap() + 1;
            close_of(xml.as_bytes(), from, name.as_bytes())
        };
        assert_eq!(close("<font><b/><sz val=\"1\"/></font>", "font"), Some(23));
        assert_eq!(close("<x:font><x:b/></x:font>", "x:font"), Some(14));
        assert_eq!(close("<font><b/></font >", "font"), Some(10));
        assert_eq!(close("<font><b/></fonts></font>", "font"), Some(18), "only the same name closes");
        assert_eq!(close("<font><!-- </font> --></font>", "font"), None, "a comment may hold the tag");
        assert_eq!(close("<font><![CDATA[</font>]]></font>", "font"), None);
        assert_eq!(close("<font><?pi </font>?></font>", "font"), None);
        assert_eq!(close("<font><font/></font>", "font"), None, "a nested element of the same name");
        assert_eq!(close("<font><fontX/></font>", "font"), Some(14), "another name that starts the same");
        assert_eq!(close("<font><b/>", "font"), None, "no end tag");
    }

    #[test]
    fn spreadsheetml_by_a_prefix_becomes_the_default_namespace() {
        let main = MAIN_NS;
        let x = format!(
            r#"<?xml version="1.0"?><x:worksheet xmlns:xr="urn:xr" xmlns:x = "{main}" xmlns:r="urn:r"><x:sheetData><x:row r="1"><x:c r="A1" t="s" xr:uid="1"><x:v>0</x:v></x:c><x:c r="B1"/></x:row></x:sheetData><!-- <x:c> --><x:legacyDrawing r:id="rId1"/></x:worksheet>"#
        );
        let out = String::from_utf8(main_ns_as_default(x.as_bytes()).expect("converted")).unwrap();
        assert_eq!(
            out,
            format!(
                r#"<?xml version="1.0"?><worksheet xmlns:xr="urn:xr" xmlns = "{main}" xmlns:r="urn:r"><sheetData><row r="1"><c r="A1" t="s" xr:uid="1"><v>0</v></c><c r="B1"/></row></sheetData><!-- <x:c> --><legacyDrawing r:id="rId1"/></worksheet>"#
            )
        );
        // Left alone: already the default, another namespace, or a change of meaning.
        let unchanged = [
            format!(r#"<worksheet xmlns="{main}"><sheetData/></worksheet>"#),
            r#"<x:worksheet xmlns:x="urn:other"><x:sheetData/></x:worksheet>"#.to_string(),
            format!(r#"<x:worksheet xmlns:x="{main}"><x:extLst><ext xmlns="urn:e"/></x:extLst></x:worksheet>"#),
            format!(r#"<x:worksheet xmlns:x="{main}"><x:sheetData xmlns:x="urn:other"/></x:worksheet>"#),
            format!(r#"<x:worksheet xmlns:x="{main}"><x:sheetData x:a="1"/></x:worksheet>"#),
            format!(r#"<x:worksheet xmlns:x="{main}" xmlns="urn:d"><x:sheetData/></x:worksheet>"#),
        ];
        for xml in unchanged {
            assert_eq!(main_ns_as_default(xml.as_bytes()), None, "{xml}");
        }
        // The root is found past a declaration, comments (with markup in them) and a doctype.
        let after_comment = format!(r#"<?xml version="1.0"?><!-- <a> --><!DOCTYPE x><x:styleSheet xmlns:x="{main}"/>"#);
        assert_eq!(
            main_ns_as_default(after_comment.as_bytes()).as_deref(),
            Some(after_comment.replace("x:styleSheet xmlns:x", "styleSheet xmlns").as_bytes())
        );
    }
}
