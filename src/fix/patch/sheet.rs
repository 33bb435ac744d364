//! One worksheet part: where its cells, rows and top-level elements are (byte offsets), and
//! the splices that change a few cells and add a `<legacyDrawing>`, leaving every other byte.

use super::xml::{self, at, attr, attr_local, attr_ref, malformed, prefix_of};
use crate::address::{CellRange, CellRef};
use crate::error::Result;
use crate::lang::Msg;
use quick_xml::events::{BytesStart, Event};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// What a cell holds, as far as a fix is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// No value (no element, or no `<v>`/`<is>`).
    Empty,
    /// A string (shared, inline, or a `str` without formula).
    Text,
    /// A number, date, boolean or error value.
    Value,
    /// A formula (whatever its cached value).
    Formula,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CellAt {
    pub start: usize,
    pub end: usize,
    /// Where its start tag ends.
    pub tag_end: usize,
    pub empty_tag: bool,
    pub style: u32,
    pub shared_string: bool,
    pub kind: Kind,
}

#[derive(Debug, Clone, PartialEq)]
struct RowAt {
    start: usize,
    /// Where `</row>` starts (None for `<row/>`).
    close: Option<usize>,
    end: usize,
    style: Option<u32>,
}

/// A scanned worksheet.
pub struct SheetXml {
    pub bytes: Vec<u8>,
    pub cells: BTreeMap<CellRef, CellAt>,
    rows: BTreeMap<u32, RowAt>,
    /// `<sheetData>`: where its start tag ends and where `</sheetData>` starts; or the span of
    /// `<sheetData/>`.
    sheet_data: (usize, usize, bool),
    /// Column default styles: (first col, last col, style), zero-based.
    cols: Vec<(u32, u32, u32)>,
    /// The `r:id` of an existing `<legacyDrawing>`.
    pub legacy_drawing: Option<String>,
    /// Where a `<legacyDrawing>` goes (before the elements the schema puts after it).
    legacy_at: usize,
    /// The prefix the root gives the relationships namespace.
    rel_prefix: Option<String>,
    /// Whether `cells` and `rows` were read ([`SheetXml::parse_outside_cells`] leaves them
    /// empty).
    pub cells_read: bool,
    /// The areas of more than one cell that an array formula or a data table computes: only
    /// the first cell holds the `<f>`, the others a value that Excel computes again.
    computed: Vec<CellRange>,
}

/// At most this many areas computed by array formulas or data tables a sheet: a goal sheet has
/// a few, and [`SheetXml::kind`] looks through them for each fix.
const MAX_COMPUTED_AREAS: usize = 10_000;

/// The area an `<f>` with attributes `t` and `ref` computes beyond its own cell: an array
/// formula's or a data table's, when it has more than one cell.
fn computed_area(t: Option<&str>, reference: Option<&str>) -> Option<CellRange> {
    let area = CellRange::parse(reference?).filter(|a| !a.is_single())?;
    matches!(t?, "array" | "dataTable").then_some(area)
}

/// Adds a computed area, refusing more than [`MAX_COMPUTED_AREAS`].
fn put_computed(computed: &mut Vec<CellRange>, area: Option<CellRange>) -> Result<()> {
    let Some(area) = area else { return Ok(()) };
    if computed.len() >= MAX_COMPUTED_AREAS {
        return Err(crate::read::guard::too_large(
            Msg::new("配列数式の範囲", "the areas of array formulas"),
            MAX_COMPUTED_AREAS.to_string(),
        ));
    }
    computed.push(area);
    Ok(())
}

/// How [`SheetXml::parse_with`] reads `<sheetData>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scan {
    /// With quick-xml, event by event.
    Events,
    /// With [`scan_sheet_data`] (memchr), falling back to [`Scan::Events`].
    Fast,
    /// Not at all: jumped over to `</sheetData>`, falling back to [`Scan::Fast`].
    Skip,
}

/// The top-level elements that follow `legacyDrawing` in CT_Worksheet.
const AFTER_LEGACY: [&str; 8] =
    ["legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls", "webPublishItems", "tableParts", "extLst"];

impl SheetXml {
    /// Scans a worksheet. The cells of `<sheetData>` (nearly all of a sheet's bytes) are found
    /// by [`scan_sheet_data`] with memchr; when it meets anything it does not know (a comment,
    /// CDATA, a prefix, an entity in an attribute, mismatched tags) the whole part is read
    /// event by event with quick-xml instead, which gives the same result where both apply
    /// (debug builds check that on every sheet).
    pub fn parse(bytes: Vec<u8>, part: &str) -> Result<SheetXml> {
        #[cfg(debug_assertions)]
        let (bytes_copy, slow) = (bytes.clone(), Self::parse_with(bytes.clone(), part, Scan::Events));
        let fast = Self::parse_with(bytes, part, Scan::Fast);
        #[cfg(debug_assertions)]
        super::xml::debug_agree(part, &bytes_copy, &fast, &slow, SheetXml::same_as);
        fast
    }

    /// Scans a worksheet except the cells and rows of `<sheetData>`, which it jumps over:
    /// enough to add notes ([`SheetXml::legacy_drawing_splice`]), which is all a sheet with
    /// flagged but unchanged cells needs, at a fraction of the cost. `cells_read` is false
    /// unless the jump was not safe (a comment or CDATA inside, which could hide the closing
    /// tag) and the cells were read after all.
    pub fn parse_outside_cells(bytes: Vec<u8>, part: &str) -> Result<SheetXml> {
        #[cfg(debug_assertions)]
        let (copy, full) = (bytes.clone(), Self::parse_with(bytes.clone(), part, Scan::Fast));
        let outside = Self::parse_with(bytes, part, Scan::Skip);
        // The same comparison as `xml::debug_agree`, on well-formed parts.
        #[cfg(debug_assertions)]
        match (&outside, &full) {
            _ if !super::xml::well_formed(&copy) => {}
            (Ok(o), Ok(f)) => debug_assert!(
                (o.sheet_data, &o.cols, &o.legacy_drawing, o.legacy_at, &o.rel_prefix)
                    == (f.sheet_data, &f.cols, &f.legacy_drawing, f.legacy_at, &f.rel_prefix),
                "the scan of {part} outside its cells disagrees with the full scan"
            ),
            // Both refuse; skipping the cells skips their errors too (an invalid address is
            // only seen there).
            (Err(_), Err(_)) | (Ok(_), Err(_)) => {}
            (Err(o), Ok(_)) => debug_assert!(false, "only the scan of {part} outside its cells fails: {o}"),
        }
        outside
    }

    #[cfg(debug_assertions)]
    fn same_as(&self, o: &SheetXml) -> bool {
        (&self.cells, &self.rows, self.sheet_data, &self.cols, &self.legacy_drawing, self.legacy_at)
            == (&o.cells, &o.rows, o.sheet_data, &o.cols, &o.legacy_drawing, o.legacy_at)
            && (&self.rel_prefix, &self.computed) == (&o.rel_prefix, &o.computed)
    }

    fn parse_with(bytes: Vec<u8>, part: &str, scan: Scan) -> Result<SheetXml> {
        let mut s = SheetXml {
            bytes: Vec::new(),
            cells: BTreeMap::new(),
            rows: BTreeMap::new(),
            sheet_data: (0, 0, false),
            cols: Vec::new(),
            legacy_drawing: None,
            legacy_at: 0,
            rel_prefix: None,
            cells_read: true,
            computed: Vec::new(),
        };
        let mut r = xml::reader(&bytes);
        let mut depth = 0usize;
        let mut legacy_at = None;
        let mut worksheet_end = None;
        let mut row: Option<(u32, RowAt)> = None;
        let mut next_row = 0u32;
        let mut next_col = 0u32;
        // The cell being read: (where, start, tag end, style, t attribute).
        let mut cell: Option<(CellRef, usize, usize, u32, Option<String>)> = None;
        let (mut has_f, mut has_v) = (false, false);
        let mut saw_data = false;
        // Offset of the reader's slice in `bytes` (it restarts after a scanned `<sheetData>`).
        let mut base = 0;
        loop {
            let before = base + at(r.buffer_position());
            let ev = r.read_event().map_err(|e| malformed(part, e))?;
            let after = base + at(r.buffer_position());
            match ev {
                Event::Start(e)
                    if scan != Scan::Events && depth == 1 && !saw_data && e.name().as_ref() == "sheetData" =>
                {
                    saw_data = true;
                    let (mut rows, mut cells, mut computed) = (BTreeMap::new(), BTreeMap::new(), Vec::new());
                    let found = match scan {
                        Scan::Skip => close_of_sheet_data(&bytes, after).map(Ok),
                        _ => scan_sheet_data(&bytes, after, &mut rows, &mut cells, &mut computed),
                    };
                    match found {
                        Some(Ok(close)) => {
                            (s.rows, s.cells, s.computed) = (rows, cells, computed);
                            s.cells_read = scan != Scan::Skip;
                            s.sheet_data = (after, close, false);
                            // Read on after `</sheetData>`: the close tags of `<worksheet>`
                            // and `<sheetData>` were opened before this reader started.
                            base = close + b"</sheetData>".len();
                            r = xml::reader(&bytes[base..]);
                            r.config_mut().allow_unmatched_ends = true;
                            depth = 1;
                        }
                        Some(Err(e)) => return Err(e),
                        None if scan == Scan::Skip => return Self::parse_with(bytes, part, Scan::Fast),
                        None => return Self::parse_with(bytes, part, Scan::Events),
                    }
                }
                Event::Start(e) | Event::Empty(e) if depth == 0 => {
                    if e.local_name().as_ref() != "worksheet" || !super::package::default_main_ns(&e) {
                        return Err(malformed(part, "not a worksheet in the main namespace"));
                    }
                    s.rel_prefix = prefix_of(&e, super::package::REL_NS);
                    depth = 1;
                }
                Event::Start(e) => {
                    let name = e.local_name();
                    let name = name.as_ref();
                    if depth == 1 {
                        if legacy_at.is_none() && AFTER_LEGACY.contains(&name) {
                            legacy_at = Some(before);
                        }
                        if name == "sheetData" {
                            s.sheet_data = (after, 0, false);
                            saw_data = true;
                        }
                    } else if depth == 2 && name == "row" {
                        let rr = row_number(&e, next_row)?;
                        next_row = rr + 1;
                        next_col = 0;
                        let at_row = RowAt { start: before, close: None, end: after, style: row_style(&e) };
                        row = Some((rr, at_row));
                    } else if depth == 3 && name == "c" {
                        let (c, style, t) = cell_head(&e, next_row.saturating_sub(1), next_col)?;
                        next_col = c.col + 1;
                        cell = Some((c, before, after, style, t));
                        has_f = false;
                        has_v = false;
                    } else if depth == 4 && cell.is_some() {
                        match name {
                            "f" => {
                                has_f = true;
                                let area = computed_area(attr(&e, "t").as_deref(), attr(&e, "ref").as_deref());
                                put_computed(&mut s.computed, area)?;
                            }
                            "v" | "is" => has_v = true,
                            _ => {}
                        }
                    }
                    depth += 1;
                }
                Event::Empty(e) => {
                    let name = e.local_name();
                    let name = name.as_ref();
                    if depth == 1 {
                        if legacy_at.is_none() && AFTER_LEGACY.contains(&name) {
                            legacy_at = Some(before);
                        }
                        match name {
                            "sheetData" => {
                                s.sheet_data = (before, after, true);
                                saw_data = true;
                            }
                            "legacyDrawing" => s.legacy_drawing = attr_local(&e, "id"),
                            _ => {}
                        }
                    } else if depth == 2 {
                        match name {
                            "row" => {
                                let rr = row_number(&e, next_row)?;
                                next_row = rr + 1;
                                let at_row = RowAt { start: before, close: None, end: after, style: row_style(&e) };
                                put_row(&mut s.rows, rr, at_row)?;
                            }
                            "col" => {
                                let n = |k| attr(&e, k).and_then(|v| v.parse::<u32>().ok());
                                if let (Some(min), Some(max), Some(style)) = (n("min"), n("max"), n("style")) {
                                    s.cols.push((min.saturating_sub(1), max.saturating_sub(1), style));
                                }
                            }
                            _ => {}
                        }
                    } else if depth == 3 && name == "c" {
                        let (c, style, t) = cell_head(&e, next_row.saturating_sub(1), next_col)?;
                        next_col = c.col + 1;
                        let shared_string = t.as_deref() == Some("s");
                        let cell_at = CellAt {
                            start: before,
                            end: after,
                            tag_end: after,
                            empty_tag: true,
                            style,
                            shared_string,
                            kind: Kind::Empty,
                        };
                        put_cell(&mut s.cells, c, cell_at)?;
                    } else if depth == 4 && cell.is_some() {
                        match name {
                            "f" => {
                                has_f = true;
                                let area = computed_area(attr(&e, "t").as_deref(), attr(&e, "ref").as_deref());
                                put_computed(&mut s.computed, area)?;
                            }
                            "v" | "is" => has_v = true,
                            _ => {}
                        }
                    }
                }
                Event::End(e) => {
                    let name = e.local_name();
                    let name = name.as_ref();
                    // An end tag that closes no element, or closes the root as another one, is
                    // damage the patch would build on (a `<legacyDrawing>` after it reads as a
                    // second root): refused, not guessed at (found by the `fix` fuzz target).
                    depth = depth.checked_sub(1).ok_or_else(|| malformed(part, "an end tag after </worksheet>"))?;
                    if depth == 0 {
                        if name != "worksheet" {
                            return Err(malformed(part, format!("</{name}> where </worksheet> was expected")));
                        }
                        worksheet_end = Some(before);
                    } else if depth == 1 && name == "sheetData" {
                        s.sheet_data.1 = before;
                    } else if depth == 2 && name == "row" {
                        if let Some((rr, mut at_row)) = row.take() {
                            at_row.close = Some(before);
                            at_row.end = after;
                            put_row(&mut s.rows, rr, at_row)?;
                        }
                    } else if depth == 3 && name == "c" {
                        if let Some((c, start, tag_end, style, t)) = cell.take() {
                            let kind = match (has_f, has_v, t.as_deref()) {
                                (true, _, _) => Kind::Formula,
                                (false, false, _) => Kind::Empty,
                                (false, true, Some("s" | "inlineStr" | "str")) => Kind::Text,
                                (false, true, _) => Kind::Value,
                            };
                            let shared_string = t.as_deref() == Some("s") && has_v;
                            let cell_at =
                                CellAt { start, end: after, tag_end, empty_tag: false, style, shared_string, kind };
                            put_cell(&mut s.cells, c, cell_at)?;
                        }
                    }
                }
                // A damaged declaration (`encoding=` without its value) is read past here, but
                // not by every reader: the corrected workbook may then not read (found by the
                // `fix` fuzz target).
                Event::Decl(d) => {
                    let bad = |e: &dyn std::fmt::Display| malformed(part, format!("XML declaration: {e}"));
                    d.version().map_err(|e| bad(&e))?;
                    d.encoding().transpose().map_err(|e| bad(&e))?;
                    d.standalone().transpose().map_err(|e| bad(&e))?;
                }
                Event::Eof => break,
                _ => {}
            }
        }
        if !saw_data {
            return Err(malformed(part, "no <sheetData>"));
        }
        let end = worksheet_end.ok_or_else(|| malformed(part, "no </worksheet>"))?;
        s.legacy_at = legacy_at.unwrap_or(end);
        s.bytes = bytes;
        Ok(s)
    }

    /// What the cell holds.
    pub fn kind(&self, c: CellRef) -> Kind {
        if self.computed.iter().any(|a| a.contains(c)) {
            return Kind::Formula;
        }
        self.cells.get(&c).map_or(Kind::Empty, |x| x.kind)
    }

    /// The first cell, row or column (as `A1`, `row 2`, `column B`) whose style is not one of
    /// the workbook's `formats` cell formats. The patch appends formats, which would give such
    /// a style a meaning it did not have (a struck font, a fill), so the corrected workbook
    /// would not read as the division's does (found by the `fix` fuzz target).
    pub fn style_past(&self, formats: usize) -> Option<(String, u32)> {
        let past = |s: u32| usize::try_from(s).map_or(true, |s| s >= formats);
        (self.cells.iter().find(|(_, at)| past(at.style)).map(|(c, at)| (c.to_string(), at.style)))
            .or_else(|| {
                self.rows.iter().find_map(|(r, at)| {
                    at.style.filter(|&s| past(s)).map(|s| (format!("row {}", u64::from(*r) + 1), s))
                })
            })
            .or_else(|| {
                self.cols.iter().find(|c| past(c.2)).map(|c| (format!("column {}", CellRef::column_name(c.0)), c.2))
            })
    }

    /// The style a cell shows: its own, else its row's (when the row has one), else its
    /// column's, else 0.
    pub fn style(&self, c: CellRef) -> u32 {
        if let Some(x) = self.cells.get(&c) {
            return x.style;
        }
        if let Some(s) = self.rows.get(&c.row).and_then(|r| r.style) {
            return s;
        }
        self.cols.iter().find(|(a, b, _)| *a <= c.col && c.col <= *b).map_or(0, |x| x.2)
    }

    /// The splices that give each cell of `cells` its new content (a whole `<c>` element).
    pub fn cell_splices(&self, cells: BTreeMap<CellRef, String>) -> Vec<(usize, usize, Vec<u8>)> {
        let mut out = Vec::new();
        // Cells with no element yet, grouped by where they go.
        let mut new_in_row: BTreeMap<u32, Vec<(CellRef, String)>> = BTreeMap::new();
        for (c, xml) in cells {
            match self.cells.get(&c) {
                Some(at) => out.push((at.start, at.end, xml.into_bytes())),
                None => new_in_row.entry(c.row).or_default().push((c, xml)),
            }
        }
        let mut new_rows: BTreeMap<usize, String> = BTreeMap::new();
        for (r, new) in new_in_row {
            match self.rows.get(&r) {
                Some(row) => match row.close {
                    Some(close) => {
                        // Each new cell goes before the first cell to its right.
                        for (c, xml) in new {
                            let pos = self
                                .cells
                                .range(CellRef::new(r, c.col)..=CellRef::new(r, u32::MAX))
                                .next()
                                .map_or(close, |(_, a)| a.start);
                            out.push((pos, pos, xml.into_bytes()));
                        }
                    }
                    None => {
                        // `<row .../>` becomes `<row ...>cells</row>`.
                        let tag = String::from_utf8_lossy(&self.bytes[row.start..row.end]);
                        let open = tag.trim_end_matches("/>").trim_end().to_string() + ">";
                        let body: String = new.iter().map(|(_, x)| x.as_str()).collect();
                        out.push((row.start, row.end, format!("{open}{body}</row>").into_bytes()));
                    }
                },
                None => {
                    let pos = self
                        .rows
                        .range(r..)
                        .next()
                        .map_or(if self.sheet_data.2 { self.sheet_data.0 } else { self.sheet_data.1 }, |(_, a)| {
                            a.start
                        });
                    let body: String = new.iter().map(|(_, x)| x.as_str()).collect();
                    new_rows.entry(pos).or_default().push_str(&format!("<row r=\"{}\">{body}</row>", r + 1));
                }
            }
        }
        for (pos, rows) in new_rows {
            if self.sheet_data.2 {
                // `<sheetData/>` becomes `<sheetData>rows</sheetData>`.
                let (start, end, _) = self.sheet_data;
                out.push((start, end, format!("<sheetData>{rows}</sheetData>").into_bytes()));
            } else {
                out.push((pos, pos, rows.into_bytes()));
            }
        }
        out
    }

    /// The splice adding `<legacyDrawing r:id="…"/>`.
    pub fn legacy_drawing_splice(&self, rel_id: &str) -> (usize, usize, Vec<u8>) {
        let el = match self.rel_prefix.as_deref() {
            Some(p) if !p.is_empty() => format!("<legacyDrawing {p}:id=\"{rel_id}\"/>"),
            _ => format!("<legacyDrawing xmlns:gsr=\"{}\" gsr:id=\"{rel_id}\"/>", super::package::REL_NS),
        };
        (self.legacy_at, self.legacy_at, el.into_bytes())
    }

    /// The start tag of an existing cell rebuilt with style `s` and without its type (for a
    /// new value), or with its type (`keep_type`, style change only).
    pub fn start_tag(&self, c: CellRef, style: u32, t: Option<&str>, keep_value: bool) -> String {
        let add_t = t.map(|t| ("t", t.to_string()));
        let mut add: Vec<(&str, String)> = Vec::new();
        let drop: &[&str] = if keep_value { &["s"] } else { &["s", "t", "cm", "vm"] };
        let Some(at) = self.cells.get(&c) else {
            add.push(("r", c.to_string()));
            if style != 0 {
                add.push(("s", style.to_string()));
            }
            add.extend(add_t);
            return xml_tag("c", &add);
        };
        let mut r = xml::reader(&self.bytes[at.start..at.tag_end]);
        let Ok(Event::Start(e) | Event::Empty(e)) = r.read_event() else {
            return xml_tag("c", &[("r", c.to_string())]);
        };
        let e: BytesStart<'_> = e.into_owned();
        if style != 0 {
            add.push(("s", style.to_string()));
        }
        add.extend(add_t);
        let mut tag = xml::start_tag(&e, drop, &add, false);
        if e.attributes().with_checks(false).flatten().all(|a| a.key.as_ref() != "r") {
            tag = tag.replacen("<c", &format!("<c r=\"{c}\""), 1);
        }
        tag
    }

    /// The index of the shared string a cell holds (its `<v>`), if it holds one.
    pub fn shared_index(&self, c: CellRef) -> Option<usize> {
        if !self.cells.get(&c)?.shared_string {
            return None;
        }
        let inner = std::str::from_utf8(self.inner(c)).ok()?;
        let from = inner.find("<v>")? + 3;
        let to = from + inner[from..].find("</v>")?;
        inner[from..to].trim().parse().ok()
    }

    /// A cell's inner XML as it is (empty for `<c/>` or a missing cell).
    pub fn inner(&self, c: CellRef) -> &[u8] {
        match self.cells.get(&c) {
            Some(at) if !at.empty_tag => {
                let close = at.end.saturating_sub(b"</c>".len()).max(at.tag_end);
                &self.bytes[at.tag_end..close]
            }
            _ => &[],
        }
    }
}

fn xml_tag(name: &str, attrs: &[(&str, String)]) -> String {
    let mut s = format!("<{name}");
    for (k, v) in attrs {
        s.push_str(&format!(" {k}=\"{v}\""));
    }
    s.push('>');
    s
}

/// Records row `rr`. A row given twice (or a cell, [`put_cell`]) is damage the patch would
/// build on: the reader reads one of them and the patch could edit the other, so a fix would
/// not be where the corrected workbook is read (found by the `fix` fuzz target).
fn put_row(rows: &mut BTreeMap<u32, RowAt>, rr: u32, at: RowAt) -> Result<()> {
    match rows.insert(rr, at) {
        Some(_) => Err(malformed("row", format!("{} is given twice", u64::from(rr) + 1))),
        None => Ok(()),
    }
}

/// Records cell `c` (see [`put_row`]).
fn put_cell(cells: &mut BTreeMap<CellRef, CellAt>, c: CellRef, at: CellAt) -> Result<()> {
    match cells.insert(c, at) {
        Some(_) => Err(malformed("cell", format!("{c} is given twice"))),
        None => Ok(()),
    }
}

fn row_number(e: &BytesStart<'_>, implied: u32) -> Result<u32> {
    row_number_of(attr_ref(e, "r").as_deref(), implied)
}

fn row_number_of(r: Option<&str>, implied: u32) -> Result<u32> {
    match r {
        Some(v) => v.trim().parse::<u32>().ok().filter(|&n| n >= 1).map(|n| n - 1).ok_or_else(|| malformed("row", v)),
        None => Ok(implied),
    }
}

fn row_style(e: &BytesStart<'_>) -> Option<u32> {
    row_style_of(attr_ref(e, "customFormat").as_deref(), attr_ref(e, "s").as_deref())
}

fn row_style_of(custom_format: Option<&str>, s: Option<&str>) -> Option<u32> {
    let custom = matches!(custom_format, Some("1" | "true"));
    custom.then(|| s.and_then(|v| v.parse().ok())).flatten()
}

fn cell_head(e: &BytesStart<'_>, row: u32, next_col: u32) -> Result<(CellRef, u32, Option<String>)> {
    // Every cell of the sheet passes here: its attribute text is scanned once, as the fast
    // reader scans it; anything unusual (an entity, odd syntax) takes the general path.
    if let Some(head) = cell_head_raw(e.attributes_raw(), row, next_col) {
        return head.map(|(c, style, t)| (c, style, t.map(str::to_string)));
    }
    let c = match attr_ref(e, "r") {
        Some(v) => CellRef::parse(&v).ok_or_else(|| malformed("cell", v))?,
        None => CellRef::new(row, next_col),
    };
    let style = attr_ref(e, "s").and_then(|v| v.parse().ok()).unwrap_or(0);
    Ok((c, style, attr_ref(e, "t").map(Cow::into_owned)))
}

/// [`cell_head`] from the raw attribute text, `None` when it needs the general path.
fn cell_head_raw(raw: &str, row: u32, next_col: u32) -> Option<Result<(CellRef, u32, Option<&str>)>> {
    let [r, s, t] = match plain_cell_attrs(raw) {
        Some(v) => v,
        None => crate::read::xlsx_fast::raw_attrs(raw, ["r", "s", "t"])
            .filter(|v| v.iter().flatten().all(|a| !a.contains('&')))?,
    };
    let c = match r {
        Some(v) => match CellRef::parse(v) {
            Some(c) => c,
            None => return Some(Err(malformed("cell", v))),
        },
        None => CellRef::new(row, next_col),
    };
    let style = s.and_then(|v| v.parse().ok()).unwrap_or(0);
    Some(Ok((c, style, t)))
}

/// `r`, `s` and `t` of a cell tag written the usual way (` name="value"` each, no entity),
/// which is what [`crate::read::xlsx_fast::raw_attrs`] finds there, in a few instructions
/// per attribute; `None` for anything else.
fn plain_cell_attrs(raw: &str) -> Option<[Option<&str>; 3]> {
    let b = raw.as_bytes();
    let mut out = [None; 3];
    let mut i = 0;
    while i < b.len() {
        if b[i] != b' ' {
            return None;
        }
        let name_start = i + 1;
        let eq = name_start + b[name_start..].iter().position(|&c| !(c.is_ascii_alphanumeric() || c == b':'))?;
        if eq == name_start || b.get(eq) != Some(&b'=') || b.get(eq + 1) != Some(&b'"') {
            return None;
        }
        let v_start = eq + 2;
        let mut v_end = v_start;
        loop {
            match *b.get(v_end)? {
                b'"' => break,
                c if c == b'&' || c < 0x20 => return None,
                _ => v_end += 1,
            }
        }
        let value = raw.get(v_start..v_end)?;
        let slot = match &b[name_start..eq] {
            b"r" => 0,
            b"s" => 1,
            b"t" => 2,
            _ => {
                i = v_end + 1;
                continue;
            }
        };
        if out[slot].replace(value).is_some() {
            return None;
        }
        i = v_end + 1;
    }
    Some(out)
}

/// One tag at `xml[i]` (which is `<`), as far as [`scan_sheet_data`] accepts it.
enum Tag<'x> {
    /// `<name attrs>` or `<name attrs/>` (`empty`); `end` is past its `>`.
    Open { name: &'x [u8], attrs: &'x str, empty: bool, end: usize },
    /// `</name>`.
    Close { name: &'x [u8], end: usize },
}

/// Reads the tag at `i`; `None` for anything but a plain unprefixed start, empty or end tag
/// (comments, CDATA, processing instructions, prefixes, odd spacing).
fn tag_at(xml: &[u8], i: usize) -> Option<Tag<'_>> {
    let name_char = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.');
    let rest = xml.get(i + 1..)?;
    if let Some(rest) = rest.strip_prefix(b"/") {
        let len = rest.iter().take_while(|b| name_char(b)).count();
        return (len > 0 && rest.get(len) == Some(&b'>'))
            .then(|| Tag::Close { name: &rest[..len], end: i + 2 + len + 1 });
    }
    let len = rest.iter().take_while(|b| name_char(b)).count();
    if len == 0 || !rest[0].is_ascii_alphabetic() {
        return None;
    }
    let name = &rest[..len];
    let after = &rest[len..];
    // The first `>` outside quotes ends the tag; a `<` outside quotes is not a plain tag.
    let mut k = 0;
    let k = loop {
        match *after.get(k)? {
            b'>' => break k,
            q @ (b'"' | b'\'') => k += 1 + memchr::memchr(q, after.get(k + 1..)?)?,
            b'<' => return None,
            _ => {}
        }
        k += 1;
    };
    let inner = &after[..k];
    let (inner, empty) = match inner.strip_suffix(b"/") {
        Some(x) => (x, true),
        None => (inner, false),
    };
    // After the name: `>`, `/>` or whitespace and attributes.
    if !inner.is_empty() && !matches!(inner[0], b' ' | b'\t' | b'\r' | b'\n') {
        return None;
    }
    let attrs = std::str::from_utf8(inner).ok()?;
    Some(Tag::Open { name, attrs, empty, end: i + 1 + len + k + 1 })
}

/// Finds the rows and cells of `<sheetData>` whose content starts at `from`, as the
/// quick-xml loop of [`SheetXml::parse`] records them; returns where `</sheetData>` starts.
/// `None` when the content holds anything but rows of cells in plain tags (the caller then
/// reads the part with quick-xml); `Some(Err)` for a row or cell address that is invalid.
fn scan_sheet_data(
    xml: &[u8],
    from: usize,
    rows: &mut BTreeMap<u32, RowAt>,
    cells: &mut BTreeMap<CellRef, CellAt>,
    computed: &mut Vec<CellRange>,
) -> Option<Result<usize>> {
    let mut i = from;
    let mut next_row = 0u32;
    let mut next_col = 0u32;
    // The open row: its number and start tag.
    let mut row: Option<(u32, RowAt)> = None;
    loop {
        i += memchr::memchr(b'<', xml.get(i..)?)?;
        match tag_at(xml, i)? {
            Tag::Close { name: b"sheetData", .. } if row.is_none() => return Some(Ok(i)),
            Tag::Close { name: b"row", end } => {
                let (rr, mut at_row) = row.take()?;
                at_row.close = Some(i);
                at_row.end = end;
                if let Err(e) = put_row(rows, rr, at_row) {
                    return Some(Err(e));
                }
                i = end;
            }
            Tag::Close { .. } => return None,
            Tag::Open { name: b"row", attrs, empty, end } if row.is_none() => {
                let [r, s, custom] = crate::read::xlsx_fast::raw_attrs(attrs, ["r", "s", "customFormat"])
                    .filter(|v| v.iter().flatten().all(|a| !a.contains('&')))?;
                let rr = match row_number_of(r, next_row) {
                    Ok(n) => n,
                    Err(e) => return Some(Err(e)),
                };
                next_row = rr + 1;
                let at_row = RowAt { start: i, close: None, end, style: row_style_of(custom, s) };
                if empty {
                    if let Err(e) = put_row(rows, rr, at_row) {
                        return Some(Err(e));
                    }
                } else {
                    next_col = 0;
                    row = Some((rr, at_row));
                }
                i = end;
            }
            Tag::Open { name: b"c", attrs, empty, end } if row.is_some() => {
                let (c, style, t) = match cell_head_raw(attrs, next_row.saturating_sub(1), next_col)? {
                    Ok(h) => h,
                    Err(e) => return Some(Err(e)),
                };
                next_col = c.col + 1;
                if empty {
                    let shared_string = t == Some("s");
                    let at = CellAt {
                        start: i,
                        end,
                        tag_end: end,
                        empty_tag: true,
                        style,
                        shared_string,
                        kind: Kind::Empty,
                    };
                    if let Err(e) = put_cell(cells, c, at) {
                        return Some(Err(e));
                    }
                    i = end;
                    continue;
                }
                let (close, has_f, has_v, area) = scan_cell(xml, end)?;
                if let Err(e) = put_computed(computed, area) {
                    return Some(Err(e));
                }
                let kind = match (has_f, has_v, t) {
                    (true, _, _) => Kind::Formula,
                    (false, false, _) => Kind::Empty,
                    (false, true, Some("s" | "inlineStr" | "str")) => Kind::Text,
                    (false, true, _) => Kind::Value,
                };
                let shared_string = t == Some("s") && has_v;
                let at = CellAt { start: i, end: close, tag_end: end, empty_tag: false, style, shared_string, kind };
                if let Err(e) = put_cell(cells, c, at) {
                    return Some(Err(e));
                }
                i = close;
            }
            Tag::Open { .. } => return None,
        }
    }
}

/// Where `</sheetData>` starts, for a `<sheetData>` whose content starts at `from`; `None`
/// when the content holds a comment, CDATA or a processing instruction (`<!`, `<?`), in which
/// a closing tag may be text, or no closing tag.
/// (Three memmem searches rather than [`super::xml::close_of`]'s walk over every tag: the
/// content is nearly the whole sheet.)
fn close_of_sheet_data(xml: &[u8], from: usize) -> Option<usize> {
    let close = from + memchr::memmem::find(xml.get(from..)?, b"</sheetData>")?;
    let content = &xml[from..close];
    let plain = memchr::memmem::find(content, b"<!").is_none() && memchr::memmem::find(content, b"<?").is_none();
    plain.then_some(close)
}

/// The content of a `<c>` from `from` (past its start tag): where its `</c>` ends, whether it
/// has an `<f>` and a `<v>` or `<is>` child, and the area its formula computes beyond it
/// ([`computed_area`]).
fn scan_cell(xml: &[u8], from: usize) -> Option<(usize, bool, bool, Option<CellRange>)> {
    // Most cells are `<v>text</v></c>` (text holds no `<`): found with one memchr.
    if let Some(value) = xml.get(from..).and_then(|r| r.strip_prefix(b"<v>")) {
        let close = memchr::memchr(b'<', value)?;
        if value[close..].starts_with(b"</v></c>") {
            return Some((from + 3 + close + b"</v></c>".len(), false, true, None));
        }
    }
    let (mut has_f, mut has_v, mut area) = (false, false, None);
    let mut open: Vec<&[u8]> = Vec::new();
    let mut i = from;
    loop {
        i += memchr::memchr(b'<', xml.get(i..)?)?;
        match tag_at(xml, i)? {
            Tag::Close { name, end } => {
                match open.pop() {
                    Some(n) if n == name => {}
                    None if name == b"c" => return Some((end, has_f, has_v, area)),
                    _ => return None,
                }
                i = end;
            }
            Tag::Open { name, attrs, empty, end } => {
                if open.is_empty() {
                    match name {
                        b"f" => {
                            has_f = true;
                            // An entity in `t` or `ref`: read event by event instead.
                            let [t, reference] = crate::read::xlsx_fast::raw_attrs(attrs, ["t", "ref"])
                                .filter(|v| v.iter().flatten().all(|a| !a.contains('&')))?;
                            area = computed_area(t, reference);
                        }
                        b"v" | b"is" => has_v = true,
                        _ => {}
                    }
                }
                if !empty {
                    open.push(name);
                }
                i = end;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHEET: &str = r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><cols><col min="2" max="3" width="9" style="7"/></cols><sheetData><row r="1"><c r="A1" s="1" t="s"><v>0</v></c><c r="C1"><f>A1</f><v>1</v></c></row><row r="3" s="4" customFormat="1"/></sheetData><pageMargins/><tableParts count="0"/></worksheet>"#;

    #[test]
    fn areas_computed_by_array_formulas_are_bounded() {
        let sheet = |n: usize| {
            let rows: String = (1..=n)
                .map(|r| format!(r#"<row r="{r}"><c r="A{r}"><f t="array" ref="A{r}:B{r}">1</f><v>1</v></c></row>"#))
                .collect();
            format!(
                r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>"#
            )
        };
        let s = SheetXml::parse(sheet(MAX_COMPUTED_AREAS).into_bytes(), "s").unwrap();
        assert_eq!(s.kind(CellRef::new(9, 1)), Kind::Formula, "B10, computed by A10's formula");
        assert_eq!(s.kind(CellRef::new(9, 2)), Kind::Empty, "C10");
        let Err(e) = SheetXml::parse(sheet(MAX_COMPUTED_AREAS + 1).into_bytes(), "s") else { panic!("read") };
        assert!(matches!(e.kind, crate::error::ErrorKind::TooLarge { .. }), "{e:?}");
    }

    #[test]
    fn reads_kinds_styles_and_places() {
        let s = SheetXml::parse(SHEET.as_bytes().to_vec(), "s").unwrap();
        let a1 = CellRef::new(0, 0);
        assert_eq!(s.kind(a1), Kind::Text);
        assert_eq!(s.kind(CellRef::new(0, 2)), Kind::Formula);
        assert_eq!(s.kind(CellRef::new(1, 1)), Kind::Empty);
        assert_eq!((s.style(a1), s.style(CellRef::new(2, 0)), s.style(CellRef::new(1, 1))), (1, 4, 7));
        let mut edits = BTreeMap::new();
        edits.insert(CellRef::new(0, 1), "<c r=\"B1\"/>".to_string());
        edits.insert(CellRef::new(1, 0), "<c r=\"A2\"/>".to_string());
        edits.insert(CellRef::new(2, 1), "<c r=\"B3\"/>".to_string());
        let mut splices = s.cell_splices(edits.clone());
        splices.push(s.legacy_drawing_splice("rId9"));
        let out = String::from_utf8(xml::splice(&s.bytes, splices)).unwrap();
        assert!(out.contains(r#"<v>0</v></c><c r="B1"/><c r="C1">"#), "{out}");
        assert!(
            out.contains(r#"</row><row r="2"><c r="A2"/></row><row r="3" s="4" customFormat="1"><c r="B3"/></row>"#),
            "{out}"
        );
        assert!(out.contains(r#"<pageMargins/><legacyDrawing r:id="rId9"/><tableParts"#), "{out}");
    }

    #[test]
    fn notes_need_no_cells_and_give_the_same_splice() {
        let full = SheetXml::parse(SHEET.as_bytes().to_vec(), "s").unwrap();
        let outside = SheetXml::parse_outside_cells(SHEET.as_bytes().to_vec(), "s").unwrap();
        assert!(full.cells_read && !outside.cells_read);
        assert!(outside.cells.is_empty() && outside.rows.is_empty());
        assert_eq!(outside.legacy_drawing_splice("rId9"), full.legacy_drawing_splice("rId9"));
        assert_eq!((outside.sheet_data, &outside.cols), (full.sheet_data, &full.cols));
    }

    #[test]
    fn a_closing_tag_that_may_be_text_is_not_jumped_to() {
        // In a comment or CDATA, `</sheetData>` is text: the cells are read after all.
        for inside in ["<!-- </sheetData> -->", "<![CDATA[</sheetData>]]>"] {
            let xml = SHEET.replace("<row r=\"3\"", &format!("{inside}<row r=\"3\""));
            assert_eq!(close_of_sheet_data(xml.as_bytes(), xml.find("<sheetData>").unwrap() + 11), None);
            let outside = SheetXml::parse_outside_cells(xml.clone().into_bytes(), "s").unwrap();
            let full = SheetXml::parse(xml.into_bytes(), "s").unwrap();
            assert!(outside.cells_read);
            assert_eq!(outside.legacy_at, full.legacy_at);
            assert_eq!(outside.cells, full.cells);
        }
        let at = SHEET.find("<sheetData>").unwrap() + 11;
        assert_eq!(close_of_sheet_data(SHEET.as_bytes(), at), SHEET.find("</sheetData>"));
        assert_eq!(close_of_sheet_data(&SHEET.as_bytes()[..at + 20], at), None);
    }
}
