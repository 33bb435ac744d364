//! .xlsx / .xlsm → grids, each part inflated once, for workbooks laid out the standard way.
//!
//! Why not calamine alone: opening a workbook with `Xlsx::new` reads the theme and every font,
//! fill and border into full `Style` values (a third of its cost) and hides its zip archive, so
//! the guard, the merged areas and the sheet parts all inflated their parts again; and
//! quick-xml's few hundred instructions per event add up over a sheet that is mostly events.
//! `check` on a folder of goal sheets spent twice what calamine's own "open and read every
//! cell" costs (issue 7; docs/performance.md). Here each part a grid needs is inflated once,
//! straight from the file's bytes, with one reused inflater: the package and workbook
//! relationships, `workbook.xml` (sheet names, `date1904`), `sharedStrings.xml`, only `numFmts`
//! and `cellXfs` of `styles.xml`, and each worksheet. The cells of `<sheetData>` and the shared
//! strings, in the shape Excel and rust_xlsxwriter write them, are found with `memchr`
//! (`scan`, `scan_strings`); anything else there goes to quick-xml; merged areas are read
//! from the raw bytes exactly as [`super::xlsx`] reads them.
//!
//! The values are the ones calamine gives, rule for rule: shared and inline strings (rich text
//! runs joined, phonetic runs skipped, unpreserved ASCII space trimmed, `_xHHHH_` escapes),
//! cell types `s`, `str`, `inlineStr`, `b`, `e`, `d`, `n`, dates decided by the style's number
//! format as calamine decides them, and the same number format code handed to
//! [`super::grid::cell_text_with`]. Anything this reader does not expect (a part missing or named
//! another way, an attribute it cannot parse or that repeats, bytes that are not UTF-8, an
//! unknown element or cell type, a part or a count beyond the guard's limits, the guard's own
//! `uniqueCount` check) makes [`grids`] return `None`, and the caller reads the workbook with
//! calamine instead, which then reports whatever it reports. `tests/read_xlsx_fast.rs`, the
//! hostile corpus and the differential fuzz target `fuzz/fuzz_targets/xlsx_fast.rs` hold both
//! readers to the same grids. Deliberately more lenient than calamine in one way: parts it
//! does not need for values (fonts, fills, borders, the theme) are not parsed, so damage there
//! does not stop a workbook from being read.

use super::grid::{cell_text_with, excel_code, Grid};
use super::guard::{self, BoundingBox};
use crate::numfmt::Format;
use calamine::{CellErrorType, Data, ExcelDateTime, ExcelDateTimeType};
use quick_xml::events::{BytesStart, Event};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::io::Cursor;
use std::sync::Arc;

pub type Zip<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

/// Largest worksheet part read whole here; a goal sheet's is about 10–100 KB. Larger ones are
/// streamed by calamine.
const MAX_SHEET_PART: u64 = 16 * 1024 * 1024;

/// Reads every worksheet, or `None` when the workbook is not laid out the way this reader
/// expects (the caller then uses calamine).
pub fn grids(bytes: &[u8]) -> Option<Vec<Grid>> {
    grids_keeping(bytes, Keep::Everything)
}

/// [`grids`], formatting the typed cells of the sheets `keep` says.
pub fn grids_keeping(bytes: &[u8], keep: Keep) -> Option<Vec<Grid>> {
    grids_in(zip::ZipArchive::new(Cursor::new(bytes)).ok()?, bytes, keep)
}

/// [`grids_keeping`] with the zip's directory already read from `bytes`
/// ([`guard::check_zip_archive`]).
pub fn grids_in(zip: Zip, bytes: &[u8], keep: Keep) -> Option<Vec<Grid>> {
    grids_read(zip, bytes, keep, None).map(|(grids, _)| grids)
}

/// [`grids_in`], handing back the parts it inflated as well ([`Inflated`]).
pub fn grids_keeping_parts(zip: Zip, bytes: &[u8], keep: Keep) -> Option<(Vec<Grid>, Inflated)> {
    grids_read(zip, bytes, keep, Some(Inflated::default())).map(|(grids, kept)| (grids, kept.unwrap_or_default()))
}

fn grids_read(mut zip: Zip, bytes: &[u8], keep: Keep, kept: Option<Inflated>) -> Option<(Vec<Grid>, Option<Inflated>)> {
    let mut parts = Parts::new(&zip)?;
    parts.kept = kept;
    let mut buf = Vec::new();

    let (xl_path, workbook) = workbook_parts(&mut zip, &mut parts, bytes, &mut buf)?;

    let sst_path = format!("{xl_path}sharedStrings.xml");
    // The guard's check of `uniqueCount`, which the calamine path makes on the part named
    // exactly `xl/sharedStrings.xml`, made here on the same bytes.
    let checked = parts.name(&sst_path) == "xl/sharedStrings.xml";
    if !checked && zip.index_for_name("xl/sharedStrings.xml").is_some() {
        return None;
    }
    let strings = if parts.read(&mut zip, bytes, &sst_path, &mut buf, guard::MAX_LOADED_PART_BYTES)? {
        if checked {
            guard::check_unique_count(&buf, buf.len() as u64).ok()?;
        }
        shared_strings(&buf)?
    } else {
        SharedStrings::default()
    };
    let styles_path = format!("{xl_path}styles.xml");
    let styles = if parts.read(&mut zip, bytes, &styles_path, &mut buf, guard::MAX_LOADED_PART_BYTES)? {
        styles(&buf)?
    } else {
        Vec::new()
    };
    if let Some(kept) = parts.kept.as_mut() {
        kept.text_looks = Some((styles_path, styles.iter().map(|x| (x.invisible, x.colour)).collect()));
    }

    // calamine finds a sheet's part by its name: with two sheets of one name it would read the
    // first part twice.
    let mut names: Vec<&str> = workbook.sheets.iter().map(|s| s.name.as_str()).collect();
    names.sort_unstable();
    if names.windows(2).any(|w| w[0] == w[1]) {
        return None;
    }
    let ctx = Ctx {
        strings: &strings.strings,
        struck: &strings.struck,
        styles: &styles,
        is_1904: workbook.is_1904,
        full_calc: workbook.full_calc,
        keep,
    };
    let mut budget = Budget::default();
    // Too many sheets, or sheets that read one part again, more of it than the whole zip may
    // inflate to: calamine's path refuses them (`xlsx::check_sheet_parts`).
    if workbook.sheets.len() > guard::MAX_SHEETS {
        return None;
    }
    let mut sheet_bytes = 0u64;
    for s in &workbook.sheets {
        sheet_bytes = sheet_bytes.saturating_add(zip.by_name(parts.name(&s.path)).map_or(0, |f| f.size()));
    }
    if sheet_bytes > guard::MAX_TOTAL_UNCOMPRESSED {
        return None;
    }
    let mut grids = Vec::new();
    for s in &workbook.sheets {
        if !parts.read(&mut zip, bytes, &s.path, &mut buf, MAX_SHEET_PART)? {
            return None; // calamine: WorksheetNotFound
        }
        // A sheet with notes draws them (`<legacyDrawing>`); the others are not looked at.
        let has_notes = memchr::memmem::find(&buf, b"<legacyDrawing").is_some();
        if let Some(mut grid) = sheet(&buf, &s.name, &ctx, &mut budget)? {
            grid.hidden = s.hidden;
            if has_notes {
                grid.notes = sheet_notes(&mut zip, &mut parts, bytes, &s.path, &mut buf);
            }
            grids.push(grid);
        }
    }
    let mut kept = parts.kept;
    if let Some(kept) = kept.as_mut() {
        kept.inflate = Some(parts.inflate);
    }
    Some((grids, kept))
}

/// Whether the workbook counts dates from 1904 (`false` when its parts cannot be read the
/// standard way).
pub(super) fn date1904(bytes: &[u8]) -> bool {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else { return false };
    let Some(mut parts) = Parts::new(&zip) else { return false };
    workbook_parts(&mut zip, &mut parts, bytes, &mut Vec::new()).is_some_and(|(_, wb)| wb.is_1904)
}

/// The package's `xl/` folder and the workbook's sheets (name and part, in calamine's order,
/// resolved as calamine resolves them through `_rels/.rels` and the workbook's relationships),
/// with the date system.
fn workbook_parts(zip: &mut Zip, parts: &mut Parts, bytes: &[u8], buf: &mut Vec<u8>) -> Option<(String, Workbook)> {
    // The workbook part, as `_rels/.rels` names it (calamine: `read_package_relationships`).
    parts.read(zip, bytes, "_rels/.rels", buf, guard::MAX_LOADED_PART_BYTES)?.then_some(())?;
    let (xl_path, workbook_name) = package_target(buf)?;
    parts
        .read(zip, bytes, &format!("{xl_path}_rels/{workbook_name}.rels"), buf, guard::MAX_LOADED_PART_BYTES)?
        .then_some(())?;
    let relationships = relationships(buf)?;
    let workbook = if parts.read(zip, bytes, &format!("{xl_path}{workbook_name}"), buf, guard::MAX_LOADED_PART_BYTES)? {
        workbook(buf, &relationships, &xl_path)?
    } else {
        Workbook::default()
    };
    Some((xl_path, workbook))
}

/// The zip entry of each sheet, in calamine's sheet order (`None` for a sheet whose part is not
/// in the zip): what [`super::xlsx`]'s calamine path needs to read merged areas itself, and to
/// count what its sheets read. `None` when the workbook is not laid out the standard way.
pub(super) fn sheet_entries(bytes: &[u8]) -> Option<Vec<Option<String>>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut parts = Parts::new(&zip)?;
    let (_, workbook) = workbook_parts(&mut zip, &mut parts, bytes, &mut Vec::new())?;
    Some(
        workbook
            .sheets
            .iter()
            .map(|s| zip.index_for_name(parts.name(&s.path)).map(|_| parts.name(&s.path).to_string()))
            .collect(),
    )
}

/// Whether the workbook asks Excel to recalculate every formula when it is opened
/// (`<calcPr fullCalcOnLoad="1"/>`): then a formula's cached 0 or empty text may be a
/// generator's placeholder. calamine does not expose it; both readers take it from here.
pub(super) fn full_calc_on_load(bytes: &[u8]) -> bool {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else { return false };
    let Some(mut parts) = Parts::new(&zip) else { return false };
    workbook_parts(&mut zip, &mut parts, bytes, &mut Vec::new()).is_some_and(|(_, wb)| wb.full_calc)
}

/// The zip's parts: their names as calamine looks them up (`\\` as `/`, ASCII case ignored,
/// the last of equal names winning), and one inflater for all of them. Each part is inflated
/// straight from the file's bytes into a buffer of its declared size: opening a part through
/// the zip crate builds a new inflater (its state zeroed) every time, a tenth of this reader's
/// cost when every part is a few kilobytes.
struct Parts {
    names: HashMap<String, String>,
    inflate: flate2::Decompress,
    /// Every part read, kept for the caller when it asked ([`grids_keeping_parts`]).
    kept: Option<Inflated>,
}

/// Parts of an .xlsx as the reader inflated them, by their zip entry's name, for a caller that
/// reads the same package again (`fix` patches it): inflating them twice was a tenth of `fix`.
/// At most [`Inflated::MAX_BYTES`] in all: a large workbook is not held twice.
#[derive(Default)]
pub struct Inflated {
    parts: Vec<(String, Vec<u8>)>,
    bytes: usize,
    /// The reader's inflater, for the parts the caller inflates itself: a new one allocates
    /// and zeroes its state, as much as inflating a small part.
    inflate: Option<flate2::Decompress>,
    /// The style sheet's part as the reader read it, and how its cell formats show text
    /// ([`text_looks`]), so that the patch need not parse it again (as much as the read).
    text_looks: Option<(String, Vec<TextLook>)>,
}

impl std::fmt::Debug for Inflated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Inflated").field("parts", &self.parts.len()).field("bytes", &self.bytes).finish()
    }
}

impl Inflated {
    /// How many bytes of parts are kept at most.
    pub const MAX_BYTES: usize = 4 * 1024 * 1024;

    fn keep(&mut self, name: &str, data: &[u8]) {
        if self.bytes + data.len() <= Inflated::MAX_BYTES && !self.parts.iter().any(|(n, _)| n == name) {
            self.bytes += data.len();
            self.parts.push((name.to_string(), data.to_vec()));
        }
    }

    /// The style sheet part the reader read, with how its cell formats show text.
    pub fn take_text_looks(&mut self) -> Option<(String, Vec<TextLook>)> {
        self.text_looks.take()
    }

    /// The reader's inflater, or a new one.
    pub fn take_inflater(&mut self) -> flate2::Decompress {
        self.inflate.take().unwrap_or_else(|| flate2::Decompress::new(false))
    }

    /// The part named `name` (exactly as in the zip), taken out.
    pub fn take(&mut self, name: &str) -> Option<Vec<u8>> {
        let i = self.parts.iter().position(|(n, _)| n == name)?;
        let (_, data) = self.parts.swap_remove(i);
        self.bytes -= data.len();
        Some(data)
    }
}

impl Parts {
    fn new(zip: &Zip) -> Option<Parts> {
        let mut names = HashMap::with_capacity(zip.len());
        for name in zip.file_names() {
            let name = name.ok()?;
            names.insert(name.replace('\\', "/").to_ascii_lowercase(), name.to_string());
        }
        Some(Parts { names, inflate: flate2::Decompress::new(false), kept: None })
    }

    /// Inflates `path` into `buf`: `Some(true)` when read, `Some(false)` when there is no such
    /// part, `None` when it cannot be read, is larger than `limit` or does not inflate to its
    /// declared size and checksum.
    /// The zip entry calamine opens for `path`.
    fn name<'p>(&'p self, path: &'p str) -> &'p str {
        self.names.get(&path.to_ascii_lowercase()).map_or(path, String::as_str)
    }

    fn read(&mut self, zip: &mut Zip, bytes: &[u8], path: &str, buf: &mut Vec<u8>, limit: u64) -> Option<bool> {
        let Some(index) = zip.index_for_name(self.name(path)) else { return Some(false) };
        let read = inflate_entry(zip, bytes, index, &mut self.inflate, buf, limit);
        if read {
            if let (Some(kept), Some(Ok(name))) = (self.kept.as_mut(), zip.name_for_index(index)) {
                kept.keep(&name, buf);
            }
        }
        read.then_some(true)
    }
}

/// Inflates entry `index` of `zip` (opened over `bytes`) into `buf` straight from its bytes in
/// the input, with one reused inflater and no intermediate buffers (the zip crate's reader
/// copies through two). False when it cannot be read: encrypted, larger than `limit`, another
/// method than stored or deflate, or not inflating to its declared size and checksum.
pub(crate) fn inflate_entry(
    zip: &mut Zip,
    bytes: &[u8],
    index: usize,
    inflate: &mut flate2::Decompress,
    buf: &mut Vec<u8>,
    limit: u64,
) -> bool {
    let Some((method, size, crc, data)) = (|| {
        let f = zip.by_index_raw(index).ok()?;
        if f.encrypted() || f.size() > limit {
            return None;
        }
        let start = usize::try_from(f.data_start()?).ok()?;
        let end = start.checked_add(usize::try_from(f.compressed_size()).ok()?)?;
        Some((f.compression(), usize::try_from(f.size()).ok()?, f.crc32(), bytes.get(start..end)?))
    })() else {
        return false;
    };
    buf.clear();
    buf.reserve_exact(size);
    match method {
        zip::CompressionMethod::Stored => buf.extend_from_slice(data),
        zip::CompressionMethod::Deflated => {
            inflate.reset(false);
            // The buffer never grows: a part that inflates past its declared size stops with
            // the buffer full and is refused below.
            match inflate.decompress_vec(data, buf, flate2::FlushDecompress::Finish) {
                Ok(flate2::Status::StreamEnd) => {}
                _ => return false,
            }
        }
        _ => return false,
    }
    buf.len() == size && crc32fast::hash(buf) == crc
}

/// A quick-xml reader configured as calamine configures its own.
fn reader(xml: &[u8]) -> quick_xml::Reader<&[u8]> {
    let mut r = quick_xml::Reader::from_reader(xml);
    let config = r.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    r
}

/// The raw (still escaped) values of the attributes `keys` of `e`, by full name, in one pass
/// over its attribute text (quick-xml's attribute iterator was a sixth of this reader's cost).
/// `None` when the text is not `name="value"` pairs.
fn attrs<'a, const N: usize>(e: &'a BytesStart, keys: [&str; N]) -> Option<[Option<&'a str>; N]> {
    raw_attrs(e.attributes_raw(), keys)
}

/// [`attrs`] over a tag's attribute text.
pub(crate) fn raw_attrs<'a, const N: usize>(s: &'a str, keys: [&str; N]) -> Option<[Option<&'a str>; N]> {
    let ws = |c: &u8| matches!(c, b' ' | b'\t' | b'\r' | b'\n');
    // calamine also skips a form feed between attributes; XML does not allow one.
    if memchr::memchr(0x0C, s.as_bytes()).is_some() {
        return None;
    }
    let mut out = [None; N];
    let b = s.as_bytes();
    let mut i = 0;
    loop {
        i += b.get(i..)?.iter().take_while(|c| ws(c)).count();
        if i >= b.len() {
            return Some(out);
        }
        let start = i;
        i += b.get(i..)?.iter().take_while(|c| **c != b'=' && !ws(c)).count();
        let name = s.get(start..i)?;
        i += b.get(i..)?.iter().take_while(|c| ws(c)).count();
        if name.is_empty() || b.get(i) != Some(&b'=') {
            return None;
        }
        i += 1;
        i += b.get(i..)?.iter().take_while(|c| ws(c)).count();
        let quote = *b.get(i).filter(|q| matches!(q, b'"' | b'\''))?;
        i += 1;
        let end = i + memchr::memchr(quote, b.get(i..)?)?;
        let value = s.get(i..end)?;
        i = end + 1;
        if let Some(k) = keys.iter().position(|&k| k == name) {
            match out.get_mut(k) {
                // calamine takes the first of two equal names in some places and the last in
                // others (found by the `xlsx_fast` fuzz target): leave such a tag to it.
                Some(Some(_)) => return None,
                Some(slot) => *slot = Some(value),
                None => {}
            }
        }
    }
}

/// One attribute's raw value (see [`attrs`]).
fn raw_str<'a>(e: &'a BytesStart, key: &str) -> Option<Option<&'a str>> {
    let [v] = attrs(e, [key])?;
    Some(v)
}

/// An attribute value with its entities resolved (calamine's `decode_attr`).
fn decoded(raw: &str) -> Option<String> {
    quick_xml::escape::unescape(raw).ok().map(Cow::into_owned)
}

/// `xl/` and `workbook.xml` from the package relationships' officeDocument target.
fn package_target(xml: &[u8]) -> Option<(String, String)> {
    let mut r = reader(xml);
    loop {
        match r.read_event().ok()? {
            Event::Start(e) if e.local_name().as_ref() == "Relationships" => break,
            Event::Eof => return None,
            _ => {}
        }
    }
    let mut target = None;
    loop {
        match r.read_event().ok()? {
            Event::Start(e) if e.local_name().as_ref() == "Relationship" => {
                let [typ, t] = attrs(&e, ["Type", "Target"])?;
                if typ.is_some_and(|t| t.ends_with("/relationships/officeDocument")) {
                    if let Some(t) = t {
                        target = Some(decoded(t)?);
                    }
                }
            }
            Event::End(e) if e.local_name().as_ref() == "Relationships" => break,
            Event::Eof => return None,
            _ => {}
        }
    }
    let Some(target) = target else {
        return Some(("xl/".to_string(), "workbook.xml".to_string()));
    };
    let (dir, name) = match target.rfind('/') {
        Some(i) => target.split_at(i + 1),
        None => ("", target.as_str()),
    };
    let name = if name.is_empty() { "workbook.xml" } else { name };
    Some((dir.strip_prefix('/').unwrap_or(dir).to_string(), name.to_string()))
}

/// An xsd:boolean attribute's true.
fn is_true(v: &str) -> bool {
    v == "1" || v == "true"
}

/// The most notes read from one sheet (a crafted part could hold millions).
const MAX_NOTES: usize = 10_000;

/// The notes of the sheet part `path`, from the comments part its relationships name: cell →
/// text (the runs joined, as a cell's rich text). Empty when there is none or it cannot be
/// read: a note is kept when it can be, never a reason to refuse a workbook.
fn sheet_notes(
    zip: &mut Zip,
    parts: &mut Parts,
    bytes: &[u8],
    path: &str,
    buf: &mut Vec<u8>,
) -> BTreeMap<(u32, u32), String> {
    let (dir, file) = path.rsplit_once('/').unwrap_or(("", path));
    let rels = format!("{dir}/_rels/{file}.rels");
    if parts.read(zip, bytes, &rels, buf, guard::MAX_LOADED_PART_BYTES) != Some(true) {
        return BTreeMap::new();
    }
    let rels = relationships(buf).unwrap_or_default();
    let target =
        |kind: &str| rels.values().find(|(_, typ)| typ.ends_with(kind)).map(|(target, _)| resolve_target(dir, target));
    let (comments, threaded) = (target("/comments"), target("/threadedComment"));
    let Some(comments) = comments else { return BTreeMap::new() };
    if parts.read(zip, bytes, &comments, buf, guard::MAX_LOADED_PART_BYTES) != Some(true) {
        return BTreeMap::new();
    }
    let mut notes = comment_texts(buf).unwrap_or_default();
    // Excel 365's comments (スレッド化されたコメント) come with a note for older versions, whose
    // text wraps them in a notice ("[Threaded comment] Your version of Excel …"): the thread
    // itself is read instead, its replies after it.
    if let Some(threaded) = threaded {
        if parts.read(zip, bytes, &threaded, buf, guard::MAX_LOADED_PART_BYTES) == Some(true) {
            for (at, text) in threaded_texts(buf).unwrap_or_default() {
                if let Some(note) = notes.get_mut(&at) {
                    *note = text;
                }
            }
        }
    }
    notes
}

/// `<threadedComment ref="E13"><text>…</text></threadedComment>` of a threaded comments part:
/// cell → the thread's texts, the first comment then its replies, one a line.
fn threaded_texts(xml: &[u8]) -> Option<BTreeMap<(u32, u32), String>> {
    let mut r = reader(xml);
    let mut out: BTreeMap<(u32, u32), String> = BTreeMap::new();
    let mut at = None;
    loop {
        match r.read_event().ok()? {
            Event::Start(e) if e.local_name().as_ref() == "threadedComment" => {
                at = raw_str(&e, "ref")?.and_then(position);
            }
            Event::Start(e) if e.local_name().as_ref() == "text" => {
                let mut text = String::new();
                loop {
                    match r.read_event().ok()? {
                        Event::Text(t) => text.push_str(&t.xml10_content()),
                        Event::GeneralRef(g) => push_entity(&g, &mut text)?,
                        Event::End(end) if end.name() == e.name() => break,
                        Event::Eof => return None,
                        _ => {}
                    }
                }
                let Some(pos) = at else { continue };
                if out.len() >= MAX_NOTES && !out.contains_key(&pos) {
                    continue;
                }
                let thread = out.entry(pos).or_default();
                if !thread.is_empty() {
                    thread.push('\n');
                }
                thread.push_str(text.trim());
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Some(out)
}

/// A relationship's target, relative to the folder `dir` of the part that names it (or
/// absolute, from the package's root), as a path in the package.
fn resolve_target(dir: &str, target: &str) -> String {
    let mut path: Vec<&str> = match target.strip_prefix('/') {
        Some(_) => Vec::new(),
        None => dir.split('/').filter(|p| !p.is_empty()).collect(),
    };
    for part in target.trim_start_matches('/').split('/') {
        match part {
            ".." => {
                path.pop();
            }
            "." | "" => {}
            part => path.push(part),
        }
    }
    path.join("/")
}

/// `<comment ref="E13"><text>…</text></comment>` of a comments part: cell → text.
fn comment_texts(xml: &[u8]) -> Option<BTreeMap<(u32, u32), String>> {
    let mut r = reader(xml);
    let mut out = BTreeMap::new();
    let mut at = None;
    loop {
        match r.read_event().ok()? {
            Event::Start(e) if e.local_name().as_ref() == "comment" => at = raw_str(&e, "ref")?.and_then(position),
            Event::Start(e) if e.local_name().as_ref() == "text" => {
                let closing = e.name().as_ref().to_string();
                let text = rich_string(&mut r, &closing, None)?;
                if let (Some(pos), Some(text)) = (at.take(), text) {
                    if out.len() < MAX_NOTES && !text.trim().is_empty() {
                        out.insert(pos, text);
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Some(out)
}

/// Relationship id → (target, type), raw as calamine keeps them.
fn relationships(xml: &[u8]) -> Option<HashMap<String, (String, String)>> {
    let mut r = reader(xml);
    let mut out = HashMap::new();
    loop {
        match r.read_event().ok()? {
            Event::Start(e) if e.local_name().as_ref() == "Relationship" => {
                if let [Some(id), typ, target] = attrs(&e, ["Id", "Type", "Target"])? {
                    let typ = typ.map(str::to_string).unwrap_or_default();
                    let target = target.map(str::to_string).unwrap_or_default();
                    out.insert(id.to_string(), (target, typ));
                }
            }
            Event::End(e) if e.local_name().as_ref() == "Relationships" => break,
            Event::Eof => return None,
            _ => {}
        }
    }
    Some(out)
}

/// A sheet as the workbook lists it.
struct SheetRef {
    name: String,
    /// Its part in the package.
    path: String,
    /// `state="hidden"` or `"veryHidden"`: not shown among the workbook's tabs.
    hidden: bool,
}

#[derive(Default)]
struct Workbook {
    /// The sheets, in the workbook's order.
    sheets: Vec<SheetRef>,
    is_1904: bool,
    /// `calcPr fullCalcOnLoad` ([`full_calc_on_load`]).
    full_calc: bool,
}

fn workbook(xml: &[u8], rels: &HashMap<String, (String, String)>, xl_path: &str) -> Option<Workbook> {
    let mut r = reader(xml);
    let mut wb = Workbook::default();
    loop {
        match r.read_event().ok()? {
            Event::Start(e) if e.local_name().as_ref() == "sheet" => {
                let mut name = String::new();
                let mut rel_id = String::new();
                let mut hidden = false;
                for a in e.attributes().with_checks(false) {
                    let a = a.ok()?;
                    let val: &str = &a.value;
                    match a.key.as_ref() {
                        "name" => name = decoded(val)?,
                        "state" if !matches!(val, "visible" | "hidden" | "veryHidden") => return None,
                        "state" => hidden = val != "visible",
                        key if key == "id" || key.ends_with(":id") => rel_id = val.to_string(),
                        _ => {}
                    }
                }
                let (target, typ) = rels.get(&rel_id)?;
                if !matches!(typ.rsplit('/').next(), Some("worksheet" | "chartsheet" | "dialogsheet")) {
                    return None;
                }
                let path = match target.strip_prefix('/') {
                    Some(abs) => abs.to_string(),
                    None => format!("{xl_path}{target}"),
                };
                wb.sheets.push(SheetRef { name, path, hidden });
            }
            Event::Start(e) if e.local_name().as_ref() == "calcPr" => {
                if let Some(v) = raw_str(&e, "fullCalcOnLoad")? {
                    wb.full_calc = v == "1" || v == "true";
                }
            }
            Event::Start(e) if e.local_name().as_ref() == "workbookPr" => {
                if let Some(v) = raw_str(&e, "date1904")? {
                    wb.is_1904 = v == "1" || v == "true";
                }
            }
            Event::Start(e) if e.local_name().as_ref() == "definedName" => {
                // Skipped, but calamine reads its `name` and its text: both must parse.
                raw_str(&e, "name")?;
                r.read_to_end(e.name()).ok()?;
            }
            Event::End(e) if e.local_name().as_ref() == "workbook" => break,
            Event::Eof => return None,
            _ => {}
        }
    }
    Some(wb)
}

/// The shared strings, and for each one made of runs with their own properties (rich text),
/// by index, the text of its struck-through runs (見え消し: the old text left visible with a
/// line through it; empty when none is). A rich string's runs say whether its text is struck,
/// not the cell's font.
#[derive(Debug, Default, PartialEq)]
struct SharedStrings {
    strings: Vec<String>,
    struck: HashMap<usize, String>,
}

/// Whether a run's properties (`<rPr>…</rPr>`, or a font's) strike the text through: a
/// `<strike/>` not turned off (`val="0"`, `val="false"`).
fn strikes(props: &str) -> bool {
    props.match_indices("<strike").any(|(at, _)| {
        let Some((attrs, _, _)) = tag(&props[at..], b"strike") else { return false };
        !matches!(raw_attrs(attrs, ["val"]), Some([Some("0" | "false")]))
    })
}

fn shared_strings(xml: &[u8]) -> Option<SharedStrings> {
    let mut r = reader(xml);
    loop {
        match r.read_event().ok()? {
            Event::Start(e) if e.local_name().as_ref() == "sst" => {
                // calamine reads `uniqueCount` (to reserve): its attributes must parse.
                raw_str(&e, "uniqueCount")?;
                break;
            }
            Event::Eof => return None,
            _ => {}
        }
    }
    let start = usize::try_from(r.buffer_position()).ok()?;
    if let Some(strings) = xml.get(start..).and_then(scan_strings) {
        return Some(strings);
    }
    let mut out = SharedStrings::default();
    loop {
        match r.read_event().ok()? {
            Event::Start(e) if e.local_name().as_ref() == "si" => {
                let mut runs = None;
                if let Some(s) = rich_string(&mut r, e.name().as_ref(), Some(&mut runs))? {
                    if let Some(runs) = runs {
                        out.struck.insert(out.strings.len(), runs);
                    }
                    out.strings.push(s);
                }
            }
            Event::End(e) if e.local_name().as_ref() == "sst" => break,
            Event::Eof => return None,
            _ => {}
        }
    }
    Some(out)
}

/// The shared strings after `<sst …>`, in the shape Excel and rust_xlsxwriter write them, found
/// with `memchr` like [`scan`] finds cells: `<si>` holding `<t>` texts, rich text runs
/// (`<r>` with `<rPr>` and `<t>`), phonetic runs (`<rPh>`, skipped) and `<phoneticPr/>`.
/// The text is what [`rich_string`] makes of it. Anything else (a comment, an entity or a
/// carriage return in a text, another element) returns `None` and quick-xml reads the part.
fn scan_strings(xml: &[u8]) -> Option<SharedStrings> {
    // As in [`scan`]: phonetic runs and run properties are jumped over, not decoded. The part
    // is checked as UTF-8 once; texts are then sliced at ASCII delimiters, always char
    // boundaries, so no slice is checked again.
    let xml = std::str::from_utf8(xml).ok()?;
    let mut out = SharedStrings::default();
    let mut i = skip_ws(xml, 0);
    loop {
        let rest = xml.get(i..)?;
        if rest.starts_with("</sst>") {
            return Some(out);
        }
        let (_, empty, next) = tag(rest, b"si")?;
        i += next;
        let mut text = String::new();
        let mut struck: Option<String> = None;
        if !empty {
            loop {
                i = skip_ws(xml, i);
                let rest = xml.get(i..)?;
                if rest.starts_with("</si>") {
                    i += 5;
                    break;
                } else if rest.starts_with("<t") {
                    i = scan_t(xml, i, &mut text)?;
                } else if let Some((_, empty, next)) = tag(rest, b"r") {
                    i += next;
                    let mut run_struck = false;
                    if !empty {
                        loop {
                            i = skip_ws(xml, i);
                            let rest = xml.get(i..)?;
                            if rest.starts_with("</r>") {
                                i += 4;
                                break;
                            } else if let Some(len) = jump(rest, b"rPr") {
                                let len = len?;
                                run_struck = strikes(rest.get(..len)?);
                                struck.get_or_insert_with(String::new);
                                i += len;
                            } else {
                                let from = text.len();
                                i = scan_t(xml, i, &mut text)?;
                                if run_struck {
                                    struck.get_or_insert_with(String::new).push_str(text.get(from..)?);
                                }
                            }
                        }
                    }
                } else if let Some(len) = jump(rest, b"rPh").or_else(|| jump(rest, b"phoneticPr")) {
                    i += len?;
                } else {
                    return None;
                }
            }
        }
        if let Some(struck) = struck {
            out.struck.insert(out.strings.len(), struck);
        }
        out.strings.push(text);
        i = skip_ws(xml, i);
    }
}

/// One `<t>` at `i`, its text appended to `out` as [`rich_string`] appends it; the offset past
/// its end tag.
fn scan_t(xml: &str, mut i: usize, out: &mut String) -> Option<usize> {
    let (attrs, empty, next) = tag(xml.get(i..)?, b"t")?;
    i += next;
    if empty {
        return Some(i);
    }
    let preserve = raw_attrs(attrs, ["xml:space"])? == [Some("preserve")];
    let len = memchr::memchr(b'<', xml.as_bytes().get(i..)?)?;
    let text = xml.get(i..i + len)?;
    i += len;
    if !xml.get(i..)?.starts_with("</t>") || text.contains(['&', '\r']) {
        return None;
    }
    let text = if preserve { text } else { text.trim_matches([' ', '\t', '\r', '\n']) };
    out.push_str(&unescape_excel(text));
    Some(i + 4)
}

/// An element `<name …/>` or `<name …>…</name>` at the start of `rest` whose content is not
/// read: `None` when it is not there, `Some(None)` when its content holds other markup than its
/// own children (a comment, CDATA or processing instruction), else the length to jump over.
///
/// quick-xml (and so calamine) sees every event inside: a `<t>` there counts unless inside a
/// phonetic run, and a nested `<r…>` element would change what counts. So the content may hold
/// no `<r…` tag, and `<t…` only in `rPh`.
fn jump(rest: &str, name: &[u8]) -> Option<Option<usize>> {
    let (_, empty, next) = tag(rest, name)?;
    if empty {
        return Some(Some(next));
    }
    let inner = rest.as_bytes().get(next..)?;
    let close = [b"</", name, b">"].concat();
    let allow_t = name == b"rPh";
    Some(memchr::memmem::find(inner, &close).and_then(|at| {
        let content = inner.get(..at)?;
        // With the end tag's `<`, so that a `<r` just before it is seen.
        let scanned = inner.get(..=at)?;
        // A run (`<r>`), a text (`<t>`), nested run or phonetic properties, a comment or a
        // processing instruction inside would make the end tag found the wrong one. Excel's
        // `<rFont>` in every `<rPr>` is none of these: matching it too sent every workbook
        // with rich text to quick-xml.
        let clean = !scanned.windows(3).any(|w| match w {
            [b'<', b'!' | b'?', _] => true,
            [b'<', b'r', c] => !c.is_ascii_alphabetic() || *c == b'P',
            [b'<', b't', _] => !allow_t,
            _ => false,
        }) && !content.ends_with(b"<");
        clean.then_some(next + at + close.len())
    }))
}

/// The text of an `<si>` or `<is>` element (calamine's `read_string_with_bufs`). With `runs`,
/// set to the text of its struck-through runs when it has runs with properties (see
/// [`SharedStrings`]).
fn rich_string(
    r: &mut quick_xml::Reader<&[u8]>,
    closing: &str,
    mut runs: Option<&mut Option<String>>,
) -> Option<Option<String>> {
    let mut rich: Option<String> = None;
    let mut phonetic = false;
    // Inside a run's properties; the run is struck through.
    let (mut in_props, mut run_struck) = (false, false);
    loop {
        match r.read_event().ok()? {
            Event::Start(e) if e.local_name().as_ref() == "r" => {
                run_struck = false;
                if rich.is_none() {
                    rich = Some(String::new());
                }
            }
            Event::Start(e) if e.local_name().as_ref() == "rPr" => {
                in_props = true;
                if let Some(runs) = runs.as_deref_mut() {
                    runs.get_or_insert_with(String::new);
                }
            }
            Event::End(e) if e.local_name().as_ref() == "rPr" => in_props = false,
            Event::Start(e) if in_props && e.local_name().as_ref() == "strike" => {
                run_struck = !matches!(raw_str(&e, "val")?, Some("0" | "false"));
            }
            Event::Start(e) if e.local_name().as_ref() == "rPh" => phonetic = true,
            Event::End(e) if e.name().as_ref() == closing => return Some(Some(rich.unwrap_or_default())),
            Event::End(e) if e.local_name().as_ref() == "rPh" => phonetic = false,
            Event::Start(e) if e.local_name().as_ref() == "t" && !phonetic => {
                let preserve = raw_str(&e, "xml:space")?.is_some_and(|v| v == "preserve");
                let mut value = String::new();
                loop {
                    match r.read_event().ok()? {
                        Event::Text(t) => value.push_str(&t.xml10_content()),
                        Event::CData(t) => value.push_str(&t.xml10_content()),
                        Event::GeneralRef(g) => push_entity(&g, &mut value)?,
                        Event::End(end) if end.name() == e.name() => break,
                        Event::Eof => return None,
                        _ => {}
                    }
                }
                if !preserve {
                    // Trim ASCII whitespace only (U+00A0 and U+3000 stay), in place.
                    const WS: [char; 4] = [' ', '\t', '\r', '\n'];
                    let end = value.trim_end_matches(WS).len();
                    value.truncate(end);
                    let lead = value.len() - value.trim_start_matches(WS).len();
                    value.drain(..lead);
                }
                if value.contains("_x") {
                    value = unescape_excel(&value).into_owned();
                }
                if let (true, Some(runs)) = (run_struck, runs.as_deref_mut()) {
                    runs.get_or_insert_with(String::new).push_str(&value);
                }
                match rich.as_mut() {
                    Some(s) => s.push_str(&value),
                    None => rich = Some(value),
                }
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// `&amp;` or `&#xA0;` inside text (calamine's `unescape_entity_to_buffer`).
fn push_entity(g: &quick_xml::events::BytesRef, out: &mut String) -> Option<()> {
    let name: &str = g;
    if let Some(s) = quick_xml::escape::resolve_xml_entity(name) {
        out.push_str(s);
        return Some(());
    }
    out.push(g.resolve_char_ref().ok()??);
    Some(())
}

/// Excel's `_xHHHH_` escapes (a UTF-16 code unit; `_x005F_` escapes the underscore), as
/// calamine's `unescape_xml` resolves them.
pub(crate) fn unescape_excel(s: &str) -> Cow<'_, str> {
    fn unit_at(s: &str, i: usize) -> Option<u16> {
        let b = s.as_bytes().get(i..i + 7)?;
        if b[0] != b'_' || b[1] != b'x' || b[6] != b'_' || !b[2..6].iter().all(u8::is_ascii_hexdigit) {
            return None;
        }
        u16::from_str_radix(std::str::from_utf8(&b[2..6]).ok()?, 16).ok()
    }
    fn next(s: &str, mut from: usize) -> Option<(usize, u16)> {
        while let Some(off) = s.get(from..)?.find('_') {
            let i = from + off;
            if let Some(u) = unit_at(s, i) {
                return Some((i, u));
            }
            from = i + 1;
        }
        None
    }
    let Some((mut i, mut unit)) = next(s, 0) else { return Cow::Borrowed(s) };
    let mut out = String::with_capacity(s.len());
    let mut copied = 0;
    loop {
        out.push_str(s.get(copied..i).unwrap_or_default());
        i += 7;
        match unit {
            0xD800..=0xDBFF => match unit_at(s, i) {
                Some(low @ 0xDC00..=0xDFFF) => {
                    let cp = 0x10000 + ((u32::from(unit) - 0xD800) << 10) + (u32::from(low) - 0xDC00);
                    out.push(char::from_u32(cp).unwrap_or(char::REPLACEMENT_CHARACTER));
                    i += 7;
                }
                _ => out.push(char::REPLACEMENT_CHARACTER),
            },
            0xDC00..=0xDFFF => out.push(char::REPLACEMENT_CHARACTER),
            _ => out.push(char::from_u32(u32::from(unit)).unwrap_or(char::REPLACEMENT_CHARACTER)),
        }
        copied = i;
        match next(s, i) {
            Some(n) => (i, unit) = n,
            None => break,
        }
    }
    out.push_str(s.get(copied..).unwrap_or_default());
    Cow::Owned(out)
}

/// What a cell style (`cellXfs/xf`) means for reading: whether its number format makes a
/// number a date, and the format code (calamine's `formats` and `styles[i].number_format`).
struct XfFormat {
    kind: Kind,
    /// The code as Japanese Excel reads it ([`excel_code`]), shared by every cell of the
    /// style ([`crate::model::TypedCell::format`]).
    code: Option<Arc<str>>,
    /// `code` parsed, once for every cell, when a cell first needs it: a style only a
    /// summary sheet uses is never parsed when that sheet's numbers are left out.
    format: std::cell::OnceCell<Option<Format>>,
    /// The style's text is the colour of its background (white on white, or on a fill of
    /// its own colour): a value under it cannot be seen on screen or on paper.
    invisible: bool,
    /// The style's font strikes its text through (見え消し: deleted, but left visible).
    struck: bool,
    /// The style's text colour, when plain ([`FontsAndFills`]).
    colour: Option<u32>,
}

/// How a cell format shows text: whether in its background's colour, and its colour when
/// plain.
pub type TextLook = (bool, Option<u32>);

/// How each cell format of `styles.xml` shows text, as the reader judges it: whether its text
/// is the colour of its background, and its text colour when plain; `None` when the reader
/// leaves the style sheet to calamine. For the patch, whose values and fills must show.
pub(crate) fn text_looks(xml: &[u8]) -> Option<Vec<TextLook>> {
    Some(styles(xml)?.iter().map(|x| (x.invisible, x.colour)).collect())
}

impl XfFormat {
    fn format(&self) -> Option<&Format> {
        self.format.get_or_init(|| self.code.as_deref().map(Format::parse)).as_ref()
    }
}

/// calamine's `CellFormat`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Other,
    DateTime,
    TimeDelta,
}

fn styles(xml: &[u8]) -> Option<Vec<XfFormat>> {
    let fonts_and_fills = FontsAndFills::read(xml);
    let mut r = reader(xml);
    let mut custom: HashMap<String, String> = HashMap::new();
    let mut xfs = Vec::new();
    let mut jumped = false;
    loop {
        match r.read_event().ok()? {
            Event::Start(e) if e.local_name().as_ref() == "numFmts" => loop {
                match r.read_event().ok()? {
                    Event::Start(e) if e.local_name().as_ref() == "numFmt" => {
                        if let (Some(id), Some(code)) = attrs(&e, ["numFmtId", "formatCode"])?.into() {
                            custom.insert(id.to_string(), decoded(code)?);
                        }
                    }
                    Event::End(e) if e.local_name().as_ref() == "numFmts" => break,
                    Event::Eof => return None,
                    _ => {}
                }
            },
            Event::Start(e) if e.local_name().as_ref() == "cellXfs" => loop {
                match r.read_event().ok()? {
                    Event::Start(e) if e.local_name().as_ref() == "xf" => {
                        let id = raw_str(&e, "numFmtId")?;
                        let kind = match id {
                            None => Kind::Other,
                            Some(id) => match custom.get(id) {
                                Some(code) => custom_kind(code),
                                None => builtin_kind(id),
                            },
                        };
                        let code: Option<Arc<str>> = match id.map(|id| (id, id.parse::<u32>())) {
                            Some((id, Ok(n))) => {
                                let given = custom.get(id).map(String::as_str);
                                Some(
                                    excel_code(
                                        Some(n),
                                        given.or_else(|| crate::numfmt::builtin_ecma(n)).unwrap_or("General"),
                                    )
                                    .into(),
                                )
                            }
                            // calamine parses ids with atoi_simd; leave anything odd to it.
                            Some((id, Err(_))) if !id.is_empty() => return None,
                            _ => None,
                        };
                        let [font, fill] = attrs(&e, ["fontId", "fillId"])?;
                        let invisible = fonts_and_fills.invisible(font, fill);
                        let struck = fonts_and_fills.struck(font);
                        let colour = fonts_and_fills.colour(font);
                        let format = std::cell::OnceCell::new();
                        xfs.push(XfFormat { kind, code, format, invisible, struck, colour });
                        r.read_to_end(e.name()).ok()?;
                    }
                    Event::End(e) if e.local_name().as_ref() == "cellXfs" && jumped => return Some(xfs),
                    Event::End(e) if e.local_name().as_ref() == "cellXfs" => break,
                    Event::Eof => return None,
                    _ => {}
                }
            },
            Event::Start(e) if e.local_name().as_ref() == "fonts" => {
                // Fonts, fills, borders and cell style formats come before `cellXfs` and say
                // nothing about number formats: jump over them without tokenising, unless the
                // stretch holds a comment, CDATA or processing instruction that could hide a tag.
                let here = usize::try_from(r.buffer_position()).ok()?;
                let rest = xml.get(here..)?;
                match next_cell_xfs(rest) {
                    Some(at) if !rest.get(..at)?.windows(2).any(|w| w == b"<!" || w == b"<?") => {
                        // Only `cellXfs` is read past this point: quick-xml would refuse the end
                        // tags of elements it did not see open.
                        r = reader(rest.get(at..)?);
                        jumped = true;
                    }
                    _ => {
                        r.read_to_end(e.name()).ok()?;
                    }
                }
            }
            Event::Start(e) if matches!(e.local_name().as_ref(), "fills" | "borders" | "cellStyleXfs" | "dxfs") => {
                r.read_to_end(e.name()).ok()?;
            }
            Event::End(e) if e.local_name().as_ref() == "styleSheet" => break,
            Event::Eof => return None,
            _ => {}
        }
    }
    Some(xfs)
}

/// What the fonts and fills of `styles.xml` do to a cell's text: whether a font strikes it
/// through, and its colour against the fill's, as far as both are plain: an RGB colour, the
/// theme's first two (background 1 white, text 1 black, without a tint) or the indexed white
/// and black. Anything else is unknown, and a style with an unknown colour is never called
/// invisible. Read apart from [`styles`], which jumps over fonts and fills, and forgiving:
/// damage here only loses what it tells.
#[derive(Default)]
struct FontsAndFills {
    fonts: Vec<Option<u32>>,
    /// Whether each font strikes its text through.
    struck: Vec<bool>,
    /// `None`: unknown (a pattern, a theme colour); no fill is white.
    fills: Vec<Option<u32>>,
}

const WHITE: u32 = 0xFF_FF_FF;
const BLACK: u32 = 0;

impl FontsAndFills {
    /// At most this many fonts and fills are read: a style sheet has tens.
    const MAX: usize = 10_000;

    fn read(xml: &[u8]) -> FontsAndFills {
        let mut out = FontsAndFills::default();
        let mut r = reader(xml);
        // (in a font, its colour; in a fill, its pattern and foreground colour)
        let mut font: Option<Option<u32>> = None;
        let mut font_struck = false;
        let mut fill: Option<(Option<String>, Option<u32>)> = None;
        loop {
            let Ok(event) = r.read_event() else { return out };
            match event {
                Event::Start(e) => match e.local_name().as_ref() {
                    "cellXfs" => return out,
                    "font" => (font, font_struck) = (Some(None), false),
                    "color" if font.is_some() => font = Some(colour_of(&e)),
                    "strike" if font.is_some() => {
                        font_struck = !matches!(raw_str(&e, "val").flatten(), Some("0" | "false"));
                    }
                    "fill" => fill = Some((None, None)),
                    "patternFill" => {
                        if let Some(f) = fill.as_mut() {
                            f.0 = Some(raw_str(&e, "patternType").flatten().unwrap_or("none").to_string());
                        }
                    }
                    "gradientFill" => {
                        if let Some(f) = fill.as_mut() {
                            f.0 = Some("gradient".to_string());
                        }
                    }
                    "fgColor" => {
                        if let Some(f) = fill.as_mut() {
                            f.1 = colour_of(&e);
                        }
                    }
                    _ => {}
                },
                Event::End(e) => match e.local_name().as_ref() {
                    "font" if out.fonts.len() < Self::MAX => {
                        out.fonts.push(font.take().flatten());
                        out.struck.push(font_struck);
                    }
                    "fill" if out.fills.len() < Self::MAX => out.fills.push(match fill.take() {
                        Some((None, _)) => Some(WHITE),
                        Some((Some(p), colour)) => match p.as_str() {
                            "none" => Some(WHITE),
                            "solid" => colour,
                            _ => None,
                        },
                        None => None,
                    }),
                    _ => {}
                },
                Event::Eof => return out,
                _ => {}
            }
        }
    }

    /// Whether a style of this font strikes its text through.
    fn struck(&self, font: Option<&str>) -> bool {
        font.and_then(|f| f.parse::<usize>().ok()).and_then(|f| self.struck.get(f).copied()).unwrap_or(false)
    }

    /// The text colour of a style of this font, when plain.
    fn colour(&self, font: Option<&str>) -> Option<u32> {
        font.and_then(|f| f.parse::<usize>().ok()).and_then(|f| *self.fonts.get(f)?)
    }

    /// Whether a style of this font and fill shows its text in its background's colour.
    fn invisible(&self, font: Option<&str>, fill: Option<&str>) -> bool {
        let font = self.colour(font);
        let fill = match fill {
            None => Some(WHITE),
            Some(f) => f.parse::<usize>().ok().and_then(|f| *self.fills.get(f)?),
        };
        matches!((font, fill), (Some(a), Some(b)) if super::grid::indistinct(a, b))
    }
}

/// A `<color>` or `<fgColor>` as RGB, when it is a plain one (see [`FontsAndFills`]).
fn colour_of(e: &BytesStart) -> Option<u32> {
    let [rgb, theme, indexed, tint] = attrs(e, ["rgb", "theme", "indexed", "tint"])?;
    if let Some(rgb) = rgb {
        let hex = rgb.get(rgb.len().checked_sub(6)?..)?;
        return u32::from_str_radix(hex, 16).ok();
    }
    // The theme's background 1 and text 1 are white and black, grey once tinted (Excel's
    // "白、背景 1、黒 + 基本色 5%"): a tint darkens by its share, or lightens towards white.
    let tint = match tint {
        None => 0.0,
        Some(t) => t.parse::<f64>().ok().filter(|t| (-1.0..=1.0).contains(t))?,
    };
    let grey = |level: f64| {
        let v = (level.clamp(0.0, 1.0) * 255.0).round() as u32;
        v << 16 | v << 8 | v
    };
    match (theme, indexed) {
        (Some("0"), _) => Some(grey(1.0 + tint.min(0.0))),
        (Some("1"), _) => Some(grey(tint.max(0.0))),
        (None, Some("1" | "9")) => Some(WHITE),
        (None, Some("0" | "8")) => Some(BLACK),
        _ => None,
    }
}

/// Where the next `<cellXfs` (or `<prefix:cellXfs`) start tag begins in `xml`.
fn next_cell_xfs(xml: &[u8]) -> Option<usize> {
    // The `<` is looked for back to the previous candidate only: a `<` before it is followed by
    // that candidate's space, `>` or `/`, never a name. Searching back to the start each time
    // made a part of a million `cellXfs ` texts take hours.
    let mut floor = 0;
    memchr::memmem::find_iter(xml, b"cellXfs").find_map(|at| {
        if !matches!(xml.get(at + 7), Some(b' ' | b'>' | b'/' | b'\t' | b'\r' | b'\n')) {
            return None;
        }
        let from = std::mem::replace(&mut floor, at + 7);
        let lt = from + xml.get(from..at)?.iter().rposition(|&b| b == b'<')?;
        let prefix = xml.get(lt + 1..at)?;
        let named = prefix.is_empty()
            || (prefix.last() == Some(&b':')
                && prefix.iter().all(|&b| b.is_ascii_alphanumeric() || b == b':' || b == b'_'));
        named.then_some(lt)
    })
}

/// Whether a custom number format code is a date or a duration (calamine's
/// `detect_custom_number_format`, MIT, ported as is).
fn custom_kind(format: &str) -> Kind {
    let mut escaped = false;
    let mut is_quote = false;
    let mut brackets = 0u8;
    let mut prev = ' ';
    let mut hms = false;
    let mut ap = false;
    for s in format.chars() {
        match (s, escaped, is_quote, ap, brackets) {
            (_, true, ..) => escaped = false,
            ('_' | '\\' | '*', ..) => escaped = true,
            ('"', _, true, _, _) => is_quote = false,
            (_, _, true, _, _) => (),
            ('"', _, _, _, _) => is_quote = true,
            (';', ..) => return Kind::Other,
            ('[', ..) => brackets = brackets.saturating_add(1),
            (']', .., 1) if hms => return Kind::TimeDelta,
            (']', ..) => brackets = brackets.saturating_sub(1),
            ('a' | 'A', _, _, false, 0) => ap = true,
            ('p' | 'm' | '/' | 'P' | 'M', _, _, true, 0) => return Kind::DateTime,
            ('d' | 'm' | 'h' | 'y' | 's' | 'D' | 'M' | 'H' | 'Y' | 'S', _, _, false, 0) => return Kind::DateTime,
            _ => {
                if !(hms && s.eq_ignore_ascii_case(&prev)) {
                    hms = prev == '[' && matches!(s, 'm' | 'h' | 's' | 'M' | 'H' | 'S');
                }
            }
        }
        prev = s;
    }
    Kind::Other
}

/// calamine's `builtin_format_by_id`.
fn builtin_kind(id: &str) -> Kind {
    match id {
        "14" | "15" | "16" | "17" | "18" | "19" | "20" | "21" | "22" | "45" | "47" => Kind::DateTime,
        "27" | "28" | "29" | "30" | "31" | "32" | "33" | "34" | "35" | "36" | "50" | "51" | "52" | "53" | "54"
        | "55" | "56" | "57" | "58" => Kind::DateTime,
        "46" => Kind::TimeDelta,
        _ => Kind::Other,
    }
}

struct Ctx<'a> {
    strings: &'a [String],
    /// The text of the shared strings' struck-through runs, by index ([`SharedStrings`]).
    struck: &'a HashMap<usize, String>,
    styles: &'a [XfFormat],
    is_1904: bool,
    full_calc: bool,
    /// Whether every sheet's typed cells are formatted, or only those of a sheet that may be a
    /// goal sheet in this layout ([`Keep`]).
    keep: Keep<'a>,
}

/// Which sheets' numbers, dates and other typed cells a read formats.
#[derive(Clone, Copy)]
pub enum Keep<'a> {
    /// Every cell of every sheet, as the writers need them.
    Everything,
    /// A sheet whose text cannot hold the table header of this layout, and whose name is not
    /// one of `also`, keeps only its text cells: `check` looks at no other sheet's cells, and
    /// formatting the numbers of a summary sheet beside the goal sheet was a sixth of its time
    /// (docs/performance.md).
    GoalSheets { layout: &'a crate::layout::Layout, also: &'a [&'a str] },
}

/// The workbook-wide limits of [`super::xlsx`]'s calamine path.
#[derive(Default, Clone, Copy)]
struct Budget {
    cells: usize,
    text: usize,
}

/// One worksheet part: its cells (in the same pass) its merged areas. `Some(None)` for a part
/// without `<sheetData>` (a chart or dialog sheet, which calamine skips).
fn sheet(xml: &[u8], name: &str, ctx: &Ctx, budget: &mut Budget) -> Option<Option<Grid>> {
    let mut r = reader(xml);
    let mut seen_element = false;
    // `<col min max hidden="1">`: zero-based, inclusive.
    let mut hidden_columns: Vec<(u32, u32)> = Vec::new();
    loop {
        match r.read_event().ok()? {
            Event::Start(e) => match e.local_name().as_ref() {
                "col" => {
                    seen_element = true;
                    if raw_str(&e, "hidden")?.is_some_and(is_true) {
                        let bound = |name| raw_str(&e, name).flatten().and_then(|v| v.parse::<u32>().ok());
                        if let (Some(min), Some(max)) = (bound("min"), bound("max")) {
                            if (1..=max).contains(&min) {
                                hidden_columns.push((min - 1, max - 1));
                            }
                        }
                    }
                }
                "dimension" => {
                    let v = raw_str(&e, "ref")??;
                    if v.split(':').count() > 2 {
                        return None;
                    }
                    for part in v.split(':') {
                        position(part)?;
                    }
                }
                "sheetData" => break,
                _ => seen_element = true,
            },
            // calamine: NotAWorksheet (skipped) after any element, an error otherwise. The
            // calamine path reads every sheet's merged areas first, so those must read too.
            Event::Eof => {
                let merges_read = super::xlsx::merges_in(xml).is_some_and(|m| m.len() <= guard::MAX_MERGES);
                return if seen_element && merges_read { Some(None) } else { None };
            }
            _ => {}
        }
    }
    let start = usize::try_from(r.buffer_position()).ok()?;
    if let Some(mut grid) = xml.get(start..).and_then(|rest| scan(rest, name, ctx, budget)) {
        grid.hidden_columns = hidden_columns;
        return with_merges(grid, xml).map(Some);
    }
    let mut sink = Sink::new(name, ctx, *budget);
    let mut at = Position::default();
    loop {
        match r.read_event().ok()? {
            Event::Start(e) if e.local_name().as_ref() == "row" => {
                at.start_row(raw_str(&e, "r")?)?;
                if raw_str(&e, "hidden")?.is_some_and(is_true) {
                    sink.grid.hidden_rows.insert(at.row);
                }
            }
            Event::End(e) if e.local_name().as_ref() == "row" => at.end_row()?,
            Event::Start(e) if e.local_name().as_ref() == "c" => {
                let [r_attr, style, typ] = attrs(&e, ["r", "s", "t"])?;
                let pos = at.start_cell(r_attr)?;
                let style_id = style_id(style)?;
                let mut value = Data::Empty;
                let mut formula = None;
                let mut runs: Option<String> = None;
                loop {
                    match r.read_event().ok()? {
                        Event::Start(f) if f.local_name().as_ref() == "f" => {
                            formula = Some(formula_text(&mut r, &f)?);
                            value = Data::Empty;
                        }
                        Event::Start(v) => {
                            runs = None;
                            value = cell_value(&mut r, &v, style_id, typ, ctx, &mut runs)?;
                        }
                        Event::End(end) if end.local_name().as_ref() == "c" => break,
                        Event::Eof => return None,
                        _ => {}
                    }
                }
                at.end_cell()?;
                sink.put(pos, style_id, value, formula, runs.as_deref())?;
            }
            Event::End(e) if e.local_name().as_ref() == "sheetData" => break,
            Event::Eof => return None,
            _ => {}
        }
    }
    let mut grid = sink.finish()?;
    *budget = sink.budget;
    grid.hidden_columns = hidden_columns;
    with_merges(grid, xml).map(Some)
}

/// The row and column of the next cell, as calamine follows them: a row's `r` sets the row, a
/// cell's `r` the column, and a cell without `r` takes the next column of its row.
#[derive(Default)]
struct Position {
    row: u32,
    col: u32,
}

impl Position {
    fn start_row(&mut self, r: Option<&str>) -> Option<()> {
        if let Some(r) = r {
            self.row = row_number(r)?;
        }
        Some(())
    }

    fn end_row(&mut self) -> Option<()> {
        self.row = self.row.checked_add(1)?;
        self.col = 0;
        Some(())
    }

    /// The cell's (row, column), from its `r` or from where the previous cell ended.
    fn start_cell(&mut self, r: Option<&str>) -> Option<(u32, u32)> {
        match r {
            Some(v) => {
                let p = position(v)?;
                self.col = p.1;
                Some(p)
            }
            None => Some((self.row, self.col)),
        }
    }

    fn end_cell(&mut self) -> Option<()> {
        self.col = self.col.checked_add(1)?;
        Some(())
    }
}

/// A cell's `s`: `Some(None)` without one, `None` when it is not a number (left to calamine).
fn style_id(s: Option<&str>) -> Option<Option<usize>> {
    match s {
        Some(s) => Some(Some(s.parse::<usize>().ok()?)),
        None => Some(None),
    }
}

/// Where a sheet's cells go, under the workbook's limits, whichever way they were parsed.
struct Sink<'a> {
    grid: Grid,
    bbox: BoundingBox,
    budget: Budget,
    ctx: &'a Ctx<'a>,
    /// Under [`Keep::GoalSheets`], the cells that are not text, formatted by [`Sink::finish`]
    /// once the sheet's text shows whether it may be a goal sheet. Text (a label) is never
    /// deferred.
    deferred: Vec<Deferred>,
    /// Whether cells are still deferred: only while positions increase, so that a repeated
    /// position (which the later cell wins) is stored in the sheet's own order.
    deferring: bool,
    /// The last position put.
    last: Option<(u32, u32)>,
}

/// A typed cell waiting for [`Sink::finish`].
struct Deferred {
    pos: (u32, u32),
    style: Option<usize>,
    value: Data,
    formula: Option<String>,
}

impl<'a> Sink<'a> {
    fn new(name: &str, ctx: &'a Ctx<'a>, budget: Budget) -> Sink<'a> {
        let deferring = match ctx.keep {
            Keep::GoalSheets { also, .. } => !also.iter().any(|a| crate::fix::log::may_be_own_sheet(name, a)),
            Keep::Everything => false,
        };
        Sink {
            grid: Grid::new(name),
            bbox: BoundingBox::default(),
            budget,
            ctx,
            deferred: Vec::new(),
            deferring,
            last: None,
        }
    }

    /// Stores a non-empty cell as calamine's path does: its text under the style's number
    /// format, and its formula (an empty one is none). `None` past a limit (calamine's path
    /// then reports it).
    /// Puts a cell read; `runs`: when its text is made of runs with their own properties, the
    /// text of those struck through (the cell's font does not strike them then).
    fn put(
        &mut self,
        pos: (u32, u32),
        style: Option<usize>,
        value: Data,
        formula: Option<String>,
        runs: Option<&str>,
    ) -> Option<()> {
        let formula = formula.filter(|f| !f.is_empty());
        if matches!(value, Data::Empty) && formula.is_none() {
            return Some(());
        }
        let xf = style.and_then(|s| self.ctx.styles.get(s));
        if xf.is_some_and(|x| x.invisible) {
            self.grid.invisible.insert(pos);
        }
        match runs {
            Some(runs) if !runs.is_empty() => {
                self.grid.struck.insert(pos, Some(runs.to_string()));
            }
            Some(_) => {}
            None if xf.is_some_and(|x| x.struck) => {
                self.grid.struck.insert(pos, None);
            }
            None => {}
        }
        if self.deferring {
            if self.last.is_some_and(|last| pos <= last) {
                self.deferring = false;
                self.flush()?;
            } else {
                self.last = Some(pos);
                if !matches!(value, Data::String(_)) {
                    // Counted now, as the cell would be: the limits stop the same cell.
                    self.bbox.add(pos.0, pos.1).ok()?;
                    self.budget.cells += 1;
                    if self.budget.cells > guard::MAX_CELLS {
                        return None;
                    }
                    self.deferred.push(Deferred { pos, style, value, formula });
                    return Some(());
                }
            }
        }
        self.bbox.add(pos.0, pos.1).ok()?;
        self.budget.cells += 1;
        if self.budget.cells > guard::MAX_CELLS {
            return None;
        }
        self.store(pos, style, value, formula)
    }

    /// Formats and stores the deferred cells.
    fn flush(&mut self) -> Option<()> {
        for d in std::mem::take(&mut self.deferred) {
            self.store(d.pos, d.style, d.value, d.formula)?;
        }
        Some(())
    }

    /// The sheet's grid: with its deferred cells formatted when it may be a goal sheet, else
    /// with its text only and the count of the cells left out ([`Grid::unformatted`]).
    fn finish(&mut self) -> Option<Grid> {
        if !self.deferred.is_empty() {
            let goal = match self.ctx.keep {
                Keep::GoalSheets { layout, .. } => super::locate::may_be_goal_sheet(&self.grid, layout),
                Keep::Everything => true,
            };
            if goal {
                self.flush()?;
            } else {
                self.grid.unformatted = self.deferred.len();
                self.deferred.clear();
            }
        }
        Some(std::mem::take(&mut self.grid))
    }

    /// A counted cell, formatted and stored.
    fn store(&mut self, pos: (u32, u32), style: Option<usize>, value: Data, formula: Option<String>) -> Option<()> {
        // calamine's style id for the format code: 0 when the cell has none.
        let xf = self.ctx.styles.get(style.unwrap_or(0));
        let format = xf.and_then(XfFormat::format);
        let (value, text) = match value {
            // Plain text shows as it is unless the format has a text section: the string moves
            // into the grid instead of being copied (it carries no typed value either).
            Data::String(s) if formula.is_none() && !format.is_some_and(Format::has_text_section) => (Data::Empty, s),
            value => {
                let text = cell_text_with(&value, format, self.ctx.is_1904);
                (value, text)
            }
        };
        self.budget.text += text.len() + formula.as_ref().map_or(0, String::len);
        if self.budget.text > guard::MAX_TEXT_BYTES {
            return None;
        }
        self.grid.put_cell(pos.0, pos.1, &value, xf.and_then(|x| x.code.as_ref()), formula, self.ctx.full_calc, text);
        Some(())
    }
}

/// The cells of `<sheetData>` in the shape Excel and rust_xlsxwriter write them, found with
/// `memchr` instead of tokenised: `<row …>`, `<c …>` with `<v>`, `<f>` children, `</c>`,
/// `</row>`, whitespace between. Tokenising every tag was the largest cost left in reading a
/// goal sheet. `xml` starts just after `<sheetData>`. Anything else (a namespace prefix, a
/// comment, an entity or a carriage return in a value, an inline string) returns `None`, and
/// the sheet is read again by quick-xml in [`sheet`]; `budget` changes only on success. The
/// merged areas are added by the caller ([`with_merges`]).
fn scan(xml: &[u8], name: &str, ctx: &Ctx, budget: &mut Budget) -> Option<Grid> {
    // quick-xml, and so calamine, rejects bytes that are not UTF-8 in any event it reads,
    // formulas included, which the scan jumps over. Checked once: values are sliced at ASCII
    // delimiters, which are char boundaries.
    let xml = std::str::from_utf8(xml).ok()?;
    let mut sink = Sink::new(name, ctx, *budget);
    let mut at = Position::default();
    let mut in_row = false;
    let mut i = skip_ws(xml, 0);
    loop {
        let rest = xml.get(i..)?;
        if rest.starts_with("</sheetData>") {
            break;
        } else if rest.starts_with("</row>") {
            // quick-xml fails an end tag with nothing left open; leave any stray one to it.
            if !std::mem::take(&mut in_row) {
                return None;
            }
            at.end_row()?;
            i += 6;
        } else if let Some((attrs, empty, next)) = tag(rest, b"row") {
            let [r, hidden] = raw_attrs(attrs, ["r", "hidden"])?;
            at.start_row(r)?;
            if hidden.is_some_and(is_true) {
                sink.grid.hidden_rows.insert(at.row);
            }
            if empty {
                at.end_row()?;
            } else if std::mem::replace(&mut in_row, true) {
                return None; // a row inside a row
            }
            i += next;
        } else if let Some((attrs, empty, next)) = tag(rest, b"c") {
            let [r_attr, style, typ] = raw_attrs(attrs, ["r", "s", "t"])?;
            let pos = at.start_cell(r_attr)?;
            let style_id = style_id(style)?;
            i += next;
            let mut value = Data::Empty;
            let mut formula: Option<&str> = None;
            let mut runs: Option<&str> = None;
            if !empty {
                loop {
                    i = skip_ws(xml, i);
                    let rest = xml.get(i..)?;
                    if rest.starts_with("</c>") {
                        i += 4;
                        break;
                    }
                    if let Some((_, empty, next)) = tag(rest, b"v") {
                        i += next;
                        if empty {
                            value = empty_value(typ, style_id, ctx)?;
                            continue;
                        }
                        let len = memchr::memchr(b'<', xml.as_bytes().get(i..)?)?;
                        let text = xml.get(i..i + len)?;
                        i += len;
                        if !xml.get(i..)?.starts_with("</v>") || text.contains(['&', '\r']) {
                            return None;
                        }
                        i += 4;
                        if typ == Some("s") {
                            runs = text.parse::<usize>().ok().and_then(|i| ctx.struck.get(&i)).map(String::as_str);
                        }
                        value = if matches!(typ, Some("inlineStr" | "is")) {
                            Data::Empty
                        } else if text.is_empty() {
                            empty_value(typ, style_id, ctx)?
                        } else {
                            value_of(text, style_id, typ, ctx)?
                        };
                    } else if let Some((attrs, empty, next)) = tag(rest, b"f") {
                        // A cell of a shared formula other than its first holds only the
                        // formula's index; calamine rewrites the first's references for it.
                        let [t, reference] = raw_attrs(attrs, ["t", "ref"])?;
                        if t == Some("shared") && reference.is_none() {
                            return None;
                        }
                        i += next;
                        formula = Some("");
                        if !empty {
                            // The formula is text: the first `<` must end it.
                            let len = memchr::memchr(b'<', xml.as_bytes().get(i..)?)?;
                            let text = xml.get(i..i + len)?;
                            if text.contains(['&', '\r']) {
                                return None;
                            }
                            formula = Some(text);
                            i += len;
                            if !xml.get(i..)?.starts_with("</f>") {
                                return None;
                            }
                            i += 4;
                        }
                        value = Data::Empty;
                    } else {
                        return None;
                    }
                }
            }
            at.end_cell()?;
            sink.put(pos, style_id, value, formula.map(str::to_string), runs)?;
        } else {
            return None;
        }
        i = skip_ws(xml, i);
    }
    let grid = sink.finish()?;
    *budget = sink.budget;
    Some(grid)
}

/// Adds the sheet's merged areas, read from its part as [`super::xlsx`] reads them (the first
/// `<mergeCells>` element in the raw bytes), and indexes them.
fn with_merges(mut grid: Grid, xml: &[u8]) -> Option<Grid> {
    let merges = super::xlsx::merges_in(xml)?;
    if merges.len() > guard::MAX_MERGES {
        return None;
    }
    for (a, b) in merges {
        grid.add_merge(a, b);
    }
    grid.index_merges().ok()?;
    Some(grid)
}

fn skip_ws(xml: &str, mut i: usize) -> usize {
    while matches!(xml.as_bytes().get(i), Some(b' ' | b'\t' | b'\r' | b'\n')) {
        i += 1;
    }
    i
}

/// A start tag `<name …>` or `<name …/>` at the start of `xml`: its attribute text, whether it
/// is empty, and the offset just past it. `>` inside a quoted value does not end it.
fn tag<'x>(xml: &'x str, name: &[u8]) -> Option<(&'x str, bool, usize)> {
    let after = xml.as_bytes().strip_prefix(b"<")?.strip_prefix(name)?;
    if !matches!(after.first(), Some(b' ' | b'\t' | b'\r' | b'\n' | b'>' | b'/')) {
        return None;
    }
    let mut quote = None;
    for (k, &b) in after.iter().enumerate() {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => {
                // `<`, the name and `>` are ASCII: the attribute text starts and ends on
                // char boundaries.
                let inner = xml.get(1 + name.len()..1 + name.len() + k)?;
                let (inner, empty) = match inner.strip_suffix('/') {
                    Some(i) => (i, true),
                    None => (inner, false),
                };
                return Some((inner, empty, 1 + name.len() + k + 1));
            }
            (None, b'<') => return None,
            _ => {}
        }
    }
    None
}

/// The value of one child of `<c>` (calamine's `read_value` and `read_v`).
fn cell_value(
    r: &mut quick_xml::Reader<&[u8]>,
    e: &BytesStart,
    style: Option<usize>,
    typ: Option<&str>,
    ctx: &Ctx,
    runs: &mut Option<String>,
) -> Option<Data> {
    match e.local_name().as_ref() {
        "is" => Some(rich_string(r, e.name().as_ref(), Some(runs))?.map_or(Data::Empty, Data::String)),
        "v" if matches!(typ, Some("inlineStr" | "is")) => {
            r.read_to_end(e.name()).ok()?;
            Some(Data::Empty)
        }
        "v" => {
            let mut text = String::new();
            let mut pieces = 0;
            loop {
                match r.read_event().ok()? {
                    Event::Text(t) => {
                        pieces += 1;
                        text.push_str(&t.xml10_content());
                    }
                    Event::GeneralRef(g) => {
                        pieces += 2;
                        push_entity(&g, &mut text)?;
                    }
                    Event::End(end) if end.name() == e.name() => break,
                    Event::Eof => return None,
                    _ => return None,
                }
            }
            if pieces == 0 {
                return empty_value(typ, style, ctx);
            }
            let plain = matches!(typ, None | Some("n" | "s" | "b" | "e"));
            if plain && (pieces > 1 || text.contains('\r')) {
                // calamine reads these types from the first raw text event only.
                return None;
            }
            if typ == Some("s") {
                *runs = text.parse::<usize>().ok().and_then(|i| ctx.struck.get(&i)).cloned();
            }
            value_of(&text, style, typ, ctx)
        }
        _ => None,
    }
}

/// The text of an `<f>` (calamine's `read_formula`), or `None` for a cell of a shared formula
/// other than its first (left to calamine, which rewrites the first's references for it).
fn formula_text(r: &mut quick_xml::Reader<&[u8]>, e: &BytesStart) -> Option<String> {
    let [t, reference] = attrs(e, ["t", "ref"])?;
    if t == Some("shared") && reference.is_none() {
        return None;
    }
    let mut text = String::new();
    loop {
        match r.read_event().ok()? {
            Event::Text(t) => text.push_str(&t.xml10_content()),
            Event::GeneralRef(g) => push_entity(&g, &mut text)?,
            Event::End(end) if end.name() == e.name() => return Some(text),
            // Markup inside a formula: calamine's formula reading may fail where its value
            // reading does not (found by the fuzz target); leave it to calamine.
            _ => return None,
        }
    }
}

/// An empty `<v>` (calamine's `read_value`): nothing for the plain types, which calamine reads
/// from a text event that is not there; an empty text or date (`t="str"`, `t="d"`) otherwise.
fn empty_value(typ: Option<&str>, style: Option<usize>, ctx: &Ctx) -> Option<Data> {
    match typ {
        None | Some("n" | "s" | "b" | "e") => Some(Data::Empty),
        _ => value_of("", style, typ, ctx),
    }
}

fn value_of(v: &str, style: Option<usize>, typ: Option<&str>, ctx: &Ctx) -> Option<Data> {
    let kind = match style {
        Some(id) => ctx.styles.get(id).map(|x| x.kind),
        None => Some(Kind::Other),
    };
    match typ {
        Some("s") => {
            if v.is_empty() {
                return Some(Data::Empty);
            }
            let idx: usize = v.parse().ok()?;
            ctx.strings.get(idx).map(|s| Data::String(s.clone()))
        }
        Some("b") => {
            let t = v.trim();
            if t.is_empty() {
                Some(Data::Empty)
            } else if t == "0" || t.eq_ignore_ascii_case("false") {
                Some(Data::Bool(false))
            } else if t == "1" || t.eq_ignore_ascii_case("true") {
                Some(Data::Bool(true))
            } else {
                None
            }
        }
        Some("d") => Some(Data::DateTimeIso(v.to_string())),
        Some("e") => v.parse::<CellErrorType>().ok().map(Data::Error),
        Some("str") => Some(Data::String(unescape_excel(v).into_owned())),
        Some("n") | None => {
            if v.is_empty() {
                return Some(Data::Empty);
            }
            if !is_plain_number(v) {
                // calamine keeps untyped text as a string, but its float parser accepts
                // spellings (`inf`, `nan`, …) this one is not sure of.
                return None;
            }
            let n: f64 = v.parse().ok()?;
            Some(match kind {
                Some(Kind::DateTime) => Data::DateTime(ExcelDateTime::new(n, ExcelDateTimeType::DateTime, ctx.is_1904)),
                Some(Kind::TimeDelta) => {
                    Data::DateTime(ExcelDateTime::new(n, ExcelDateTimeType::TimeDelta, ctx.is_1904))
                }
                _ => Data::Float(n),
            })
        }
        _ => None,
    }
}

/// `-12`, `3.5`, `1.2E-5`: the number spellings Excel writes.
fn is_plain_number(v: &str) -> bool {
    let b = v.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'-' | b'+')));
    let start = i;
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    let mut digits = i > start;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let f = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        digits |= i > f;
    }
    if !digits {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        let e = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == e {
            return false;
        }
    }
    i == b.len()
}

/// `B12` → (11, 1), as calamine reads cell positions: letters then digits, nothing else.
fn position(s: &str) -> Option<(u32, u32)> {
    let b = s.as_bytes();
    let letters = b.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let mut col = 0u32;
    for c in &b[..letters] {
        col = col * 26 + u32::from(c.to_ascii_uppercase() - b'A') + 1;
    }
    let row = row_number(s.get(letters..)?)?;
    Some((row, col - 1))
}

/// `12` → 11.
fn row_number(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 7 || !s.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    s.parse::<u32>().ok()?.checked_sub(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Text colours as Excel writes them (theme colours, indexed, tints) and the fills it
    /// always has (none, gray125): only text in its background's plain colour is invisible.
    #[test]
    fn a_style_is_invisible_when_its_text_is_its_background_colour() {
        let xml = br#"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<fonts count="6"><font><sz val="11"/><color theme="1"/><name val="Yu Gothic"/></font>
<font><color theme="0"/></font><font><color rgb="FFFFFFFF"/></font>
<font><color theme="0" tint="-0.249977111117893"/></font><font><color indexed="9"/></font><font/><font><color theme="0" tint="-4.9989318521683403E-2"/></font></fonts>
<fills count="5"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>
<fill><patternFill patternType="solid"><fgColor rgb="FF000000"/><bgColor indexed="64"/></patternFill></fill>
<fill><patternFill patternType="solid"><fgColor theme="0"/></patternFill></fill>
<fill><gradientFill degree="90"><stop position="0"><color rgb="FFFFFFFF"/></stop></gradientFill></fill></fills>
<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>
<cellXfs count="10"><xf fontId="0" fillId="0"/><xf fontId="1" fillId="0"/><xf fontId="2" fillId="0"/>
<xf fontId="3" fillId="0"/><xf fontId="4"/><xf fontId="1" fillId="1"/><xf fontId="1" fillId="2"/>
<xf fontId="0" fillId="2"/><xf fontId="2" fillId="3"/><xf fontId="1" fillId="4"/><xf fontId="6"/></cellXfs></styleSheet>"#;
        let invisible: Vec<bool> = styles(xml).unwrap().iter().map(|x| x.invisible).collect();
        // The last: white darkened by 5 % (F2F2F2), as Excel's palette offers it, on white.
        assert_eq!(invisible, [false, true, true, false, true, false, false, true, true, false, true]);
    }

    /// The shared strings part's content after `<sst …>`, as Excel writes rich text: runs whose
    /// properties name their font (`<rFont>`), a phonetic run and its properties.
    const EXCEL_RICH: &str = concat!(
        "<si><t>平文</t></si>",
        "<si><r><rPr><b/><sz val=\"11\"/><color theme=\"1\"/><rFont val=\"ＭＳ Ｐゴシック\"/><family val=\"3\"/><charset val=\"128\"/></rPr><t>太字</t></r>",
        "<r><rPr><sz val=\"11\"/><rFont val=\"ＭＳ Ｐゴシック\"/></rPr><t xml:space=\"preserve\"> と普通</t></r>",
        "<rPh sb=\"0\" eb=\"2\"><t>フツウ</t></rPh><phoneticPr fontId=\"1\"/></si>",
        "</sst>"
    );

    #[test]
    fn excel_rich_text_is_scanned_not_handed_to_quick_xml() {
        let scanned = scan_strings(EXCEL_RICH.as_bytes());
        assert_eq!(
            scanned.as_ref().map(|s| s.strings.clone()),
            Some(vec!["平文".to_string(), "太字 と普通".to_string()])
        );
        let whole = format!("<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">{EXCEL_RICH}");
        assert_eq!(shared_strings(whole.as_bytes()), scanned);
    }

    /// Excel 365's threaded comments: the first comment and its replies, in order, one a line.
    #[test]
    fn a_thread_is_read_with_its_replies() {
        let xml = r#"<ThreadedComments xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments" xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<threadedComment ref="F13" dT="2025-04-10T09:00:00.00" personId="{A}" id="{1}"><text>3月末時点の速報値です</text></threadedComment>
<threadedComment ref="F13" dT="2025-04-11T09:00:00.00" personId="{B}" id="{2}" parentId="{1}"><text>確定値は5月に差し替えます</text></threadedComment>
<threadedComment ref="A8" dT="2025-04-10T09:00:00.00" personId="{A}" id="{3}"><text>通し番号 &amp; 枝番</text></threadedComment>
</ThreadedComments>"#;
        let got = threaded_texts(xml.as_bytes()).unwrap();
        assert_eq!(
            got.into_iter().collect::<Vec<_>>(),
            [
                ((7, 0), "通し番号 & 枝番".to_string()),
                ((12, 5), "3月末時点の速報値です\n確定値は5月に差し替えます".to_string())
            ]
        );
    }

    /// Struck-through runs (見え消し), as Excel and openpyxl write them, are found alike by the
    /// scan and by quick-xml; a strike turned off is none.
    #[test]
    fn struck_runs_of_shared_strings_are_found() {
        let part = concat!(
            "<si><r><rPr><strike/><sz val=\"11\"/><rFont val=\"游ゴシック\"/></rPr><t>1,700件</t></r>",
            "<r><rPr><sz val=\"11\"/></rPr><t xml:space=\"preserve\"> 1,600件</t></r></si>",
            "<si><r><rPr><strike val=\"1\"/></rPr><t>旧</t></r><r><t>新</t></r></si>",
            "<si><r><rPr><strike val=\"0\"/></rPr><t>線なし</t></r></si>",
            "<si><t>平文</t></si></sst>"
        );
        let scanned = scan_strings(part.as_bytes()).unwrap();
        assert_eq!(scanned.strings, ["1,700件 1,600件", "旧新", "線なし", "平文"]);
        // Each rich string has its runs' strike, none for one whose runs strike nothing; a
        // plain string has none (the cell's font decides for it).
        let struck = [(0, "1,700件"), (1, "旧"), (2, "")].map(|(i, t)| (i, t.to_string()));
        assert_eq!(scanned.struck, HashMap::from(struck));
        // A comment sends the part to quick-xml, which must find the same.
        let whole =
            format!("<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><!-- x -->{part}");
        assert_eq!(shared_strings(whole.as_bytes()), Some(scanned));
    }

    #[test]
    fn a_run_or_text_inside_run_properties_is_left_to_quick_xml() {
        for inner in ["<r><t>x</t></r>", "<t>x</t>", "<rPr/>", "<!-- x -->", "<r/>", "<r", "<"] {
            let xml = format!("<si><r><rPr><b/>{inner}</rPr><t>a</t></r></si></sst>");
            assert!(scan_strings(xml.as_bytes()).is_none(), "{inner}");
        }
    }
}
