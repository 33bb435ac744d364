//! .ods → grids: a streaming pre-scan of `content.xml`, then calamine.
//!
//! calamine reads every ODS sheet eagerly and expands repeat counts
//! (`table:number-columns-repeated`, `table:number-rows-repeated`) into dense rows, with a
//! limit of 100 million cells (several GB), and expands `<text:s text:c="…"/>` into that many
//! spaces with no limit at all. The pre-scan walks the XML once with quick-xml, without
//! keeping it, and computes what calamine would materialise; it also collects what calamine
//! does not expose for ODS: merged areas (`number-columns-spanned` / `number-rows-spanned`)
//! and the text LibreOffice displays for numbers (`80%`, `1,700`, dates), which is what the
//! sheet's author saw.

use super::grid::{cell_text, Grid};
use super::guard;
use crate::error::{Error, ErrorKind, Result};
use crate::lang::Msg;
use calamine::{Ods, OdsError, Reader};
use quick_xml::events::{BytesStart, Event};
use std::collections::BTreeMap;
use std::io::{BufReader, Cursor, Read};

/// Most spaces `<text:s text:c=…>` may add over the whole document.
const MAX_SPACES: u64 = 1_000_000;

/// What the pre-scan learned about one table.
#[derive(Debug, Default)]
struct TableScan {
    merges: Vec<((u32, u32), (u32, u32))>,
    /// Displayed text of non-string cells.
    display: BTreeMap<(u32, u32), String>,
}

/// Reads every sheet of an (already zip-checked) .ods.
pub fn grids(bytes: &[u8]) -> Result<Vec<Grid>> {
    let scans = prescan(bytes)?;
    let mut wb = Ods::new(Cursor::new(bytes)).map_err(map_err)?;
    let hidden = super::grid::hidden_sheet_names(wb.sheets_metadata());
    let mut grids = Vec::new();
    for (i, name) in wb.sheet_names().into_iter().enumerate() {
        let range = wb.worksheet_range(&name).map_err(|e| map_err(e).in_sheet(&name))?;
        let scan = scans.get(i);
        let mut grid = Grid::new(&name);
        grid.hidden = hidden.contains(&name);
        let (r0, c0) = range.start().unwrap_or((0, 0));
        for (r, c, v) in range.used_cells() {
            let (r, c) = (r0 + r as u32, c0 + c as u32);
            let shown = scan.and_then(|s| s.display.get(&(r, c)));
            let text = match (v, shown) {
                (calamine::Data::String(_), _) | (_, None) => cell_text(v, None, false),
                (_, Some(shown)) => shown.clone(),
            };
            // Formulas are not carried over: .ods stores them in OpenFormula syntax (`of:=…`),
            // which a writer could not put back into an .xlsx as is.
            grid.put_value(r, c, v, None, text);
        }
        if let Some(s) = scan {
            for &(a, b) in &s.merges {
                grid.add_merge(a, b);
            }
        }
        grid.index_merges().map_err(|e| e.in_sheet(&name))?;
        grids.push(grid);
    }
    Ok(grids)
}

fn map_err(e: OdsError) -> Error {
    match e {
        OdsError::Password => Error::new(ErrorKind::EncryptedOds),
        OdsError::CellLimitExceeded { requested, max } => guard::too_large(
            Msg::new(format!("{requested} セル"), format!("{requested} cells")),
            Msg::new(format!("{max} セル"), max.to_string()),
        ),
        other => guard::corrupt(other.to_string()),
    }
}

fn attr_u64(e: &BytesStart<'_>, name: &str) -> Option<u64> {
    let a = e.try_get_attribute(name).ok()??;
    let v = a.value.trim().to_string();
    Some(v.parse().unwrap_or(u64::MAX))
}

fn attr_str(e: &BytesStart<'_>, name: &str) -> Option<String> {
    let a = e.try_get_attribute(name).ok()??;
    Some(a.value.into_owned())
}

/// Walks `content.xml` once: enforces the area and space limits, collects merges and
/// displayed texts per table.
fn prescan(bytes: &[u8]) -> Result<Vec<TableScan>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| guard::corrupt(format!("zip: {e}")))?;
    let file = zip.by_name("content.xml").map_err(|_| guard::not_a_workbook(no_content()))?;
    if file.encrypted() {
        return Err(Error::new(ErrorKind::EncryptedOds));
    }
    let mut manifest_encrypted = false;
    drop(file);
    if let Ok(mut m) = zip.by_name("META-INF/manifest.xml") {
        let mut s = String::new();
        let _ = m.by_ref().take(guard::MAX_LOADED_PART_BYTES).read_to_string(&mut s);
        manifest_encrypted = s.contains("encryption-data");
    }
    if manifest_encrypted {
        return Err(Error::new(ErrorKind::EncryptedOds));
    }
    let file = zip.by_name("content.xml").map_err(|_| guard::not_a_workbook(no_content()))?;
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(file.take(guard::MAX_LOADED_PART_BYTES)));
    let mut buf = Vec::new();
    let mut tables: Vec<TableScan> = Vec::new();
    let mut spaces: u64 = 0;
    let mut total_area: u64 = 0;
    // Per-table state.
    let mut depth_table = 0usize;
    let mut row: u64 = 0;
    let mut col: u64 = 0;
    let mut row_repeat: u64 = 1;
    let mut row_has_value = false;
    let mut row_last_col: u64 = 0;
    let mut first_row: Option<u64> = None;
    let mut last_row: u64 = 0;
    let mut min_col: u64 = u64::MAX;
    let mut max_col: u64 = 0;
    let mut stored: u64 = 0;
    // Current cell.
    let mut cell_display: Option<(u64, u64, String)> = None;
    let mut in_p = 0usize;
    let mut p_count = 0usize;
    loop {
        buf.clear();
        let ev = reader.read_event_into(&mut buf).map_err(|e| guard::corrupt(format!("content.xml: {e}")))?;
        let (e, empty) = match &ev {
            Event::Start(e) => (Some(e.clone()), false),
            Event::Empty(e) => (Some(e.clone()), true),
            _ => (None, false),
        };
        if let Some(e) = e {
            match e.name().as_ref() {
                "table:table" if !empty => {
                    depth_table += 1;
                    if depth_table == 1 {
                        tables.push(TableScan::default());
                        row = 0;
                        first_row = None;
                        last_row = 0;
                        min_col = u64::MAX;
                        max_col = 0;
                        stored = 0;
                    }
                }
                "table:table-row" if depth_table == 1 => {
                    row_repeat = attr_u64(&e, "table:number-rows-repeated").unwrap_or(1).max(1);
                    col = 0;
                    row_has_value = false;
                    row_last_col = 0;
                    if empty {
                        row = row.saturating_add(row_repeat);
                    }
                }
                "table:table-cell" | "table:covered-table-cell" if depth_table == 1 => {
                    let rep = attr_u64(&e, "table:number-columns-repeated").unwrap_or(1).max(1);
                    let value_type = attr_str(&e, "office:value-type");
                    let has_value = value_type.is_some() || attr_str(&e, "table:formula").is_some() || !empty;
                    let cs = attr_u64(&e, "table:number-columns-spanned").unwrap_or(1);
                    let rs = attr_u64(&e, "table:number-rows-spanned").unwrap_or(1);
                    if (cs > 1 || rs > 1) && e.name().as_ref() == "table:table-cell" {
                        if let Some(t) = tables.last_mut() {
                            if t.merges.len() >= guard::MAX_MERGES {
                                return Err(guard::too_large(
                                    Msg::new("結合セルの数", "merged areas"),
                                    guard::MAX_MERGES.to_string(),
                                ));
                            }
                            let end_r = row.saturating_add(rs - 1).min(u32::MAX as u64) as u32;
                            let end_c = col.saturating_add(cs - 1).min(u32::MAX as u64) as u32;
                            t.merges.push(((row as u32, col as u32), (end_r, end_c)));
                        }
                    }
                    if has_value {
                        row_has_value = true;
                        let end = col.saturating_add(rep);
                        row_last_col = end;
                        min_col = min_col.min(col);
                        max_col = max_col.max(end - 1);
                        if matches!(value_type.as_deref(), Some(t) if t != "string") && !empty {
                            cell_display = Some((row, col, String::new()));
                            p_count = 0;
                        }
                    }
                    col = col.saturating_add(rep);
                }
                "text:p" if cell_display.is_some() && !empty => {
                    in_p += 1;
                    p_count += 1;
                    if p_count > 1 {
                        if let Some((_, _, s)) = cell_display.as_mut() {
                            s.push('\n');
                        }
                    }
                }
                "text:s" => {
                    spaces = spaces.saturating_add(attr_u64(&e, "text:c").unwrap_or(1));
                    if spaces > MAX_SPACES {
                        return Err(guard::corrupt("content.xml repeats spaces (text:s) far beyond any real sheet"));
                    }
                    if let (Some((_, _, s)), true) = (cell_display.as_mut(), in_p > 0) {
                        s.push(' ');
                    }
                }
                _ => {}
            }
        }
        match ev {
            Event::Text(t) if in_p > 0 => {
                if let Some((_, _, s)) = cell_display.as_mut() {
                    s.push_str(&t.xml10_content());
                }
            }
            Event::End(e) => match e.name().as_ref() {
                "text:p" => in_p = in_p.saturating_sub(1),
                "table:table-cell" => {
                    if let (Some((r, c, s)), Some(t)) = (cell_display.take(), tables.last_mut()) {
                        if r <= u32::MAX as u64 && c <= u32::MAX as u64 && !s.is_empty() {
                            t.display.insert((r as u32, c as u32), s);
                        }
                    }
                }
                "table:table-row" if depth_table == 1 => {
                    if row_has_value {
                        first_row.get_or_insert(row);
                        last_row = row.saturating_add(row_repeat - 1);
                        stored = stored.saturating_add(row_last_col.min(crate::address::MAX_COLS as u64));
                    }
                    row = row.saturating_add(row_repeat);
                }
                "table:table" => {
                    if depth_table == 1 {
                        let area = match first_row {
                            Some(f) => (last_row - f + 1).saturating_mul(max_col.saturating_sub(min_col) + 1),
                            None => 0,
                        };
                        if area > guard::MAX_SHEET_AREA || stored > guard::MAX_SHEET_AREA {
                            return Err(guard::too_large(
                                Msg::new(
                                    format!("シートのセルの範囲が {} セル", area.max(stored)),
                                    format!("a sheet whose cells span {} cells", area.max(stored)),
                                ),
                                Msg::new(
                                    format!("1シート {} セル", guard::MAX_SHEET_AREA),
                                    format!("{} cells per sheet", guard::MAX_SHEET_AREA),
                                ),
                            ));
                        }
                        total_area = total_area.saturating_add(area).saturating_add(stored);
                        if total_area > guard::MAX_WORKBOOK_AREA {
                            return Err(guard::too_large(
                                Msg::new(
                                    "シート全体のセルの範囲が広すぎます",
                                    "the sheets' cells span too large an area",
                                ),
                                Msg::new(
                                    format!("1ブック {} セル", guard::MAX_WORKBOOK_AREA),
                                    format!("{} cells per workbook", guard::MAX_WORKBOOK_AREA),
                                ),
                            ));
                        }
                    }
                    depth_table = depth_table.saturating_sub(1);
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(tables)
}

fn no_content() -> Msg {
    Msg::new("content.xml がなく、.ods のブックではありません", "the .ods has no content.xml")
}
