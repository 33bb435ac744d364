//! .xls (BIFF8 in an OLE compound file) → grids, after validating what calamine would trust.
//!
//! calamine's `Xls::new` reads every sheet eagerly, with its own compound-file parser, and
//! allocates from numbers in the file: the `Dimensions` record (`cells.reserve(rows × cols)`)
//! and the bounding box of cell positions (a dense `Range`). A mutated file made it request
//! 15.9 GB and abort. So before calamine sees anything:
//! 1. the container is opened with the `cfb` crate (which validates sector chains), an
//!    encrypted OOXML (`EncryptedPackage`) is recognised, and only the `Workbook` stream is
//!    taken;
//! 2. the BIFF records are walked: `FilePass` means a password; every `BoundSheet8` offset must
//!    lie inside the stream; every cell record's position goes into a bounding box limited by
//!    [`guard::MAX_SHEET_AREA`] (and the sum over sheets by [`guard::MAX_WORKBOOK_AREA`]);
//!    each `Dimensions` record is rewritten to an empty box, so its `reserve` is harmless;
//! 3. a fresh, well-formed compound file holding just that stream is written with `cfb`, and
//!    that is what calamine parses.
//!
//! Number formats and shared strings are read by [`super::biff`] from the same stream, as
//! calamine gives no format codes for .xls and decodes a string cut by `CONTINUE` records in
//! pieces (a surrogate pair cut in two became two U+FFFD).
//!
//! The input itself is capped at [`MAX_XLS_BYTES`]: what remains unbounded in calamine (its
//! shared-string table, the list of `CONTINUE` records) is proportional to the stream size.

use super::grid::{cell_text_with, Grid};
use super::guard::{self, BoundingBox};
use crate::error::{Error, ErrorKind, Result};
use crate::lang::Msg;
use calamine::{Data, Reader, Xls, XlsError};
use std::io::{Cursor, Read, Write};

/// Largest .xls read. calamine holds the stream, its record list and every shared string at
/// once (a 3-byte empty string costs it 24 bytes), so this bounds its memory to well under
/// 256 MB. Real .xls goal sheet workbooks are tens to hundreds of kilobytes.
pub const MAX_XLS_BYTES: u64 = 10 * 1024 * 1024;

/// What an OLE compound file holds.
pub enum Ole {
    /// A BIFF workbook stream, validated and re-wrapped for calamine.
    Workbook(Vec<u8>),
}

/// Opens the compound file and returns a clean copy holding only the validated workbook stream.
pub fn sanitize(bytes: &[u8]) -> Result<Ole> {
    if bytes.len() as u64 > MAX_XLS_BYTES {
        return Err(guard::too_large(
            Msg::new(
                format!(".xls ファイルの大きさ {}", guard::mib(bytes.len() as u64)),
                format!("an .xls of {}", guard::mib(bytes.len() as u64)),
            ),
            Msg::new(
                format!("{}。Excel で .xlsx として保存し直してください", guard::mib(MAX_XLS_BYTES)),
                format!("{} (save it as .xlsx)", guard::mib(MAX_XLS_BYTES)),
            ),
        ));
    }
    let mut cf = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|e| {
        guard::corrupt(Msg::new(
            format!(".xls ファイルの入れ物（OLE 複合ファイル）が壊れています [{e}]"),
            format!("the .xls container (OLE compound file) is damaged [{e}]"),
        ))
    })?;
    if cf.exists("/EncryptedPackage") || cf.exists("/EncryptionInfo") {
        return Err(Error::new(ErrorKind::Encrypted));
    }
    let path = ["/Workbook", "/Book", "/WORKBOOK", "/BOOK"].into_iter().find(|p| cf.is_stream(p));
    let Some(path) = path else {
        let what = if cf.exists("/WordDocument") {
            Msg::new(
                "Word の文書（.doc）です。組織目標管理シートの Excel ファイルを指定してください",
                "a Word document (.doc), not a workbook",
            )
        } else if cf.exists("/PowerPoint Document") {
            Msg::new(
                "PowerPoint のファイル（.ppt）です。組織目標管理シートの Excel ファイルを指定してください",
                "a PowerPoint file (.ppt), not a workbook",
            )
        } else {
            Msg::new(
                "Office のファイルですが、中に Excel のブックがありません",
                "an Office compound file without a workbook stream",
            )
        };
        return Err(guard::not_a_workbook(what));
    };
    let mut stream = Vec::new();
    cf.open_stream(path)
        .and_then(|s| s.take(MAX_XLS_BYTES).read_to_end(&mut stream))
        .map_err(|e| guard::corrupt(format!("the workbook stream cannot be read: {e}")))?;
    validate_biff(&mut stream)?;
    // Version 3 (512-byte sectors), as Excel writes: calamine's own parser rejects a version 4
    // file whose streams are all large enough to live outside the mini stream.
    let mut out = cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new()))
        .map_err(|e| guard::corrupt(format!("cannot re-wrap the workbook: {e}")))?;
    out.create_stream("/Workbook")
        .and_then(|mut s| s.write_all(&stream))
        .and_then(|()| out.flush())
        .map_err(|e| guard::corrupt(format!("cannot re-wrap the workbook: {e}")))?;
    Ok(Ole::Workbook(out.into_inner().into_inner()))
}

/// One BIFF record: type, data range in the stream.
fn records(stream: &[u8], from: usize) -> impl Iterator<Item = (u16, usize, usize)> + '_ {
    let mut pos = from;
    std::iter::from_fn(move || {
        let head = stream.get(pos..pos + 4)?;
        let typ = u16::from_le_bytes([head[0], head[1]]);
        let len = u16::from_le_bytes([head[2], head[3]]) as usize;
        let start = pos + 4;
        let end = (start + len).min(stream.len());
        pos = start + len;
        Some((typ, start, end))
    })
}

fn u16_at(d: &[u8], i: usize) -> Option<u32> {
    d.get(i..i + 2).map(|b| u16::from_le_bytes([b[0], b[1]]) as u32)
}

fn validate_biff(stream: &mut [u8]) -> Result<()> {
    let len = stream.len();
    let mut sheet_offsets = Vec::new();
    for (typ, s, e) in records(stream, 0) {
        let d = &stream[s..e];
        match typ {
            // FilePass: the workbook is encrypted.
            0x002F if u16_at(d, 0).is_some_and(|v| v != 0) => return Err(Error::new(ErrorKind::Encrypted)),
            // BoundSheet8: absolute offset of the sheet's BOF.
            0x0085 => {
                let Some(b) = d.get(0..4) else {
                    return Err(guard::corrupt("a sheet record (BoundSheet8) is truncated"));
                };
                let pos = u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize;
                if pos >= len {
                    return Err(guard::corrupt(format!(
                        "a sheet starts at byte {pos}, past the end of the workbook stream ({len} bytes)"
                    )));
                }
                sheet_offsets.push(pos);
            }
            0x000A => break,
            _ => {}
        }
    }
    let mut total_area: u64 = 0;
    let mut dims = Vec::new();
    for pos in sheet_offsets {
        let mut bbox = BoundingBox::default();
        let mut depth = 0usize;
        let mut seen_bof = false;
        for (typ, s, e) in records(stream, pos) {
            let d = &stream[s..e];
            if depth > 0 {
                match typ {
                    0x0809 => depth += 1,
                    0x000A => depth -= 1,
                    _ => {}
                }
                continue;
            }
            let mut add = |row: Option<u32>, col: Option<u32>| -> Result<()> {
                match (row, col) {
                    (Some(r), Some(c)) => bbox.add(r, c),
                    _ => Ok(()),
                }
            };
            match typ {
                0x0809 => {
                    if seen_bof {
                        depth += 1;
                    } else {
                        seen_bof = true;
                    }
                }
                0x0200 => dims.push((s, e)),
                // Number, Label, RString, BoolErr, Rk, LabelSst, Formula.
                0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => add(u16_at(d, 0), u16_at(d, 2))?,
                // MulRk: row, first column, …, last column.
                0x00BD => {
                    add(u16_at(d, 0), u16_at(d, 2))?;
                    add(u16_at(d, 0), d.len().checked_sub(2).and_then(|i| u16_at(d, i)))?;
                }
                0x000A => break,
                _ => {}
            }
        }
        total_area += bbox.area();
        if total_area > guard::MAX_WORKBOOK_AREA {
            return Err(guard::too_large(
                Msg::new("シート全体のセルの範囲が広すぎます", "the sheets' cells span too large an area"),
                Msg::new(
                    format!("1ブック {} セル", guard::MAX_WORKBOOK_AREA),
                    format!("{} cells per workbook", guard::MAX_WORKBOOK_AREA),
                ),
            ));
        }
    }
    // calamine reserves rows × columns of the Dimensions record; an empty box reserves nothing.
    for (s, e) in dims {
        if let Some(d) = stream.get_mut(s..e) {
            let n = if d.len() >= 14 { 8 } else { d.len().min(4) };
            d[..n].fill(0);
        }
    }
    Ok(())
}

/// Reads every worksheet of a sanitized .xls.
pub fn grids(clean: Vec<u8>) -> Result<Vec<Grid>> {
    // The number formats and whole shared strings calamine does not give (see [`super::biff`]).
    let book = cfb::CompoundFile::open(Cursor::new(clean.as_slice()))
        .ok()
        .and_then(|mut cf| {
            let mut stream = Vec::new();
            cf.open_stream("/Workbook").ok()?.take(MAX_XLS_BYTES).read_to_end(&mut stream).ok()?;
            Some(super::biff::read(&stream))
        })
        .unwrap_or_default();
    // Refused before calamine makes every shared-string cell a copy of its string.
    if book.shared_string_cell_bytes() > guard::MAX_TEXT_BYTES {
        return Err(guard::too_large(guard::cell_texts(), guard::mib(guard::MAX_TEXT_BYTES as u64)));
    }
    let opened = std::panic::catch_unwind(move || Xls::new(Cursor::new(clean)));
    let mut wb = match opened {
        Ok(Ok(wb)) => wb,
        Ok(Err(e)) => return Err(map_err(e)),
        Err(_) => return Err(guard::corrupt("the .xls records are inconsistent")),
    };
    let hidden = super::grid::hidden_sheet_names(wb.sheets_metadata());
    let mut grids = Vec::new();
    for name in wb.sheet_names() {
        let range = match wb.worksheet_range(&name) {
            Ok(r) => r,
            Err(_) => continue,
        };
        let mut grid = Grid::new(&name);
        grid.hidden = hidden.contains(&name);
        grid.hidden_rows = book.hidden_rows(&name);
        grid.hidden_columns = book.hidden_columns(&name);
        grid.notes = book.notes(&name);
        let (r0, c0) = range.start().unwrap_or((0, 0));
        // Formulas in Excel's syntax, by absolute position (calamine decodes the tokens).
        let formulas = wb.worksheet_formula(&name).ok();
        for (r, c, v) in range.used_cells() {
            let (r, c) = (r0 + r as u32, c0 + c as u32);
            let formula = formulas.as_ref().and_then(|f| f.get_value((r, c))).filter(|f| !f.is_empty()).cloned();
            let cell = book.cell(&name, r, c);
            // The shared string decoded whole, where calamine's pieces differ from it.
            let whole = match (v, cell.as_ref().and_then(|c| c.string)) {
                (Data::String(s), Some(w)) if s != w => Some(Data::String(w.to_string())),
                _ => None,
            };
            let v = whole.as_ref().unwrap_or(v);
            let (code, format) = cell.as_ref().map_or((None, None), |c| (c.code, c.format));
            if let Some(cell) = &cell {
                if cell.invisible {
                    grid.invisible.insert((r, c));
                }
                if let Some(runs) = cell.struck {
                    grid.struck.insert((r, c), runs.map(str::to_string));
                }
            }
            grid.put_cell(r, c, v, code, formula, false, cell_text_with(v, format, book.date1904));
        }
        for m in wb.merge_cells_by_sheet_name(&name).unwrap_or_default() {
            grid.add_merge(m.start, m.end);
        }
        grid.index_merges().map_err(|e| e.in_sheet(&name))?;
        grids.push(grid);
    }
    Ok(grids)
}

fn map_err(e: XlsError) -> Error {
    match e {
        XlsError::Password => Error::new(ErrorKind::Encrypted),
        other => guard::corrupt(other.to_string()),
    }
}
