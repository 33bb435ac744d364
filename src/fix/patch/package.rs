//! The package around the sheets: the zip, relationships, content types, the workbook's sheet
//! list and docProps/app.xml. Parts are read on demand (bounded by the guard's limits) and
//! every change is kept as the part's new bytes, so the writer copies everything else raw.

use super::xml::{self, at, attr, attr_local, malformed, prefix_of, resolve, MAIN_NS};
use crate::error::Result;
use crate::read::guard;
use crate::read::xlsx_fast::{inflate_entry, Zip};
use quick_xml::events::Event;
use std::collections::{BTreeMap, HashMap};
use std::io::{Cursor, Write};
use std::rc::Rc;

pub const REL_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
/// SpreadsheetML's namespace in Strict Open XML (ISO/IEC 29500 Strict).
const STRICT_MAIN_NS: &str = "http://purl.oclc.org/ooxml/spreadsheetml/main";
pub const REL_WORKSHEET: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet";
pub const REL_COMMENTS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments";
pub const REL_VML: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing";
pub const CT_WORKSHEET: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml";
pub const CT_COMMENTS: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml";
pub const CT_VML: &str = "application/vnd.openxmlformats-officedocument.vmlDrawing";
const CONTENT_TYPES: &str = "[Content_Types].xml";

/// One sheet of the workbook.
#[derive(Debug, Clone)]
pub struct SheetEntry {
    pub name: String,
    /// Its part (`xl/worksheets/sheet1.xml`).
    pub part: String,
}

/// The input package and the changes made to it.
pub struct Package<'a> {
    zip: Zip<'a>,
    /// The input, which the zip indexes (parts are inflated straight from it).
    bytes: &'a [u8],
    inflate: flate2::Decompress,
    /// Part names in the zip's order.
    names: Vec<String>,
    /// New content of existing parts, and new parts (in the order added).
    changed: BTreeMap<String, Written>,
    /// Input parts already inflated (several steps read the same small parts).
    inflated: BTreeMap<String, Vec<u8>>,
    /// The bytes of the parts in `changed` kept plain ([`PLAIN_AT_MOST`]).
    plain_bytes: usize,
    added: Vec<String>,
    /// Relationship parts already parsed, by path (dropped when the part is written, kept up
    /// to date by [`Package::add_rel`]): every added part asks for its source's.
    rels: HashMap<String, Rc<Rels>>,
    /// `[Content_Types].xml` scanned (dropped when it is written, kept up to date by
    /// [`Package::add_content_type`]).
    content_types: Option<ContentTypes>,
    /// What [`Package::add_sheet`] needs of the workbook part, from the read in
    /// [`Package::open_with`] (dropped when the part is written, kept up to date by `add_sheet`).
    wb_scan: Option<WorkbookScan>,
    /// Names of the sheets added, to list in docProps/app.xml in one edit when the package is
    /// written ([`Package::finish`]).
    app_titles: Vec<String>,
    /// The workbook part (`xl/workbook.xml`) and its folder.
    pub workbook: String,
    pub sheets: Vec<SheetEntry>,
    pub date1904: bool,
    input_len: usize,
}

impl<'a> Package<'a> {
    /// The package in `bytes`, with `parts` of it already inflated (by the reader: empty when
    /// there are none), which are not inflated again.
    pub fn open_with(bytes: &'a [u8], mut parts: crate::read::xlsx_fast::Inflated) -> Result<Package<'a>> {
        // The zip's directory, read once for the guard and the package.
        let (kind, zip) = guard::check_zip_archive(bytes)?;
        if kind != guard::ZipKind::Xlsx {
            return Err(malformed("[Content_Types].xml", "not an .xlsx package"));
        }
        let names: Vec<String> = (0..zip.len())
            .map(|i| zip.name_for_index(i).and_then(|r| r.ok()).map(|c| c.to_string()).unwrap_or_default())
            .collect();
        // Parts as the patch reads them: SpreadsheetML by a prefix made the default namespace.
        let inflated =
            names.iter().filter_map(|n| parts.take(n).map(|data| (n.clone(), xml::as_patched(data)))).collect();
        let mut pkg = Package {
            zip,
            bytes,
            inflate: parts.take_inflater(),
            names,
            changed: BTreeMap::new(),
            inflated,
            plain_bytes: 0,
            added: Vec::new(),
            rels: HashMap::new(),
            content_types: None,
            wb_scan: None,
            app_titles: Vec::new(),
            workbook: String::new(),
            sheets: Vec::new(),
            date1904: false,
            input_len: bytes.len(),
        };
        let root = pkg.read("_rels/.rels")?.ok_or_else(|| malformed("_rels/.rels", "missing"))?;
        let rels = Rels::parse(&root, "_rels/.rels")?;
        pkg.workbook = rels
            .all
            .iter()
            .find(|r| r.kind.ends_with("/officeDocument"))
            .map(|r| resolve("", &r.target))
            .unwrap_or_else(|| "xl/workbook.xml".to_string());
        let wb_rels = pkg.rels_of(&pkg.workbook.clone())?;
        let wb = pkg.read(&pkg.workbook.clone())?.ok_or_else(|| malformed("workbook", "missing"))?;
        // Strict Open XML names every namespace differently; parts added in the usual ones
        // would make a package of both.
        if memchr::memmem::find(&wb, STRICT_MAIN_NS.as_bytes()).is_some() {
            return Err(crate::error::Error::new(crate::error::ErrorKind::StrictOpenXml));
        }
        let base = xml::dir_of(&pkg.workbook).to_string();
        let mut sheets = Vec::new();
        let (scan, date1904) = WorkbookScan::with_sheets(&wb, &pkg.workbook, |e| {
            let name = attr(e, "name").unwrap_or_default();
            let id = attr_local(e, "id").unwrap_or_default();
            if let Some(rel) = wb_rels.all.iter().find(|r| r.id == id) {
                sheets.push(SheetEntry { name, part: resolve(&base, &rel.target) });
            }
        })?;
        pkg.sheets = sheets;
        pkg.date1904 = date1904;
        pkg.wb_scan = Some(scan);
        Ok(pkg)
    }

    pub fn exists(&self, name: &str) -> bool {
        self.changed.contains_key(name) || self.names.iter().any(|n| n == name)
    }

    /// A part's current bytes (changed or as in the input); `None` when there is no such part.
    /// An input part is kept once inflated: several steps read the same small parts.
    pub fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>> {
        let bytes = self.read_once(name)?;
        if let Some(b) = &bytes {
            if !self.changed.contains_key(name) && !self.inflated.contains_key(name) {
                self.inflated.insert(name.to_string(), b.clone());
            }
        }
        Ok(bytes)
    }

    /// [`Package::read`] without keeping the part, for a part looked at once (every VML
    /// drawing is scanned for its shape-id block: kept, 850 drawings of 250 KB took `fix`
    /// past 256 MB).
    pub fn read_once(&mut self, name: &str) -> Result<Option<Vec<u8>>> {
        if let Some(w) = self.changed.get(name) {
            return w.bytes(name).map(Some);
        }
        if let Some(b) = self.inflated.get(name) {
            return Ok(Some(b.clone()));
        }
        let Some(i) = self.zip.index_for_name(name) else { return Ok(None) };
        // check_zip bounded every declared size; a part that inflates past it is refused.
        let mut buf = Vec::new();
        if !inflate_entry(&mut self.zip, self.bytes, i, &mut self.inflate, &mut buf, guard::MAX_PART_BYTES) {
            return Err(malformed(name, "the part cannot be read (damaged, encrypted or over its declared size)"));
        }
        // SpreadsheetML carried by a prefix (the Open XML SDK's `x:`) is read, and written if
        // changed, with it as the default namespace: the patch adds unprefixed elements.
        Ok(Some(xml::as_patched(buf)))
    }

    /// Sets a part's new content (replacing an existing part or adding one).
    pub fn write(&mut self, name: &str, bytes: Vec<u8>) -> Result<()> {
        self.write_made(name, PartWriter::from(bytes).finish()?);
        Ok(())
    }

    /// [`Package::write`] of a part made piece by piece ([`PartWriter`]).
    pub fn write_made(&mut self, name: &str, made: Written) {
        // Parts kept as they are written stay below PLAIN_AT_MOST in all; past it each is
        // deflated at once (850 VML drawings of 250 KB, each given a box, took `fix` past
        // 256 MB though none reached DEFLATE_AT_WRITE).
        if let Some(Written::Plain(old)) = self.changed.get(name) {
            self.plain_bytes -= old.len();
        }
        let made = match made {
            Written::Plain(bytes) if self.plain_bytes + bytes.len() > PLAIN_AT_MOST => {
                let mut w = PartWriter::new();
                w.push(&bytes);
                match w.finish_deflated() {
                    Ok(deflated) => deflated,
                    Err(_) => Written::Plain(bytes),
                }
            }
            made => made,
        };
        if let Written::Plain(bytes) = &made {
            self.plain_bytes += bytes.len();
        }
        self.rels.remove(name);
        if name == self.workbook {
            self.wb_scan = None;
        }
        if name == CONTENT_TYPES {
            self.content_types = None;
        }
        if !self.exists(name) {
            self.added.push(name.to_string());
        }
        // The input's copy is not read again once the part is written.
        self.inflated.remove(name);
        self.changed.insert(name.to_string(), made);
    }

    /// [`Package::write_made`] only if the part differs from what is there: a large part is
    /// compared by its length and CRC-32 (those of the input's part, from the zip's directory),
    /// not inflated again.
    pub fn write_made_if_changed(&mut self, name: &str, made: Written) -> Result<()> {
        let same = match &made {
            Written::Plain(bytes) => self.read(name)?.as_deref() == Some(bytes.as_slice()),
            Written::Deflated(_) => {
                let input = match (self.changed.contains_key(name), self.zip.index_for_name(name)) {
                    (false, Some(i)) => self.zip.by_index_raw(i).ok().map(|f| (f.crc32(), f.size())),
                    _ => None,
                };
                input.is_some() && input == made.crc_and_size()
            }
        };
        if !same {
            self.write_made(name, made);
        }
        Ok(())
    }

    pub fn is_changed(&self) -> bool {
        !self.changed.is_empty()
    }

    /// A name `{prefix}{n}{suffix}` not taken yet (n from 1).
    pub fn free_name(&self, prefix: &str, suffix: &str) -> String {
        let n = least_free(self.names.iter().chain(self.changed.keys()).map(String::as_str), prefix, suffix);
        format!("{prefix}{n}{suffix}")
    }

    /// The relationships part of `part` (`xl/_rels/workbook.xml.rels` for `xl/workbook.xml`).
    pub fn rels_path(part: &str) -> String {
        let dir = xml::dir_of(part);
        format!("{dir}_rels/{}.rels", &part[dir.len()..])
    }

    pub fn rels_of(&mut self, part: &str) -> Result<Rc<Rels>> {
        let path = Self::rels_path(part);
        if let Some(rels) = self.rels.get(&path) {
            return Ok(Rc::clone(rels));
        }
        let rels = Rc::new(match self.read(&path)? {
            Some(b) => Rels::parse(&b, &path)?,
            None => Rels::default(),
        });
        self.rels.insert(path, Rc::clone(&rels));
        Ok(rels)
    }

    /// Adds a relationship from `source` to the part `target`; returns its id.
    pub fn add_rel(&mut self, source: &str, kind: &str, target: &str) -> Result<String> {
        let path = Self::rels_path(source);
        drop(self.rels_of(source)?);
        // Taken out of the cache (its only holder now), so it is updated without a copy.
        let mut rels = self.rels.remove(&path).map(Rc::unwrap_or_clone).unwrap_or_default();
        let id = rels.free_id();
        let target = xml::relative(xml::dir_of(source), target);
        let target_text = xml::attr_text(&target);
        let rel = format!("<Relationship Id=\"{id}\" Type=\"{kind}\" Target=\"{target_text}\"/>");
        // The new part's relationships, as parsing what is written would find them.
        let unescaped = |raw: &str| quick_xml::escape::unescape(raw).map(|v| v.into_owned()).unwrap_or_default();
        rels.all.push(Rel {
            id: unescaped(&id),
            kind: unescaped(kind),
            target: unescaped(&target_text),
            external: false,
        });
        let bytes = match (self.read(&path)?, rels.end) {
            (Some(old), Some(end)) => {
                rels.end = Some(end + rel.len());
                xml::splice(&old, vec![(end, end, rel.into_bytes())])
            }
            // Not a relationships part (another root): written anew it would lose what it holds.
            (Some(_), None) => return Err(malformed(&path, "no </Relationships>")),
            (None, _) => {
                let bytes = format!(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">{rel}</Relationships>"
                )
                .into_bytes();
                rels.all.drain(..rels.all.len() - 1);
                rels.end = Some(bytes.len() - "</Relationships>".len());
                bytes
            }
        };
        debug_assert_eq!(Rels::parse(&bytes, &path).ok().as_ref(), Some(&rels));
        self.write(&path, bytes)?;
        self.rels.insert(path, Rc::new(rels));
        Ok(id)
    }

    /// Declares a part's content type (an Override), or an extension's (a Default) when
    /// `extension` is given and not declared yet.
    pub fn add_content_type(&mut self, part: &str, content_type: &str, extension: Option<&str>) -> Result<()> {
        let name = CONTENT_TYPES;
        let old = self.read(name)?.ok_or_else(|| malformed(name, "missing"))?;
        if self.content_types.is_none() {
            xml::undamaged(name, &old)?;
            self.content_types = ContentTypes::scan(&old);
        }
        let Some(mut types) = self.content_types.take() else {
            return self.add_content_type_parsed(old, part, content_type, extension);
        };
        let known = types.overrides.iter().any(|p| p == part)
            || extension.is_some_and(|x| types.defaults.iter().any(|d| d.eq_ignore_ascii_case(x)));
        if known {
            self.content_types = Some(types);
            return Ok(());
        }
        let (add, at_pos) = match extension {
            Some(x) => {
                types.defaults.extend(unescaped(x));
                // Defaults come first in the file by convention; an Override at the end is valid too.
                (
                    format!("<Default Extension=\"{x}\" ContentType=\"{content_type}\"/>"),
                    types.first_end.unwrap_or(types.end),
                )
            }
            None => {
                let name_text = format!("/{}", xml::attr_text(part));
                types.overrides.extend(unescaped(&name_text).map(|p| p.trim_start_matches('/').to_string()));
                (format!("<Override PartName=\"{name_text}\" ContentType=\"{content_type}\"/>"), types.end)
            }
        };
        types.end += add.len();
        let bytes = xml::splice(&old, vec![(at_pos, at_pos, add.into_bytes())]);
        debug_assert_eq!(ContentTypes::scan(&bytes).map(ContentTypes::sorted), Some(types.clone().sorted()));
        self.write(name, bytes)?;
        self.content_types = Some(types);
        Ok(())
    }

    /// [`Package::add_content_type`] reading the part event by event (for a part
    /// [`ContentTypes::scan`] does not take).
    fn add_content_type_parsed(
        &mut self,
        old: Vec<u8>,
        part: &str,
        content_type: &str,
        extension: Option<&str>,
    ) -> Result<()> {
        let name = CONTENT_TYPES;
        let mut r = xml::reader(&old);
        let mut end = None;
        let mut has_default = false;
        loop {
            let before = at(r.buffer_position());
            match r.read_event().map_err(|e| malformed(name, e))? {
                Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                    "Default" => {
                        has_default |=
                            extension.is_some_and(|x| attr(&e, "Extension").is_some_and(|v| v.eq_ignore_ascii_case(x)));
                    }
                    "Override" if attr(&e, "PartName").is_some_and(|p| p.trim_start_matches('/') == part) => {
                        return Ok(());
                    }
                    _ => {}
                },
                Event::End(e) if e.local_name().as_ref() == "Types" => end = Some(before),
                Event::Eof => break,
                _ => {}
            }
        }
        let end = end.ok_or_else(|| malformed(name, "no </Types>"))?;
        let add = match extension {
            Some(_) if has_default => return Ok(()),
            Some(x) => format!("<Default Extension=\"{x}\" ContentType=\"{content_type}\"/>"),
            None => format!("<Override PartName=\"/{}\" ContentType=\"{content_type}\"/>", xml::attr_text(part)),
        };
        // Defaults come first in the file by convention; an Override at the end is valid too.
        let at_pos = if extension.is_some() { first_child_end(&old, name)?.unwrap_or(end) } else { end };
        self.write(name, xml::splice(&old, vec![(at_pos, at_pos, add.into_bytes())]))?;
        Ok(())
    }

    /// Adds a worksheet at the end of the workbook's tabs; returns its part name.
    pub fn add_sheet(&mut self, name: &str) -> Result<String> {
        let dir = format!("{}worksheets/sheet", xml::dir_of(&self.workbook));
        let part = self.free_name(&dir, ".xml");
        let wb_name = self.workbook.clone();
        let id = self.add_rel(&wb_name, REL_WORKSHEET, &part)?;
        let old = self.read(&wb_name)?.ok_or_else(|| malformed(&wb_name, "missing"))?;
        let scan = match self.wb_scan.take() {
            Some(scan) => scan,
            None => WorkbookScan::of(&old, &wb_name)?,
        };
        let end = scan.end.ok_or_else(|| malformed(&wb_name, "no </sheets>"))?;
        let rid = match scan.prefix.as_deref() {
            Some(p) if !p.is_empty() => format!("{p}:id=\"{id}\""),
            _ => format!("xmlns:gsr=\"{REL_NS}\" gsr:id=\"{id}\""),
        };
        // `sheetId` is an unsigned 32-bit number in the file format: past it the workbook is
        // crafted or damaged, and no new sheet can be numbered.
        let sheet_id = scan.max_id.checked_add(1).filter(|&id| id <= u64::from(u32::MAX)).ok_or_else(|| {
            malformed(&wb_name, format!("a sheetId of {} leaves no number for a new sheet", scan.max_id))
        })?;
        let el = format!("<sheet name=\"{}\" sheetId=\"{sheet_id}\" {rid}/>", xml::attr_text(name));
        let updated =
            WorkbookScan { max_id: scan.max_id.max(sheet_id), end: Some(end + el.len()), prefix: scan.prefix };
        let bytes = xml::splice(&old, vec![(end, end, el.into_bytes())]);
        debug_assert_eq!(WorkbookScan::of(&bytes, &wb_name).ok().as_ref(), Some(&updated));
        self.write(&wb_name, bytes)?;
        self.wb_scan = Some(updated);
        self.add_content_type(&part, CT_WORKSHEET, None)?;
        self.app_titles.push(name.to_string());
        self.sheets.push(SheetEntry { name: name.to_string(), part: part.clone() });
        Ok(part)
    }

    /// Lists the added worksheets in docProps/app.xml (the count of worksheets in HeadingPairs
    /// and the names in TitlesOfParts), when the file has them in the usual shape; otherwise
    /// the part is left as it is (it is informational; Excel rewrites it on save).
    fn add_app_titles(&mut self) -> Result<()> {
        let name = "docProps/app.xml";
        if self.app_titles.is_empty() {
            return Ok(());
        }
        let Some(old) = self.read(name)? else { return Ok(()) };
        let Some(edits) = app_edits(&old, &std::mem::take(&mut self.app_titles)) else { return Ok(()) };
        self.write(name, xml::splice(&old, edits))?;
        Ok(())
    }

    /// The output zip: parts in the input's order (unchanged ones copied raw, not recompressed),
    /// then the new parts.
    pub fn finish(mut self) -> Result<Vec<u8>> {
        self.add_app_titles()?;
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(self.input_len + 16 * 1024)));
        let fail = |e: &dyn std::fmt::Display| malformed("zip", e);
        for i in 0..self.names.len() {
            let name = self.names[i].clone();
            match self.changed.get(&name) {
                Some(written) => written.write_to(&name, &mut out)?,
                None => {
                    let file = self.zip.by_index_raw(i).map_err(|e| fail(&e))?;
                    out.raw_copy_file(file).map_err(|e| fail(&e))?;
                }
            }
        }
        for name in &self.added {
            self.changed[name].write_to(name, &mut out)?;
        }
        Ok(out.finish().map_err(|e| fail(&e))?.into_inner())
    }
}

/// A part written by the patch: as it is, or, from [`DEFLATE_AT_WRITE`] bytes, deflated at
/// once into a zip of its own, copied raw into the output. A fix of tens of thousands of cells
/// writes a log, notes and a sheet of tens of megabytes of XML each, which held side by side
/// took `fix` past 256 MB on a 300 KB workbook; deflated, each is a tenth of that.
pub enum Written {
    Plain(Vec<u8>),
    Deflated(Vec<u8>),
}

/// A part made piece by piece: kept as it comes until it reaches [`DEFLATE_AT_WRITE`] bytes,
/// deflated as it comes from then on, so that a log of tens of thousands of rows is never
/// whole in memory. [`Package::write`] makes a part given whole through it too.
pub struct PartWriter {
    /// What came before the part reached [`DEFLATE_AT_WRITE`] bytes, then what waits to be
    /// deflated.
    buf: Vec<u8>,
    zip: Option<zip::ZipWriter<Cursor<Vec<u8>>>>,
    /// Deflating into memory does not fail; if it did, [`PartWriter::finish`] says so.
    error: Option<zip::result::ZipError>,
}

impl From<Vec<u8>> for PartWriter {
    fn from(buf: Vec<u8>) -> PartWriter {
        PartWriter { buf, zip: None, error: None }
    }
}

impl PartWriter {
    pub fn new() -> PartWriter {
        PartWriter::from(Vec::new())
    }

    pub fn push(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
        if self.buf.len() >= DEFLATE_AT_WRITE && self.error.is_none() {
            self.error = self.deflate_buffered().err();
        }
    }

    fn deflate_buffered(&mut self) -> zip::result::ZipResult<()> {
        let zip = match &mut self.zip {
            Some(zip) => zip,
            // A zip of the one part, renamed when it is copied into the output.
            None => {
                let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
                zip.start_file("part", options_for(&self.buf))?;
                self.zip.insert(zip)
            }
        };
        zip.write_all(&self.buf)?;
        self.buf.clear();
        Ok(())
    }

    pub fn finish(self) -> Result<Written> {
        if self.zip.is_none() && self.buf.len() < DEFLATE_AT_WRITE {
            return Ok(Written::Plain(self.buf));
        }
        self.finish_deflated()
    }

    /// [`PartWriter::finish`], deflated whatever its size.
    fn finish_deflated(mut self) -> Result<Written> {
        let fail = |e: zip::result::ZipError| malformed("zip", e);
        match self.error.take() {
            Some(e) => Err(fail(e)),
            None => self.deflate_buffered().map_err(fail),
        }?;
        let zip = self.zip.map(zip::ZipWriter::finish).transpose().map_err(fail)?;
        Ok(Written::Deflated(zip.map(Cursor::into_inner).unwrap_or_default()))
    }
}

/// See [`Written`]: far above any part of an ordinary sheet (those stay as they were written).
const DEFLATE_AT_WRITE: usize = 1 << 20;

/// The most bytes of written parts kept as they are ([`Package::write_made`]).
const PLAIN_AT_MOST: usize = 32 << 20;

impl Written {
    /// A deflated part's CRC-32 and length.
    fn crc_and_size(&self) -> Option<(u32, u64)> {
        let Written::Deflated(zip) = self else { return None };
        let mut zip = zip::ZipArchive::new(Cursor::new(zip.as_slice())).ok()?;
        let part = zip.by_index_raw(0).ok()?;
        Some((part.crc32(), part.size()))
    }

    /// The part's bytes (inflated again if need be).
    fn bytes(&self, name: &str) -> Result<Vec<u8>> {
        match self {
            Written::Plain(b) => Ok(b.clone()),
            Written::Deflated(zip) => {
                let fail = |e: &dyn std::fmt::Display| malformed(name, e);
                let mut zip = zip::ZipArchive::new(Cursor::new(zip.as_slice())).map_err(|e| fail(&e))?;
                let mut part = zip.by_index(0).map_err(|e| fail(&e))?;
                let mut out = Vec::with_capacity(usize::try_from(part.size()).unwrap_or(0));
                std::io::Read::read_to_end(&mut part, &mut out).map_err(|e| fail(&e))?;
                Ok(out)
            }
        }
    }

    /// The part into the output zip under `name`.
    fn write_to(&self, name: &str, out: &mut zip::ZipWriter<Cursor<Vec<u8>>>) -> Result<()> {
        let fail = |e: &dyn std::fmt::Display| malformed("zip", e);
        match self {
            Written::Plain(bytes) => {
                out.start_file(name, options_for(bytes)).map_err(|e| fail(&e))?;
                out.write_all(bytes).map_err(|e| fail(&e))
            }
            Written::Deflated(zip) => {
                let mut zip = zip::ZipArchive::new(Cursor::new(zip.as_slice())).map_err(|e| fail(&e))?;
                let part = zip.by_index_raw(0).map_err(|e| fail(&e))?;
                out.raw_copy_file_rename(part, name).map_err(|e| fail(&e))
            }
        }
    }
}

/// Parts written smaller than this are stored, not deflated. At 8 KB, deflating the goal
/// sheets of 8–16 KB (a third of the benchmark's) was 7 % of `fix`; storing them makes each
/// such workbook about 3 KB larger.
const STORE_BELOW: usize = 16 * 1024;

/// How a written part is stored: small parts (relationships, content types, the log sheets,
/// a small goal sheet or style sheet) as they are, larger ones deflated at level 1. The first
/// deflated part of a workbook allocates a compressor and each one clears its tables, which
/// for parts of a few kilobytes cost more than the compression itself: a tenth of `fix`'s
/// time in a profile (docs/performance.md). The price is a corrected workbook a few tens of
/// kilobytes larger; parts that compress well enough to matter are deflated.
fn options_for(bytes: &[u8]) -> zip::write::SimpleFileOptions {
    let options = zip::write::SimpleFileOptions::default();
    if bytes.len() < STORE_BELOW {
        options.compression_method(zip::CompressionMethod::Stored)
    } else {
        options.compression_method(zip::CompressionMethod::Deflated).compression_level(Some(1))
    }
}

/// An attribute value as [`attr`] reads it back from what the patcher wrote.
fn unescaped(raw: &str) -> Option<String> {
    quick_xml::escape::unescape(raw).ok().map(|v| v.into_owned())
}

/// What [`Package::add_sheet`] needs of the workbook part.
#[derive(Debug, Clone, Default, PartialEq)]
struct WorkbookScan {
    /// The largest `sheetId`.
    max_id: u64,
    /// Where the last `</sheets>` starts.
    end: Option<usize>,
    /// The prefix the root gives the relationships namespace.
    prefix: Option<String>,
}

impl WorkbookScan {
    fn of(bytes: &[u8], name: &str) -> Result<WorkbookScan> {
        WorkbookScan::with_sheets(bytes, name, |_| ()).map(|(scan, _)| scan)
    }

    /// [`WorkbookScan::of`], handing each `<sheet>` element to `sheet` as well, and whether
    /// the workbook counts dates from 1904: what [`Package::open_with`] reads of the part.
    fn with_sheets(
        bytes: &[u8],
        name: &str,
        mut sheet: impl FnMut(&quick_xml::events::BytesStart<'_>),
    ) -> Result<(WorkbookScan, bool)> {
        xml::undamaged(name, bytes)?;
        let mut r = xml::reader(bytes);
        let mut scan = WorkbookScan::default();
        let mut lists = 0;
        let mut date1904 = false;
        loop {
            let before = at(r.buffer_position());
            match r.read_event().map_err(|e| malformed(name, e))? {
                Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                    "workbook" => scan.prefix = prefix_of(&e, REL_NS),
                    "sheet" => {
                        scan.max_id = scan.max_id.max(attr(&e, "sheetId").and_then(|v| v.parse().ok()).unwrap_or(0));
                        sheet(&e);
                    }
                    "workbookPr" => date1904 = matches!(attr(&e, "date1904").as_deref(), Some("1" | "true")),
                    // Excel and the reader go by the first list of sheets; sheets added to
                    // another would not be seen, and be added again by the next fix.
                    "sheets" => {
                        lists += 1;
                        if lists > 1 {
                            return Err(malformed(name, "more than one <sheets>"));
                        }
                    }
                    _ => {}
                },
                Event::End(e) if e.local_name().as_ref() == "sheets" => scan.end = Some(before),
                Event::Eof => return Ok((scan, date1904)),
                _ => {}
            }
        }
    }
}

/// What [`Package::add_content_type`] needs of `[Content_Types].xml`, read once.
#[derive(Debug, Clone, PartialEq)]
struct ContentTypes {
    /// Every Override's part name (without the leading `/`).
    overrides: Vec<String>,
    /// Every Default's extension.
    defaults: Vec<String>,
    /// Where the last `</Types>` starts.
    end: usize,
    /// Where the first start tag ends (see [`first_child_end`]).
    first_end: Option<usize>,
}

impl ContentTypes {
    /// `None` when the part does not read to its end without error or has no `</Types>`
    /// (then each addition reads it again, and reports what it finds).
    fn scan(bytes: &[u8]) -> Option<ContentTypes> {
        let mut r = xml::reader(bytes);
        let (mut overrides, mut defaults) = (Vec::new(), Vec::new());
        let (mut end, mut first_end) = (None, None);
        loop {
            let before = at(r.buffer_position());
            let ev = r.read_event().ok()?;
            if first_end.is_none() && matches!(ev, Event::Start(_)) {
                first_end = Some(at(r.buffer_position()));
            }
            match ev {
                Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                    "Default" => defaults.extend(attr(&e, "Extension")),
                    "Override" => overrides.extend(attr(&e, "PartName").map(|p| p.trim_start_matches('/').to_string())),
                    _ => {}
                },
                Event::End(e) if e.local_name().as_ref() == "Types" => end = Some(before),
                Event::Eof => break,
                _ => {}
            }
        }
        Some(ContentTypes { overrides, defaults, end: end?, first_end })
    }

    /// For comparing: only which names are listed matters, not their order.
    fn sorted(mut self) -> ContentTypes {
        self.overrides.sort();
        self.defaults.sort();
        self
    }
}

/// Where the first child element of the root ends (to put a Default before the Overrides).
fn first_child_end(xml_bytes: &[u8], name: &str) -> Result<Option<usize>> {
    let mut r = xml::reader(xml_bytes);
    let mut depth = 0;
    loop {
        match r.read_event().map_err(|e| malformed(name, e))? {
            Event::Start(_) => {
                depth += 1;
                if depth == 1 {
                    return Ok(Some(at(r.buffer_position())));
                }
            }
            Event::Eof => return Ok(None),
            _ => {}
        }
    }
}

/// The splices that add `titles` as more worksheets to app.xml, or `None` when its
/// HeadingPairs do not start with the worksheets' count.
fn app_edits(old: &[u8], titles: &[String]) -> Option<Vec<(usize, usize, Vec<u8>)>> {
    let mut r = xml::reader(old);
    let mut section = "";
    let mut in_lpstr = false;
    let mut in_i4 = false;
    let mut first_heading: Option<String> = None;
    let mut count: Option<(usize, usize, u64)> = None;
    let mut titles_vector: Option<(usize, usize, u64)> = None;
    let mut titles_seen = 0u64;
    let mut insert_at = None;
    loop {
        let before = at(r.buffer_position());
        let ev = r.read_event().ok()?;
        let after = at(r.buffer_position());
        match ev {
            Event::Start(e) => match e.local_name().as_ref() {
                "HeadingPairs" => section = "h",
                "TitlesOfParts" => section = "t",
                "vector" if section == "t" => {
                    let size = attr(&e, "size")?.parse().ok()?;
                    titles_vector = Some((before, after, size));
                }
                "lpstr" => in_lpstr = true,
                "i4" => in_i4 = true,
                _ => {}
            },
            Event::Text(t) if section == "h" && in_lpstr && first_heading.is_none() => {
                first_heading = Some(t.to_string());
            }
            Event::Text(t) if section == "h" && in_i4 && count.is_none() => {
                let n = t.trim().parse().ok()?;
                count = Some((before, after, n));
            }
            Event::End(e) => match e.local_name().as_ref() {
                "lpstr" => {
                    in_lpstr = false;
                    if section == "t" {
                        titles_seen += 1;
                        if Some(titles_seen) == count.map(|c| c.2) {
                            insert_at = Some(after);
                        }
                    }
                }
                "i4" => in_i4 = false,
                "HeadingPairs" | "TitlesOfParts" => section = "",
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    let heading = first_heading?;
    if !matches!(heading.as_str(), "Worksheets" | "ワークシート") {
        return None;
    }
    let (cb, ca, n) = count?;
    let (vb, va, size) = titles_vector?;
    let insert_at = if n == 0 { va } else { insert_at? };
    let mut vec_tag = String::from_utf8_lossy(&old[vb..va]).into_owned();
    let added = titles.len() as u64;
    vec_tag = vec_tag.replacen(&format!("size=\"{size}\""), &format!("size=\"{}\"", size + added), 1);
    let listed: String = titles.iter().map(|t| format!("<vt:lpstr>{}</vt:lpstr>", xml::text(t))).collect();
    Some(vec![
        (cb, ca, (n + added).to_string().into_bytes()),
        (vb, va, vec_tag.into_bytes()),
        (insert_at, insert_at, listed.into_bytes()),
    ])
}

/// One relationship.
#[derive(Debug, Clone, PartialEq)]
pub struct Rel {
    pub id: String,
    pub kind: String,
    pub target: String,
    pub external: bool,
}

/// A relationships part.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rels {
    pub all: Vec<Rel>,
    /// Where `</Relationships>` starts.
    end: Option<usize>,
}

impl Rels {
    fn parse(bytes: &[u8], name: &str) -> Result<Rels> {
        xml::undamaged(name, bytes)?;
        let mut r = xml::reader(bytes);
        let mut rels = Rels::default();
        loop {
            let before = at(r.buffer_position());
            match r.read_event().map_err(|e| malformed(name, e))? {
                Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                    // One pass over the attributes (the first of a repeated name counts, as
                    // `attr` takes it).
                    let mut rel =
                        Rel { id: String::new(), kind: String::new(), target: String::new(), external: false };
                    let mut seen = [false; 4];
                    for a in e.attributes().with_checks(false).flatten() {
                        let slot = match a.key.as_ref() {
                            "Id" => 0,
                            "Type" => 1,
                            "Target" => 2,
                            "TargetMode" => 3,
                            _ => continue,
                        };
                        if std::mem::replace(&mut seen[slot], true) {
                            continue;
                        }
                        let value = quick_xml::escape::unescape(&a.value).map(|v| v.into_owned());
                        match (slot, value) {
                            (0, Ok(v)) => rel.id = v,
                            (1, Ok(v)) => rel.kind = v,
                            (2, Ok(v)) => rel.target = v,
                            (3, Ok(v)) => rel.external = v == "External",
                            _ => {}
                        }
                    }
                    rels.all.push(rel);
                }
                Event::End(e) if e.local_name().as_ref() == "Relationships" => rels.end = Some(before),
                Event::Eof => break,
                _ => {}
            }
        }
        Ok(rels)
    }

    pub fn by_id(&self, id: &str) -> Option<&Rel> {
        self.all.iter().find(|r| r.id == id)
    }

    pub fn by_kind(&self, kind: &str) -> Option<&Rel> {
        self.all.iter().find(|r| r.kind == kind && !r.external)
    }

    fn free_id(&self) -> String {
        format!("rId{}", least_free(self.all.iter().map(|r| r.id.as_str()), "rId", ""))
    }
}

/// The least n ≥ 1 for which `{prefix}{n}{suffix}` is none of `taken`, in one pass over them:
/// trying n = 1, 2 … with a scan of `taken` for each was quadratic (a crafted part of 100,000
/// relationships `rId1`… took 10¹⁰ comparisons), and a set of every name costs a hash for each
/// on every call.
fn least_free<'a>(taken: impl Iterator<Item = &'a str>, prefix: &str, suffix: &str) -> u64 {
    let mut used: Vec<u64> = taken
        .filter_map(|t| t.strip_prefix(prefix)?.strip_suffix(suffix))
        // Only the spelling `format!` makes: `sheet01.xml` does not take 1.
        .filter(|d| !d.starts_with('0') && !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
        .filter_map(|d| d.parse().ok())
        .collect();
    used.sort_unstable();
    let mut n = 1;
    for u in used {
        if u == n {
            n += 1;
        } else if u > n {
            break;
        }
    }
    n
}

/// Whether `xml` is a SpreadsheetML part whose root uses the main namespace as default (what
/// the patcher writes into without prefixes).
pub fn default_main_ns(e: &quick_xml::events::BytesStart<'_>) -> bool {
    prefix_of(e, MAIN_NS).as_deref() == Some("")
}

impl Package<'_> {
    /// Every part name (input parts, then added ones).
    pub fn part_names(&self) -> Vec<String> {
        self.names.iter().chain(&self.added).cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_least_free_number_is_found_as_trying_each_would_find_it() {
        let free = |taken: &[&str]| least_free(taken.iter().copied(), "sheet", ".xml");
        assert_eq!(free(&[]), 1);
        assert_eq!(free(&["sheet1.xml", "sheet2.xml", "sheet4.xml"]), 3);
        assert_eq!(free(&["sheet2.xml", "sheet2.xml", "sheet1.xml"]), 3);
        assert_eq!(free(&["sheet01.xml", "sheet1.xmlx", "xsheet1.xml", "sheet.xml", "sheet-1.xml"]), 1);
        assert_eq!(free(&["sheet99999999999999999999999.xml", "sheet1.xml"]), 2);
        assert_eq!(least_free(["rId1", "rId3", "rId2"].into_iter(), "rId", ""), 4);
    }
}
