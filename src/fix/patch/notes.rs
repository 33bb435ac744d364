//! Notes (legacy comments) on a sheet: `xl/commentsN.xml` for the text and
//! `xl/drawings/vmlDrawingN.vml` for the boxes. A note on a cell that already has a comment is
//! merged into it, the existing text first; a note whose text is already there is not added
//! again (so a corrected workbook fixed again keeps its notes as they are).

use super::xml::{self, at, attr, malformed};
use crate::address::CellRef;
use crate::error::Result;
use quick_xml::escape::unescape;
use quick_xml::events::Event;
use std::collections::BTreeMap;

/// One existing comment.
#[derive(Debug)]
struct Comment {
    /// Its plain text.
    text: String,
    /// Where new text goes: before `</t>` of a plain text (with that `<t>`'s start tag span), or
    /// after the last run.
    append_at: Append,
}

#[derive(Debug)]
enum Append {
    /// After the last `</r>`.
    Run(usize),
    /// Inside the one `<t>` (its start tag span, and where `</t>` starts).
    Plain(usize, usize, usize),
    /// `<text></text>`: where the inside of `<text>` is (a span to replace).
    Empty(usize, usize),
    /// `<text/>`: its span.
    EmptyTag(usize, usize),
}

/// A comments part.
pub struct Comments {
    bytes: Vec<u8>,
    authors: Vec<String>,
    /// Where `</authors>` starts, or the span of `<authors/>`.
    authors_end: (usize, usize, bool),
    list_end: (usize, usize, bool),
    comments: BTreeMap<CellRef, Comment>,
}

const NEW_COMMENTS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<comments xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><authors></authors><commentList></commentList></comments>";

impl Comments {
    pub fn new() -> Comments {
        Comments::parse(NEW_COMMENTS.as_bytes().to_vec(), "comments").unwrap_or_else(|_| Comments {
            bytes: Vec::new(),
            authors: Vec::new(),
            authors_end: (0, 0, false),
            list_end: (0, 0, false),
            comments: BTreeMap::new(),
        })
    }

    pub fn parse(bytes: Vec<u8>, part: &str) -> Result<Comments> {
        xml::undamaged(part, &bytes)?;
        let mut c = Comments {
            bytes: Vec::new(),
            authors: Vec::new(),
            authors_end: (0, 0, false),
            list_end: (0, 0, false),
            comments: BTreeMap::new(),
        };
        let mut r = xml::reader(&bytes);
        let mut current: Option<CellRef> = None;
        let mut in_author = false;
        let mut text = String::new();
        let mut t_tag: Option<(usize, usize)> = None;
        let mut text_open: Option<usize> = None;
        let mut last_run_end = None;
        let mut plain: Option<(usize, usize, usize)> = None;
        let mut in_t = 0usize;
        let mut in_rph = false;
        let mut seen_list = false;
        loop {
            let before = at(r.buffer_position());
            let ev = r.read_event().map_err(|e| malformed(part, e))?;
            let after = at(r.buffer_position());
            match ev {
                Event::Start(e) => match e.local_name().as_ref() {
                    "comments" if !super::package::default_main_ns(&e) => {
                        return Err(malformed(part, "not in the main namespace"));
                    }
                    "author" => {
                        in_author = true;
                        c.authors.push(String::new());
                    }
                    "commentList" => seen_list = true,
                    "comment" => {
                        current = attr(&e, "ref").and_then(|v| CellRef::parse(&v));
                        text.clear();
                        last_run_end = None;
                        plain = None;
                        text_open = None;
                    }
                    "text" => text_open = Some(after),
                    "rPh" => in_rph = true,
                    "t" => {
                        in_t = after;
                        t_tag = Some((before, after));
                    }
                    _ => {}
                },
                Event::Empty(e) => match e.local_name().as_ref() {
                    "authors" => c.authors_end = (before, after, true),
                    "commentList" => {
                        c.list_end = (before, after, true);
                        seen_list = true;
                    }
                    "text" => {
                        if let Some(cell) = current {
                            c.comments.insert(
                                cell,
                                Comment { text: String::new(), append_at: Append::EmptyTag(before, after) },
                            );
                        }
                    }
                    _ => {}
                },
                Event::End(e) => match e.local_name().as_ref() {
                    "author" => in_author = false,
                    "authors" => c.authors_end = (before, before, false),
                    "commentList" => c.list_end = (before, before, false),
                    "rPh" => in_rph = false,
                    "r" => last_run_end = Some(after),
                    "t" if !in_rph => {
                        let raw = String::from_utf8_lossy(&bytes[in_t..before]);
                        text.push_str(&unescape(&raw).map_err(|e| malformed(part, e))?);
                        if let (None, Some((ts, te))) = (last_run_end, t_tag) {
                            plain = Some((ts, te, before));
                        }
                    }
                    "text" => {
                        if let (Some(cell), Some(open)) = (current, text_open) {
                            let append_at = match (last_run_end, plain) {
                                (Some(end), _) => Append::Run(end),
                                (None, Some((ts, te, close))) => Append::Plain(ts, te, close),
                                (None, None) => Append::Empty(open, before),
                            };
                            c.comments.insert(cell, Comment { text: text.clone(), append_at });
                        }
                    }
                    _ => {}
                },
                Event::Text(t) if in_author => {
                    if let Some(a) = c.authors.last_mut() {
                        a.push_str(&unescape(&t).unwrap_or_default());
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        if !seen_list {
            return Err(malformed(part, "no <commentList>"));
        }
        c.bytes = bytes;
        Ok(c)
    }

    /// Adds `notes` (cell → text); returns the new part (None when every text was already
    /// there) and the cells that got a new comment (they need a box in the VML).
    pub fn add(&self, notes: &BTreeMap<CellRef, String>, author: &str) -> (Option<Vec<u8>>, Vec<CellRef>) {
        let mut edits = Vec::new();
        let mut new_cells = Vec::new();
        let mut new_comments = String::new();
        let author_id = self.authors.iter().position(|a| a == author);
        let id = author_id.unwrap_or(self.authors.len());
        for (cell, note) in notes {
            match self.comments.get(cell) {
                Some(old) if old.text.contains(note.as_str()) => {}
                Some(old) => {
                    let sep = if old.text.is_empty() { "" } else { "\n\n" };
                    let add = xml::text(&format!("{sep}{note}"));
                    match old.append_at {
                        Append::Run(end) => {
                            let run = format!("<r><t xml:space=\"preserve\">{add}</t></r>");
                            edits.push((end, end, run.into_bytes()));
                        }
                        Append::Plain(ts, te, close) => {
                            let tag = String::from_utf8_lossy(&self.bytes[ts..te]);
                            if !tag.contains("xml:space") {
                                edits.push((ts, te, b"<t xml:space=\"preserve\">".to_vec()));
                            }
                            edits.push((close, close, add.into_bytes()));
                        }
                        Append::Empty(open, close) => {
                            edits.push((open, close, format!("<t xml:space=\"preserve\">{add}</t>").into_bytes()));
                        }
                        Append::EmptyTag(start, end) => {
                            let el = format!("<text><t xml:space=\"preserve\">{add}</t></text>");
                            edits.push((start, end, el.into_bytes()));
                        }
                    }
                }
                None => {
                    new_cells.push(*cell);
                    new_comments.push_str(&format!(
                        "<comment ref=\"{cell}\" authorId=\"{id}\"><text><t xml:space=\"preserve\">{}</t></text></comment>",
                        xml::text(note)
                    ));
                }
            }
        }
        if !new_comments.is_empty() {
            let (s, e, empty) = self.list_end;
            if empty {
                edits.push((s, e, format!("<commentList>{new_comments}</commentList>").into_bytes()));
            } else {
                edits.push((s, s, new_comments.into_bytes()));
            }
            if author_id.is_none() {
                let a = format!("<author>{}</author>", xml::text(author));
                let (s, e, empty) = self.authors_end;
                if empty {
                    edits.push((s, e, format!("<authors>{a}</authors>").into_bytes()));
                } else {
                    edits.push((s, s, a.into_bytes()));
                }
            }
        }
        if edits.is_empty() {
            return (None, new_cells);
        }
        (Some(xml::splice(&self.bytes, edits)), new_cells)
    }
}

/// The VML namespaces, by the prefixes the boxes written here use.
const VML_NAMESPACES: [(&str, &str); 3] = [
    ("v", "urn:schemas-microsoft-com:vml"),
    ("o", "urn:schemas-microsoft-com:office:office"),
    ("x", "urn:schemas-microsoft-com:office:excel"),
];

/// The box type every note's box refers to (`#_x0000_t202`); `decls` declares its prefixes
/// where the part's root does not.
fn shapetype(decls: &str) -> String {
    format!("<v:shapetype{decls} id=\"_x0000_t202\" coordsize=\"21600,21600\" o:spt=\"202\" path=\"m,l,21600r21600,l21600,xe\"><v:stroke joinstyle=\"miter\"/><v:path gradientshapeok=\"t\" o:connecttype=\"rect\"/></v:shapetype>")
}

/// The declarations of [`VML_NAMESPACES`], as a start tag's attributes.
fn vml_declarations() -> String {
    VML_NAMESPACES.iter().map(|(p, uri)| format!(" xmlns:{p}=\"{uri}\"")).collect()
}

/// The namespace declarations boxes added to an existing VML part need: none when its root
/// declares `v`, `o` and `x` as Excel does; all three otherwise (openpyxl writes `ns0`, `ns1`
/// and `ns2`, and boxes written with undeclared prefixes are not well-formed XML).
fn declarations_for(old: &str) -> String {
    let root = old.find("<xml").and_then(|at| old[at..].find('>').map(|end| &old[at..at + end])).unwrap_or("");
    let declared = VML_NAMESPACES.iter().all(|(p, uri)| root.contains(&format!("xmlns:{p}=\"{uri}\"")));
    if declared {
        String::new()
    } else {
        vml_declarations()
    }
}

/// A note's box, below and right of its cell, tall enough for `lines` lines (`decls` as for
/// [`shapetype`]).
fn shape(id: u64, cell: CellRef, lines: u32, decls: &str) -> String {
    let (r, c) = (cell.row, cell.col);
    let tall = lines.clamp(3, 24);
    format!(
        "<v:shape{decls} id=\"_x0000_s{id}\" type=\"#_x0000_t202\" style=\"position:absolute;margin-left:0;margin-top:0;width:240pt;height:{}pt;z-index:{id};visibility:hidden\" fillcolor=\"#ffffe1\" o:insetmode=\"auto\"><v:fill color2=\"#ffffe1\"/><v:shadow on=\"t\" color=\"black\" obscured=\"t\"/><v:path o:connecttype=\"none\"/><v:textbox style=\"mso-direction-alt:auto\"><div style=\"text-align:left\"></div></v:textbox><x:ClientData ObjectType=\"Note\"><x:MoveWithCells/><x:SizeWithCells/><x:Anchor>{}, 15, {r}, 2, {}, 15, {}, 4</x:Anchor><x:AutoFill>False</x:AutoFill><x:Row>{r}</x:Row><x:Column>{c}</x:Column></x:ClientData></v:shape>",
        tall * 14 + 8,
        c + 1,
        c + 5,
        r + tall + 1,
    )
}

/// The VML part with boxes for `cells` added (`old` the existing part, if any). `idmap` is the
/// block of shape ids to use for a new part.
#[cfg(test)]
pub fn vml_with(old: Option<&[u8]>, cells: &[(CellRef, u32)], idmap: u64) -> Vec<u8> {
    let mut out = Vec::new();
    vml_into(old, cells, idmap, &mut |b| out.extend_from_slice(b));
    out
}

/// [`vml_with`], handed to `out` piece by piece (a box per note: tens of thousands of notes are
/// tens of megabytes, deflated as they come).
pub fn vml_into(old: Option<&[u8]>, cells: &[(CellRef, u32)], idmap: u64, out: &mut dyn FnMut(&[u8])) {
    match old {
        Some(old) => {
            // Found in the bytes: the lossy text's offsets differ when the part is not UTF-8.
            let Some(end) = memchr::memmem::rfind(old, b"</xml>") else { return out(old) };
            let text = String::from_utf8_lossy(old);
            let max_id = max_shape_id(&text).unwrap_or(idmap.saturating_mul(1024));
            let decls = declarations_for(&text);
            let decls = decls.as_str();
            out(&old[..end]);
            // The part's own box type of that id, whatever its prefix, serves the new boxes too.
            if !text.contains("id=\"_x0000_t202\"") {
                out(shapetype(decls).as_bytes());
            }
            for (i, (cell, lines)) in cells.iter().enumerate() {
                out(shape(max_id.saturating_add(1 + i as u64), *cell, *lines, decls).as_bytes());
            }
            out(&old[end..]);
        }
        None => {
            let head = format!(
                "<xml{}><o:shapelayout v:ext=\"edit\"><o:idmap v:ext=\"edit\" data=\"{idmap}\"/></o:shapelayout>{}",
                vml_declarations(),
                shapetype("")
            );
            out(head.as_bytes());
            for (i, (cell, lines)) in cells.iter().enumerate() {
                out(shape(idmap.saturating_mul(1024).saturating_add(1 + i as u64), *cell, *lines, "").as_bytes());
            }
            out(b"</xml>");
        }
    }
}

fn max_shape_id(text: &str) -> Option<u64> {
    text.match_indices("_x0000_s")
        .filter_map(|(i, m)| {
            let digits: String = text[i + m.len()..].chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .max()
}

/// The largest `o:idmap data` number of a VML part.
pub fn idmap_of(text: &str) -> u64 {
    let mut max = 0;
    for (i, _) in text.match_indices("data=\"") {
        let rest = &text[i + 6..];
        let end = rest.find('"').unwrap_or(0);
        for n in rest[..end].split(',') {
            max = max.max(n.trim().parse().unwrap_or(0));
        }
    }
    max
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_with_existing_comments_once() {
        let xml = r#"<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><authors><author>審査</author></authors><commentList><comment ref="B2" authorId="0"><text><r><t>前から</t></r></text></comment><comment ref="C3" authorId="0"><text><t>平文</t></text></comment></commentList></comments>"#;
        let c = Comments::parse(xml.as_bytes().to_vec(), "c").unwrap();
        let mut notes = BTreeMap::new();
        notes.insert(CellRef::new(1, 1), "追加".to_string());
        notes.insert(CellRef::new(2, 2), "追加2".to_string());
        notes.insert(CellRef::new(3, 3), "新規 <&>".to_string());
        let (out, new_cells) = c.add(&notes, "goalsheet");
        let out = String::from_utf8(out.unwrap()).unwrap();
        assert_eq!(new_cells, vec![CellRef::new(3, 3)]);
        assert!(out.contains("<r><t>前から</t></r><r><t xml:space=\"preserve\">\n\n追加</t></r>"), "{out}");
        assert!(out.contains("<t xml:space=\"preserve\">平文\n\n追加2</t>"), "{out}");
        assert!(out.contains("<author>審査</author><author>goalsheet</author>"), "{out}");
        assert!(out.contains("<comment ref=\"D4\" authorId=\"1\"><text><t xml:space=\"preserve\">新規 &lt;&amp;&gt;</t></text></comment></commentList>"), "{out}");
        let again = Comments::parse(out.into_bytes(), "c").unwrap();
        let (none, new_cells) = again.add(&notes, "goalsheet");
        assert!(none.is_none() && new_cells.is_empty());
    }

    #[test]
    fn vml_boxes() {
        let v = String::from_utf8(vml_with(None, &[(CellRef::new(4, 2), 2)], 3)).unwrap();
        assert!(
            v.contains("data=\"3\"")
                && v.contains("_x0000_s3073")
                && v.contains("<x:Row>4</x:Row><x:Column>2</x:Column>")
        );
        let v2 = String::from_utf8(vml_with(Some(v.as_bytes()), &[(CellRef::new(0, 0), 1)], 9)).unwrap();
        assert!(v2.contains("_x0000_s3074") && v2.matches("o:spt=\"202\"").count() == 1);
        assert_eq!(idmap_of(&v2), 3);
    }

    /// Every element and attribute prefix of `xml` resolved to a namespace: what a
    /// namespace-aware reader (Excel's, LibreOffice's) needs of the part.
    fn prefixes_resolve(xml: &str) -> bool {
        use quick_xml::events::Event;
        use quick_xml::name::ResolveResult;
        let mut r = quick_xml::NsReader::from_str(xml);
        loop {
            match r.read_resolved_event() {
                Ok((ResolveResult::Unknown(_), _)) | Err(_) => return false,
                Ok((_, Event::Eof)) => return true,
                Ok((_, Event::Start(e) | Event::Empty(e))) => {
                    for a in e.attributes().flatten() {
                        if matches!(r.resolver().resolve_attribute(a.key).0, ResolveResult::Unknown(_)) {
                            return false;
                        }
                    }
                }
                Ok(_) => {}
            }
        }
    }

    /// openpyxl writes its VML with the prefixes `ns0`, `ns1` and `ns2`: boxes added with
    /// `v:`, `o:` and `x:` declare them, and its box type of the same id is used, not repeated.
    #[test]
    fn boxes_added_to_a_part_with_other_prefixes_declare_theirs() {
        let openpyxl = r##"<xml xmlns:ns0="urn:schemas-microsoft-com:office:office" xmlns:ns1="urn:schemas-microsoft-com:vml" xmlns:ns2="urn:schemas-microsoft-com:office:excel"><ns0:shapelayout ns1:ext="edit"><ns0:idmap ns1:ext="edit" data="1" /></ns0:shapelayout><ns1:shapetype id="_x0000_t202" coordsize="21600,21600" ns0:spt="202" path="m,l,21600r21600,l21600,xe"><ns1:stroke joinstyle="miter" /><ns1:path gradientshapeok="t" ns0:connecttype="rect" /></ns1:shapetype><ns1:shape type="#_x0000_t202" style="visibility:hidden" id="_x0000_s1026"><ns2:ClientData ObjectType="Note"><ns2:Row>0</ns2:Row><ns2:Column>29</ns2:Column></ns2:ClientData></ns1:shape></xml>"##;
        assert!(prefixes_resolve(openpyxl));
        let out = String::from_utf8(vml_with(Some(openpyxl.as_bytes()), &[(CellRef::new(7, 8), 2)], 9)).unwrap();
        assert!(prefixes_resolve(&out), "{out}");
        assert_eq!(out.matches("id=\"_x0000_t202\"").count(), 1, "{out}");
        assert!(
            out.contains("<v:shape xmlns:v=\"urn:schemas-microsoft-com:vml\"") && out.contains("_x0000_s1027"),
            "{out}"
        );
        assert!(out.starts_with(&openpyxl[..openpyxl.len() - "</xml>".len()]), "the part's own text is kept");
        // A part declaring Excel's prefixes at its root gets boxes without declarations, as before.
        let excel = String::from_utf8(vml_with(None, &[(CellRef::new(4, 2), 2)], 3)).unwrap();
        let more = String::from_utf8(vml_with(Some(excel.as_bytes()), &[(CellRef::new(0, 0), 1)], 9)).unwrap();
        assert!(prefixes_resolve(&more) && more.matches("xmlns:v=").count() == 1, "{more}");
    }
}
