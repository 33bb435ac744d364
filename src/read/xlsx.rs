//! .xlsx / .xlsm → grids, streaming.
//!
//! `worksheet_range` is never called: it allocates the dense bounding box of whatever cell
//! positions the XML claims. Cells are streamed with `worksheet_cells_reader` under the budgets
//! of [`super::guard`], each with its style's number format so that `0.8` under `0%` reads
//! `80%`. The zip itself was checked by [`super::guard::check_zip`] before calamine opened it.

use super::grid::{cell_text, Grid};
use super::guard::{self, BoundingBox};
use crate::error::{Error, ErrorKind, Result};
use crate::lang::Msg;
use calamine::{Data, Reader, Xlsx, XlsxError};
use std::io::Cursor;

/// Reads every worksheet of an (already checked) xlsx.
pub fn grids(bytes: &[u8]) -> Result<Vec<Grid>> {
    let mut wb = Xlsx::new(Cursor::new(bytes)).map_err(map_err)?;
    let names = wb.sheet_names();
    let mut grids = Vec::new();
    let mut cells_total = 0usize;
    let mut text_total = 0usize;
    for name in names {
        let merges = match wb.merge_cells_by_sheet_name(&name) {
            Ok(m) => m,
            Err(XlsxError::NotAWorksheet(_)) => continue,
            Err(e) => return Err(map_err(e).in_sheet(&name)),
        };
        if merges.len() > guard::MAX_MERGES {
            return Err(guard::too_large(format!("{} merged areas", merges.len()), guard::MAX_MERGES.to_string())
                .in_sheet(&name));
        }
        let mut grid = Grid::new(&name);
        for m in merges {
            grid.add_merge(m.start, m.end);
        }
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
            if matches!(value, Data::Empty) {
                continue;
            }
            bbox.add(r, c).map_err(|e| e.in_sheet(&name))?;
            cells_total += 1;
            if cells_total > guard::MAX_CELLS {
                return Err(guard::too_large(
                    format!("more than {} cells with values", guard::MAX_CELLS),
                    guard::MAX_CELLS.to_string(),
                )
                .in_sheet(&name));
            }
            let format = rdr.styles().get(style).and_then(|s| s.number_format.as_ref()).map(|n| n.format_code.as_str());
            let text = cell_text(&value, format);
            text_total += text.len();
            if text_total > guard::MAX_TEXT_BYTES {
                return Err(
                    guard::too_large("the cell texts", guard::mib(guard::MAX_TEXT_BYTES as u64)).in_sheet(&name)
                );
            }
            grid.put_value(r, c, &value, text);
        }
        grid.index_merges().map_err(|e| e.in_sheet(&name))?;
        grids.push(grid);
    }
    Ok(grids)
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
