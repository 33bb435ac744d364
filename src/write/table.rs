//! Plain tables goalsheet adds to the workbooks it writes (修正履歴, 元の位置の値), and the values
//! outside the official layout: a rewritten sheet (fix of an .xls, convert, merge) writes them
//! back at their address when that is outside everything the layout writes
//! ([`write_extras`]), and lists the others on 元の位置の値 ([`write_moved_sheet`]), naming
//! each value's original sheet and address, so that nothing of the input is lost.

use super::findings_sheet::placed_cell;
use super::{lines_needed, sheet_name, write_cell, Placed, Styles};
use crate::address::CellRef;
use crate::error::{Error, Result};
use crate::finding::Location;
use crate::lang::Lang;
use crate::layout;
use crate::model::Sheet;
use rust_xlsxwriter::{Color, Workbook, Worksheet};
use std::collections::HashSet;

/// One line of a colour legend above a table (修正履歴's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegendLine {
    /// The swatch's fill (`None`: the cell's own look).
    pub fill: Option<u32>,
    /// Written in the swatch: the colour and what it marks.
    pub label: &'static str,
    /// What it means, next to the swatch.
    pub text: &'static str,
}

/// The sheet for values outside the layout that could not stay at their address.
pub const MOVED_SHEET_NAME: &str = "元の位置の値";
/// Its column headers.
pub const MOVED_HEADERS: [&str; 3] = ["元のシート", "元のセル", "値"];
/// [`MOVED_HEADERS`] in English.
pub const MOVED_HEADERS_EN: [&str; 3] = ["Original sheet", "Original cell", "Value"];
const MOVED_WIDTHS: [f64; 3] = [20.0, 10.0, 60.0];

/// A value outside the layout that could not stay at its address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MovedValue {
    /// The worksheet it was on in the input.
    pub sheet: String,
    pub cell: CellRef,
    pub text: String,
}

/// Writes the extras that fit back at their address (outside the rows and columns the layout
/// wrote); returns the others.
pub fn write_extras(ws: &mut Worksheet, sheet: &Sheet, placed: &Placed, styles: &Styles) -> Result<Vec<MovedValue>> {
    let mut moved = Vec::new();
    let origin = if sheet.sheet.is_empty() { sheet.division.clone() } else { sheet.sheet.clone() };
    for extra in &sheet.extras {
        let c = extra.cell;
        if stays_in_place(c, placed) {
            write_cell(ws, c, &extra.text, extra.typed.as_ref(), &styles.raw)?;
        } else {
            moved.push(MovedValue { sheet: origin.clone(), cell: c, text: extra.text.clone() });
        }
    }
    Ok(moved)
}

/// Writes the sheet's notes ([`Sheet::notes`](crate::model::Sheet::notes)) onto the cells their
/// values went to ([`notes_by_cell`]); returns the notes with no value to follow, for
/// 元の位置の値.
pub fn write_notes(ws: &mut Worksheet, sheet: &Sheet, placed: &Placed, lang: Lang) -> Result<Vec<MovedValue>> {
    let (at_cell, moved) = notes_by_cell(sheet, placed, lang);
    for (at, text) in at_cell {
        let col = u16::try_from(at.col).map_err(|_| Error::from(rust_xlsxwriter::XlsxError::RowColumnLimitError))?;
        ws.insert_note(at.row, col, &Styles::note(&text)).map_err(|e| Error::from(e).at_cell(at))?;
    }
    Ok(moved)
}

/// Where the sheet's notes go in the official layout: a note on a field's cell follows the
/// field to its place, one on a value outside the layout follows the value back to its
/// address (notes meeting on one cell are joined). A note with no value to follow (on a label,
/// or beside a value that went onto 元の位置の値) is returned apart, for 元の位置の値, marked as
/// a note.
pub fn notes_by_cell(
    sheet: &Sheet,
    placed: &Placed,
    lang: Lang,
) -> (std::collections::BTreeMap<CellRef, String>, Vec<MovedValue>) {
    use std::collections::{BTreeMap, HashMap};
    if sheet.notes.is_empty() {
        return (BTreeMap::new(), Vec::new());
    }
    // Where each value read from a cell went.
    let mut to: HashMap<CellRef, CellRef> = HashMap::new();
    for (location, from) in Location::read_from_cells(sheet, 0) {
        if let Some(at) = placed_cell(placed, &location) {
            to.entry(from).or_insert(at);
        }
    }
    for extra in sheet.extras.iter().filter(|x| stays_in_place(x.cell, placed)) {
        to.entry(extra.cell).or_insert(extra.cell);
    }
    let origin = if sheet.sheet.is_empty() { sheet.division.clone() } else { sheet.sheet.clone() };
    let mut at_cell: BTreeMap<CellRef, Vec<&str>> = BTreeMap::new();
    let mut moved = Vec::new();
    for note in &sheet.notes {
        match to.get(&note.cell) {
            Some(&at) => at_cell.entry(at).or_default().push(&note.text),
            None => moved.push(MovedValue {
                sheet: origin.clone(),
                cell: note.cell,
                text: format!("{}{}", lang.pick("［メモ］", "[note] "), note.text),
            }),
        }
    }
    let at_cell =
        at_cell.into_iter().map(|(at, texts)| (at, super::fit_cell(&texts.join("\n")).into_owned())).collect();
    (at_cell, moved)
}

/// Whether a value outside the layout at `cell` goes back to its address: it is outside the
/// rows and columns the layout writes.
fn stays_in_place(cell: CellRef, placed: &Placed) -> bool {
    let inside = cell.row <= placed.legend_row && cell.col < layout::COLUMN_COUNT;
    u16::try_from(cell.col).is_ok() && !inside
}

/// Adds the sheet 元の位置の値 listing `moved`, when there is anything to list.
pub fn write_moved_sheet(
    wb: &mut Workbook,
    used: &mut HashSet<String>,
    moved: &[MovedValue],
    lang: Lang,
    styles: &Styles,
) -> Result<()> {
    if moved.is_empty() {
        return Ok(());
    }
    let name = sheet_name(MOVED_SHEET_NAME, used);
    let ws = wb.add_worksheet();
    ws.set_name(&name).map_err(|e| Error::from(e).in_sheet(&name))?;
    let rows: Vec<Vec<String>> =
        moved.iter().map(|m| vec![m.sheet.clone(), m.cell.to_string(), m.text.clone()]).collect();
    let headers = match lang {
        Lang::Ja => MOVED_HEADERS,
        Lang::En => MOVED_HEADERS_EN,
    };
    write_table(ws, &headers, &MOVED_WIDTHS, None, &rows, "", |_| None, styles)
}

/// A legend: its heading and its lines.
pub type Legend<'a> = (&'a str, Vec<LegendLine>);

/// The legend (if any), a header row, then one row per entry of `rows` (filled with
/// `row_fill` of the row, if that gives a colour); `empty` (when not empty) on the line below
/// the header when there is no row.
#[allow(clippy::too_many_arguments)]
pub fn write_table(
    ws: &mut Worksheet,
    headers: &[&str],
    widths: &[f64],
    legend: Option<Legend<'_>>,
    rows: &[Vec<String>],
    empty: &str,
    row_fill: fn(&[String]) -> Option<u32>,
    styles: &Styles,
) -> Result<()> {
    let mut top: u32 = 0;
    if let Some((title, lines)) = legend {
        ws.write_string_with_format(0, 0, title, &styles.legend.clone().set_bold())?;
        for (r, line) in (1u32..).zip(&lines) {
            // The swatch looks like a cell of that colour in the workbook: the unfilled one
            // like an unmarked cell.
            let swatch = match line.fill {
                Some(rgb) => styles.cell_text.clone().set_background_color(Color::RGB(rgb)),
                None => styles.cell_text.clone(),
            };
            ws.write_string_with_format(r, 0, line.label, &swatch)?;
            ws.write_string_with_format(r, 1, line.text, &styles.legend)?;
        }
        top = u32::try_from(lines.len()).unwrap_or(0) + 2;
    }
    for (c, (h, w)) in (0u16..).zip(headers.iter().zip(widths)) {
        ws.set_column_width(c, *w)?;
        ws.write_string_with_format(top, c, *h, &styles.label)?;
    }
    ws.set_row_height(top, layout::MIN_ROW_HEIGHT)?;
    ws.set_freeze_panes(top + 1, 0)?;
    // Printed like the goal sheets: A4 landscape, one page wide, the header on every page.
    ws.set_paper_size(layout::PAPER_A4);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(top, top)?;
    if rows.is_empty() {
        if !empty.is_empty() {
            ws.write_string_with_format(top + 1, 0, empty, &styles.cell_text)?;
        }
        return Ok(());
    }
    let last_col = u16::try_from(headers.len().saturating_sub(1)).unwrap_or(0);
    let mut r: u32 = top + 1;
    for row in rows {
        let filled;
        let format = match row_fill(row) {
            Some(rgb) => {
                filled = styles.cell_text.clone().set_background_color(Color::RGB(rgb));
                &filled
            }
            None => &styles.cell_text,
        };
        let mut lines = 1;
        for ((c, text), w) in (0u16..).zip(row).zip(widths) {
            if text.is_empty() {
                ws.write_blank(r, c, format)?;
            } else {
                ws.write_string_with_format(r, c, super::fit_cell(text), format)?;
            }
            lines = lines.max(lines_needed(text, *w));
        }
        let height = f64::from(lines) * layout::LINE_HEIGHT + layout::ROW_PADDING;
        ws.set_row_height(r, height.clamp(layout::MIN_ROW_HEIGHT, 409.0))?;
        r += 1;
    }
    ws.autofilter(top, 0, r - 1, last_col)?;
    Ok(())
}
