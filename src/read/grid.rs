//! The text grid: one worksheet as the cells a person sees, whatever the file format.
//!
//! Each format's loader (xlsx, xls, ods) turns its cells, merged areas and number formats into
//! a [`Grid`]: absolute positions → the text Excel would display (`80%`, `1,700`, `R6.5.15`).
//! [`super::locate`] then works on grids only, so label finding is the same for every format.

use super::guard;
use crate::address::{CellRange, CellRef};
use crate::error::Result;
use crate::grammar::date::{format_date, from_excel_serial, DateStyle};
use crate::model::{CellKind, TypedCell};
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
    /// Merged areas of more than one cell.
    pub merges: Vec<CellRange>,
    /// Covered cell → index into `merges`, built by [`Grid::index_merges`], so that looking up
    /// a cell's merged area does not scan every area (a crafted sheet can have 100,000).
    /// `None` until indexed.
    covered: Option<MergeIndex>,
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
            self.typed.insert((row, col), t);
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
        self.index_merges_with(DENSE_PER_COVERED, DENSE_ALWAYS)
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

/// The text Excel shows for a cell value with number format `format` (the format code, e.g.
/// `0.0%`, `#,##0"件"`, `[$-411]ge.m.d`; `None` when the format is unknown, as for .xls/.ods).
pub fn cell_text(value: &Data, format: Option<&str>) -> String {
    match value {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::Error(e) => e.to_string(),
        Data::Int(i) => number_text(*i as f64, format),
        Data::Float(f) => number_text(*f, format),
        Data::DateTime(dt) => {
            // calamine knows the workbook's date system (1900 or 1904); let it compute the day.
            let serial = dt.as_f64();
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            match chrono::NaiveDate::from_ymd_opt(y.into(), m.into(), d.into()) {
                Some(date) if (1.0..2_958_466.0).contains(&serial) => {
                    format_date(date, date_style(format.unwrap_or("")))
                }
                _ => general(serial),
            }
        }
        Data::DateTimeIso(s) => iso_date_text(s, format).unwrap_or_else(|| s.clone()),
        Data::DurationIso(s) => s.clone(),
    }
}

/// A number as displayed under `format`.
pub fn number_text(v: f64, format: Option<&str>) -> String {
    let Some(code) = format else { return general(v) };
    let section = first_section(code);
    let fmt = NumFormat::parse(section);
    if fmt.is_date {
        return date_text(v, Some(code)).unwrap_or_else(|| general(v));
    }
    if !fmt.has_digits {
        return general(v);
    }
    fmt.render(v)
}

fn date_text(serial: f64, format: Option<&str>) -> Option<String> {
    let date = from_excel_serial(serial)?;
    Some(format_date(date, date_style(format.unwrap_or(""))))
}

fn iso_date_text(iso: &str, format: Option<&str>) -> Option<String> {
    let d = chrono::NaiveDate::parse_from_str(iso.get(..10)?, "%Y-%m-%d").ok()?;
    Some(format_date(d, date_style(format.unwrap_or(""))))
}

/// `ggge"年"` → long era; `ge.m.d` → short era; anything else → Western.
pub fn date_style(code: &str) -> DateStyle {
    let plain = strip_literals(code).to_ascii_lowercase();
    if plain.contains("ggg") {
        DateStyle::EraLong
    } else if plain.contains('g') {
        DateStyle::EraShort
    } else {
        DateStyle::Western
    }
}

/// Excel's "General": up to 15 significant digits, no trailing zeros, scientific beyond.
pub fn general(v: f64) -> String {
    if !v.is_finite() {
        return "#NUM!".to_string();
    }
    if v == 0.0 {
        return "0".to_string();
    }
    let sci = format!("{:.14e}", v);
    let Some((mant, exp)) = sci.split_once('e') else { return v.to_string() };
    let exp: i32 = exp.parse().unwrap_or(0);
    let neg = mant.starts_with('-');
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let digits = digits.trim_end_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    let sign = if neg { "-" } else { "" };
    if !(-10..15).contains(&exp) {
        let (first, rest) = digits.split_at(1);
        let rest = if rest.is_empty() { String::new() } else { format!(".{rest}") };
        let esign = if exp < 0 { '-' } else { '+' };
        return format!("{sign}{first}{rest}E{esign}{:02}", exp.abs());
    }
    let point = exp + 1; // digits before the decimal point
    let out = if point <= 0 {
        format!("0.{}{}", "0".repeat((-point) as usize), digits)
    } else if (point as usize) >= digits.len() {
        format!("{}{}", digits, "0".repeat(point as usize - digits.len()))
    } else {
        let (a, b) = digits.split_at(point as usize);
        format!("{a}.{b}")
    };
    format!("{sign}{out}")
}

/// The part of a format code for positive numbers (before the first `;` outside quotes).
fn first_section(code: &str) -> &str {
    let mut in_quote = false;
    let mut escaped = false;
    for (i, c) in code.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '"' => in_quote = !in_quote,
            '\\' if !in_quote => escaped = true,
            ';' if !in_quote => return &code[..i],
            _ => {}
        }
    }
    code
}

/// A format code without quoted literals, escapes and `[...]` (locale, colour, condition).
fn strip_literals(code: &str) -> String {
    let mut out = String::new();
    let mut chars = code.chars();
    let mut in_quote = false;
    while let Some(c) = chars.next() {
        match c {
            '"' => in_quote = !in_quote,
            _ if in_quote => {}
            '\\' => {
                chars.next();
            }
            '[' => {
                for d in chars.by_ref() {
                    if d == ']' {
                        break;
                    }
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// What matters of a number format code for display.
#[derive(Debug, Default)]
struct NumFormat {
    prefix: String,
    suffix: String,
    decimals: usize,
    thousands: bool,
    percent: bool,
    has_digits: bool,
    is_date: bool,
}

impl NumFormat {
    fn parse(section: &str) -> NumFormat {
        let mut f = NumFormat::default();
        let plain = strip_literals(section).to_ascii_lowercase();
        if plain.trim() == "general" || plain.trim() == "@" || plain.trim().is_empty() {
            return f;
        }
        if plain.contains(['y', 'd', 'g', 'e']) || plain.contains("m/") || plain.contains("/m") {
            // `e` only in era years (`ge.m.d`); `General` was handled above.
            f.is_date = !plain.contains("0e+") && !plain.contains("0e-");
            if f.is_date {
                return f;
            }
        }
        let mut chars = section.chars().peekable();
        let mut seen_digit = false;
        let mut after_point = false;
        let mut last_was_digit = false;
        while let Some(c) = chars.next() {
            let lit: Option<String> = match c {
                '"' => {
                    let mut s = String::new();
                    for d in chars.by_ref() {
                        if d == '"' {
                            break;
                        }
                        s.push(d);
                    }
                    Some(s)
                }
                '\\' => chars.next().map(|d| d.to_string()),
                '[' => {
                    for d in chars.by_ref() {
                        if d == ']' {
                            break;
                        }
                    }
                    None
                }
                '_' | '*' => {
                    chars.next();
                    None
                }
                '0' | '#' | '?' => {
                    seen_digit = true;
                    last_was_digit = true;
                    if after_point {
                        f.decimals += 1;
                    }
                    continue;
                }
                '.' if seen_digit || chars.peek().is_some_and(|n| matches!(n, '0' | '#' | '?')) => {
                    seen_digit = true;
                    after_point = true;
                    continue;
                }
                ',' if last_was_digit && chars.peek().is_some_and(|n| matches!(n, '0' | '#' | '?')) => {
                    f.thousands = true;
                    continue;
                }
                '%' => {
                    f.percent = true;
                    Some("%".to_string())
                }
                ' ' | '(' | ')' | '-' | '+' | ':' | '$' | '/' => Some(c.to_string()),
                _ => Some(c.to_string()),
            };
            last_was_digit = false;
            if let Some(l) = lit {
                if seen_digit {
                    f.suffix.push_str(&l);
                } else {
                    f.prefix.push_str(&l);
                }
            }
        }
        f.has_digits = seen_digit;
        f
    }

    fn render(&self, v: f64) -> String {
        let v = if self.percent { v * 100.0 } else { v };
        let neg = v < 0.0;
        let s = format!("{:.*}", self.decimals, v.abs());
        let (int, frac) = match s.split_once('.') {
            Some((a, b)) => (a.to_string(), Some(b.to_string())),
            None => (s.clone(), None),
        };
        let int = if self.thousands { group(&int) } else { int };
        let mut out = String::new();
        // A value that rounds to zero shows no minus sign.
        if neg && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
            out.push('-');
        }
        out.push_str(&self.prefix);
        out.push_str(&int);
        if let Some(frac) = frac {
            out.push('.');
            out.push_str(&frac);
        }
        out.push_str(&self.suffix);
        out
    }
}

fn group(int: &str) -> String {
    let n = int.len();
    let mut out = String::with_capacity(n + n / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (n - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn general_numbers_like_excel() {
        assert_eq!(general(8.0), "8");
        assert_eq!(general(4.7), "4.7");
        assert_eq!(general(-0.35), "-0.35");
        assert_eq!(general(0.1 + 0.2), "0.3");
        assert_eq!(general(1700.0), "1700");
        assert_eq!(general(123456789012345.0), "123456789012345");
        assert_eq!(general(1.5e20), "1.5E+20");
        assert_eq!(general(0.000123), "0.000123");
    }

    #[test]
    fn formats() {
        let t = |v, f| number_text(v, Some(f));
        assert_eq!(t(0.8, "0%"), "80%");
        assert_eq!(t(0.777, "0.0%"), "77.7%");
        assert_eq!(t(1700.0, "#,##0"), "1,700");
        assert_eq!(t(1512.0, "#,##0\"件\""), "1,512件");
        assert_eq!(t(1234567.891, "#,##0.00"), "1,234,567.89");
        assert_eq!(t(4.7, "General"), "4.7");
        assert_eq!(t(4.75, "0.0"), "4.8");
        assert_eq!(t(-3.0, "0"), "-3");
        assert_eq!(t(5.0, "@"), "5");
    }

    #[test]
    fn date_formats_are_dates() {
        for code in ["[$-411]ge.m.d", "[$-411]ggge\"年\"m\"月\"d\"日\"", "yyyy/m/d", "m/d/yy"] {
            assert!(NumFormat::parse(code).is_date, "{code}");
        }
        for code in ["0.0%", "#,##0", "General", "0.00E+00", "\"年度\"0"] {
            assert!(!NumFormat::parse(code).is_date, "{code}");
        }
        assert_eq!(date_style("[$-411]ggge\"年\"m\"月\"d\"日\""), DateStyle::EraLong);
        assert_eq!(date_style("[$-411]ge.m.d"), DateStyle::EraShort);
        assert_eq!(date_style("yyyy/m/d"), DateStyle::Western);
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
        assert_eq!(cell_text(&Data::Bool(true), None), "TRUE");
        assert_eq!(cell_text(&Data::Error(calamine::CellErrorType::NA), None), "#N/A");
        assert_eq!(cell_text(&Data::Int(8), None), "8");
        assert_eq!(cell_text(&Data::String("300件\n（R5：290件）".into()), None), "300件\n（R5：290件）");
    }
}
