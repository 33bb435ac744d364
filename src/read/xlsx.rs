//! .xlsx / .xlsm → grids, streaming.
//!
//! `worksheet_range` is never called: it allocates the dense bounding box of whatever cell
//! positions the XML claims. Cells are streamed with `worksheet_cells_reader` under the budgets
//! of [`super::guard`], each with its style's number format so that `0.8` under `0%` reads
//! `80%`. The zip itself was checked by [`super::guard::check_zip`] before calamine opened it.
//!
//! Merged areas are read by `merges`, not by calamine's `merge_cells_by_sheet_name`, which
//! tokenises the whole sheet XML a second time to reach `<mergeCells>` at its end (a seventh
//! of `check`'s time). `merges` inflates the part in small chunks, looks for the bytes
//! `mergeCells` and hands only that element to quick-xml. When the sheet's part cannot be
//! found the standard way, calamine's reading is used instead.

use super::grid::{cell_text, excel_code, Grid};
use super::guard::{self, BoundingBox};
use crate::address::CellRef;
use crate::error::{Error, ErrorKind, Result};
use crate::lang::Msg;
use calamine::{Data, Reader, Xlsx, XlsxError};
use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::sync::Arc;

/// Reads every worksheet of an (already checked) xlsx: directly ([`super::xlsx_fast`]) when
/// it is laid out the standard way, else with calamine ([`calamine_grids`]).
pub fn grids(bytes: &[u8]) -> Result<Vec<Grid>> {
    grids_keeping(bytes, super::xlsx_fast::Keep::Everything)
}

/// [`grids`], formatting the typed cells of the sheets `keep` says where the workbook is read
/// directly (calamine's reading formats every cell).
pub fn grids_keeping(bytes: &[u8], keep: super::xlsx_fast::Keep) -> Result<Vec<Grid>> {
    match super::xlsx_fast::grids_keeping(bytes, keep) {
        Some(grids) => Ok(grids),
        None => calamine_grids(bytes),
    }
}

/// [`grids_keeping`] with the zip's directory already read ([`guard::check_zip_archive`]).
pub fn grids_in(zip: super::xlsx_fast::Zip, bytes: &[u8], keep: super::xlsx_fast::Keep) -> Result<Vec<Grid>> {
    grids_keeping_parts(zip, bytes, keep, None)
}

/// [`grids_in`], and into `kept` the parts the direct reader inflated (none when calamine
/// reads the workbook).
pub fn grids_keeping_parts(
    zip: super::xlsx_fast::Zip,
    bytes: &[u8],
    keep: super::xlsx_fast::Keep,
    kept: Option<&mut super::xlsx_fast::Inflated>,
) -> Result<Vec<Grid>> {
    let read = match kept {
        Some(kept) => super::xlsx_fast::grids_keeping_parts(zip, bytes, keep).map(|(grids, parts)| {
            *kept = parts;
            grids
        }),
        None => super::xlsx_fast::grids_in(zip, bytes, keep),
    };
    match read {
        Some(grids) => Ok(grids),
        None => calamine_grids(bytes),
    }
}

/// Errors when the sheets' parts, counted once per sheet, add up to more than the guard lets
/// the whole zip inflate to: only sheets that read one part again can, and each is read whole.
/// A thousand sheets over one part of 16 MB of blanks (a file of a few kilobytes) were 16 GB
/// of XML to read. `entries` are the sheets' parts as [`super::xlsx_fast::sheet_entries`]
/// found them; a sheet it could not place (its list unreadable, or shorter than calamine's
/// `sheets`) is counted at the largest part of the zip, what it could read at most: one sheet
/// whose part was missing made the list unusable, and calamine then read the thousand.
fn check_sheet_parts(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    entries: Option<&[Option<String>]>,
    sheets: usize,
) -> Result<()> {
    let mut total = 0u64;
    for part in entries.unwrap_or_default().iter().flatten() {
        total = total.saturating_add(zip.by_name(part).map_or(0, |f| f.size()));
    }
    let unplaced = sheets.saturating_sub(entries.map_or(0, <[_]>::len));
    if unplaced > 0 {
        let largest = (0..zip.len()).filter_map(|i| zip.by_index_raw(i).ok().map(|f| f.size())).max().unwrap_or(0);
        total = total.saturating_add(largest.saturating_mul(unplaced as u64));
    }
    if total > guard::MAX_TOTAL_UNCOMPRESSED {
        return Err(guard::too_large(
            Msg::new(
                format!("シートが読む部品が合わせて {}（同じ部品を読むシートがあります）", guard::mib(total)),
                format!("the sheets' parts add up to {} (sheets read the same part)", guard::mib(total)),
            ),
            guard::mib(guard::MAX_TOTAL_UNCOMPRESSED),
        ));
    }
    Ok(())
}

/// Reads every worksheet with calamine: the reference reading, and the one used for any
/// workbook [`super::xlsx_fast`] leaves alone.
pub fn calamine_grids(bytes: &[u8]) -> Result<Vec<Grid>> {
    guard::check_shared_strings(bytes)?;
    let mut wb = Xlsx::new(Cursor::new(bytes)).map_err(map_err)?;
    let names = wb.sheet_names();
    let hidden = super::grid::hidden_sheet_names(wb.sheets_metadata());
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok();
    guard::check_sheet_count(names.len())?;
    let entries = super::xlsx_fast::sheet_entries(bytes);
    if let Some(zip) = zip.as_mut() {
        check_sheet_parts(zip, entries.as_deref(), names.len())?;
    }
    // Merged areas are read from the parts only when every sheet of calamine's list has one.
    let parts: Option<Vec<String>> =
        entries.filter(|p| p.len() == names.len()).and_then(|p| p.into_iter().collect::<Option<Vec<String>>>());
    let full_calc = super::xlsx_fast::full_calc_on_load(bytes);
    // For numbers under a date format calamine does not see as one (`[$-411]ggge"年"`).
    let date1904 = super::xlsx_fast::date1904(bytes);
    // Number format codes, shared by the cells that use them.
    let mut formats: HashMap<String, Arc<str>> = HashMap::new();
    let mut grids = Vec::new();
    let mut cells_total = 0usize;
    let mut text_total = 0usize;
    for (index, name) in names.into_iter().enumerate() {
        let part = parts.as_ref().and_then(|p| p.get(index));
        // A second pass over the sheet for its formulas only when it has any: reading a large
        // sheet twice would double the time before its size is refused.
        let (own, formulas_here) = match (part, zip.as_mut()) {
            (Some(part), Some(zip)) => merges(zip, part),
            _ => (None, true),
        };
        let merges = match own {
            Some(m) => m,
            None => match wb.merge_cells_by_sheet_name(&name) {
                Ok(m) => m.into_iter().map(|d| (d.start, d.end)).collect(),
                Err(XlsxError::NotAWorksheet(_)) => continue,
                Err(e) => return Err(map_err(e).in_sheet(&name)),
            },
        };
        if merges.len() > guard::MAX_MERGES {
            return Err(guard::too_large(format!("{} merged areas", merges.len()), guard::MAX_MERGES.to_string())
                .in_sheet(&name));
        }
        let mut grid = Grid::new(&name);
        grid.hidden = hidden.contains(&name);
        for (start, end) in merges {
            grid.add_merge(start, end);
        }
        // The formulas come first (a reader of their own): a cell's formula goes with its value.
        // A sheet whose formulas calamine cannot read (markup inside `<f>`) still reads its
        // values, as before formulas were read at all.
        let mut formulas = match formulas_here.then(|| formulas_of(&mut wb, &name)) {
            None | Some(Err(Error { kind: ErrorKind::Corrupt { .. }, .. })) => HashMap::new(),
            Some(other) => other?,
        };
        let mut rdr = match wb.worksheet_cells_reader(&name) {
            Ok(r) => r,
            // Chart sheets and dialog sheets hold no cells.
            Err(XlsxError::NotAWorksheet(_)) => continue,
            Err(e) => return Err(map_err(e).in_sheet(&name)),
        };
        let mut bbox = BoundingBox::default();
        loop {
            let next = rdr.next_cell_with_style_id().map_err(|e| map_err(e).in_sheet(&name))?;
            let Some((cell, style)) = next else { break };
            let (r, c) = cell.get_position();
            let value: Data = cell.get_value().clone().into();
            let formula = if formulas.is_empty() { None } else { formulas.remove(&(r, c)) };
            if matches!(value, Data::Empty) && formula.is_none() {
                continue;
            }
            bbox.add(r, c).map_err(|e| e.in_sheet(&name))?;
            cells_total += 1;
            if cells_total > guard::MAX_CELLS {
                return Err(guard::too_large(
                    Msg::new(
                        format!("値のあるセルが {} を超えます", guard::MAX_CELLS),
                        format!("more than {} cells with values", guard::MAX_CELLS),
                    ),
                    Msg::new(format!("{} セル", guard::MAX_CELLS), guard::MAX_CELLS.to_string()),
                )
                .in_sheet(&name));
            }
            let format = rdr.styles().get(style).and_then(|s| s.number_format.as_ref());
            let format = format.map(|n| excel_code(n.format_id, &n.format_code));
            let text = cell_text(&value, format, date1904);
            text_total += text.len() + formula.as_ref().map_or(0, String::len);
            if text_total > guard::MAX_TEXT_BYTES {
                return Err(
                    guard::too_large(guard::cell_texts(), guard::mib(guard::MAX_TEXT_BYTES as u64)).in_sheet(&name)
                );
            }
            // Text keeps no format; a code already seen is shared, not allocated again.
            let format = match format.filter(|_| !matches!(value, Data::String(_) | Data::Empty)) {
                Some(f) => match formats.get(f) {
                    Some(shared) => Some(shared.clone()),
                    None => Some(formats.entry(f.to_string()).or_insert_with(|| f.into()).clone()),
                },
                None => None,
            };
            grid.put_cell(r, c, &value, format.as_ref(), formula, full_calc, text);
        }
        grid.index_merges().map_err(|e| e.in_sheet(&name))?;
        grids.push(grid);
    }
    Ok(grids)
}

/// The formulas of a sheet by position (calamine's `next_formula`: shared formulas expanded),
/// at most [`guard::MAX_CELLS`] of them and [`guard::MAX_TEXT_BYTES`] of text.
fn formulas_of(wb: &mut Xlsx<Cursor<&[u8]>>, name: &str) -> Result<HashMap<(u32, u32), String>> {
    let mut out = HashMap::new();
    let mut rdr = match wb.worksheet_cells_reader(name) {
        Ok(r) => r,
        Err(XlsxError::NotAWorksheet(_)) => return Ok(out),
        Err(e) => return Err(map_err(e).in_sheet(name)),
    };
    let mut bytes = 0usize;
    while let Some(cell) = rdr.next_formula().map_err(|e| map_err(e).in_sheet(name))? {
        let formula = cell.get_value();
        if formula.is_empty() {
            continue;
        }
        bytes += formula.len();
        if out.len() >= guard::MAX_CELLS || bytes > guard::MAX_TEXT_BYTES {
            return Err(guard::too_large(
                Msg::new("数式", "the formulas"),
                Msg::new(format!("{} 個", guard::MAX_CELLS), guard::MAX_CELLS.to_string()),
            )
            .in_sheet(name));
        }
        out.insert(cell.get_position(), formula.clone());
    }
    Ok(out)
}

/// A merged area: first and last (row, column), from 0.
pub(super) type Area = ((u32, u32), (u32, u32));

/// `mergeCells`, the name looked for in the raw bytes.
const NEEDLE: &[u8] = b"mergeCells";

/// Longest namespace prefix looked back over before `mergeCells` (`x:` is 2 bytes).
const MAX_PREFIX: usize = 32;

/// A `<mergeCell ref="A1:XFD1048576"/>` is under 40 bytes; a generous bound on the element.
const MAX_ELEMENT: usize = guard::MAX_MERGES.saturating_mul(64);

/// The merged areas of the worksheet `part`, read from the `<mergeCells>` element alone,
/// inflating the part in chunks. `None` when anything is unusual (the part cannot be read, the
/// element is huge, a `ref` does not parse): calamine then reads the merges the usual way, and
/// reports what it reports. Gives what [`merges_in`] gives on the whole part, however the
/// inflater cuts it into chunks. Also says, from the same bytes, whether the part may hold a
/// formula (an end tag `</f>` or `</x:f>` before `<mergeCells>`); `true` when not known.
fn merges(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, part: &str) -> (Option<Vec<Area>>, bool) {
    let Ok(f) = zip.by_name(part) else { return (None, true) };
    let mut formulas = false;
    let merges = merges_from(f, 8 * 1024, &mut formulas);
    let unknown = merges.is_none();
    (merges, formulas || unknown)
}

/// [`merges`] over any reader, `chunk` bytes at a time.
fn merges_from(mut f: impl Read, chunk: usize, formulas: &mut bool) -> Option<Vec<Area>> {
    let mut chunk = vec![0u8; chunk.max(1)];
    // Bytes not yet searched, plus enough of the previous chunk for a needle that straddles
    // two chunks, its prefix and the `<` before it.
    let keep = NEEDLE.len() + MAX_PREFIX + 2;
    let mut window: Vec<u8> = Vec::with_capacity(chunk.len() + keep);
    let mut element: Option<Vec<u8>> = None;
    loop {
        let n = match f.read(&mut chunk) {
            Ok(n) => n,
            Err(_) => return None,
        };
        let data = chunk.get(..n).unwrap_or_default();
        match element.as_mut() {
            Some(el) => el.extend_from_slice(data),
            None => {
                window.extend_from_slice(data);
                if !*formulas {
                    *formulas = memchr::memmem::find(&window, b"</f>").is_some()
                        || memchr::memmem::find(&window, b":f>").is_some();
                }
                match find_merge_cells(&window) {
                    Some(at) => element = Some(window.split_off(at)),
                    None => {
                        let drop = window.len().saturating_sub(keep);
                        window.drain(..drop);
                    }
                }
            }
        }
        if let Some(el) = element.as_mut() {
            if let Some(end) = element_end(el) {
                el.truncate(end);
                break;
            }
            if el.len() > MAX_ELEMENT {
                return None;
            }
        }
        if n == 0 {
            break;
        }
    }
    let Some(el) = element else { return Some(Vec::new()) };
    if el.len() > MAX_ELEMENT {
        return None;
    }
    parse_merge_cells(&el)
}

/// [`merges`] over a part already inflated whole.
pub(super) fn merges_in(xml: &[u8]) -> Option<Vec<Area>> {
    let Some(at) = find_merge_cells(xml) else { return Some(Vec::new()) };
    let el = xml.get(at..)?;
    let el = match element_end(el) {
        Some(end) => el.get(..end)?,
        None => el,
    };
    if el.len() > MAX_ELEMENT {
        return None;
    }
    parse_merge_cells(el)
}

/// Where `<mergeCells` or `<prefix:mergeCells` starts in `xml`: the first `mergeCells` followed
/// by a space, `>` or `/` (not `mergeCell `, one area), with a `<` and at most [`MAX_PREFIX`]
/// name characters before it. An occurrence whose next byte is not in `xml` yet is passed over
/// (the chunked reading sees it again with more bytes).
pub(super) fn find_merge_cells(xml: &[u8]) -> Option<usize> {
    memchr::memmem::find_iter(xml, NEEDLE).find_map(|at| {
        let after = *xml.get(at + NEEDLE.len())?;
        if !matches!(after, b' ' | b'>' | b'/' | b'\t' | b'\r' | b'\n') {
            return None;
        }
        let from = at.saturating_sub(MAX_PREFIX + 1);
        let lt = from + xml.get(from..at)?.iter().rposition(|&b| b == b'<')?;
        let between = xml.get(lt + 1..at)?;
        between.iter().all(|&b| b.is_ascii_alphanumeric() || b == b':' || b == b'_' || b == b'-').then_some(lt)
    })
}

/// Where the element that starts `el` ends (after the `/>` of an empty element, or after the
/// first `mergeCells>` past its start tag), if that is in `el` yet.
fn element_end(el: &[u8]) -> Option<usize> {
    let gt = el.iter().position(|&b| b == b'>')?;
    if gt > 0 && el.get(gt - 1) == Some(&b'/') {
        return Some(gt + 1);
    }
    let close = b"mergeCells>";
    memchr::memmem::find(el.get(gt..)?, close).map(|k| gt + k + close.len())
}

/// The `ref` of every `<mergeCell>` in the `<mergeCells>` element `el`, as calamine reads them.
pub(super) fn parse_merge_cells(el: &[u8]) -> Option<Vec<Area>> {
    use quick_xml::events::Event;
    let mut r = quick_xml::Reader::from_reader(el);
    let mut out = Vec::new();
    loop {
        match r.read_event().ok()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "mergeCell" => {
                for a in e.attributes() {
                    let a = a.ok()?;
                    if a.key.local_name().as_ref() != "ref" {
                        continue;
                    }
                    let v = a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok()?;
                    let (a, b) = v.split_once(':').unwrap_or((&v, &v));
                    let (a, b) = (CellRef::parse(a)?, CellRef::parse(b)?);
                    out.push(((a.row, a.col), (b.row, b.col)));
                    if out.len() > guard::MAX_MERGES {
                        return Some(out);
                    }
                }
            }
            Event::End(e) if e.local_name().as_ref() == "mergeCells" => break,
            Event::Eof => break,
            _ => {}
        }
    }
    Some(out)
}

fn map_err(e: XlsxError) -> Error {
    match e {
        XlsxError::Password => Error::new(ErrorKind::Encrypted),
        XlsxError::FileNotFound(part) => guard::not_a_workbook(Msg::new(
            format!("zip ファイルですが {part} がなく、Excel のブックではありません"),
            format!("the zip has no {part}; it is not an Excel workbook"),
        )),
        XlsxError::Zip(z) => guard::corrupt(format!("zip: {z}")),
        other => guard::corrupt(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What calamine reads as the merged areas of every sheet, in sheet order.
    fn calamine_merges(bytes: &[u8]) -> Vec<Vec<Area>> {
        let mut wb = Xlsx::new(Cursor::new(bytes)).unwrap();
        wb.sheet_names()
            .iter()
            .map(|n| wb.merge_cells_by_sheet_name(n).unwrap().into_iter().map(|d| (d.start, d.end)).collect())
            .collect()
    }

    #[test]
    fn merges_are_read_as_calamine_reads_them() {
        let bytes = crate::write::workbook_bytes(&crate::rules::testing::seed()).unwrap();
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes.as_slice())).unwrap();
        let parts: Vec<String> =
            super::super::xlsx_fast::sheet_entries(&bytes).unwrap().into_iter().flatten().collect();
        let ours: Vec<Vec<Area>> = parts.iter().map(|p| merges(&mut zip, p).0.unwrap()).collect();
        let theirs = calamine_merges(&bytes);
        assert_eq!(ours.len(), 6);
        assert!(ours.iter().all(|m| m.len() > 10), "every goal sheet has merged areas");
        assert_eq!(ours, theirs);
    }

    #[test]
    fn the_element_is_found_with_a_prefix_and_not_confused_with_one_merge() {
        assert_eq!(find_merge_cells(b"<sheetData/><mergeCells count=\"1\">"), Some(12));
        assert_eq!(find_merge_cells(b"<x:mergeCells>"), Some(0));
        assert_eq!(find_merge_cells(b"<mergeCell ref=\"A1:B2\"/>"), None);
        assert_eq!(find_merge_cells(b"<c><v>mergeCells </v></c>"), None, "text, not a tag");
        assert_eq!(element_end(b"<mergeCells count=\"1\"><mergeCell ref=\"A1:B2\"/></mergeCells>tail"), Some(59));
        assert_eq!(element_end(b"<mergeCells/>"), Some(13));
        assert_eq!(element_end(b"<mergeCells count=\"1\"><mergeCell ref=\"A1:B2\"/>"), None);
        let el = b"<x:mergeCells count=\"2\"><x:mergeCell ref=\"A1:B2\"/><x:mergeCell ref=\"$C$3:D9\"/></x:mergeCells>";
        assert_eq!(parse_merge_cells(el), Some(vec![((0, 0), (1, 1)), ((2, 2), (8, 3))]));
        assert_eq!(parse_merge_cells(b"<mergeCells><mergeCell ref=\"junk\"/></mergeCells>"), None, "left to calamine");
    }

    /// The chunked reading gives what the whole-part reading gives, wherever the chunks end.
    #[test]
    fn merges_do_not_depend_on_chunk_boundaries() {
        let cases: [&[u8]; 8] = [
            b"<sheetData/><mergeCells count=\"2\"><mergeCell ref=\"A1:B2\"/><mergeCell ref=\"C3:D4\"/></mergeCells></worksheet>",
            b"<x:sheetData/><x:mergeCells><x:mergeCell ref=\"A1:B2\"/></x:mergeCells><x:mergeCells><x:mergeCell ref=\"E5:F6\"/></x:mergeCells>",
            b"<a/><longprefix_abcdefghijklmnop:mergeCells><longprefix_abcdefghijklmnop:mergeCell ref=\"A1:A3\"/></longprefix_abcdefghijklmnop:mergeCells>",
            b"<a/><prefix_longer_than_thirty_two_bytes_x:mergeCells><m:mergeCell ref=\"A1:A3\"/></m:mergeCells>",
            b"<mergeCells><mergeCell ref=\"A1:B2\"/>",
            b"<mergeCells/><mergeCells><mergeCell ref=\"A1:B2\"/></mergeCells>",
            b"<c><v>mergeCells </v></c><mergeCells count=\"1\"><mergeCell ref=\"B2:C3\"/></mergeCells>",
            b"no merges here at all, mergeCell mergeCells",
        ];
        for xml in cases {
            let whole = merges_in(xml);
            for chunk in 1..=xml.len() + 1 {
                let mut formulas = false;
                let got = merges_from(xml, chunk, &mut formulas);
                assert_eq!(got, whole, "{} in chunks of {chunk}", String::from_utf8_lossy(xml));
            }
        }
    }
}
