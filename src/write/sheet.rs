//! One goal sheet in the official layout, and a record of where every value went.
//!
//! Every position comes from [`crate::layout`]; this module only decides how many rows each
//! entry takes, what to merge, and how tall rows must be so that nothing is cut off (neither
//! Excel nor LibreOffice grows wrapped rows by itself when a file is opened).
//!
//! [`Placed`] is what `fix` (highlights and notes at the cells it changed) and `merge` (one
//! sheet per division in a department file) build on.

use super::styles::Styles;
use crate::address::{CellRange, CellRef};
use crate::error::{Error, ErrorKind, Result};
use crate::grammar::date::parse_date;
use crate::grammar::year::parse_fiscal_year;
use crate::lang::Msg;
use crate::layout::{self, ColumnLabel, Merge};
use crate::model::{CellKind, Field, RawSheet, Sheet, TypedCell};
use rust_xlsxwriter::{DataValidation, DataValidationErrorStyle, ExcelDateTime, Format, Formula, Worksheet};
use std::collections::{BTreeMap, HashMap};

/// Where [`write_sheet`] put everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Placed {
    /// Header values (年度, 作成日 …) and the `Ｒ６目標` / `Ｒ６結果` headers
    /// ([`Field::TargetLabel`], [`Field::ResultLabel`]) → their (top-left) cell.
    pub header: BTreeMap<Field, CellRef>,
    /// Entry-level fields (No., 組織目標, 評価) by (entry index, field) → the top-left cell of
    /// their merge.
    pub entries: BTreeMap<(usize, Field), CellRef>,
    /// Every field of every indicator by (entry index, indicator index, field) → its cell.
    /// Entry-level fields are included for each indicator (the top-left of the entry's merge);
    /// values merged over rows map to the top-left of the merge.
    pub indicators: BTreeMap<(usize, usize, Field), CellRef>,
    /// First and last row (zero-based, inclusive) of each entry.
    pub entry_rows: Vec<(u32, u32)>,
    /// Every merged range written (header, table header, table, legend).
    pub merges: Vec<CellRange>,
    /// The row of the legend.
    pub legend_row: u32,
    /// The first row after the legend, free for anything a caller adds.
    pub next_free_row: u32,
    /// The cells written struck through as a whole (by their format, not in runs of their
    /// text): a format given them later keeps the line.
    pub struck: std::collections::BTreeSet<CellRef>,
    /// The number format of each cell written as a number or date with one (`0.0%`): a
    /// format given the cell later keeps it.
    pub number_formats: BTreeMap<CellRef, String>,
}

impl Placed {
    /// The cell of a header field.
    pub fn header_cell(&self, field: Field) -> Option<CellRef> {
        self.header.get(&field).copied()
    }

    /// The cell of an entry-level field.
    pub fn entry_cell(&self, entry: usize, field: Field) -> Option<CellRef> {
        self.entries.get(&(entry, field)).copied()
    }

    /// The cell of any table field for one indicator (entry-level fields included).
    pub fn indicator_cell(&self, entry: usize, indicator: usize, field: Field) -> Option<CellRef> {
        self.indicators.get(&(entry, indicator, field)).copied()
    }

    /// The merged range a cell is the top-left of, if any.
    pub fn merge_at(&self, cell: CellRef) -> Option<CellRange> {
        self.merges.iter().find(|m| m.start == cell).copied()
    }
}

/// Writes `sheet` into `ws` in the official layout (values, merges, formats, widths, row
/// heights, data validation of 評価, print setup) and returns where every value went.
///
/// Values are written as the text they are (`80%` stays text); the exceptions are 作成日 /
/// 評価日, written as date cells in the era format they were typed in when they parse, and
/// `No.`, written as a number when it is a plain integer.
pub fn write_sheet(ws: &mut Worksheet, sheet: &Sheet, styles: &Styles) -> Result<Placed> {
    let mut w = SheetWriter {
        ws,
        styles,
        placed: Placed::default(),
        heights: Heights::default(),
        number_formats: HashMap::new(),
    };
    w.columns()?;
    w.title()?;
    w.header(sheet)?;
    w.table_header(sheet)?;
    let last_row = w.table(sheet)?;
    w.struck_through(sheet)?;
    w.legend(sheet, last_row)?;
    w.grade_validation(last_row)?;
    w.row_heights()?;
    w.page_setup()?;
    Ok(w.placed)
}

/// Writes a sheet that is not a goal sheet back as it was read: every value at its address,
/// as the workbook held it ([`write_cell`]).
pub fn write_raw_sheet(ws: &mut Worksheet, raw: &RawSheet, styles: &Styles) -> Result<()> {
    for cell in &raw.cells {
        write_cell(ws, cell.cell, &cell.text, cell.typed.as_ref(), &styles.raw)?;
    }
    Ok(())
}

/// Writes one cell as the workbook held it: a number with its number format (derived from
/// `format`), a date cell, a boolean, a formula with its result; text otherwise.
pub fn write_cell(
    ws: &mut Worksheet,
    at: CellRef,
    text: &str,
    typed: Option<&TypedCell>,
    format: &Format,
) -> Result<()> {
    match typed.filter(|t| is_typed(t)) {
        Some(t) => match number_format(t) {
            Some(code) => write_typed(ws, at, text, t, &format.clone().set_num_format(code)),
            None => write_typed(ws, at, text, t, format),
        },
        None if text.is_empty() => Ok(()),
        None => {
            ws.write_string_with_format(at.row, col(at.col)?, text, format).map_err(|e| Error::from(e).at_cell(at))?;
            Ok(())
        }
    }
}

/// The number format to write a typed cell with: its own, or for a date that came without one
/// (an .ods date), a plain date format, so that it does not show as a serial number.
fn number_format(t: &TypedCell) -> Option<&str> {
    match (t.format.as_deref(), t.kind) {
        (Some(code), _) => Some(code),
        (None, CellKind::Date) => Some("yyyy/m/d"),
        (None, _) => None,
    }
}

/// Whether a typed cell is written otherwise than as its text: a formula, a number, a date or
/// a boolean (an error value or a formula's text result without its formula is text).
fn is_typed(t: &TypedCell) -> bool {
    t.formula.is_some()
        || (matches!(t.kind, CellKind::Number | CellKind::Date | CellKind::Boolean) && t.number.is_some())
}

/// Whether a formula refers to anything beyond itself: a cell or range (`E12`, `$E$12`,
/// `A:A`, `3:5`), another sheet (`データ!A1`), another workbook or a table (`[…]`), or a
/// defined name (`税率`). Function names, string literals, numbers, `TRUE`/`FALSE` and error
/// values (`#N/A`) are not references.
pub(crate) fn refers_to_cells(formula: &str) -> bool {
    let chars: Vec<char> = formula.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '"' => {
                // A string literal; `""` inside it is a quote.
                i += 1;
                while i < chars.len() {
                    if chars[i] == '"' && chars.get(i + 1) != Some(&'"') {
                        break;
                    }
                    i += if chars[i] == '"' { 2 } else { 1 };
                }
                i += 1;
            }
            '#' => {
                // An error value (`#DIV/0!`, `#N/A`): its `!` is no sheet.
                i += 1;
                while i < chars.len() && (chars[i].is_ascii_alphanumeric() || matches!(chars[i], '/' | '!' | '?')) {
                    i += 1;
                }
            }
            '!' | '[' | '\'' => return true,
            c if c.is_ascii_digit() => {
                while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                    i += 1;
                }
                // `1E+3`: the exponent's letter and digits.
                if i < chars.len() && matches!(chars[i], 'E' | 'e') {
                    i += 1;
                    while i < chars.len() && (chars[i].is_ascii_digit() || matches!(chars[i], '+' | '-')) {
                        i += 1;
                    }
                }
                // `3:5`, whole rows.
                if chars.get(i) == Some(&':') {
                    return true;
                }
            }
            c if c.is_alphabetic() || matches!(c, '_' | '$' | '\\') => {
                let start = i;
                while i < chars.len() && (chars[i].is_alphanumeric() || matches!(chars[i], '_' | '$' | '.' | '\\')) {
                    i += 1;
                }
                let token: String = chars[start..i].iter().collect();
                let next = chars[i..].iter().find(|c| !c.is_whitespace());
                let is_function = next == Some(&'(');
                if !is_function && !token.eq_ignore_ascii_case("TRUE") && !token.eq_ignore_ascii_case("FALSE") {
                    return true;
                }
            }
            _ => i += 1,
        }
    }
    false
}

/// Writes `t` at `at` with `format` (already carrying its number format).
///
/// A formula that refers to cells, sheets or names is written as its value: the sheet is
/// written in the official layout, where the cells it refers to may be elsewhere or not at all
/// (a division's `=データ!A1` made `#REF!` in the department file, and `=E12*2` another
/// cell's value once rows moved). One whose value was never computed is written as it is:
/// there is nothing else to write (GS701 reports it).
fn write_typed(ws: &mut Worksheet, at: CellRef, text: &str, t: &TypedCell, format: &Format) -> Result<()> {
    let (row, c) = (at.row, col(at.col)?);
    let err = |e: rust_xlsxwriter::XlsxError| Error::from(e).at_cell(at);
    let formula = t.formula.as_ref().filter(|f| t.lacks_value() || !refers_to_cells(f));
    if let Some(formula) = formula {
        // The result Excel shows until it recalculates (rust_xlsxwriter asks it to on load):
        // the number as stored, not as formatted; nothing when the value was never computed.
        let result = match (t.kind, t.number) {
            _ if t.lacks_value() => String::new(),
            (CellKind::Boolean, Some(n)) => if n != 0.0 { "TRUE" } else { "FALSE" }.to_string(),
            (CellKind::Number | CellKind::Date, Some(n)) => n.to_string(),
            _ => text.to_string(),
        };
        ws.write_formula_with_format(row, c, Formula::new(format!("={formula}")).set_result(result), format)
            .map_err(err)?;
        return Ok(());
    }
    match (t.kind, t.number) {
        (CellKind::Boolean, Some(n)) => ws.write_boolean_with_format(row, c, n != 0.0, format).map_err(err)?,
        (_, Some(n)) => ws.write_number_with_format(row, c, n, format).map_err(err)?,
        (_, None) => ws.write_string_with_format(row, c, text, format).map_err(err)?,
    };
    Ok(())
}

struct SheetWriter<'a> {
    ws: &'a mut Worksheet,
    styles: &'a Styles,
    placed: Placed,
    heights: Heights,
    /// A field's format with a number format code, built once per sheet and code.
    number_formats: HashMap<(Field, String), Format>,
}

impl SheetWriter<'_> {
    fn columns(&mut self) -> Result<()> {
        for c in &layout::COLUMNS {
            self.ws.set_column_width(col(c.col)?, c.width)?;
        }
        Ok(())
    }

    fn title(&mut self) -> Result<()> {
        let styles = self.styles;
        self.put(layout::TITLE_RANGE, layout::TITLE, &styles.title)?;
        self.heights.fixed(layout::TITLE_RANGE.start.row, layout::TITLE_ROW_HEIGHT);
        Ok(())
    }

    fn header(&mut self, sheet: &Sheet) -> Result<()> {
        let styles = self.styles;
        let reiwa = parse_fiscal_year(&sheet.fiscal_year).map(|y| y.reiwa());
        for h in &layout::HEADER_FIELDS {
            self.put(h.label_range, h.label.text(reiwa), &styles.label)?;
            let text = sheet.field(h.field).unwrap_or_default();
            let typed = sheet.typed.get(h.field);
            if h.is_date && typed.is_none_or(|t| t.formula.is_none()) {
                self.date(h.value_range, text)?;
            } else {
                self.value(h.value_range, text, typed, h.field)?;
            }
            self.placed.header.insert(h.field, h.value_range.start);
        }
        // Rows of the header block that hold nothing are thin spacers.
        for row in 0..layout::TABLE_HEADER_ROW {
            let used = row == layout::TITLE_RANGE.start.row
                || layout::HEADER_FIELDS.iter().any(|h| {
                    (h.label_range.start.row..=h.label_range.end.row).contains(&row)
                        || (h.value_range.start.row..=h.value_range.end.row).contains(&row)
                });
            if !used {
                self.heights.fixed(row, layout::SPACER_ROW_HEIGHT);
            }
        }
        Ok(())
    }

    fn table_header(&mut self, sheet: &Sheet) -> Result<()> {
        let styles = self.styles;
        let reiwa = parse_fiscal_year(&sheet.fiscal_year).map(|y| y.reiwa());
        for g in &layout::GROUP_LABELS {
            self.put(g.range, g.label.text(reiwa), &styles.label)?;
        }
        for c in &layout::COLUMNS {
            let cell = layout::column_label_cell(c);
            let (text, field) = match c.label {
                ColumnLabel::Fixed(_) => (layout::column_label(c.label, reiwa), None),
                ColumnLabel::Target => (year_label(c.label, reiwa, &sheet.target_label), Some(Field::TargetLabel)),
                ColumnLabel::Result => (year_label(c.label, reiwa, &sheet.result_label), Some(Field::ResultLabel)),
            };
            if cell.row == layout::TABLE_SUBHEADER_ROW {
                self.put(CellRange::new(cell, cell), &text, &styles.label)?;
            }
            if let Some(f) = field {
                self.placed.header.insert(f, cell);
            }
        }
        Ok(())
    }

    /// Writes the entries from row 8; returns the last row of the table.
    fn table(&mut self, sheet: &Sheet) -> Result<u32> {
        let styles = self.styles;
        let mut row = layout::FIRST_DATA_ROW;
        for (e, entry) in sheet.entries.iter().enumerate() {
            let rows = u32::try_from(entry.indicators.len().max(1)).map_err(|_| too_many_rows())?;
            let first = row;
            let last = first.checked_add(rows - 1).ok_or_else(too_many_rows)?;
            self.placed.entry_rows.push((first, last));
            for c in layout::COLUMNS.iter().filter(|c| c.merge == Merge::Entry) {
                let range = CellRange::new(CellRef::new(first, c.col), CellRef::new(last, c.col));
                let text = entry.field(c.field).unwrap_or_default();
                let format = styles.for_field(c.field);
                match entry.typed.get(c.field) {
                    None if c.field == Field::No => self.number_or_text(range, text, format)?,
                    typed => self.value(range, text, typed, c.field)?,
                }
                self.placed.entries.insert((e, c.field), range.start);
                for i in 0..entry.indicators.len() {
                    self.placed.indicators.insert((e, i, c.field), range.start);
                }
            }
            for c in layout::COLUMNS.iter().filter(|c| c.merge != Merge::Entry) {
                let format = styles.for_field(c.field);
                if entry.indicators.is_empty() {
                    self.put(CellRange::new(CellRef::new(first, c.col), CellRef::new(first, c.col)), "", format)?;
                    continue;
                }
                // A cell merged over two fields' columns is written once, in the first.
                let values: Vec<&str> =
                    entry.indicators.iter().map(|ind| ind.shown(c.field).unwrap_or_default()).collect();
                let mut i = 0;
                while i < values.len() {
                    let mut j = i;
                    if c.merge == Merge::WhereShared && !values[i].is_empty() {
                        while j + 1 < values.len() && values[j + 1] == values[i] {
                            j += 1;
                        }
                    }
                    let top = first + u32::try_from(i).map_err(|_| too_many_rows())?;
                    let bottom = first + u32::try_from(j).map_err(|_| too_many_rows())?;
                    let range = CellRange::new(CellRef::new(top, c.col), CellRef::new(bottom, c.col));
                    let typed = entry
                        .indicators
                        .get(i)
                        .filter(|ind| !ind.cells.covered_by_earlier(&ind.merged, c.field))
                        .and_then(|ind| ind.typed.get(c.field));
                    self.value(range, values[i], typed, c.field)?;
                    for k in i..=j {
                        self.placed.indicators.insert((e, k, c.field), range.start);
                    }
                    i = j + 1;
                }
            }
            row = last.checked_add(1).ok_or_else(too_many_rows)?;
        }
        if sheet.entries.is_empty() {
            // An empty table still shows one blank row to fill in.
            for c in &layout::COLUMNS {
                let format = styles.for_field(c.field);
                self.put(CellRange::new(CellRef::new(row, c.col), CellRef::new(row, c.col)), "", format)?;
            }
            return Ok(row);
        }
        Ok(row - 1)
    }

    /// Text the division struck through (見え消し) keeps its line where its value went: written
    /// again as rich text, the struck part with a struck font derived from the field's (a
    /// number or date is left as it is written).
    fn struck_through(&mut self, sheet: &Sheet) -> Result<()> {
        if sheet.struck.is_empty() {
            return Ok(());
        }
        let struck_at: HashMap<CellRef, &crate::model::CellText> = sheet.struck.iter().map(|s| (s.cell, s)).collect();
        let mut done = std::collections::HashSet::new();
        for (location, from) in crate::finding::Location::read_from_cells(sheet, 0) {
            let Some(struck) = struck_at.get(&from) else { continue };
            let Some(at) = super::findings_sheet::placed_cell(&self.placed, &location) else { continue };
            let text = location.value_in(sheet).unwrap_or_default();
            if done.contains(&at) || location.typed_in(sheet).is_some_and(is_typed) {
                continue;
            }
            done.insert(at);
            let Some(start) = text.find(struck.text.as_str()).filter(|_| !struck.text.is_empty()) else { continue };
            let end = start + struck.text.len();
            let format = self.styles.for_field(location.field);
            let line = format.clone().set_font_strikethrough();
            let (row, c) = (at.row, col(at.col)?);
            let err = |e: rust_xlsxwriter::XlsxError| Error::from(e).at_cell(at);
            if start == 0 && end == text.len() {
                self.ws.write_string_with_format(row, c, text, &line).map_err(err)?;
                self.placed.struck.insert(at);
                continue;
            }
            let runs: Vec<(&Format, &str)> =
                [(format, &text[..start]), (&line, &text[start..end]), (format, &text[end..])]
                    .into_iter()
                    .filter(|(_, t)| !t.is_empty())
                    .collect();
            self.ws.write_rich_string_with_format(row, c, &runs, format).map_err(err)?;
        }
        Ok(())
    }

    /// The sheet's own legend when it has one (its grades mean what it says), else the official one.
    fn legend(&mut self, sheet: &Sheet, last_table_row: u32) -> Result<()> {
        let row = last_table_row.checked_add(1).ok_or_else(too_many_rows)?;
        let range = CellRange::new(CellRef::new(row, layout::LEGEND_COL), CellRef::new(row, layout::LEGEND_LAST_COL));
        let styles = self.styles;
        let text = if sheet.legend.trim().is_empty() { layout::LEGEND } else { sheet.legend.as_str() };
        self.put(range, text, &styles.legend)?;
        self.placed.legend_row = row;
        self.placed.next_free_row = row.checked_add(1).ok_or_else(too_many_rows)?;
        Ok(())
    }

    /// Only ○ △ × can be typed into 評価 (existing values are kept whatever they are).
    fn grade_validation(&mut self, last_table_row: u32) -> Result<()> {
        let Some(grade) = layout::column_of(Field::Grade) else { return Ok(()) };
        let dv = grade_validation()?;
        self.ws.add_data_validation(layout::FIRST_DATA_ROW, col(grade.col)?, last_table_row, col(grade.col)?, &dv)?;
        Ok(())
    }

    fn row_heights(&mut self) -> Result<()> {
        for (row, height) in std::mem::take(&mut self.heights).resolve() {
            self.ws.set_row_height(row, height)?;
        }
        Ok(())
    }

    fn page_setup(&mut self) -> Result<()> {
        let last_col = col(layout::COLUMN_COUNT - 1)?;
        self.ws.set_paper_size(layout::PAPER_A4);
        self.ws.set_landscape();
        self.ws.set_print_fit_to_pages(1, 0);
        self.ws.set_print_center_horizontally(true);
        self.ws.set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3);
        self.ws.set_footer("&C&P / &N");
        self.ws.set_repeat_rows(layout::TABLE_HEADER_ROW, layout::TABLE_SUBHEADER_ROW)?;
        self.ws.set_print_area(0, 0, self.placed.legend_row, last_col)?;
        self.ws.set_freeze_panes(layout::FIRST_DATA_ROW, 0)?;
        Ok(())
    }

    /// Writes text into a cell or a merged range (merging only real ranges), and records the
    /// height the text needs.
    fn put(&mut self, range: CellRange, text: &str, format: &Format) -> Result<()> {
        let (r0, c0) = (range.start.row, col(range.start.col)?);
        let at = |e: rust_xlsxwriter::XlsxError| Error::from(e).at_cell(range.start);
        if range.is_single() {
            if text.is_empty() {
                self.ws.write_blank(r0, c0, format).map_err(at)?;
            } else {
                self.ws.write_string_with_format(r0, c0, text, format).map_err(at)?;
            }
        } else {
            self.ws.merge_range(r0, c0, range.end.row, col(range.end.col)?, text, format).map_err(at)?;
            self.placed.merges.push(range);
        }
        self.heights.need(range, text);
        Ok(())
    }

    /// Writes a field's value as the workbook held it ([`TypedCell`]: a number with its number
    /// format, a date cell, a boolean, a formula with its result), else as text; merged like
    /// [`SheetWriter::put`].
    fn value(&mut self, range: CellRange, text: &str, typed: Option<&TypedCell>, field: Field) -> Result<()> {
        let format = self.styles.for_field(field);
        let Some(t) = typed.filter(|t| is_typed(t)) else { return self.put(range, text, format) };
        self.put(range, "", format)?;
        self.heights.need(range, text);
        let format = match number_format(t) {
            Some(code) => {
                self.placed.number_formats.insert(range.start, code.to_string());
                let key = (field, code.to_string());
                if !self.number_formats.contains_key(&key) {
                    self.number_formats.insert(key.clone(), format.clone().set_num_format(code));
                }
                self.number_formats.get(&key).unwrap_or(format)
            }
            None => format,
        };
        write_typed(self.ws, range.start, text, t, format)
    }

    /// `No.`: a number when it is a plain integer, else text.
    fn number_or_text(&mut self, range: CellRange, text: &str, format: &Format) -> Result<()> {
        match text.parse::<u32>() {
            Ok(n) if n.to_string() == text => {
                self.put(range, "", format)?;
                self.ws.write_number_with_format(range.start.row, col(range.start.col)?, f64::from(n), format)?;
                Ok(())
            }
            _ => self.put(range, text, format),
        }
    }

    /// A date cell in the era format it was typed in; text when it does not parse; an empty
    /// cell with the short era format when there is nothing.
    fn date(&mut self, range: CellRange, text: &str) -> Result<()> {
        let styles = self.styles;
        // A date Excel cannot hold (before 1900) stays text instead of failing the whole
        // workbook (found by tests/hostile_regressions.rs: `1800/12/31`, `0024-05-15`).
        match parse_date(text).ok().filter(|p| excel_date(p.date).is_ok()) {
            Some(parsed) => {
                let format = styles.date(parsed.style);
                self.put(range, "", format)?;
                let d = excel_date(parsed.date)?;
                self.ws.write_date_with_format(range.start.row, col(range.start.col)?, &d, format)?;
                self.heights.need(range, text);
                Ok(())
            }
            None => self.put(range, text, &styles.date_short),
        }
    }
}

/// The validation of 評価: a list of ○ △ × with Japanese guidance.
pub fn grade_validation() -> Result<DataValidation> {
    Ok(DataValidation::new()
        .allow_list_strings(&layout::GRADES)?
        .set_input_title("評価の入力")?
        .set_input_message("○（達成）、△（一部未達成）、×（未達成）のいずれかを選んでください。")?
        .set_error_title("入力できない値です")?
        .set_error_message("評価には ○、△、× のいずれかだけを入力できます。一覧から選んでください。")?
        .set_error_style(DataValidationErrorStyle::Stop))
}

/// The `Ｒ６目標` header: from the fiscal year, else as found, else with an unknown year.
fn year_label(label: ColumnLabel, reiwa: Option<i32>, found: &str) -> String {
    if reiwa.is_none() && !found.trim().is_empty() {
        found.to_string()
    } else {
        layout::column_label(label, reiwa)
    }
}

fn excel_date(d: chrono::NaiveDate) -> Result<ExcelDateTime> {
    use chrono::Datelike;
    let out_of_range = || {
        write_error(Msg::new(
            format!("日付 {d} は Excel で扱えません"),
            format!("the date {d} is out of Excel's range"),
        ))
    };
    let year = u16::try_from(d.year()).map_err(|_| out_of_range())?;
    let month = u8::try_from(d.month()).map_err(|_| out_of_range())?;
    let day = u8::try_from(d.day()).map_err(|_| out_of_range())?;
    Ok(ExcelDateTime::from_ymd(year, month, day)?)
}

/// A layout column as rust_xlsxwriter's column number.
fn col(c: u32) -> Result<u16> {
    u16::try_from(c).map_err(|_| Error::from(rust_xlsxwriter::XlsxError::RowColumnLimitError))
}

fn write_error(detail: Msg) -> Error {
    Error::new(ErrorKind::Write { detail })
}

fn too_many_rows() -> Error {
    write_error(Msg::new("ワークシートの行数の上限を超えます", "more rows than a worksheet can hold"))
}

/// Row heights the text needs: rows get the height of their tallest single-row cell; a
/// range merged over several rows that needs more than its rows give spreads the rest evenly.
/// Rows with no text keep the default height, which Excel adjusts while the user types.
#[derive(Debug, Default)]
struct Heights {
    rows: BTreeMap<u32, f64>,
    fixed: BTreeMap<u32, f64>,
    spans: Vec<(u32, u32, f64)>,
}

impl Heights {
    fn fixed(&mut self, row: u32, height: f64) {
        self.fixed.insert(row, height);
    }

    /// Records the height `text` needs in `range`. Empty cells need nothing: a row left
    /// without a height of its own is grown by Excel as the user types into it.
    fn need(&mut self, range: CellRange, text: &str) {
        if text.is_empty() {
            return;
        }
        let width: f64 = layout::COLUMNS
            .iter()
            .filter(|c| (range.start.col..=range.end.col).contains(&c.col))
            .map(|c| c.width)
            .sum();
        let lines = lines_needed(text, width);
        let height = (f64::from(lines) * layout::LINE_HEIGHT + layout::ROW_PADDING).max(layout::MIN_ROW_HEIGHT);
        if range.start.row == range.end.row {
            let h = self.rows.entry(range.start.row).or_insert(layout::MIN_ROW_HEIGHT);
            *h = h.max(height);
        } else {
            self.rows.entry(range.start.row).or_insert(layout::MIN_ROW_HEIGHT);
            self.spans.push((range.start.row, range.end.row, height));
        }
    }

    fn resolve(mut self) -> BTreeMap<u32, f64> {
        for (r0, r1, _) in &self.spans {
            for r in *r0..=*r1 {
                self.rows.entry(r).or_insert(layout::MIN_ROW_HEIGHT);
            }
        }
        // Tallest spans first would be ideal; spans of one entry column are disjoint, and
        // spans of different columns over the same rows just take the larger need.
        for (r0, r1, need) in &self.spans {
            let have: f64 = (*r0..=*r1).map(|r| self.rows.get(&r).copied().unwrap_or(layout::MIN_ROW_HEIGHT)).sum();
            if have < *need {
                let extra = (*need - have) / f64::from(r1 - r0 + 1);
                for r in *r0..=*r1 {
                    if let Some(h) = self.rows.get_mut(&r) {
                        *h += extra;
                    }
                }
            }
        }
        for (r, h) in self.fixed {
            self.rows.insert(r, h);
        }
        // Excel rows are at most 409 points.
        self.rows.into_iter().map(|(r, h)| (r, (h.min(409.0) * 4.0).ceil() / 4.0)).collect()
    }
}

/// How many lines `text` takes in a column `width` units wide (Excel's character units):
/// explicit line breaks, and each line wrapped at the width of the cell, measured in pixels
/// of the body font.
pub fn lines_needed(text: &str, width: f64) -> u32 {
    if text.is_empty() {
        return 1;
    }
    let usable =
        (width * layout::COL_UNIT_PX + layout::COL_PADDING_PX - layout::CELL_MARGIN_PX).max(layout::WIDE_CHAR_PX);
    text.split('\n')
        .map(|line| {
            let px: f64 = line.chars().map(char_px).sum::<f64>() * layout::LINE_BREAK_SLACK;
            let n = (px / usable).ceil();
            if n < 1.0 {
                1
            } else {
                n as u32
            }
        })
        .sum()
}

fn char_px(c: char) -> f64 {
    let half_width_kana = ('\u{FF61}'..='\u{FF9F}').contains(&c);
    if c.is_ascii() || half_width_kana {
        layout::NARROW_CHAR_PX
    } else {
        layout::WIDE_CHAR_PX
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_formula_refers_to_cells_sheets_and_names_not_to_its_own_literals() {
        for f in [
            "E12*2",
            "$E$12/1700",
            "SUM(E8:E10)",
            "SUM(A:A)",
            "SUM(3:5)",
            "データ!A1",
            "'前年度 実績'!B2",
            "[1]Sheet1!A1",
            "Table1[件数]",
            "税率*100",
            "ROUND(x_1,0)",
        ] {
            assert!(super::refers_to_cells(f), "{f}");
        }
        for f in [
            "100*3",
            "ROUND(1512/1700*100,1)",
            "_xlfn.CONCAT(\"E12\",\"が\"\"目標\"\"\")",
            "IF(TRUE,1.5E+3,#N/A)",
            "IFERROR(1/0,#DIV/0!)",
            "TODAY()",
            "SUM (1, 2)",
            "{1,2;3,4}",
        ] {
            assert!(!super::refers_to_cells(f), "{f}");
        }
    }

    #[test]
    fn lines_count_breaks_and_wrapping() {
        assert_eq!(lines_needed("", 10.0), 1);
        assert_eq!(lines_needed("abc", 10.0), 1);
        assert_eq!(lines_needed("a\nb\nc", 10.0), 3);
        // An 11-unit column is 76 usable pixels: 5 full-width characters a line.
        assert_eq!(lines_needed("あいうえおかきくけこ", 11.0), 2);
        assert_eq!(lines_needed("あいうえおかきくけこさ", 11.0), 3);
        assert_eq!(lines_needed("あいうえお\nかきくけこ", 11.0), 2);
    }

    #[test]
    fn a_value_excel_cannot_hold_is_an_error_at_its_cell() {
        let mut sheet = Sheet::default();
        sheet.entries.push(crate::model::Entry {
            goal: "長".repeat(40_000),
            indicators: vec![crate::model::Indicator::default()],
            ..Default::default()
        });
        let mut wb = super::super::new_workbook().unwrap();
        let err = write_sheet(wb.add_worksheet(), &sheet, &Styles::new()).unwrap_err();
        assert_eq!(err.cell.map(|c| c.to_string()).as_deref(), Some("B8"));
        assert!(matches!(err.kind, ErrorKind::Write { .. }));
    }

    #[test]
    fn a_cell_merged_over_two_fields_is_written_once() {
        use crate::address::CellRange;
        use crate::model::{Document, Entry, Indicator};
        let mut ind =
            Indicator {
                name: "指標".into(), initiative: "事業".into(), summary: "事業".into(), ..Default::default()
            };
        let (g12, area) = (CellRef::parse("G12").unwrap(), CellRange::parse("G12:H12").unwrap());
        for f in [Field::Initiative, Field::Summary] {
            ind.cells.set(f, g12);
            ind.merged.set(f, area);
        }
        let entry = Entry { no: "1".into(), goal: "目標".into(), indicators: vec![ind], ..Default::default() };
        let doc = Document { sheets: vec![Sheet { entries: vec![entry], ..Default::default() }], ..Default::default() };
        let bytes = super::super::workbook_bytes(&doc).unwrap();
        let back = crate::read::read_bytes(&bytes, "課.xlsx").unwrap();
        let ind = &back.sheets[0].entries[0].indicators[0];
        assert_eq!((ind.initiative.as_str(), ind.summary.as_str()), ("事業", ""));
        let row = crate::flat::rows(&doc.sheets[0]).into_iter().next().unwrap();
        assert_eq!((row.written(Field::Initiative), row.written(Field::Summary)), ("事業", ""));
    }

    #[test]
    fn an_entry_without_indicators_still_gets_its_row() {
        use crate::model::{Entry, Indicator};
        let sheet = Sheet {
            entries: vec![
                Entry { no: "1".into(), ..Default::default() },
                Entry {
                    no: "2".into(),
                    indicators: vec![Indicator::default(), Indicator::default()],
                    ..Default::default()
                },
            ],
            ..Default::default()
        };
        let mut wb = super::super::new_workbook().unwrap();
        let placed = write_sheet(wb.add_worksheet(), &sheet, &Styles::new()).unwrap();
        assert_eq!(placed.entry_rows, vec![(7, 7), (8, 9)]);
        assert_eq!(placed.entry_cell(0, Field::No).map(|c| c.to_string()).as_deref(), Some("A8"));
        assert_eq!(placed.indicator_cell(1, 1, Field::Grade).map(|c| c.to_string()).as_deref(), Some("I9"));
        assert_eq!(placed.indicator_cell(1, 1, Field::Target).map(|c| c.to_string()).as_deref(), Some("E10"));
        assert_eq!((placed.legend_row, placed.next_free_row), (10, 11));
        assert!(placed.merge_at(CellRef::new(8, 0)).is_some_and(|m| m.to_string() == "A9:A10"));
    }

    #[test]
    fn merged_spans_spread_their_need() {
        let mut h = Heights::default();
        let long = "あ".repeat(200);
        h.need(CellRange::new(CellRef::new(7, 1), CellRef::new(8, 1)), &long);
        let rows = h.resolve();
        let total = rows[&7] + rows[&8];
        assert!(total >= f64::from(lines_needed(&long, 28.0)) * layout::LINE_HEIGHT);
        assert!((rows[&7] - rows[&8]).abs() < 0.5);
    }
}
