//! The corrected workbook `goalsheet fix` writes: what a department office can send back.
//!
//! - Each goal sheet in the official layout with the fixed values ([`write_sheet`]).
//! - Cells with findings that remain are filled (errors light red, warnings light yellow) and
//!   carry a note with the messages; cells `fix` changed are filled light green and their note
//!   says what was there before. Fills are added to the layout's own formats, so fonts and
//!   borders stay.
//! - 修正履歴: a legend of the colours, then every change (sheet, cell, rule code, before,
//!   after, 安全/要確認, what was done); an unsafe change's row has the colour of its cell.
//!   The change log of a workbook fixed before is kept and continued, so fixing a corrected
//!   workbook again changes nothing.
//! - 検証結果: the remaining findings ([`write_finding_rows`]).
//! - Nothing of the input is lost: sheets that are not goal sheets are copied; cells outside
//!   the layout ([`Sheet::extras`]) go back to their address when that address is outside
//!   everything the layout writes, otherwise onto the sheet 元の位置の値, which names each
//!   value's original sheet and address.
//!
//! Headers of the added sheets are Japanese, as in the official workbook; messages follow the
//! chosen language. The same input gives the same bytes.

use super::{log, Fixed};
use crate::error::{Error, Result};
use crate::grammar::date::parse_date;
use crate::lang::Lang;
use crate::model::{Field, RawSheet, Sheet};
use crate::write::findings_sheet::{
    write_finding_rows, WrittenSheet, FINDINGS_HEADERS, FINDINGS_HEADERS_EN, FINDINGS_SHEET_NAME,
};
use crate::write::table::{notes_by_cell, write_extras, write_moved_sheet, write_table};
use crate::write::{lines_needed, new_workbook, sheet_name, write_raw_sheet, write_sheet, Styles};
use rust_xlsxwriter::{Color, Format, Worksheet};
use std::collections::{BTreeMap, HashSet};

pub use crate::write::table::{MovedValue, MOVED_HEADERS, MOVED_HEADERS_EN, MOVED_SHEET_NAME};

pub use super::log::{
    ChangeRow, CHANGED_FILL_RGB, CHANGES_HEADERS, CHANGES_HEADERS_EN, CHANGES_SHEET_NAME, CHANGES_WIDTHS,
    ERROR_FILL_RGB, UNSAFE_CHANGE_FILL_RGB, WARNING_FILL_RGB,
};

/// The corrected workbook and what went where.
#[derive(Debug, Clone)]
pub struct Corrected {
    /// The .xlsx file.
    pub bytes: Vec<u8>,
    /// Each goal sheet's name in the workbook and where its values went (same order as the
    /// document's sheets).
    pub written: Vec<WrittenSheet>,
    /// This run's rows of 修正履歴 (without rows kept from an earlier run).
    pub changes: Vec<ChangeRow>,
    /// Values moved to 元の位置の値.
    pub moved: Vec<MovedValue>,
}

/// Builds the corrected workbook of `fixed` (the result of [`super::fix_document`] on the
/// document read from `file`, the name shown in 修正履歴 and 検証結果).
pub fn corrected_workbook(file: &str, fixed: &Fixed, lang: Lang) -> Result<Corrected> {
    let doc = &fixed.document;
    let styles = Styles::new();
    let mut wb = new_workbook()?;

    // A workbook fixed before holds our own sheets: continue its change log, regenerate its
    // findings; every other sheet is copied.
    let mut earlier_changes = Vec::new();
    let mut kept = Vec::new();
    for raw in &doc.other_sheets {
        if log::may_be_own_sheet(&raw.name, CHANGES_SHEET_NAME) {
            if let Some(rows) = table_rows(raw, &[&CHANGES_HEADERS, &CHANGES_HEADERS_EN]) {
                earlier_changes = rows;
                continue;
            }
        }
        if log::may_be_own_sheet(&raw.name, FINDINGS_SHEET_NAME)
            && table_rows(raw, &[&FINDINGS_HEADERS, &FINDINGS_HEADERS_EN]).is_some()
        {
            continue;
        }
        kept.push(raw);
    }

    // The division's sheets keep their names; ours come last, `修正履歴 (2)` beside a 修正履歴
    // of the division's own, as when a workbook is patched.
    let mut used: HashSet<String> = HashSet::new();
    let mut written = Vec::new();
    let mut moved = Vec::new();
    for (i, sheet) in doc.sheets.iter().enumerate() {
        let source = if sheet.sheet.trim().is_empty() { &sheet.division } else { &sheet.sheet };
        let name = sheet_name(source, &mut used);
        let ws = wb.add_worksheet();
        ws.set_name(&name).map_err(|e| Error::from(e).in_sheet(&name))?;
        let placed = write_sheet(ws, sheet, &styles).map_err(|e| e.in_sheet(&name))?;
        let in_place = write_extras(ws, sheet, &placed, &styles).map_err(|e| e.in_sheet(&name))?;
        moved.extend(in_place);
        // The division's own notes go with their values, the fix's after them on one cell.
        let (own_notes, notes_moved) = notes_by_cell(sheet, &placed, lang);
        moved.extend(notes_moved);
        written.push(WrittenSheet { name: name.clone(), placed: placed.clone() });
        mark_cells(ws, i, sheet, fixed, &written, own_notes, &styles, lang).map_err(|e| e.in_sheet(&name))?;
    }
    for raw in kept {
        let name = sheet_name(&raw.name, &mut used);
        let ws = wb.add_worksheet();
        ws.set_name(&name).map_err(|e| Error::from(e).in_sheet(&name))?;
        write_raw_sheet(ws, raw, &styles).map_err(|e| e.in_sheet(&name))?;
    }
    write_moved_sheet(&mut wb, &mut used, &moved, lang, &styles)?;

    let mut changes = change_rows(file, fixed, &written, lang);
    // Said first: everything else in the log is about cells of this new workbook.
    if let Some(ext) = rewritten_extension(file) {
        changes.insert(0, log::file_row(file, log::REWRITTEN_CODE, &log::rewritten_message(&ext), lang));
    }
    let ws = wb.add_worksheet();
    ws.set_name(sheet_name(CHANGES_SHEET_NAME, &mut used))?;
    let mut rows = earlier_changes;
    rows.extend(changes.iter().map(|c| c.0.to_vec()));
    let none = lang.pick("修正した箇所はありません。", "Nothing was changed.");
    let legend = (log::legend_title(lang), log::legend(log::FlaggedLook::Filled, lang));
    let headers = log::changes_headers(lang);
    write_table(ws, &headers, &CHANGES_WIDTHS, Some(legend), &rows, none, log::row_fill, &styles)?;

    let ws = wb.add_worksheet();
    ws.set_name(sheet_name(FINDINGS_SHEET_NAME, &mut used))?;
    // As the patch lists them: a fix held says why in "what to do".
    let rows = log::finding_rows(file, fixed, &written, lang);
    write_finding_rows(ws, &rows, fixed.remaining.len(), lang, &styles)?;

    let bytes = wb.save_to_buffer()?;
    Ok(Corrected { bytes, written, changes, moved })
}

/// The extension of a file that cannot be patched in place (so [`corrected_workbook`] rewrites
/// it): anything but .xlsx and .xlsm.
pub fn rewritten_extension(file: &str) -> Option<String> {
    let ext = std::path::Path::new(file).extension()?.to_string_lossy().to_ascii_lowercase();
    (!matches!(ext.as_str(), "xlsx" | "xlsm")).then_some(ext)
}

/// The rows of 修正履歴 for this run's changes, as written by [`corrected_workbook`].
pub fn change_rows(file: &str, fixed: &Fixed, written: &[WrittenSheet], lang: Lang) -> Vec<ChangeRow> {
    log::change_rows(file, fixed, &log::Rewritten(written), lang)
}

/// Fills and notes the cells with remaining findings and the cells changed; writes the
/// division's own notes (`own_notes`, by the cell their value went to), a cell's own note
/// first when the fix notes it too.
#[allow(clippy::too_many_arguments)]
fn mark_cells(
    ws: &mut Worksheet,
    index: usize,
    sheet: &Sheet,
    fixed: &Fixed,
    written: &[WrittenSheet],
    mut own_notes: BTreeMap<crate::address::CellRef, String>,
    styles: &Styles,
    lang: Lang,
) -> Result<()> {
    let Some(placed) = written.get(index).map(|w| &w.placed) else { return Ok(()) };
    for (cell, mark) in log::marks(fixed, index, &log::Rewritten(written), lang) {
        let Some(field) = mark.field else { continue };
        let col = col16(cell.col)?;
        if let Some(rgb) = mark.fill() {
            let mut format = base_format_of(styles, sheet, field).clone().set_background_color(Color::RGB(rgb));
            // Text struck through as a whole keeps its line (GS705 is said of it).
            if placed.struck.contains(&cell) {
                format = format.set_font_strikethrough();
            }
            // A number keeps the format it shows through (`0.0%`, `;;;`).
            if let Some(code) = placed.number_formats.get(&cell) {
                format = format.set_num_format(code);
            }
            match placed.merge_at(cell) {
                Some(range) => {
                    ws.set_range_format(range.start.row, col, range.end.row, col16(range.end.col)?, &format)?;
                }
                None => {
                    ws.set_cell_format(cell.row, col, &format)?;
                }
            }
        }
        let own = own_notes.remove(&cell);
        let text = match &own {
            Some(own) => format!("{own}\n\n{}", mark.text()),
            None => mark.text(),
        };
        let own_lines = own.as_deref().map_or(0, |o| lines_needed(o, 40.0) + 1);
        let lines: u32 = mark.lines.iter().map(|l| lines_needed(l, 40.0)).sum::<u32>() + own_lines;
        let height = (24 + 16 * lines).clamp(60, 400);
        ws.insert_note(cell.row, col, &Styles::note(&text).set_height(height))?;
    }
    for (at, text) in own_notes {
        ws.insert_note(at.row, col16(at.col)?, &Styles::note(&text))?;
    }
    Ok(())
}

/// The format [`write_sheet`] gave a field's cell.
fn base_format_of<'a>(styles: &'a Styles, sheet: &Sheet, field: Field) -> &'a Format {
    match field {
        Field::TargetLabel | Field::ResultLabel => &styles.label,
        Field::Created | Field::Evaluated => match parse_date(sheet.field(field).unwrap_or_default()) {
            Ok(p) => styles.date(p.style),
            Err(_) => &styles.date_short,
        },
        f => styles.for_field(f),
    }
}

/// The data rows of a table sheet written by this module (or by the findings sheet), if one
/// of its rows is exactly `headers` (the rows above it are the colour legend, or nothing); rows
/// with fewer than two values (the "nothing" line) are left out.
pub(crate) fn table_rows(raw: &RawSheet, header_sets: &[&[&str]]) -> Option<Vec<Vec<String>>> {
    let mut grid: BTreeMap<u32, BTreeMap<u32, &str>> = BTreeMap::new();
    for c in &raw.cells {
        grid.entry(c.cell.row).or_default().insert(c.cell.col, &c.text);
    }
    // Every set has the same width (the same columns in two languages).
    let headers = header_sets.first()?;
    let width = u32::try_from(headers.len()).ok()?;
    let is_header = |head: &BTreeMap<u32, &str>| {
        head.keys().copied().eq(0..width) && header_sets.iter().any(|h| head.values().copied().eq(h.iter().copied()))
    };
    let mut rows = grid.into_iter().skip_while(|(_, head)| !is_header(head));
    rows.next()?;
    Some(
        rows.filter(|(_, cols)| cols.len() >= 2)
            .map(|(_, cols)| {
                (0..headers.len())
                    .map(|c| {
                        u32::try_from(c).ok().and_then(|c| cols.get(&c)).map(|s| s.to_string()).unwrap_or_default()
                    })
                    .collect()
            })
            .collect(),
    )
}

/// The colour legend (its title and lines), when a table has one above its header, then a
/// blank row, as [`table_rows`] reads it back.
fn col16(c: u32) -> Result<u16> {
    u16::try_from(c).map_err(|_| Error::from(rust_xlsxwriter::XlsxError::RowColumnLimitError))
}
