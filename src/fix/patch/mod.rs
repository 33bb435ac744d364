//! The corrected workbook of an .xlsx/.xlsm input: the input package itself, edited in place
//! the way toml_edit edits a manifest. Only what the fixes need changes:
//!
//! - the fixed cells: the new value (text as an inline string, in the runs and fonts it had
//!   when it was rich text, see `rich`; a date typed as text as a date serial with an era date
//!   format), the cell keeping its style plus a highlight fill (green, or yellow/red when a
//!   finding remains on it);
//! - notes on fixed and still-flagged cells, merged into an existing comment (its text first);
//!   a flagged cell that was not fixed keeps its style (only the note says what is wrong);
//! - styles.xml: fills, number formats and cell formats appended (existing indices keep their
//!   meaning; an identical one is reused);
//! - the sheets 修正履歴 and 検証結果 added at the end (with workbook.xml, its relationships,
//!   `[Content_Types].xml` and docProps/app.xml), or brought up to date when an earlier run
//!   added them.
//!
//! Inside a changed worksheet the XML is spliced at byte offsets (quick-xml finds them), never
//! re-serialised; every other part of the zip is copied raw, not even recompressed. Layout is
//! never touched: labels, drift, merges, print settings stay as the division left them. A cell
//! holding a formula, or a number or date whose text comes from its format, is never edited
//! ([`Patcher::hold`] tells the fix so, reading a sheet's cells only when a fix asks).
//! A sheet that only gets notes is read without its cells. Fixing a corrected workbook
//! again changes nothing: when no part needs a change the output is the input, byte for byte.
//!
//! Bytes in, bytes out (no file system), so the same code runs in WebAssembly.

mod notes;
mod package;
mod rich;
mod sheet;
mod styles;
mod xml;

use super::log::{self, ChangeRow, InPlace, CHANGES_HEADERS, CHANGES_HEADERS_EN, CHANGES_SHEET_NAME, CHANGES_WIDTHS};
use super::{Fixed, Hold};
use crate::address::CellRef;
use crate::error::Result;
use crate::finding::Location;
use crate::grammar::date::{parse_date, DateStyle};
use crate::lang::Lang;
use crate::layout;
use crate::model::{Document, Field};
use crate::write::findings_sheet::{findings_headers, FINDINGS_HEADERS, FINDINGS_HEADERS_EN, FINDINGS_SHEET_NAME};
use package::{Package, PartWriter};
use sheet::{Kind, SheetXml};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use styles::Styles;
pub use styles::MOST_CELL_FORMATS;

const REL_STYLES: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles";
const REL_STRINGS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings";

/// Widths of the 検証結果 columns (as the rewritten workbook has them).
const FINDINGS_WIDTHS: [f64; 8] = [22.0, 18.0, 7.0, 16.0, 8.0, 8.0, 50.0, 44.0];

/// The patched workbook.
#[derive(Debug, Clone)]
pub struct Patched {
    pub bytes: Vec<u8>,
    /// This run's rows of 修正履歴.
    pub changes: Vec<ChangeRow>,
    /// No part needed a change: `bytes` is the input.
    pub unchanged: bool,
    /// The workbook has the most cell formats Excel shows ([`MOST_CELL_FORMATS`]):
    /// the fixed cells are not coloured, the added sheets are plain.
    pub unhighlighted: bool,
}

/// Which cells must not be edited, per sheet of the document.
#[derive(Debug, Clone, Default)]
pub struct Holds {
    by_sheet: Vec<HashMap<CellRef, Hold>>,
}

impl Holds {
    pub fn get(&self, location: &Location, cell: Option<CellRef>) -> Option<Hold> {
        self.by_sheet.get(location.sheet_index)?.get(&cell?).copied()
    }
}

/// An .xlsx/.xlsm package being patched.
pub struct Patcher<'a> {
    input: &'a [u8],
    pkg: Package<'a>,
    sheets: HashMap<String, SheetXml>,
    /// The largest shape-id block (`o:idmap`) the package's VML parts use, once read
    /// ([`Patcher::next_idmap`]).
    largest_idmap: Option<u64>,
    /// The style sheet, once [`Patcher::hold`] has read it (the patch then appends to it).
    styles: Option<Styles>,
    /// How each of its cell formats shows text, as the reader judges it: in the colour of its
    /// background, and in which colour ([`crate::read::xlsx_fast::text_looks`]).
    looks: Vec<crate::read::xlsx_fast::TextLook>,
    /// The same, as the reader found it, with the part it read (taken when it is the one).
    read_looks: Option<(String, Vec<crate::read::xlsx_fast::TextLook>)>,
}

/// What a cell of this kind holds back from a fix.
fn hold_of(kind: Kind) -> Option<Hold> {
    match kind {
        Kind::Formula => Some(Hold::Formula),
        Kind::Value => Some(Hold::NotText),
        Kind::Empty | Kind::Text => None,
    }
}

/// Whether a file name is one the patcher edits (.xlsx, .xlsm).
pub fn can_patch(file_name: &str) -> bool {
    let ext = std::path::Path::new(file_name).extension().map(|e| e.to_string_lossy().to_ascii_lowercase());
    matches!(ext.as_deref(), Some("xlsx" | "xlsm"))
}

/// Patches `input` with `fixed` (made with [`Patcher::holds`] of the same input).
pub fn patch(input: &[u8], file_name: &str, fixed: &Fixed, lang: Lang) -> Result<Patched> {
    Patcher::open(input)?.patch(fixed, file_name, lang)
}

impl<'a> Patcher<'a> {
    pub fn open(input: &'a [u8]) -> Result<Patcher<'a>> {
        Patcher::open_with(input, crate::read::xlsx_fast::Inflated::default())
    }

    /// [`Patcher::open`] with the parts the reader already inflated.
    pub fn open_with(input: &'a [u8], parts: crate::read::xlsx_fast::Inflated) -> Result<Patcher<'a>> {
        let mut parts = parts;
        let read_looks = parts.take_text_looks();
        let pkg = Package::open_with(input, parts)?;
        let (sheets, looks) = (HashMap::new(), Vec::new());
        Ok(Patcher { input, pkg, sheets, largest_idmap: None, styles: None, looks, read_looks })
    }

    fn part_of(&self, sheet_name: &str) -> Result<String> {
        self.pkg
            .sheets
            .iter()
            .find(|s| s.name == sheet_name)
            .map(|s| s.part.clone())
            .ok_or_else(|| xml::malformed("workbook.xml", format!("no sheet named {sheet_name}")))
    }

    /// The worksheet `part`, its cells read when `cells` (else perhaps only what notes need:
    /// [`SheetXml::parse_outside_cells`]); read once, or twice when its cells are wanted later.
    fn sheet(&mut self, part: &str, cells: bool) -> Result<&SheetXml> {
        if !self.sheets.get(part).is_some_and(|sx| sx.cells_read || !cells) {
            let bytes = match self.sheets.remove(part) {
                Some(sx) => sx.bytes,
                None => self.pkg.read(part)?.ok_or_else(|| xml::malformed(part, "missing"))?,
            };
            let sx = if cells { SheetXml::parse(bytes, part)? } else { SheetXml::parse_outside_cells(bytes, part)? };
            self.sheets.insert(part.to_string(), sx);
        }
        Ok(&self.sheets[part])
    }

    /// Why a fix must leave `cell` of the sheet `sheet_name` alone, if it must: it holds a
    /// formula (or an array formula computes it), a value whose text is its number format's
    /// rendering, or text its format adds to or hides. The sheet is read on the first
    /// question, so a sheet no fix touches is never read for it.
    pub fn hold(&mut self, sheet_name: &str, cell: CellRef) -> Result<Option<Hold>> {
        let part = self.part_of(sheet_name)?;
        let sx = self.sheet(&part, true)?;
        let (kind, style) = (sx.kind(cell), sx.style(cell));
        if let Some(hold) = hold_of(kind) {
            return Ok(Some(hold));
        }
        // Text written under a format that adds to or hides it would not read back as written
        // (`"結果："@` made 結果：54.7% show 結果：結果：54.7%).
        if self.style_sheet()?.is_some_and(|s| s.alters_text(style)) {
            return Ok(Some(Hold::TextFormat));
        }
        // Nor would text in the colour of its background show: a No. filled into such a cell
        // was read back as invisible (GS704), which the fix's own findings had not said.
        if self.looks.get(style as usize).is_some_and(|l| l.0) {
            return Ok(Some(Hold::Invisible));
        }
        Ok(None)
    }

    /// The workbook's style sheet, read once; `None` when it has none.
    fn style_sheet(&mut self) -> Result<Option<&Styles>> {
        if self.styles.is_none() {
            let Some(part) = self.styles_part()? else { return Ok(None) };
            let Some(bytes) = self.pkg.read(&part)? else { return Ok(None) };
            self.looks = match self.read_looks.take() {
                Some((read, looks)) if read == part => looks,
                _ => crate::read::xlsx_fast::text_looks(&bytes).unwrap_or_default(),
            };
            debug_assert_eq!(self.looks, crate::read::xlsx_fast::text_looks(&bytes).unwrap_or_default());
            self.styles = Some(Styles::parse(bytes)?);
        }
        Ok(self.styles.as_ref())
    }

    /// The cells of the document's sheets a fix must leave alone, each as [`Patcher::hold`]
    /// says.
    pub fn holds(&mut self, doc: &Document) -> Result<Holds> {
        let mut by_sheet = Vec::new();
        for s in &doc.sheets {
            let part = self.part_of(&s.sheet)?;
            let cells: Vec<CellRef> = self.sheet(&part, true)?.cells.keys().copied().collect();
            let mut held = HashMap::new();
            for c in cells {
                if let Some(h) = self.hold(&s.sheet, c)? {
                    held.insert(c, h);
                }
            }
            by_sheet.push(held);
        }
        Ok(Holds { by_sheet })
    }

    /// Whether a date typed as text can be made a date cell (`Styles::dates_fit`): a
    /// workbook at Excel's limit of cell formats with none showing a date cannot show one.
    pub fn dates_fit(&mut self) -> Result<bool> {
        let Some(part) = self.styles_part()? else { return Ok(true) };
        let Some(bytes) = self.pkg.read(&part)? else { return Ok(true) };
        // Each cell format takes 5 bytes at least (`<xf/>`): a smaller part has room.
        if bytes.len() < MOST_CELL_FORMATS * 5 {
            return Ok(true);
        }
        Ok(Styles::parse(bytes)?.dates_fit())
    }

    /// The workbook's style sheet part, if its relationships name one.
    fn styles_part(&mut self) -> Result<Option<String>> {
        let wb = self.pkg.workbook.clone();
        Ok(self.pkg.rels_of(&wb)?.by_kind(REL_STYLES).map(|r| xml::resolve(xml::dir_of(&wb), &r.target)))
    }

    /// The corrected workbook. `file_name` names the input in 修正履歴 and 検証結果 (a
    /// `NAME.corrected.xlsx` as `NAME.xlsx`, so fixing it again writes the same rows).
    pub fn patch(mut self, fixed: &Fixed, file_name: &str, lang: Lang) -> Result<Patched> {
        let doc = &fixed.document;
        let shown = shown_name(file_name);
        let shown = earlier_name(doc, file_name, &shown).unwrap_or(shown);
        let place = InPlace(doc);
        let wb = self.pkg.workbook.clone();
        let wb_rels = self.pkg.rels_of(&wb)?;
        let styles_part = match self.styles_part()? {
            Some(part) => part,
            None => self.add_styles_part()?,
        };
        self.style_sheet()?;
        let mut styles = match self.styles.take() {
            Some(styles) => styles,
            None => {
                Styles::parse(self.pkg.read(&styles_part)?.ok_or_else(|| xml::malformed(&styles_part, "missing"))?)?
            }
        };
        let mut shared_strings_dropped = 0u64;
        let strings_part = wb_rels.by_kind(REL_STRINGS).map(|rel| xml::resolve(xml::dir_of(&wb), &rel.target));
        let mut strings = rich::SharedStrings::of(strings_part);

        for (i, s) in doc.sheets.iter().enumerate() {
            let marks = log::marks(fixed, i, &place, lang);
            let edits: Vec<_> = fixed.applied.iter().filter(|e| e.location.sheet_index == i).collect();
            if marks.is_empty() && edits.is_empty() {
                continue;
            }
            let part = self.part_of(&s.sheet)?;
            // A sheet whose flagged cells keep their value and style only gets notes.
            let cells_change = !edits.is_empty() || marks.values().any(|m| m.changed);
            self.sheet(&part, cells_change)?;
            let sx = &self.sheets[&part];
            if let Some((what, style)) = sx.style_past(styles.formats()) {
                let n = styles.formats();
                return Err(xml::malformed(&part, format!("{what} has cell format {style}; the workbook has {n}")));
            }

            let mut values: BTreeMap<CellRef, Value> = BTreeMap::new();
            // Each fixed cell's text before its first fix.
            let mut originals: BTreeMap<CellRef, &str> = BTreeMap::new();
            for e in edits {
                let Some(cell) = e.cell else { continue };
                originals.entry(cell).or_insert(e.before.as_str());
                let kind = sx.kind(cell);
                if matches!(kind, Kind::Formula | Kind::Value) {
                    return Err(xml::malformed(
                        &part,
                        format!("{cell} holds a formula or a value; fix with Patcher::holds"),
                    ));
                }
                let text = e.location.value(doc).unwrap_or_default();
                let date = parse_date(text).ok().filter(|_| e.to_date_cell);
                let v = match date.and_then(|p| Some((serial(p.date, self.pkg.date1904)?, p.style))) {
                    Some((n, style)) => Value::Date(n, date_code(style)),
                    // A number only where the cell's format shows it as typed (an empty No. cell
                    // formatted as a date would show 2 as 1900/1/2).
                    _ if e.location.field == Field::No
                        && kind == Kind::Empty
                        && is_count(text)
                        && text
                            .parse()
                            .ok()
                            .and_then(|n| styles.shows(sx.style(cell), n, self.pkg.date1904))
                            .as_deref()
                            == Some(text) =>
                    {
                        Value::Number(text.to_string())
                    }
                    _ => Value::Text(text.to_string()),
                };
                values.insert(cell, v);
            }

            let mut cells: BTreeMap<CellRef, String> = BTreeMap::new();
            let targets: Vec<CellRef> =
                if cells_change { values.keys().chain(marks.keys()).copied().collect() } else { Vec::new() };
            for cell in targets {
                if cells.contains_key(&cell) {
                    continue;
                }
                let base = sx.style(cell);
                // Only fixed cells change style; a flagged cell keeps its own and gets a note.
                // Nor one whose text the fill would hide (white text on the yellow of a warning).
                let text = self.looks.get(base as usize).and_then(|l| l.1);
                let fill = marks
                    .get(&cell)
                    .filter(|m| m.changed)
                    .and_then(log::Mark::fill)
                    .filter(|rgb| !text.is_some_and(|t| crate::read::grid::indistinct(t, *rgb)))
                    .map(|rgb| styles.solid_fill(rgb));
                let value = values.get(&cell);
                let num_fmt = match value {
                    Some(Value::Date(_, code)) => Some(styles.num_fmt(code)),
                    _ => None,
                };
                let style =
                    if fill.is_none() && num_fmt.is_none() { base } else { styles.derive(base, fill, num_fmt)? };
                let el = match value {
                    Some(Value::Text(t)) => {
                        // Text in runs of its own fonts keeps them (rich.rs).
                        let runs = match sx.shared_index(cell) {
                            Some(i) => strings.runs(i, |part| self.pkg.read(part))?,
                            None => rich::runs(sx.inner(cell)),
                        };
                        let is = rich::inline_string(runs, originals.get(&cell).copied(), t);
                        format!("{}{is}</c>", sx.start_tag(cell, style, Some("inlineStr"), false))
                    }
                    Some(Value::Number(n)) | Some(Value::Date(n, _)) => {
                        format!("{}<v>{n}</v></c>", sx.start_tag(cell, style, None, false))
                    }
                    None if style == base => continue,
                    None => format!(
                        "{}{}</c>",
                        sx.start_tag(cell, style, None, true),
                        String::from_utf8_lossy(sx.inner(cell))
                    ),
                };
                if value.is_some() && sx.cells.get(&cell).is_some_and(|c| c.shared_string) {
                    shared_strings_dropped += 1;
                }
                cells.insert(cell, el);
            }
            // Each step's data is let go once the next is made: a fix of tens of thousands of
            // cells holds their text several times over otherwise.
            drop(values);
            let mut splices = sx.cell_splices(cells);

            let notes: BTreeMap<CellRef, String> =
                marks.iter().map(|(c, m)| (*c, m.text())).filter(|(_, t)| !t.is_empty()).collect();
            let lines: HashMap<CellRef, u32> = marks
                .iter()
                .filter(|(c, _)| notes.contains_key(c))
                .map(|(c, m)| (*c, m.lines.iter().map(|l| crate::write::lines_needed(l, 40.0)).sum()))
                .collect();
            drop(marks);
            if !notes.is_empty() {
                let legacy = sx.legacy_drawing.clone();
                if let Some(splice) = self.add_notes(&part, &notes, &lines, legacy)? {
                    splices.push(splice);
                }
            }
            if !splices.is_empty() {
                let sx = &self.sheets[&part];
                let bytes = xml::splice(&sx.bytes, splices);
                self.pkg.write(&part, bytes)?;
            }
            // Done with: a sheet of tens of thousands of notes is tens of megabytes.
            self.sheets.remove(&part);
        }

        let changes = log::change_rows(&shown, fixed, &place, lang);
        let earlier =
            own_sheet(doc, CHANGES_SHEET_NAME, &[&CHANGES_HEADERS, &CHANGES_HEADERS_EN]).map(|(_, rows)| rows);
        // The rows borrowed, not copied (a log of 60,000 rows is tens of megabytes).
        let changes_rows: Option<Vec<&[String]>> = match &earlier {
            Some(_) if changes.is_empty() => None,
            Some(earlier) => Some(earlier.iter().map(Vec::as_slice).chain(changes.iter().map(|c| &c.0[..])).collect()),
            None => Some(changes.iter().map(|c| &c.0[..]).collect()),
        };
        let finding_rows: Vec<Vec<String>> = log::finding_rows(&shown, fixed, &[], lang)
            .into_iter()
            .map(|r| vec![r.file, r.sheet, r.cell, r.field, r.severity, r.code, r.message, r.help])
            .collect();
        let headers = findings_headers(lang);
        // An earlier run's 検証結果 listing the same findings is kept as it is: what a rewritten
        // .xls or .ods got from the writer is laid out otherwise, and fixing it again would
        // change it (and add its formats) for nothing.
        // (Compared as written: a message quoting a long value is cut to what a cell holds.)
        let as_written = |row: &[String], listed: &[String]| {
            row.len() == listed.len() && row.iter().zip(listed).all(|(r, l)| crate::write::fit_cell(r) == l.as_str())
        };
        let findings_listed = own_sheet(doc, FINDINGS_SHEET_NAME, &[&headers]).is_some_and(|(_, listed)| {
            listed.len() == finding_rows.len() && finding_rows.iter().zip(&listed).all(|(r, l)| as_written(r, l))
        });
        if changes_rows.is_some() || !findings_listed {
            let head = styles.table_xf(true)?;
            let body = styles.table_xf(false)?;
            let xfs = TableXfs { head, body };
            if let Some(rows) = changes_rows {
                let none = lang.pick("修正した箇所はありません。", "Nothing was changed.");
                let above = legend_rows(&mut styles, body, lang)?;
                let row_xfs = rows
                    .iter()
                    .map(|r| log::row_fill(r).map_or(Ok(body), |rgb| styles.filled_xf(rgb)))
                    .collect::<Result<Vec<u32>>>()?;
                let xml =
                    table_sheet(&log::changes_headers(lang), &CHANGES_WIDTHS, &above, &rows, none, xfs, &row_xfs)?;
                self.put_sheet(doc, CHANGES_SHEET_NAME, &[&CHANGES_HEADERS, &CHANGES_HEADERS_EN], xml)?;
            }
            if !findings_listed {
                let none = lang.pick("指摘はありません。", "No findings.");
                let rows: Vec<&[String]> = finding_rows.iter().map(Vec::as_slice).collect();
                let xml = table_sheet(&headers, &FINDINGS_WIDTHS, &[], &rows, none, xfs, &vec![body; rows.len()])?;
                self.put_sheet(doc, FINDINGS_SHEET_NAME, &[&FINDINGS_HEADERS, &FINDINGS_HEADERS_EN], xml)?;
            }
        }

        let unhighlighted = styles.is_full();
        if let Some(bytes) = styles.finish() {
            self.pkg.write(&styles_part, bytes)?;
        }
        if shared_strings_dropped > 0 {
            if let Some(rel) = wb_rels.by_kind(REL_STRINGS) {
                let path = xml::resolve(xml::dir_of(&wb), &rel.target);
                if let Some(old) = self.pkg.read(&path)? {
                    if let Some(new) = fewer_references(&old, shared_strings_dropped) {
                        self.pkg.write(&path, new)?;
                    }
                }
            }
        }
        if !self.pkg.is_changed() {
            return Ok(Patched { bytes: self.input.to_vec(), changes, unchanged: true, unhighlighted });
        }
        Ok(Patched { bytes: self.pkg.finish()?, changes, unchanged: false, unhighlighted })
    }

    /// Writes one of the added sheets: into the part an earlier run added (only if it
    /// differs), or as a new sheet at the end (named `修正履歴 (2)` when the workbook has a
    /// sheet of that name that is not ours).
    fn put_sheet(&mut self, doc: &Document, name: &str, headers: &[&[&str]], xml: package::Written) -> Result<()> {
        if let Some((own, _)) = own_sheet(doc, name, headers) {
            let part = self.part_of(own)?;
            return self.pkg.write_made_if_changed(&part, xml);
        }
        let mut unique = name.to_string();
        let mut n = 2;
        while self.pkg.sheets.iter().any(|s| s.name.eq_ignore_ascii_case(&unique)) {
            unique = format!("{name} ({n})");
            n += 1;
        }
        let part = self.pkg.add_sheet(&unique)?;
        self.pkg.write_made(&part, xml);
        Ok(())
    }

    /// Adds `notes` to the sheet `part`: into its comments part (created when it has none)
    /// and boxes into its VML drawing (created, with the `<legacyDrawing>` splice returned,
    /// when it has none).
    fn add_notes(
        &mut self,
        part: &str,
        notes: &BTreeMap<CellRef, String>,
        lines: &HashMap<CellRef, u32>,
        legacy: Option<String>,
    ) -> Result<Option<(usize, usize, Vec<u8>)>> {
        let dir = xml::dir_of(part).to_string();
        let rels = self.pkg.rels_of(part)?;
        let comments_part = rels.by_kind(package::REL_COMMENTS).map(|r| xml::resolve(&dir, &r.target));
        let comments = match &comments_part {
            Some(p) => match self.pkg.read(p)? {
                Some(b) => notes::Comments::parse(b, p)?,
                None => notes::Comments::new(),
            },
            None => notes::Comments::new(),
        };
        let (bytes, new_cells) = comments.add(notes, log::NOTE_AUTHOR);
        let Some(bytes) = bytes else { return Ok(None) };
        let xl = xml::dir_of(&self.pkg.workbook).to_string();
        let cp = match comments_part {
            Some(p) => p,
            None => {
                let p = self.pkg.free_name(&format!("{xl}comments"), ".xml");
                self.pkg.add_rel(part, package::REL_COMMENTS, &p)?;
                self.pkg.add_content_type(&p, package::CT_COMMENTS, None)?;
                p
            }
        };
        self.pkg.write(&cp, bytes)?;
        if new_cells.is_empty() {
            return Ok(None);
        }
        let boxes: Vec<(CellRef, u32)> = new_cells.iter().map(|c| (*c, lines.get(c).copied().unwrap_or(1))).collect();
        let vml_part = legacy.as_deref().and_then(|id| rels.by_id(id)).map(|r| xml::resolve(&dir, &r.target));
        match vml_part {
            Some(vp) => {
                let old = self.pkg.read(&vp)?;
                let idmap = self.next_idmap()?;
                self.pkg.write_made(&vp, vml(old.as_deref(), &boxes, idmap)?);
                Ok(None)
            }
            None => {
                let idmap = self.next_idmap()?;
                self.largest_idmap = Some(idmap);
                let vp = self.pkg.free_name(&format!("{xl}drawings/vmlDrawing"), ".vml");
                let id = self.pkg.add_rel(part, package::REL_VML, &vp)?;
                self.pkg.add_content_type(&vp, package::CT_VML, Some("vml"))?;
                self.pkg.write_made(&vp, vml(None, &boxes, idmap)?);
                let sx = &self.sheets[part];
                Ok(Some(sx.legacy_drawing_splice(&id)))
            }
        }
    }

    /// A shape-id block (`o:idmap`) no VML part of the package uses yet. The parts are read
    /// once; a new part takes the block given ([`Patcher::add_notes`]), and boxes added to an
    /// existing part leave its block as it was. Reading them for every sheet with notes made
    /// `fix` quadratic: 13 s for 600 sheets each with a 100 KB drawing.
    fn next_idmap(&mut self) -> Result<u64> {
        let largest = match self.largest_idmap {
            Some(n) => n,
            None => {
                let names: Vec<String> = self.pkg_names().into_iter().filter(|n| n.ends_with(".vml")).collect();
                let mut max = 0;
                for n in names {
                    if let Some(b) = self.pkg.read_once(&n)? {
                        max = max.max(notes::idmap_of(&String::from_utf8_lossy(&b)));
                    }
                }
                self.largest_idmap = Some(max);
                max
            }
        };
        Ok(largest.saturating_add(1))
    }

    fn pkg_names(&self) -> Vec<String> {
        self.pkg.part_names()
    }
}

/// A fixed cell's new value.
enum Value {
    Text(String),
    /// The number as written into `<v>`.
    Number(String),
    /// A date serial and its number format code.
    Date(String, &'static str),
}

/// The style sheet a workbook without one gets: the one cell format every cell without a
/// style has (Excel's minimum), to which the highlight and the added sheets' formats are
/// appended. Excel shows a workbook without a style sheet in its default font, here 游ゴシック
/// 11 (Japanese Excel's since 2016).
const MINIMAL_STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font><sz val="11"/><name val="游ゴシック"/><family val="3"/><charset val="128"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"#;

const CT_STYLES: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml";

impl Patcher<'_> {
    /// Adds [`MINIMAL_STYLES`] to a workbook that has no style sheet (the part is optional;
    /// programs other than Excel leave it out); returns its name.
    fn add_styles_part(&mut self) -> Result<String> {
        let wb = self.pkg.workbook.clone();
        let usual = format!("{}styles.xml", xml::dir_of(&wb));
        let part = match self.pkg.exists(&usual) {
            false => usual,
            true => self.pkg.free_name(&format!("{}styles", xml::dir_of(&wb)), ".xml"),
        };
        self.pkg.write(&part, MINIMAL_STYLES.as_bytes().to_vec())?;
        self.pkg.add_rel(&wb, REL_STYLES, &part)?;
        self.pkg.add_content_type(&part, CT_STYLES, None)?;
        Ok(part)
    }
}

/// A whole number as a No. cell holds it (`2`).
fn is_count(text: &str) -> bool {
    !text.is_empty() && text.len() <= 9 && text.bytes().all(|b| b.is_ascii_digit())
}

/// The date's serial number in the workbook's date system (`None` outside Excel's dates).
fn serial(date: chrono::NaiveDate, date1904: bool) -> Option<String> {
    let n = crate::grammar::date::to_excel_serial(date)?;
    let n = if date1904 { n - 1462.0 } else { n };
    (n >= 0.0).then(|| format!("{n}"))
}

/// The number format that shows a date the way it was typed.
fn date_code(style: DateStyle) -> &'static str {
    match style {
        DateStyle::EraShort => layout::DATE_FORMAT_SHORT,
        DateStyle::EraLong => layout::DATE_FORMAT_LONG,
        DateStyle::Western => layout::DATE_FORMAT_WESTERN,
    }
}

/// `NAME.xlsx` for `NAME.corrected.xlsx`.
fn shown_name(file_name: &str) -> String {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    match base.rfind('.') {
        Some(dot) => {
            let (stem, ext) = base.split_at(dot);
            match stem.strip_suffix(".corrected") {
                Some(s) => format!("{s}{ext}"),
                None => base.to_string(),
            }
        }
        None => base.to_string(),
    }
}

/// The input's name as the run that rewrote it wrote it in its own sheets (`課.ods`), when
/// its corrected workbook (`課.corrected.xlsx`) is fixed again: named `課.xlsx` after its own
/// name, every row of 修正履歴 and 検証結果 would change.
fn earlier_name(doc: &Document, file_name: &str, shown: &str) -> Option<String> {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    let (stem, _) = shown.rsplit_once('.').filter(|_| base != shown)?;
    let logs = [
        own_sheet(doc, FINDINGS_SHEET_NAME, &[&FINDINGS_HEADERS, &FINDINGS_HEADERS_EN]),
        own_sheet(doc, CHANGES_SHEET_NAME, &[&CHANGES_HEADERS, &CHANGES_HEADERS_EN]),
    ];
    logs.into_iter().flatten().flat_map(|(_, rows)| rows).find_map(|row| {
        let name = row.into_iter().next()?;
        let (s, ext) = name.rsplit_once('.')?;
        let rewritten = ["xls", "ods", "csv", "json"].iter().any(|e| ext.eq_ignore_ascii_case(e));
        (s == stem && rewritten).then_some(name)
    })
}

/// The name and data rows of the sheet an earlier run added as `name` (`修正履歴`, or
/// `修正履歴 (2)` beside a sheet of the division's own so named); `None` when there is none.
fn own_sheet<'d>(doc: &'d Document, name: &str, headers: &[&[&str]]) -> Option<(&'d str, Vec<Vec<String>>)> {
    doc.other_sheets
        .iter()
        .filter(|s| log::may_be_own_sheet(&s.name, name))
        .find_map(|s| Some((s.name.as_str(), super::workbook::table_rows(s, headers)?)))
}

/// `<sst count="N">` with N reduced by `by` (the `count` counts references to shared strings).
fn fewer_references(sst: &[u8], by: u64) -> Option<Vec<u8>> {
    let mut r = xml::reader(sst);
    loop {
        let before = xml::at(r.buffer_position());
        match r.read_event().ok()? {
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e)
                if e.local_name().as_ref() == "sst" =>
            {
                let after = xml::at(r.buffer_position());
                let count: u64 = xml::attr(&e, "count")?.trim().parse().ok()?;
                let empty = sst[before..after].ends_with(b"/>");
                let tag = xml::start_tag(&e, &["count"], &[("count", count.saturating_sub(by).to_string())], empty);
                return Some(xml::splice(sst, vec![(before, after, tag.into_bytes())]));
            }
            quick_xml::events::Event::Eof => return None,
            _ => {}
        }
    }
}

/// The cell formats of an added table sheet's header and of its plain rows.
#[derive(Clone, Copy)]
struct TableXfs {
    head: u32,
    body: u32,
}

/// The colour legend above the 修正履歴 table, as rows of (text, cell format): its title,
/// one line per colour (the swatch, then what it means), a blank row.
fn legend_rows(styles: &mut Styles, body: u32, lang: Lang) -> Result<Vec<Vec<(&'static str, u32)>>> {
    let mut rows = vec![vec![(log::legend_title(lang), styles.legend_xf(true)?)]];
    let text = styles.legend_xf(false)?;
    for line in log::legend(log::FlaggedLook::Kept, lang) {
        // The unfilled swatch looks like a cell with no format of its own.
        let swatch = line.fill.map_or(Ok(body), |rgb| styles.filled_xf(rgb))?;
        rows.push(vec![(line.label, swatch), (line.text, text)]);
    }
    if styles.is_full() {
        rows.push(vec![(lang.pick("注意", "Note"), text), (log::unhighlighted(lang), text)]);
    }
    rows.push(vec![]);
    Ok(rows)
}

/// A simple table sheet: the rows `above` (the legend, or none), a bold header row (frozen),
/// one row per entry of `rows` in the format of `row_xfs` (or `empty` under the header),
/// wrapped text, printed A4 landscape one page wide. Made row by row into a [`PartWriter`]:
/// a log of tens of thousands of rows is deflated as it is made, never whole in memory.
fn table_sheet(
    headers: &[&str],
    widths: &[f64],
    above: &[Vec<(&str, u32)>],
    rows: &[&[String]],
    empty: &str,
    xfs: TableXfs,
    row_xfs: &[u32],
) -> Result<package::Written> {
    let top = above.len();
    let mut out = PartWriter::new();
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheetPr><pageSetUpPr fitToPage=\"1\"/></sheetPr><sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"{}\" topLeftCell=\"A{}\" activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight=\"18\"/><cols>",
        top + 1,
        top + 2
    );
    // Written in place (`write!` into the String cannot fail).
    for (i, w) in widths.iter().enumerate() {
        let _ = write!(s, "<col min=\"{n}\" max=\"{n}\" width=\"{w}\" customWidth=\"1\"/>", n = i + 1);
    }
    s.push_str("</cols><sheetData>");
    let cell = |s: &mut String, r: usize, c: usize, text: &str, xf: u32| {
        let a1 = CellRef::new(r as u32, c as u32);
        let _ = write!(s, "<c r=\"{a1}\" s=\"{xf}\"");
        if text.is_empty() {
            s.push_str("/>");
        } else {
            s.push_str(" t=\"inlineStr\"><is><t xml:space=\"preserve\">");
            // Messages may quote long values; a cell holds 32,767 characters.
            xml::push_text(s, &crate::write::fit_cell(text));
            s.push_str("</t></is></c>");
        }
    };
    for (r, row) in above.iter().enumerate().filter(|(_, row)| !row.is_empty()) {
        let _ = write!(s, "<row r=\"{}\">", r + 1);
        for (c, (text, xf)) in row.iter().enumerate() {
            cell(&mut s, r, c, text, *xf);
        }
        s.push_str("</row>");
    }
    let _ = write!(s, "<row r=\"{}\">", top + 1);
    for (c, h) in headers.iter().enumerate() {
        cell(&mut s, top, c, h, xfs.head);
    }
    s.push_str("</row>");
    if rows.is_empty() {
        let _ = write!(s, "<row r=\"{}\">", top + 2);
        cell(&mut s, top + 1, 0, empty, xfs.body);
        s.push_str("</row>");
    }
    for (r, (row, xf)) in rows.iter().zip(row_xfs).enumerate() {
        let _ = write!(s, "<row r=\"{}\">", top + r + 2);
        for (c, text) in row.iter().enumerate() {
            cell(&mut s, top + r + 1, c, text, *xf);
        }
        s.push_str("</row>");
        if s.len() >= 64 * 1024 {
            out.push(s.as_bytes());
            s.clear();
        }
    }
    s.push_str("</sheetData><pageMargins left=\"0.5\" right=\"0.5\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/><pageSetup paperSize=\"9\" orientation=\"landscape\" fitToHeight=\"0\"/></worksheet>");
    out.push(s.as_bytes());
    out.finish()
}

/// The VML part with note boxes (see [`notes::vml_into`]), deflated as it is made when large.
fn vml(old: Option<&[u8]>, boxes: &[(CellRef, u32)], idmap: u64) -> Result<package::Written> {
    let mut out = PartWriter::new();
    notes::vml_into(old, boxes, idmap, &mut |b| out.push(b));
    out.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_serials() {
        assert_eq!(shown_name("dir/市民協働課.corrected.xlsm"), "市民協働課.xlsm");
        assert_eq!(shown_name("a.xlsx"), "a.xlsx");
        let d = chrono::NaiveDate::from_ymd_opt(2024, 5, 15).unwrap();
        assert_eq!(serial(d, false).as_deref(), Some("45427"));
        assert_eq!(serial(d, true).as_deref(), Some("43965"));
        assert!(is_count("12") && !is_count("1.5") && !is_count(""));
    }

    #[test]
    fn shared_string_count() {
        let out = fewer_references(br#"<sst xmlns="x" count="5" uniqueCount="3"><si/></sst>"#, 2).unwrap();
        assert_eq!(out, br#"<sst xmlns="x" uniqueCount="3" count="3"><si/></sst>"#);
    }
}
