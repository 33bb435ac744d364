//! The text grid: one worksheet as the cells a person sees, whatever the file format.
//!
//! Each format's loader (xlsx, xls, ods) turns its cells, merged areas and number formats into
//! a [`Grid`]: absolute positions → the text Excel would display (`80%`, `1,700`, `R6.5.15`).
//! [`super::locate`] then works on grids only, so label finding is the same for every format.

use super::guard;
use crate::address::{CellRange, CellRef};
use crate::error::Result;
use crate::model::{CellKind, TypedCell};
use crate::numfmt::{self, Format};
use calamine::{Data, ExcelDateTime, ExcelDateTimeType};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// One worksheet: non-empty cell texts by absolute position, what lies behind the cells that
/// are not plain text, and its merged areas.
#[derive(Debug, Clone, Default)]
pub struct Grid {
    pub name: String,
    /// Row-major: `(row, col)` → text. Never holds empty text.
    pub cells: BTreeMap<(u32, u32), String>,
    /// Every cell that is not plain text (a number, date, boolean, error or formula), with its
    /// value, number format and formula. A formula without a cached value is here and not in
    /// [`Grid::cells`]. Plain text, most of a goal sheet, costs nothing here.
    pub typed: BTreeMap<(u32, u32), TypedCell>,
    /// Typed cells as the loader gives them, moved into [`Grid::typed`] in one sorted build by
    /// [`Grid::index_merges`], which every loader calls last: pushing is cheaper than inserting
    /// one by one, and a sheet refused for its size never builds the map.
    pending: Vec<((u32, u32), TypedCell)>,
    /// Merged areas of more than one cell.
    pub merges: Vec<CellRange>,
    /// Covered cell → index into `merges`, built by [`Grid::index_merges`], so that looking up
    /// a cell's merged area does not scan every area (a crafted sheet can have 100,000).
    /// `None` until indexed.
    covered: Option<MergeIndex>,
    /// How many typed cells (numbers, dates, formulas …) were left out, unformatted, because
    /// the sheet cannot be a goal sheet and the read was only for checking
    /// ([`super::xlsx_fast::Keep::GoalSheets`]).
    pub unformatted: usize,
    /// Hidden among the workbook's tabs (Excel: hidden or very hidden): a goal sheet only when
    /// no shown sheet is one (read::read_loaded_keeping).
    pub hidden: bool,
    /// The cells' notes (Excel's メモ, and the text older Excel shows for a threaded comment):
    /// `(row, col)` → text. Read from .xlsx, .xls and .ods.
    pub notes: BTreeMap<(u32, u32), String>,
    /// Rows hidden in the sheet (zero-based). Read from .xlsx, .xls and .ods.
    pub hidden_rows: std::collections::BTreeSet<u32>,
    /// Columns hidden in the sheet, as zero-based inclusive ranges. Read from .xlsx, .xls and .ods.
    pub hidden_columns: Vec<(u32, u32)>,
    /// Cells holding a value whose text is the colour of their background (zero-based).
    /// Read from .xlsx, .xls and .ods.
    pub invisible: std::collections::BTreeSet<(u32, u32)>,
    /// Cells holding struck-through text (見え消し), zero-based: `None` when the cell's font
    /// strikes all of it, else the text of its struck runs. Read from .xlsx, .xls and .ods.
    pub struck: BTreeMap<(u32, u32), Option<String>>,
    /// Cells whose value their number format shows as nothing (`;;;`, a zero section left
    /// empty): the value as General shows it, cut to [`HIDDEN_SHOWN_CHARS`] characters, for at
    /// most [`MAX_HIDDEN_VALUES`] cells. Read from .xlsx and .xls.
    pub hidden_by_format: BTreeMap<(u32, u32), String>,
    /// Cells of text that their number format shows otherwise (`"結果："@` adds to it), for at
    /// most [`MAX_HIDDEN_VALUES`] cells: read as shown, but not what the cell holds.
    pub text_formatted: std::collections::BTreeSet<(u32, u32)>,
}

/// How much of a value hidden by its format is kept to be named.
pub const HIDDEN_SHOWN_CHARS: usize = 100;
/// At most this many values hidden by their format are kept a sheet.
pub const MAX_HIDDEN_VALUES: usize = 10_000;

/// Whether text of colour `text` (RGB) on a background of colour `background` cannot be told
/// apart from it: the same colour, or one so close (white's 5 % grey, yellow on white) that
/// their contrast ratio is under 1.25 (WCAG's relative luminance; readable text needs 4.5).
pub(crate) fn indistinct(text: u32, background: u32) -> bool {
    fn luminance(rgb: u32) -> f64 {
        let channel = |shift: u32| {
            let c = f64::from((rgb >> shift) & 0xFF) / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(16) + 0.7152 * channel(8) + 0.0722 * channel(0)
    }
    let (a, b) = (luminance(text), luminance(background));
    (a.max(b) + 0.05) / (a.min(b) + 0.05) < 1.25
}

/// Covered cell → index into [`Grid::merges`].
#[derive(Debug, Clone)]
enum MergeIndex {
    /// A table over the box holding every (clipped) area: `1 + index` per cell, 0 where no
    /// area covers it. Used when the box is not much larger than the cells covered, as on a
    /// real sheet, whose areas crowd one region.
    Dense { top: u32, left: u32, width: usize, height: usize, cells: Vec<u32> },
    /// One entry per covered cell, when the areas are scattered far apart.
    Sparse(HashMap<(u32, u32), u32>),
}

impl MergeIndex {
    fn get(&self, row: u32, col: u32) -> Option<u32> {
        match self {
            MergeIndex::Dense { top, left, width, height, cells } => {
                let r = usize::try_from(row.checked_sub(*top)?).ok().filter(|r| r < height)?;
                let c = usize::try_from(col.checked_sub(*left)?).ok().filter(|c| c < width)?;
                cells.get(r * width + c).and_then(|&i| i.checked_sub(1))
            }
            MergeIndex::Sparse(map) => map.get(&(row, col)).copied(),
        }
    }
}

/// A dense [`MergeIndex`] may hold this many cells for each cell the areas cover (or
/// [`DENSE_ALWAYS`] cells, whichever is more).
const DENSE_PER_COVERED: u64 = 2;
/// A box of up to this many cells is always indexed densely.
const DENSE_ALWAYS: u64 = 1 << 16;

/// The names of the sheets calamine lists as hidden or very hidden, for [`Grid::hidden`].
pub fn hidden_sheet_names(sheets: &[calamine::Sheet]) -> Vec<String> {
    sheets.iter().filter(|s| s.visible != calamine::SheetVisible::Visible).map(|s| s.name.clone()).collect()
}

impl Grid {
    pub fn new(name: impl Into<String>) -> Grid {
        Grid { name: name.into(), ..Grid::default() }
    }

    /// Stores a cell's text unless it is empty.
    pub fn put(&mut self, row: u32, col: u32, text: String) {
        if !text.is_empty() {
            self.cells.insert((row, col), text);
        }
    }

    /// Stores a cell's text and, unless it is plain text, what it holds ([`typed_cell`]).
    pub fn put_value(&mut self, row: u32, col: u32, value: &Data, format: Option<&Arc<str>>, text: String) {
        self.put_cell(row, col, value, format, None, false, text);
    }

    /// [`Grid::put_value`] for a cell that may hold a formula (`None` or empty: none), in a
    /// workbook that asks Excel to recalculate every formula on load (`full_calc`).
    #[allow(clippy::too_many_arguments)]
    pub fn put_cell(
        &mut self,
        row: u32,
        col: u32,
        value: &Data,
        format: Option<&Arc<str>>,
        formula: Option<String>,
        full_calc: bool,
        text: String,
    ) {
        if let Some(t) = typed_cell(value, format, formula.filter(|f| !f.is_empty()), full_calc) {
            self.pending.push(((row, col), t));
        }
        // A value its format shows as nothing is read as it shows; what it holds is kept to be
        // named (GS706).
        if text.trim().is_empty() && self.hidden_by_format.len() < MAX_HIDDEN_VALUES {
            let held = match value {
                Data::String(s) => s.chars().take(HIDDEN_SHOWN_CHARS).collect(),
                Data::Empty => String::new(),
                v => cell_text(v, None, false).chars().take(HIDDEN_SHOWN_CHARS).collect(),
            };
            if !held.trim().is_empty() {
                self.hidden_by_format.insert((row, col), held);
            }
        }
        if let Data::String(s) = value {
            if !text.trim().is_empty() && text != *s && self.text_formatted.len() < MAX_HIDDEN_VALUES {
                self.text_formatted.insert((row, col));
            }
        }
        self.put(row, col, text);
    }

    /// Whether the cell's stored value was text typed in (not a number, date or formula).
    pub fn is_typed_text(&self, c: CellRef) -> bool {
        self.cells.contains_key(&(c.row, c.col)) && !self.typed.contains_key(&(c.row, c.col))
    }

    /// What the cell holds when it is not plain text.
    pub fn typed_at(&self, c: CellRef) -> Option<&TypedCell> {
        self.typed.get(&(c.row, c.col))
    }

    pub fn text(&self, c: CellRef) -> Option<&str> {
        self.cells.get(&(c.row, c.col)).map(String::as_str)
    }

    /// The merged area covering `c`, if any.
    pub fn merge_at(&self, c: CellRef) -> Option<CellRange> {
        match &self.covered {
            None => self.merges.iter().copied().find(|m| m.contains(c)),
            Some(index) => index.get(c.row, c.col).and_then(|i| self.merges.get(i as usize)).copied(),
        }
    }

    /// Indexes the merged areas, clipped to one row and column beyond the last value (nothing
    /// further out is ever looked up). The first area wins where areas overlap. Errors when the
    /// clipped areas add up to more than twice [`guard::MAX_SHEET_AREA`] cells.
    pub fn index_merges(&mut self) -> Result<()> {
        self.take_pending();
        self.index_merges_with(DENSE_PER_COVERED, DENSE_ALWAYS)
    }

    /// Moves the typed cells stored so far into [`Grid::typed`] (a later one of a position wins,
    /// as an insert would).
    fn take_pending(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let mut pending = std::mem::take(&mut self.pending);
        // Stable: equal positions keep their order, and collecting keeps the last of them.
        pending.sort_by_key(|(k, _)| *k);
        if self.typed.is_empty() {
            self.typed = pending.into_iter().collect();
        } else {
            self.typed.extend(pending);
        }
    }

    /// [`Grid::index_merges`], indexing densely when the box holding the areas has at most
    /// `per_covered` cells per covered cell or `always` cells.
    fn index_merges_with(&mut self, per_covered: u64, always: u64) -> Result<()> {
        let max_row = self.cells.keys().map(|k| k.0).max().unwrap_or(0).saturating_add(1);
        let max_col = self.cells.keys().map(|k| k.1).max().unwrap_or(0).saturating_add(1);
        let mut budget = 2 * guard::MAX_SHEET_AREA;
        // The clipped areas, `(index, top, left, bottom, right)`, and the box holding them.
        let mut clipped: Vec<(u32, u32, u32, u32, u32)> = Vec::with_capacity(self.merges.len());
        let (mut top, mut left, mut bottom, mut right) = (u32::MAX, u32::MAX, 0, 0);
        for (i, m) in self.merges.iter().enumerate() {
            let (r1, c1) = (m.end.row.min(max_row), m.end.col.min(max_col));
            if m.start.row > r1 || m.start.col > c1 {
                continue;
            }
            let area = (r1 - m.start.row + 1) as u64 * (c1 - m.start.col + 1) as u64;
            budget = budget.checked_sub(area).ok_or_else(|| {
                let limit = 2 * guard::MAX_SHEET_AREA;
                guard::too_large(
                    crate::lang::Msg::new("結合セルの範囲が広すぎます", "merged areas covering too many cells"),
                    crate::lang::Msg::new(format!("{limit} セル"), format!("{limit} cells")),
                )
            })?;
            clipped.push((i as u32, m.start.row, m.start.col, r1, c1));
            (top, left) = (top.min(m.start.row), left.min(m.start.col));
            (bottom, right) = (bottom.max(r1), right.max(c1));
        }
        let covered_cells = 2 * guard::MAX_SHEET_AREA - budget;
        let (height, width) = match clipped.is_empty() {
            true => (0, 0),
            false => ((bottom - top) as u64 + 1, (right - left) as u64 + 1),
        };
        let dense = (height.saturating_mul(width) <= per_covered.saturating_mul(covered_cells).max(always))
            .then(|| Some((usize::try_from(height).ok()?, usize::try_from(width).ok()?)))
            .flatten();
        let index = if let Some((height, width)) = dense {
            let mut cells = vec![0u32; height * width];
            for &(i, r0, c0, r1, c1) in &clipped {
                for r in r0..=r1 {
                    let row_at = (r - top) as usize * width;
                    let (from, to) = (row_at + (c0 - left) as usize, row_at + (c1 - left) as usize);
                    for slot in cells.get_mut(from..=to).unwrap_or_default() {
                        if *slot == 0 {
                            *slot = i + 1;
                        }
                    }
                }
            }
            MergeIndex::Dense { top, left, width, height, cells }
        } else {
            let mut covered = HashMap::new();
            for &(i, r0, c0, r1, c1) in &clipped {
                for r in r0..=r1 {
                    for c in c0..=c1 {
                        covered.entry((r, c)).or_insert(i);
                    }
                }
            }
            MergeIndex::Sparse(covered)
        };
        self.covered = Some(index);
        Ok(())
    }

    /// Adds a merged area given as calamine's `(row, col)` corners, ignoring single cells.
    pub fn add_merge(&mut self, start: (u32, u32), end: (u32, u32)) {
        if start == end || start.0 > end.0 || start.1 > end.1 {
            return;
        }
        self.merges.push(CellRange::new(CellRef::new(start.0, start.1), CellRef::new(end.0, end.1)));
    }
}

/// What a cell holding `value` (the cached value, for a formula) is beyond its text; `None`
/// for plain text. `format` is kept for numbers and dates only, and not when it is General.
pub fn typed_cell(
    value: &Data,
    format: Option<&Arc<str>>,
    formula: Option<String>,
    full_calc: bool,
) -> Option<TypedCell> {
    // `zero`: the value a generator leaves as a formula's placeholder (0 or empty text).
    let (kind, number, zero) = match value {
        Data::String(s) if formula.is_some() => (CellKind::Text, None, s.is_empty()),
        Data::String(_) | Data::DurationIso(_) => return None,
        Data::Empty if formula.is_some() => (CellKind::Empty, None, false),
        Data::Empty => return None,
        Data::Int(i) => (CellKind::Number, Some(*i as f64), *i == 0),
        Data::Float(f) => (CellKind::Number, Some(*f), *f == 0.0),
        Data::DateTime(dt) if dt.is_datetime() => (CellKind::Date, Some(serial_1900(dt)), false),
        Data::DateTime(dt) => (CellKind::Number, Some(dt.as_f64()), false),
        Data::DateTimeIso(s) => match iso_serial(s) {
            Some(serial) => (CellKind::Date, Some(serial), false),
            None if formula.is_some() => (CellKind::Text, None, s.is_empty()),
            None => return None,
        },
        Data::Bool(b) => (CellKind::Boolean, Some(f64::from(u8::from(*b))), false),
        Data::Error(_) => (CellKind::Error, None, false),
    };
    let stale = full_calc && zero && formula.is_some();
    let format = match kind {
        CellKind::Number | CellKind::Date => format.filter(|f| !f.eq_ignore_ascii_case("general")).cloned(),
        _ => None,
    };
    Some(TypedCell { kind, number, format, formula, stale })
}

/// The text `t` shows, made as the readers make a cell's text ([`cell_text`]): `None` when the
/// typed cell alone does not tell it (a formula's text result, an error value). A value read
/// from a workbook always shows its text; a JSON whose text was edited by hand no longer does.
pub fn typed_text(t: &TypedCell) -> Option<String> {
    let format = t.format.as_deref();
    Some(match t.kind {
        CellKind::Number => cell_text(&Data::Float(t.number?), format, false),
        // The serial is in the 1900 system whatever the workbook's; a date without a format of
        // its own shows as the readers show it.
        CellKind::Date => {
            let code = format.filter(|c| !c.eq_ignore_ascii_case("general")).unwrap_or(DEFAULT_DATE);
            cell_text(&Data::Float(t.number?), Some(code), false)
        }
        CellKind::Boolean => if t.number? != 0.0 { "TRUE" } else { "FALSE" }.to_string(),
        CellKind::Empty => String::new(),
        CellKind::Text | CellKind::Error => return None,
    })
}

/// Whether `text` is what the typed cell `t` shows: the text its value makes under its format,
/// or, when the text came from elsewhere (an .ods gives the text it displays, not the format),
/// text that still denotes the value: the same date, or the same number to the digits shown
/// (`54.7%` for 0.5473). A kind whose text cannot be told (a formula's text, an error) shows
/// whatever its text is.
pub fn typed_shows(t: &TypedCell, text: &str) -> bool {
    use crate::grammar::quantity::{parse_quantity, Parsed};
    if typed_text(t).is_none_or(|shown| shown == text) {
        return true;
    }
    let Some(n) = t.number else { return false };
    match t.kind {
        CellKind::Date => crate::grammar::date::parse_date(text)
            .ok()
            .and_then(|d| crate::grammar::date::to_excel_serial(d.date))
            .is_some_and(|serial| serial == n.floor()),
        CellKind::Number => match parse_quantity(text) {
            Parsed::Numeric(q) => {
                let shown = f64::try_from(q.main.value).unwrap_or(f64::NAN);
                let half_digit = 0.5 * 10f64.powi(-(q.main.value.scale() as i32));
                let percent = q.main.unit.as_deref() == Some("%");
                (shown - n).abs() <= half_digit || percent && (shown - n * 100.0).abs() <= half_digit
            }
            _ => false,
        },
        _ => false,
    }
}

/// A date cell's serial in the 1900 date system, whichever system the workbook uses.
fn serial_1900(dt: &ExcelDateTime) -> f64 {
    let v = dt.as_f64();
    // calamine keeps the date system private; equality with a 1904 value tells it.
    if *dt == ExcelDateTime::new(v, ExcelDateTimeType::DateTime, true) {
        v + 1462.0
    } else {
        v
    }
}

/// The serial of an ISO date (`2024-05-15`, `2024-05-15T09:30:00`), as .ods files give them.
fn iso_serial(iso: &str) -> Option<f64> {
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?;
    let date = chrono::NaiveDate::parse_from_str(iso.get(..10)?, "%Y-%m-%d").ok()?;
    let days = (date - epoch).num_days() as f64;
    let time = iso.get(11..).and_then(|t| chrono::NaiveTime::parse_from_str(t.get(..8)?, "%H:%M:%S").ok());
    let fraction = time.map_or(0.0, |t| {
        use chrono::Timelike;
        f64::from(t.num_seconds_from_midnight()) / 86_400.0
    });
    Some(days + fraction)
}

/// The text Excel shows for a cell value under the number format `format` (its code, e.g.
/// `0.0%`, `#,##0"件"`, `[$-411]ge.m.d`; `None` for General), in the 1904 date system when
/// `date1904` (a calamine date value carries its own). Formats are parsed once per code and
/// kept (see [`cell_text_with`] to hold the parsed format yourself).
pub fn cell_text(value: &Data, format: Option<&str>, date1904: bool) -> String {
    match format {
        None => cell_text_with(value, None, date1904),
        Some(code) => with_format(code, |f| cell_text_with(value, Some(f), date1904)),
    }
}

/// [`cell_text`] with a parsed format. A number the format cannot render (a negative date, a
/// value no section accepts, a code beyond [`numfmt`]) shows as General.
pub fn cell_text_with(value: &Data, format: Option<&Format>, date1904: bool) -> String {
    match value {
        Data::Empty => String::new(),
        Data::String(s) => match format {
            Some(f) => f.render_text(s),
            None => s.clone(),
        },
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::Error(e) => e.to_string(),
        Data::Int(i) => number_text(*i as f64, format, date1904),
        Data::Float(f) => number_text(*f, format, date1904),
        Data::DateTime(dt) => {
            let v = dt.as_f64();
            let kind = if dt.is_duration() { ExcelDateTimeType::TimeDelta } else { ExcelDateTimeType::DateTime };
            let date1904 = *dt == ExcelDateTime::new(v, kind, true);
            match format {
                Some(f) if !f.is_general() => number_text(v, Some(f), date1904),
                _ => with_format(DEFAULT_DATE, |f| number_text(v, Some(f), date1904)),
            }
        }
        Data::DateTimeIso(s) => match iso_serial(s) {
            Some(v) => match format {
                Some(f) if f.is_date() => number_text(v, Some(f), false),
                _ => with_format(DEFAULT_DATE, |f| number_text(v, Some(f), false)),
            },
            None => s.clone(),
        },
        Data::DurationIso(s) => s.clone(),
    }
}

/// How a date shows when its cell has no date format (an ISO date of an .ods, or a date from
/// a reader that gives no format).
const DEFAULT_DATE: &str = "yyyy/m/d";

/// A number as displayed under `format` (General when `None` or when it cannot be rendered).
pub fn number_text(v: f64, format: Option<&Format>, date1904: bool) -> String {
    match format {
        None => numfmt::general(v),
        Some(f) => f.render(v, date1904).or_general(v),
    }
}

/// The code of a cell's number format as Japanese Excel reads it: a built-in id (below 164)
/// that calamine names by its en-US code, or not at all (`General`), takes the code Japanese
/// Excel gives it (`14` → `yyyy/m/d`, `28` → `[$-411]ggge"年"m"月"d"日"`). Both xlsx readers
/// go through here so they give the same texts.
pub fn excel_code(id: Option<u32>, code: &str) -> &str {
    match id.filter(|&id| id < 164).and_then(|id| Some((id, numfmt::builtin(id)?))) {
        Some((id, ja)) if code == numfmt::builtin_ecma(id).unwrap_or("General") => ja,
        _ => code,
    }
}

/// Parsed formats by code, per thread: a workbook has a few dozen codes and hundreds of
/// thousands of cells. Emptied when it grows past a bound a crafted file could otherwise push.
fn with_format<T>(code: &str, f: impl FnOnce(&Format) -> T) -> T {
    use std::cell::RefCell;
    thread_local! {
        static CACHE: RefCell<HashMap<String, std::rc::Rc<Format>>> = RefCell::new(HashMap::new());
    }
    let parsed = CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if let Some(p) = c.get(code) {
            return p.clone();
        }
        if c.len() >= 4096 {
            c.clear();
        }
        let p = std::rc::Rc::new(Format::parse(code));
        c.insert(code.to_string(), p.clone());
        p
    });
    f(&parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Text that cannot be told from its background: the same colour, white's 5 % grey or
    /// yellow on white; 25 % grey, red or black on white can.
    #[test]
    fn indistinct_colours_are_the_same_or_nearly() {
        for (text, background) in
            [(0xFFFFFF, 0xFFFFFF), (0xF2F2F2, 0xFFFFFF), (0xFFFF00, 0xFFFFFF), (0x000000, 0x0D0D0D)]
        {
            assert!(indistinct(text, background), "{text:06X} on {background:06X}");
        }
        for (text, background) in
            [(0xBFBFBF, 0xFFFFFF), (0xFF0000, 0xFFFFFF), (0x000000, 0xFFFFFF), (0xFFFFFF, 0x1F4E79)]
        {
            assert!(!indistinct(text, background), "{text:06X} on {background:06X}");
        }
    }

    #[test]
    fn numbers_under_their_codes() {
        let t = |v: f64, f: &str| cell_text(&Data::Float(v), Some(f), false);
        assert_eq!(t(0.8, "0%"), "80%");
        assert_eq!(t(0.777, "0.0%"), "77.7%");
        assert_eq!(t(1700.0, "#,##0"), "1,700");
        assert_eq!(t(1512.0, "#,##0\"件\""), "1,512件");
        assert_eq!(t(4.7, "General"), "4.7");
        assert_eq!(t(5.0, "@"), "5");
        assert_eq!(t(45427.0, "[$-411]ggge\"年\"m\"月\"d\"日\""), "令和6年5月15日");
        assert_eq!(t(-1.0, "yyyy/m/d"), "-1", "a negative date shows as General");
        assert_eq!(cell_text(&Data::Float(0.0), Some("yyyy/m/d"), true), "1904/1/1");
    }

    #[test]
    fn dates_read_back_through_the_date_grammar() {
        use crate::grammar::date::{parse_date, to_excel_serial};
        for code in
            [crate::layout::DATE_FORMAT_SHORT, crate::layout::DATE_FORMAT_LONG, crate::layout::DATE_FORMAT_WESTERN]
        {
            for serial in [43586.0, 45427.0, 32516.0] {
                let text = cell_text(&Data::Float(serial), Some(code), false);
                let parsed = parse_date(&text).unwrap_or_else(|e| panic!("{text}: {e:?}"));
                assert_eq!(to_excel_serial(parsed.date), Some(serial), "{text}");
            }
        }
        let dt = Data::DateTime(ExcelDateTime::new(45427.0, ExcelDateTimeType::DateTime, false));
        assert_eq!(cell_text(&dt, None, false), "2024/5/15");
        let dt = Data::DateTime(ExcelDateTime::new(43965.0, ExcelDateTimeType::DateTime, true));
        assert_eq!(cell_text(&dt, Some("yyyy/m/d"), false), "2024/5/15", "the value's own date system");
        assert_eq!(cell_text(&Data::DateTimeIso("2024-05-15".into()), None, false), "2024/5/15");
    }

    #[test]
    fn built_in_ids_read_as_japanese_excel_reads_them() {
        assert_eq!(excel_code(Some(14), "mm-dd-yy"), "yyyy/m/d");
        assert_eq!(excel_code(Some(28), "General"), "[$-411]ggge\"年\"m\"月\"d\"日\"");
        assert_eq!(excel_code(Some(3), "#,##0"), "#,##0");
        assert_eq!(excel_code(Some(14), "yyyy\"年\""), "yyyy\"年\"", "a code the file gives wins");
        assert_eq!(excel_code(Some(200), "0.0"), "0.0");
        assert_eq!(excel_code(None, "0.0"), "0.0");
    }

    /// A sheet with values up to F20 and overlapping, clipped and far-off merged areas.
    fn merged_sheet() -> Grid {
        let mut g = Grid::new("s");
        g.put(0, 0, "title".into());
        g.put(19, 5, "last".into());
        for (a, b) in [
            ((0, 0), (0, 5)),         // A1:F1
            ((2, 1), (4, 1)),         // B3:B5
            ((3, 0), (3, 3)),         // A4:D4, overlaps B4 of the one before: that one wins
            ((2, 1), (2, 2)),         // B3:C3, overlaps B3
            ((18, 4), (40, 30)),      // E19:AE41, clipped to E19:G21
            ((100, 100), (101, 101)), // beyond the values: never indexed
            ((7, 7), (7, 7)),         // a single cell: not an area
            ((9, 0), (10, 0)),        // A10:A11
        ] {
            g.add_merge(a, b);
        }
        g
    }

    #[test]
    fn merged_area_lookup_matches_a_scan_of_the_areas() {
        let scan = merged_sheet();
        for (per_covered, always) in [(DENSE_PER_COVERED, DENSE_ALWAYS), (0, 0), (u64::MAX, u64::MAX)] {
            let mut g = merged_sheet();
            g.index_merges_with(per_covered, always).unwrap();
            for row in 0..=20 {
                for col in 0..=6 {
                    let c = CellRef::new(row, col);
                    assert_eq!(g.merge_at(c), scan.merge_at(c), "{c} ({per_covered}, {always})");
                }
            }
            assert_eq!(g.merge_at(CellRef::new(100, 100)), None, "beyond the values");
            assert_eq!(g.merge_at(CellRef::new(21, 6)), None, "clipped");
        }
        let mut g = merged_sheet();
        g.index_merges().unwrap();
        assert!(matches!(g.covered, Some(MergeIndex::Dense { .. })), "a real sheet is indexed densely");
        let four = |c: &str| CellRef::parse(c).and_then(|c| g.merge_at(c)).map(|m| m.to_string());
        assert_eq!(four("C4").as_deref(), Some("A4:D4"));
        assert_eq!(four("B4").as_deref(), Some("B3:B5"), "the first area wins");
        assert_eq!(four("C3").as_deref(), Some("B3:C3"));
        assert_eq!(four("H8"), None);
    }

    #[test]
    fn scattered_merged_areas_are_indexed_sparsely() {
        let mut g = Grid::new("s");
        g.put(0, 0, "a".into());
        g.put(1999, 999, "far".into());
        g.add_merge((0, 0), (1, 1));
        g.add_merge((1998, 998), (1999, 999));
        g.index_merges().unwrap();
        assert!(matches!(g.covered, Some(MergeIndex::Sparse(_))));
        assert!(g.merge_at(CellRef::new(1, 1)).is_some() && g.merge_at(CellRef::new(1998, 999)).is_some());
        assert_eq!(g.merge_at(CellRef::new(2, 2)), None);
    }

    #[test]
    fn merged_areas_over_the_budget_are_refused() {
        let mut g = Grid::new("s");
        g.put(2999, 1999, "far".into());
        g.add_merge((0, 0), (2999, 1999));
        assert!(g.index_merges().is_err(), "6,000,000 cells");
        assert!(g.merge_at(CellRef::new(5, 5)).is_some(), "still found by a scan");
        let mut g = Grid::new("s");
        g.put(1999, 999, "far".into());
        g.add_merge((0, 0), (1999, 999));
        assert!(g.index_merges().is_ok(), "2,000,000 cells");
    }

    #[test]
    fn values() {
        assert_eq!(cell_text(&Data::Bool(true), None, false), "TRUE");
        assert_eq!(cell_text(&Data::Error(calamine::CellErrorType::NA), None, false), "#N/A");
        assert_eq!(cell_text(&Data::Int(8), None, false), "8");
        assert_eq!(cell_text(&Data::String("300件\n（R5：290件）".into()), None, false), "300件\n（R5：290件）");
    }
}
