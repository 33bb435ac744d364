//! Writing workbooks in the official layout with rust_xlsxwriter.
//!
//! - [`workbook_bytes`]: a [`Document`] as an .xlsx, one worksheet per sheet.
//! - [`template_bytes`]: a blank official sheet for a fiscal year.
//! - The pieces `fix` and `merge` build on: [`new_workbook`] (default font, fixed properties),
//!   [`Styles`] (every format, from one base), [`write_sheet`] (one sheet, returning
//!   [`Placed`]: where every value went) and [`sheet_name`] (names Excel accepts).
//! - [`findings_sheet`]: the 検証結果 sheet listing findings, shared by `fix` and `merge`.
//!
//! A workbook's document date (created/modified in its properties) is the time of writing, or
//! `SOURCE_DATE_EPOCH` when that is set (the reproducible-builds convention): with it, the same
//! input gives the same bytes (rust_xlsxwriter fixes the zip timestamps), so written files can be
//! compared and checked in.

pub mod findings_sheet;
mod sheet;
mod styles;
pub mod table;
mod template;

pub use sheet::{grade_validation, lines_needed, write_cell, write_raw_sheet, write_sheet, Placed};
pub use styles::{base_format, Styles};
pub use template::{form, forms_bytes, template_bytes, TemplateOptions, HANDWRITING_ROW_HEIGHT, MAX_TEMPLATE_ENTRIES};

use crate::error::Result;
use crate::lang::Lang;
use crate::layout;
use crate::model::{Document, Sheet};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook};
use std::collections::HashSet;
use std::sync::atomic::{AtomicI64, Ordering};

/// Most characters (UTF-16 units) Excel holds in a cell or a note.
pub const MAX_CELL_UNITS: usize = 32_767;

/// Characters of a value quoted in a note or a message cell (修正前「…」).
pub const QUOTE_CHARS: usize = 200;

/// A value as quoted in text goalsheet writes: a valid cell may hold 32,767 characters, and a
/// note or 検証結果 row quoting it whole would be more than Excel holds (fix and merge then
/// failed on a valid workbook). Longer values keep their start and `...`.
pub fn quote(value: &str) -> std::borrow::Cow<'_, str> {
    match value.char_indices().nth(QUOTE_CHARS) {
        Some((i, _)) => format!("{}...", &value[..i]).into(),
        None => value.into(),
    }
}

/// Text goalsheet writes into a cell (messages, change-log rows), cut to what Excel holds,
/// ending in `...` when cut.
pub fn fit_cell(text: &str) -> std::borrow::Cow<'_, str> {
    fit_units(text, MAX_CELL_UNITS)
}

/// The most UTF-16 units of a note's text rust_xlsxwriter writes: Excel's 32,767 less 54 it
/// keeps for an author's name (a longer one failed the whole rewritten workbook).
pub const MAX_NOTE_UNITS: usize = MAX_CELL_UNITS - 54;

/// Text goalsheet writes into a note, cut to [`MAX_NOTE_UNITS`], ending in `...` when cut.
pub fn fit_note(text: &str) -> std::borrow::Cow<'_, str> {
    fit_units(text, MAX_NOTE_UNITS)
}

fn fit_units(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    let mut units = 0;
    for (i, c) in text.char_indices() {
        units += c.len_utf16();
        if units > max - 3 {
            if text[i..].encode_utf16().count() + units - c.len_utf16() <= max {
                return text.into();
            }
            return format!("{}...", &text[..i]).into();
        }
    }
    text.into()
}

/// Writes every sheet of `doc` in the official layout and returns the .xlsx bytes
/// ([`workbook_bytes_in`] with Japanese headers).
pub fn workbook_bytes(doc: &Document) -> Result<Vec<u8>> {
    workbook_bytes_in(doc, Lang::Ja)
}

/// Writes every sheet of `doc` in the official layout and returns the .xlsx bytes.
///
/// Sheets are named after their division ([`sheet_name`]); a sheet's values outside the
/// layout ([`Sheet::extras`](crate::model::Sheet::extras)) go back to their address, or onto
/// 元の位置の値 (headers in `lang`) when the layout writes there ([`table::write_extras`]);
/// sheets that are not goal sheets ([`Document::other_sheets`]) follow, their cells written
/// back as they were. A document without any sheet gives one blank official sheet.
pub fn workbook_bytes_in(doc: &Document, lang: Lang) -> Result<Vec<u8>> {
    let mut wb = new_workbook()?;
    let styles = Styles::new();
    let mut used = HashSet::new();
    let mut moved = Vec::new();
    let blank = [Sheet::default()];
    let sheets = if doc.sheets.is_empty() && doc.other_sheets.is_empty() { &blank[..] } else { &doc.sheets[..] };
    for sheet in sheets {
        let source = if sheet.division.trim().is_empty() { &sheet.sheet } else { &sheet.division };
        let name = sheet_name(source, &mut used);
        let ws = wb.add_worksheet();
        ws.set_name(&name).map_err(|e| crate::Error::from(e).in_sheet(&name))?;
        let placed = write_sheet(ws, sheet, &styles).map_err(|e| e.in_sheet(&name))?;
        moved.extend(table::write_extras(ws, sheet, &placed, &styles).map_err(|e| e.in_sheet(&name))?);
        moved.extend(table::write_notes(ws, sheet, &placed, lang).map_err(|e| e.in_sheet(&name))?);
    }
    for raw in &doc.other_sheets {
        let name = sheet_name(&raw.name, &mut used);
        let ws = wb.add_worksheet();
        ws.set_name(&name).map_err(|e| crate::Error::from(e).in_sheet(&name))?;
        write_raw_sheet(ws, raw, &styles).map_err(|e| e.in_sheet(&name))?;
    }
    table::write_moved_sheet(&mut wb, &mut used, &moved, lang, &styles)?;
    Ok(wb.save_to_buffer()?)
}

/// A workbook whose default format is the layout font, titled, and dated by
/// [`document_time`]. Add worksheets to it with `add_worksheet` and fill them with
/// [`write_sheet`].
pub fn new_workbook() -> Result<Workbook> {
    let mut wb = Workbook::new();
    wb.set_default_format(&base_format(), layout::DEFAULT_ROW_HEIGHT_PX, layout::DEFAULT_COL_WIDTH_PX)?;
    let mut properties = DocProperties::new().set_title(layout::TITLE);
    if let Some(fixed) = document_time() {
        properties = properties.set_creation_datetime(&fixed);
    }
    wb.set_properties(&properties);
    Ok(wb)
}

/// The document date to write when it is not the time of writing: `SOURCE_DATE_EPOCH` (Unix
/// seconds, UTC) when it is set to a time Excel can hold. `None` means now, which is
/// rust_xlsxwriter's default; a malformed value is ignored rather than failing the output.
pub fn document_time() -> Option<ExcelDateTime> {
    let epoch = match DOCUMENT_EPOCH.load(Ordering::Relaxed) {
        UNSET => std::env::var("SOURCE_DATE_EPOCH").ok()?.trim().parse().ok()?,
        set => set,
    };
    ExcelDateTime::from_timestamp(epoch).ok()
}

/// `SOURCE_DATE_EPOCH` given by the program instead of the environment (the browser page has
/// none): `Some(seconds)` dates every workbook written afterwards, `None` returns to the
/// environment. Process-wide, as the variable is.
pub fn set_document_epoch(epoch: Option<i64>) {
    DOCUMENT_EPOCH.store(epoch.unwrap_or(UNSET), Ordering::Relaxed);
}

const UNSET: i64 = i64::MIN;
static DOCUMENT_EPOCH: AtomicI64 = AtomicI64::new(UNSET);

/// Excel's longest sheet name, in UTF-16 units.
const MAX_SHEET_NAME: usize = 31;

/// A worksheet name Excel accepts, made from a division name, and not yet in `used`
/// (compared case-insensitively, as Excel does); the name is added to `used`.
///
/// Characters Excel forbids (`[ ] : * ? / \`) become their full-width forms, line breaks and
/// other control characters are dropped, leading and trailing `'` removed, and the name is cut
/// to 31 characters. A name taken already gets ` (2)`, ` (3)` …; an empty one becomes
/// `シート1`, `シート2` ….
pub fn sheet_name(division: &str, used: &mut HashSet<String>) -> String {
    let cleaned: String = division
        .chars()
        .filter(|c| !c.is_control())
        .map(|c| match c {
            '[' => '［',
            ']' => '］',
            ':' => '：',
            '*' => '＊',
            '?' => '？',
            '/' => '／',
            '\\' => '＼',
            c => c,
        })
        .collect();
    let base = trim_name(&truncate_utf16(trim_name(&cleaned), MAX_SHEET_NAME)).to_string();
    let taken = |name: &str, used: &HashSet<String>| {
        let lower = name.to_lowercase();
        // "History" is reserved by Excel.
        lower == "history" || used.iter().any(|u| u.to_lowercase() == lower)
    };
    let name = if base.is_empty() {
        (1u32..).map(|n| format!("シート{n}")).find(|n| !taken(n, used)).unwrap_or_default()
    } else if !taken(&base, used) {
        base
    } else {
        (2u32..)
            .map(|n| {
                let suffix = format!(" ({n})");
                let room = MAX_SHEET_NAME.saturating_sub(suffix.encode_utf16().count());
                format!("{}{suffix}", trim_name(&truncate_utf16(&base, room)))
            })
            .find(|n| !taken(n, used))
            .unwrap_or_default()
    };
    used.insert(name.clone());
    name
}

fn trim_name(s: &str) -> &str {
    s.trim().trim_matches('\'').trim()
}

/// The longest prefix of `s` of at most `max` UTF-16 units.
fn truncate_utf16(s: &str, max: usize) -> String {
    let mut units = 0;
    s.chars()
        .take_while(|c| {
            units += c.len_utf16();
            units <= max
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let mut used = HashSet::new();
        assert_eq!(sheet_name("市民協働課", &mut used), "市民協働課");
        assert_eq!(sheet_name("市民協働課", &mut used), "市民協働課 (2)");
        assert_eq!(sheet_name("総務/企画[室]?", &mut used), "総務／企画［室］？");
        assert_eq!(sheet_name("'広聴'", &mut used), "広聴");
        assert_eq!(sheet_name("", &mut used), "シート1");
        assert_eq!(sheet_name(" \n ", &mut used), "シート2");
        assert_eq!(sheet_name("History", &mut used), "History (2)");
        let long = "あ".repeat(40);
        let a = sheet_name(&long, &mut used);
        let b = sheet_name(&long, &mut used);
        assert_eq!(a.chars().count(), 31);
        assert!(b.encode_utf16().count() <= 31 && b.ends_with(" (2)"), "{b}");
        assert_eq!(sheet_name("ABC", &mut used), "ABC");
        assert_eq!(sheet_name("abc", &mut used), "abc (2)");
        let emoji = "😀".repeat(20);
        assert!(sheet_name(&emoji, &mut used).encode_utf16().count() <= 31);
    }

    #[test]
    fn every_sheet_name_is_accepted_by_the_writer() {
        let mut used = HashSet::new();
        let mut wb = Workbook::new();
        for d in ["", "'", "[]:*?/\\", "a'", "'''x'''", "課\t名", &"長".repeat(50), "市民協働課", "市民協働課"]
        {
            let name = sheet_name(d, &mut used);
            assert!(wb.add_worksheet().set_name(&name).is_ok(), "{d:?} → {name:?}");
        }
        assert!(wb.save_to_buffer().is_ok());
    }
}

#[cfg(test)]
mod clip_tests {
    use super::*;

    #[test]
    fn quotes_and_cells_fit_what_excel_holds() {
        let long = "目".repeat(MAX_CELL_UNITS);
        assert_eq!(quote(&long).chars().count(), QUOTE_CHARS + 3);
        assert_eq!(quote("80%"), "80%");
        assert_eq!(fit_cell(&long), long, "a value that fits is kept whole");
        let over = format!("修正前「{long}」");
        let fitted = fit_cell(&over);
        assert!(fitted.encode_utf16().count() <= MAX_CELL_UNITS && fitted.ends_with("..."));
        // Characters outside the BMP count twice, as in Excel.
        let emoji = "😀".repeat(MAX_CELL_UNITS / 2 + 1);
        assert!(fit_cell(&emoji).encode_utf16().count() <= MAX_CELL_UNITS);
        // A note holds less: rust_xlsxwriter refuses one over MAX_NOTE_UNITS.
        let note = fit_note(&over);
        assert!(note.encode_utf16().count() <= MAX_NOTE_UNITS && note.ends_with("..."));
        let mut wb = rust_xlsxwriter::Workbook::new();
        wb.add_worksheet().insert_note(0, 0, &Styles::note(&over)).unwrap();
    }
}
