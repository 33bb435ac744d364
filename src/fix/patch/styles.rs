//! styles.xml, appended to only: a fill, a number format or a cell format (xf) the patch
//! needs is added after the existing ones (or an identical one reused), so every existing
//! style index keeps its meaning.

use super::xml::{self, at, attr, malformed};
use crate::error::Result;
use quick_xml::events::{BytesStart, Event};

/// One list of styles.xml (`fonts`, `fills`, `cellXfs`, `numFmts`).
#[derive(Debug, Default, PartialEq)]
struct List {
    /// The span of the list's start tag (None when the list is absent).
    tag: Option<(usize, usize)>,
    /// Where its end tag starts.
    close: usize,
    /// Each element's bytes, existing then added.
    items: Vec<String>,
    existing: usize,
}

impl List {
    /// The index of an element with exactly these bytes, adding it when there is none.
    fn intern(&mut self, el: String) -> usize {
        if let Some(i) = self.items.iter().position(|x| *x == el) {
            return i;
        }
        self.items.push(el);
        self.items.len() - 1
    }

    fn added(&self) -> &[String] {
        &self.items[self.existing..]
    }
}

/// The most cell formats (`cellXfs`) a workbook may have for Excel to show it whole: past
/// it, Excel says "some cell formatting … was unable to be shown because too many unique cell
/// formats are in use" (Excel 2007's limit; later versions allow 65,490). Workbooks copied from
/// year to year collect formats until they reach it, so the patch never adds one past it.
pub const MOST_CELL_FORMATS: usize = 64_000;

#[derive(Debug, PartialEq)]
pub struct Styles {
    bytes: Vec<u8>,
    root_tag_end: usize,
    num_fmts: List,
    fonts: List,
    fills: List,
    xfs: List,
    /// Custom number formats: (id, code).
    codes: Vec<(u32, String)>,
    /// A cell format was wanted past [`MOST_CELL_FORMATS`] and an existing one used instead.
    full: bool,
}

const PART: &str = "styles.xml";

impl Styles {
    /// Reads the lists the patch appends to. Their items and the lists it does not touch
    /// (borders, cell styles, dxfs…) are jumped over to their end tag ([`xml::close_of`])
    /// instead of being read event by event, which was half of the cost; debug builds check
    /// that both ways give the same.
    pub fn parse(bytes: Vec<u8>) -> Result<Styles> {
        #[cfg(debug_assertions)]
        let (bytes_copy, events) = (bytes.clone(), Self::parse_with(bytes.clone(), false));
        let jumped = Self::parse_with(bytes, true);
        #[cfg(debug_assertions)]
        xml::debug_agree(PART, &bytes_copy, &jumped, &events, |j, e| j == e);
        jumped
    }

    fn parse_with(bytes: Vec<u8>, mut jump: bool) -> Result<Styles> {
        let mut s = Styles {
            bytes: Vec::new(),
            root_tag_end: 0,
            num_fmts: List::default(),
            fonts: List::default(),
            fills: List::default(),
            xfs: List::default(),
            codes: Vec::new(),
            full: false,
        };
        // The reader starts at `base` in `bytes`: after a jump, a new reader goes on from the
        // end tag, taking the end tags of elements it did not see open.
        let mut base = 0usize;
        let mut r = xml::reader(&bytes);
        // Items start at `<` and end after `>`: slices of the text when it is UTF-8 (checked
        // once, not for each item).
        let whole = std::str::from_utf8(&bytes).ok();
        let item = |a: usize, b: usize| match whole.and_then(|t| t.get(a..b)) {
            Some(t) => t.to_string(),
            None => String::from_utf8_lossy(&bytes[a..b]).into_owned(),
        };
        let mut depth = 0usize;
        let mut list: Option<&'static str> = None;
        let mut item_start = 0usize;
        loop {
            let before = base + at(r.buffer_position());
            let ev = r.read_event().map_err(|e| malformed(PART, e))?;
            let after = base + at(r.buffer_position());
            match ev {
                Event::Start(e) => {
                    depth += 1;
                    // Whether this element's content can be jumped over.
                    let mut skip = false;
                    match depth {
                        1 => {
                            if !super::package::default_main_ns(&e) {
                                return Err(malformed(PART, "not in the main namespace"));
                            }
                            s.root_tag_end = after;
                        }
                        2 => {
                            list = list_name(e.local_name().as_ref());
                            match list.and_then(|n| s.list_mut(n)) {
                                // A list given twice: which one Excel uses is not known.
                                Some(l) if l.tag.is_some() => {
                                    return Err(malformed(PART, format!("two <{}> lists", list.unwrap_or_default())))
                                }
                                Some(l) => l.tag = Some((before, after)),
                                None => skip = true,
                            }
                        }
                        3 => {
                            item_start = before;
                            skip = true;
                        }
                        _ => {}
                    }
                    let jump_to = if skip && jump {
                        let close = xml::close_of(&bytes, after, e.name().as_ref().as_bytes());
                        // Read on event by event, to the end, once an end tag cannot be found
                        // quickly: a part of many such elements must not be searched for each.
                        jump = close.is_some();
                        close
                    } else {
                        None
                    };
                    if let Some(close) = jump_to {
                        base = close;
                        r = xml::reader(&bytes[close..]);
                        r.config_mut().allow_unmatched_ends = true;
                    }
                }
                Event::Empty(e) => match depth {
                    1 => {
                        if let Some(l) = list_name(e.local_name().as_ref()).and_then(|n| s.list_mut(n)) {
                            // `<fills/>`: treated as absent (an empty list is written when needed).
                            l.tag = None;
                        }
                    }
                    2 => {
                        if list == Some("numFmts") {
                            if let (Some(id), Some(code)) =
                                (attr(&e, "numFmtId").and_then(|v| v.parse().ok()), attr(&e, "formatCode"))
                            {
                                s.codes.push((id, code));
                            }
                        }
                        if let Some(l) = list.and_then(|n| s.list_mut(n)) {
                            l.items.push(item(before, after));
                        }
                    }
                    _ => {}
                },
                // What quick-xml says of an end tag with nothing open, which a reader made after a
                // jump lets through.
                Event::End(e) if depth == 0 => {
                    let name = String::from_utf8_lossy(e.name().as_ref().as_bytes()).into_owned();
                    let unmatched = quick_xml::errors::IllFormedError::UnmatchedEndTag(name);
                    return Err(malformed(PART, quick_xml::Error::IllFormed(unmatched)));
                }
                Event::End(e) => {
                    // The lists and their items are closed by their own end tags, or the part is
                    // damaged where the patch would add to it (found by the `fix` fuzz target: a
                    // list closed by another's tag had its additions written at the part's start).
                    let name = e.local_name();
                    let expected = match depth {
                        1 => Some("styleSheet"),
                        2 => list,
                        3 => list.map(item_name),
                        _ => None,
                    };
                    if let Some(want) = expected.filter(|want| name.as_ref() != *want) {
                        return Err(malformed(PART, format!("</{}> where </{want}> was expected", name.as_ref())));
                    }
                    match depth {
                        2 => {
                            if let Some(l) = list.and_then(|n| s.list_mut(n)) {
                                l.close = before;
                            }
                            list = None;
                        }
                        3 => {
                            if let Some(l) = list.and_then(|n| s.list_mut(n)) {
                                l.items.push(item(item_start, after));
                            }
                        }
                        _ => {}
                    }
                    depth = depth.saturating_sub(1);
                }
                Event::Eof => break,
                _ => {}
            }
        }
        for l in [&mut s.num_fmts, &mut s.fonts, &mut s.fills, &mut s.xfs] {
            l.existing = l.items.len();
        }
        if s.fills.tag.is_none() || s.xfs.tag.is_none() || s.fonts.tag.is_none() {
            return Err(malformed(PART, "no fonts, fills or cellXfs"));
        }
        for (name, l) in [("numFmts", &s.num_fmts), ("fonts", &s.fonts), ("fills", &s.fills), ("cellXfs", &s.xfs)] {
            if l.tag.is_some_and(|(_, end)| l.close < end) {
                return Err(malformed(PART, format!("no </{name}>")));
            }
        }
        s.bytes = bytes;
        Ok(s)
    }

    fn list_mut(&mut self, name: &str) -> Option<&mut List> {
        match name {
            "numFmts" => Some(&mut self.num_fmts),
            "fonts" => Some(&mut self.fonts),
            "fills" => Some(&mut self.fills),
            "cellXfs" => Some(&mut self.xfs),
            _ => None,
        }
    }

    /// A solid fill of colour `rgb`.
    pub fn solid_fill(&mut self, rgb: u32) -> usize {
        self.fills.intern(format!(
            "<fill><patternFill patternType=\"solid\"><fgColor rgb=\"FF{rgb:06X}\"/><bgColor indexed=\"64\"/></patternFill></fill>"
        ))
    }

    /// The id of a number format with `code`, adding a custom one when there is none.
    pub fn num_fmt(&mut self, code: &str) -> u32 {
        if let Some((id, _)) = self.codes.iter().find(|(_, c)| c == code) {
            return *id;
        }
        let id = self.codes.iter().map(|(id, _)| *id).max().unwrap_or(0).max(175) + 1;
        self.codes.push((id, code.to_string()));
        self.num_fmts.items.push(format!("<numFmt numFmtId=\"{id}\" formatCode=\"{}\"/>", xml::attr_text(code)));
        id
    }

    /// How many cell formats the workbook had before the patch.
    pub fn formats(&self) -> usize {
        self.xfs.existing
    }

    /// The text cell format `xf` shows the number `n` as (its number format's rendering, as
    /// the reader renders it), `None` when the format cannot say. `xf` out of range reads as 0.
    pub fn shows(&self, xf: u32, n: f64, date1904: bool) -> Option<String> {
        match crate::numfmt::Format::parse(self.code_of(xf)).render(n, date1904) {
            crate::numfmt::Rendered::Text(t) => Some(t),
            crate::numfmt::Rendered::Unrenderable => None,
        }
    }

    /// Whether cell format `xf` shows text otherwise than it is: a text section that adds to
    /// it (`"結果："@`) or hides it (`;;;`). The reader reads such a cell as it shows, so text
    /// written there would not read back as written.
    pub fn alters_text(&self, xf: u32) -> bool {
        let format = crate::numfmt::Format::parse(self.code_of(xf));
        format.has_text_section() && format.render_text("x") != "x"
    }

    /// The number format code of cell format `xf`, as the reader takes it; `xf` out of range
    /// reads as 0.
    fn code_of(&self, xf: u32) -> &str {
        let base = usize::try_from(xf).ok().and_then(|i| self.xfs.items.get(i)).or_else(|| self.xfs.items.first());
        let id = base.and_then(|x| xml_num_fmt(x)).unwrap_or(0);
        match self.codes.iter().find(|(i, _)| *i == id) {
            Some((_, code)) => crate::read::grid::excel_code(Some(id), code),
            None => crate::numfmt::builtin(id).unwrap_or("General"),
        }
    }

    /// The cell format `xf` with `fill` (and number format `num_fmt`) instead of its own: an
    /// existing identical one, or a new one appended. `xf` out of range reads as 0, as Excel does.
    pub fn derive(&mut self, xf: u32, fill: Option<usize>, num_fmt: Option<u32>) -> Result<u32> {
        let base = usize::try_from(xf).ok().and_then(|i| self.xfs.items.get(i)).or_else(|| self.xfs.items.first());
        let base = base.ok_or_else(|| malformed(PART, "no cell formats"))?.clone();
        copyable(&base, "a cell format")?;
        let mut r = xml::reader(base.as_bytes());
        let (e, empty): (BytesStart<'_>, bool) = match r.read_event().map_err(|e| malformed(PART, e))? {
            Event::Start(e) => (e.into_owned(), false),
            Event::Empty(e) => (e.into_owned(), true),
            _ => return Err(malformed(PART, "cell format")),
        };
        let mut drop = vec![];
        let mut add = vec![];
        if let Some(f) = fill {
            drop.extend(["fillId", "applyFill"]);
            add.push(("fillId", f.to_string()));
            add.push(("applyFill", "1".to_string()));
        }
        if let Some(n) = num_fmt {
            drop.extend(["numFmtId", "applyNumberFormat"]);
            add.push(("numFmtId", n.to_string()));
            add.push(("applyNumberFormat", "1".to_string()));
        }
        let tag = xml::start_tag(&e, &drop, &add, empty);
        let rest = &base[at(r.buffer_position())..];
        let el = format!("{tag}{rest}");
        if el == base {
            return Ok(xf);
        }
        if let Some(i) = self.xf_within_limit(el) {
            return index(i);
        }
        // The highlight is given up: the cell keeps its own format.
        let Some(n) = num_fmt else { return Ok(xf) };
        // But a date must still show as a date: the cell's format with the date format and no
        // highlight, else a format showing that date format, else any showing a date (in the
        // workbook's own style of date), and only with none of them one past the limit.
        let (id, apply) = (("numFmtId", n.to_string()), ("applyNumberFormat", "1".to_string()));
        let plain = format!("{}{rest}", xml::start_tag(&e, &["numFmtId", "applyNumberFormat"], &[id, apply], empty));
        let found = (self.xfs.items.iter().position(|x| *x == plain))
            .or_else(|| self.xfs.items.iter().position(|x| xml_num_fmt(x) == Some(n)))
            .or_else(|| self.date_xf());
        match found {
            Some(i) => index(i),
            None => index(self.xfs.intern(plain)),
        }
    }

    /// The index of cell format `el`: an identical one, or `el` appended while the workbook
    /// has fewer than [`MOST_CELL_FORMATS`]; `None` (and [`Styles::is_full`]) past that.
    fn xf_within_limit(&mut self, el: String) -> Option<usize> {
        if let Some(i) = self.xfs.items.iter().position(|x| *x == el) {
            return Some(i);
        }
        if self.xfs.items.len() >= MOST_CELL_FORMATS {
            self.full = true;
            return None;
        }
        Some(self.xfs.intern(el))
    }

    /// The first cell format showing its number as a date.
    fn date_xf(&self) -> Option<usize> {
        let shows_date = |id: u32| {
            let code = self.codes.iter().find(|(c, _)| *c == id).map(|(_, code)| code.as_str());
            code.or_else(|| crate::numfmt::builtin(id)).is_some_and(|c| crate::numfmt::Format::parse(c).is_date())
        };
        self.xfs.items.iter().position(|x| shows_date(xml_num_fmt(x).unwrap_or(0)))
    }

    /// Whether a date typed as text can be written as a date cell shown as a date: there is
    /// room for a cell format under [`MOST_CELL_FORMATS`], or one showing a date to use.
    pub fn dates_fit(&self) -> bool {
        self.xfs.items.len() < MOST_CELL_FORMATS || self.date_xf().is_some()
    }

    /// Whether a cell format was given up for [`MOST_CELL_FORMATS`]: fixed cells without their
    /// highlight, the added sheets plain.
    pub fn is_full(&self) -> bool {
        self.full
    }

    /// A cell format for the added sheets: font 0 (bold for headers), optional fill, wrapped
    /// text aligned to the top.
    pub fn table_xf(&mut self, header: bool) -> Result<u32> {
        if header {
            let bold = self.bold_font()?;
            let fill = self.solid_fill(0xD9D9D9);
            self.added_xf(bold, fill, true)
        } else {
            self.added_xf(0, 0, true)
        }
    }

    /// A body cell of the added sheets filled with `rgb` (an unsafe change's row, a legend
    /// swatch), wrapped like the others.
    pub fn filled_xf(&mut self, rgb: u32) -> Result<u32> {
        let fill = self.solid_fill(rgb);
        self.added_xf(0, fill, true)
    }

    /// A legend line's text or title: not wrapped, so it runs on over the empty cells to its
    /// right.
    pub fn legend_xf(&mut self, bold: bool) -> Result<u32> {
        let font = if bold { self.bold_font()? } else { 0 };
        self.added_xf(font, 0, false)
    }

    fn added_xf(&mut self, font: usize, fill: usize, wrap: bool) -> Result<u32> {
        let wrap = if wrap { " wrapText=\"1\"" } else { "" };
        let el = format!(
            "<xf numFmtId=\"0\" fontId=\"{font}\" fillId=\"{fill}\" borderId=\"0\" xfId=\"0\" applyFont=\"1\" applyFill=\"1\" applyAlignment=\"1\"><alignment vertical=\"top\"{wrap}/></xf>"
        );
        // Past the limit the added sheets are written in the workbook's default format.
        self.xf_within_limit(el).map_or(Ok(0), index)
    }

    /// Font 0 made bold.
    fn bold_font(&mut self) -> Result<usize> {
        let base = self.fonts.items.first().cloned().unwrap_or_else(|| "<font/>".to_string());
        copyable(&base, "font 0")?;
        let bold = if base.contains("<b/>") {
            base
        } else if let Some(stripped) = base.strip_suffix("/>").filter(|_| !base.contains("</font>")) {
            format!("{}><b/></font>", stripped.trim_end())
        } else {
            match base.find('>') {
                Some(i) => format!("{}<b/>{}", &base[..=i], &base[i + 1..]),
                None => base,
            }
        };
        Ok(self.fonts.intern(bold))
    }

    /// The new styles.xml, or `None` when nothing was added.
    pub fn finish(self) -> Option<Vec<u8>> {
        let lists =
            [("numFmts", &self.num_fmts), ("fonts", &self.fonts), ("fills", &self.fills), ("cellXfs", &self.xfs)];
        if lists.iter().all(|(_, l)| l.added().is_empty()) {
            return None;
        }
        let mut edits = Vec::new();
        for (name, l) in lists {
            if l.added().is_empty() {
                continue;
            }
            let added: String = l.added().concat();
            match l.tag {
                Some((start, end)) => {
                    let tag = String::from_utf8_lossy(&self.bytes[start..end]).into_owned();
                    edits.push((start, end, with_count(&tag, l.items.len()).into_bytes()));
                    edits.push((l.close, l.close, added.into_bytes()));
                }
                None => {
                    // Only numFmts can be absent here; it is the first child of styleSheet.
                    let el = format!("<{name} count=\"{}\">{added}</{name}>", l.items.len());
                    edits.push((self.root_tag_end, self.root_tag_end, el.into_bytes()));
                }
            }
        }
        Some(xml::splice(&self.bytes, edits))
    }
}

/// Refuses to copy a damaged element (`<font>…</fon>`): the copy would carry the damage into
/// an element the patch adds, where the reader, and Excel, stop at it (found by the `fix` fuzz
/// target: the corrected workbook no longer read, where the input's damage had been jumped over).
fn copyable(el: &str, what: &str) -> Result<()> {
    if xml::well_formed(el.as_bytes()) {
        Ok(())
    } else {
        Err(malformed(PART, format!("{what} is damaged")))
    }
}

/// The `numFmtId` of a cell format element.
fn xml_num_fmt(xf: &str) -> Option<u32> {
    let mut r = xml::reader(xf.as_bytes());
    match r.read_event().ok()? {
        Event::Start(e) | Event::Empty(e) => attr(&e, "numFmtId")?.parse().ok(),
        _ => None,
    }
}

/// A cell format's index as a style attribute holds it.
fn index(i: usize) -> Result<u32> {
    u32::try_from(i).map_err(|_| malformed(PART, "too many cell formats"))
}

/// The element a list holds.
fn item_name(list: &str) -> &'static str {
    match list {
        "numFmts" => "numFmt",
        "fonts" => "font",
        "fills" => "fill",
        _ => "xf",
    }
}

fn list_name(name: &str) -> Option<&'static str> {
    match name {
        "numFmts" => Some("numFmts"),
        "fonts" => Some("fonts"),
        "fills" => Some("fills"),
        "cellXfs" => Some("cellXfs"),
        _ => None,
    }
}

/// The start tag with its `count` set to `n` (added when missing).
fn with_count(tag: &str, n: usize) -> String {
    let mut r = xml::reader(tag.as_bytes());
    match r.read_event() {
        Ok(Event::Start(e)) => xml::start_tag(&e, &["count"], &[("count", n.to_string())], false),
        _ => tag.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STYLES: &str = r#"<?xml version="1.0"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font><sz val="11"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="9" fontId="0" fillId="0" borderId="1" xfId="0" applyBorder="1"><alignment wrapText="1"/></xf></cellXfs></styleSheet>"#;

    #[test]
    fn appends_and_reuses() {
        let mut s = Styles::parse(STYLES.as_bytes().to_vec()).unwrap();
        let fill = s.solid_fill(0xC6EFCE);
        assert_eq!(fill, 2);
        let x = s.derive(1, Some(fill), None).unwrap();
        assert_eq!(x, 2);
        assert_eq!(s.derive(x, Some(fill), None).unwrap(), x, "deriving again is the same format");
        let code = s.num_fmt("[$-411]ge.m.d");
        let d = s.derive(0, Some(fill), Some(code)).unwrap();
        assert_eq!(d, 3);
        let out = String::from_utf8(s.finish().unwrap()).unwrap();
        assert!(
            out.contains(r#"<numFmts count="1"><numFmt numFmtId="176" formatCode="[$-411]ge.m.d"/></numFmts><fonts"#),
            "{out}"
        );
        assert!(out.contains(r#"<fills count="3">"#) && out.contains(r#"<cellXfs count="4">"#), "{out}");
        assert!(out.contains(r#"<xf numFmtId="9" fontId="0" borderId="1" xfId="0" applyBorder="1" fillId="2" applyFill="1"><alignment wrapText="1"/></xf>"#), "{out}");
        let again = Styles::parse(out.into_bytes()).unwrap();
        assert!(again.finish().is_none());
    }

    #[test]
    fn jumping_over_items_reads_what_reading_every_event_reads() {
        let odd = [
            STYLES.to_string(),
            // A comment inside an item and inside a list it does not touch: read event by event.
            STYLES.replace("<sz val=\"11\"/>", "<sz val=\"11\"/><!-- </font> -->"),
            STYLES.replace("</fills>", "</fills><borders count=\"1\"><border><!-- x --><left/></border></borders>"),
            // A prefixed styleSheet, lists the patch does not touch, an extLst with nesting.
            STYLES
                .replace("<styleSheet xmlns=", "<x:styleSheet xmlns:x=\"urn:other\" xmlns=")
                .replace("</styleSheet>", "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles><extLst><ext uri=\"x\"><ext/></ext></extLst></x:styleSheet>"),
        ];
        for xml in odd {
            let jumped = Styles::parse_with(xml.clone().into_bytes(), true).map_err(|e| e.to_string());
            let events = Styles::parse_with(xml.clone().into_bytes(), false).map_err(|e| e.to_string());
            assert_eq!(jumped, events, "{xml}");
            assert_eq!(jumped.map(|s| s.xfs.items.len()), Ok(2), "{xml}");
        }
    }

    #[test]
    fn damaged_styles_are_refused_alike_with_or_without_jumps() {
        for xml in
            [STYLES.replace("</styleSheet>", "</styleSheet></fonts>"), STYLES.replace("</cellXfs></styleSheet>", "")]
        {
            let jumped = Styles::parse_with(xml.clone().into_bytes(), true).map(|_| ()).map_err(|e| e.to_string());
            let events = Styles::parse_with(xml.clone().into_bytes(), false).map(|_| ()).map_err(|e| e.to_string());
            assert_eq!(jumped, events, "{xml}");
        }
    }

    #[test]
    fn items_whose_end_tag_is_missing_are_searched_for_once() {
        // Each item, named differently, is closed by a mismatched `</x>`: its end tag is
        // nowhere, so every search for one runs to the end of the part. Searched for each of
        // 50,000 items that is some 20 GB of scanning; searched once, a moment, and the first
        // mismatched end tag refuses the part, read either way.
        let items: String = (0..50_000).map(|k| format!("<i{k}></x>")).collect();
        let xml = STYLES.replace("<font><sz val=\"11\"/></font>", &items);
        let jumped = Styles::parse_with(xml.clone().into_bytes(), true).map(|_| ()).map_err(|e| e.to_string());
        let events = Styles::parse_with(xml.into_bytes(), false).map(|_| ()).map_err(|e| e.to_string());
        assert!(jumped.as_ref().is_err_and(|e| e.contains("</x> where </font> was expected")), "{jumped:?}");
        assert_eq!(jumped, events);
    }

    /// A list closed by another's end tag, or given twice, is refused: the patch adds to a list
    /// at its end tag, and found none or the wrong one (found by the `fix` fuzz target: the
    /// additions went to the start of the part).
    #[test]
    fn lists_closed_by_another_tag_or_given_twice_are_refused() {
        for (xml, says) in [
            (STYLES.replace("</cellXfs>", "</fonts>"), "</fonts> where </cellXfs> was expected"),
            (STYLES.replace("</fills>", "</fills><fills count=\"0\"></fills>"), "two <fills> lists"),
            // Refused either way; where the damage is seen first depends on what is jumped over.
            (STYLES.replace("</font></fonts>", "</fonts></font>"), " was expected"),
        ] {
            for jump in [true, false] {
                let got = Styles::parse_with(xml.clone().into_bytes(), jump).map(|_| ()).map_err(|e| e.to_string());
                assert!(got.as_ref().is_err_and(|e| e.contains(says)), "{jump}: {got:?}\n{xml}");
            }
        }
    }
}
