//! Building the model from a text grid by finding the official labels, wherever they are.
//!
//! Real workbooks drift from the template: rows inserted above, the whole sheet shifted right,
//! blank columns inside the table, labels broken over lines, `R6目標` typed half-width,
//! continuation rows left unmerged, header values one cell off. So nothing here uses a fixed
//! address: the table header row is the row whose cells match most of the labels of
//! [`crate::layout`] (after [`normalize`]), each column is mapped by its own label, and each
//! header field is the value next to its label. Every value keeps the cell (and merged area)
//! it came from; every non-empty cell that is not consumed goes to [`Sheet::extras`].
//!
//! Speed: this runs on every sheet `check` reads, so its cost is kept well below the cost of
//! reading the cells. The labels are found in one pass over the grid (`scan`), and a cell is
//! normalized only when its first character can start a label (`could_be_label`): most
//! cells are values and are passed over after one character. Table rows look up each merged
//! area once and borrow their texts from the grid; the extras are moved out of it.

use super::grid::Grid;
use crate::address::{CellRange, CellRef};
use crate::grammar::grade::Legend;
use crate::layout::{self, Layout, TableLabel as Label, YearColumns};
use crate::model::{Entry, Field, Indicator, RawCell, RawSheet, Sheet, TypedCell};
use std::collections::{BTreeMap, BTreeSet};
use unicode_normalization::UnicodeNormalization;

/// Distinct table labels a row pair must show to be the table header. The official header
/// has 13; four rules out a summary table that mentions a few of the same words.
const MIN_HEADER_SCORE: usize = 4;

/// How far right of a header label its value is looked for when the value area is empty.
const HEADER_VALUE_REACH: u32 = 3;

/// Longest text (in characters) that is considered as a table label.
const MAX_TABLE_LABEL_CHARS: usize = 40;

/// Label text reduced to what identifies it: NFKC (full-width → half-width, `（` → `(`,
/// `Ｒ６` → `R6`), no whitespace at all (line breaks, full-width spaces), lower case, no `.`,
/// no invisible characters (`grammar::invisible`: a label reads as it shows).
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    normalize_into(s, &mut out);
    out
}

/// [`normalize`] into `out` (cleared first), so that a scan reuses one buffer.
fn normalize_into(s: &str, out: &mut String) {
    // Speed: text made only of characters that NFKC maps one by one ([`simple_nfkc`]) skips
    // the decompose/recompose pass, and ASCII letters are lowered without the Unicode tables.
    // Same result either way.
    let keep = |c: char| !c.is_whitespace() && c != '.' && !crate::grammar::invisible(c);
    out.clear();
    for c in s.chars() {
        match simple_nfkc(c) {
            // These characters are caseless apart from ASCII letters.
            Some(m) if keep(m) => out.push(m.to_ascii_lowercase()),
            Some(_) => {}
            None => {
                out.clear();
                s.nfkc().filter(|&c| keep(c)).flat_map(char::to_lowercase).for_each(|c| out.push(c));
                return;
            }
        }
    }
}

/// What NFKC makes of `c` when that is one character and does not depend on the neighbours:
/// full-width ASCII (`Ｒ６（）：％`) → ASCII, the full-width space → a space, and unchanged:
/// ASCII, CJK punctuation up to 〩 (not the combining marks after it), hiragana, katakana with
/// ・ and ー (not the half-width forms), the CJK unified ideographs and the marks sheets use
/// (`○△×◎●□■▲▽◆◇☆★※`). `None` for anything else. Checked against Python's `unicodedata`
/// (Unicode 14) and, in the tests, against the NFKC of this crate: each result is a single
/// character with combining class 0 that no canonical composition takes as its second
/// character, so no neighbour can change it; all are caseless apart from ASCII letters.
fn simple_nfkc(c: char) -> Option<char> {
    match c {
        '\u{0}'..='\u{7F}'
        | '\u{3001}'..='\u{3029}'
        | '\u{3041}'..='\u{3096}'
        | '\u{30A1}'..='\u{30FC}'
        | '\u{4E00}'..='\u{9FFF}'
        | '×'
        | '※'
        | '■'
        | '□'
        | '▲'
        | '△'
        | '▽'
        | '◆'
        | '◇'
        | '○'
        | '◎'
        | '●'
        | '★'
        | '☆' => Some(c),
        '\u{3000}' => Some(' '),
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0),
        _ => None,
    }
}

/// Whether `normalize(s)` can be one of the labels this module looks for (table, year, header
/// field, title), told from its first character where that is cheap: false only when it
/// certainly is not. A first character NFKC maps on its own and that is not followed by one
/// it may compose with is the normalized text's first character.
fn could_be_label(s: &str, known: &KnownLabels) -> bool {
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        let Some(m) = simple_nfkc(c) else { return true };
        if m.is_whitespace() || m == '.' {
            continue;
        }
        if chars.next().is_some_and(|d| simple_nfkc(d).is_none()) {
            return true;
        }
        return known.first_chars.contains(&m.to_ascii_lowercase());
    }
    false // normalizes to nothing
}

/// The normalized labels of a layout, computed once per layout.
struct KnownLabels {
    /// Table labels, in layout order (the first match wins).
    table: Vec<(String, Label)>,
    /// Header fields with every accepted label, in layout order (the first match wins).
    header: Vec<(Field, String)>,
    title: String,
    /// `Ｒ６目標`, `Ｒ６実績` … (the year columns' words).
    year: YearColumns,
    /// The first characters of all of the above and of [`layout::YEAR_LABEL_FIRST_CHARS`].
    first_chars: Vec<char>,
}

impl KnownLabels {
    fn new(layout: &Layout) -> KnownLabels {
        let table: Vec<(String, Label)> = layout.table_labels().map(|(t, l)| (normalize(t), l)).collect();
        let header: Vec<(Field, String)> = layout.header_labels().map(|(t, f)| (f, normalize(t))).collect();
        let title = normalize(layout.title);
        let mut first_chars: Vec<char> = layout::YEAR_LABEL_FIRST_CHARS.to_vec();
        let labels = table.iter().map(|(l, _)| l).chain(header.iter().map(|(_, l)| l));
        first_chars.extend(labels.chain([&title]).filter_map(|l| l.chars().next()));
        first_chars.sort_unstable();
        first_chars.dedup();
        KnownLabels { table, header, title, year: YearColumns::new(layout, normalize), first_chars }
    }

    fn label_of(&self, norm: &str) -> Option<Label> {
        if let Some(f) = self.year.field(norm) {
            return Some(Label::Column(f));
        }
        self.table.iter().find(|(l, _)| l == norm).map(|(_, label)| *label)
    }

    /// A fixed table label followed by a note in brackets, as forms annotate their headers
    /// (`評価(○・△・×)`, `目標達成状況(評価の理由)`, `今後の方針(改善策)`): the label. Not a
    /// year column's word: the department file's 一覧 heads `目標値（記載どおり）`, and must not
    /// read as a goal sheet.
    fn annotated_label_of(&self, norm: &str) -> Option<Label> {
        let (label, _) = layout::split_bracketed_end(norm)?;
        self.table.iter().find(|(l, _)| l == label).map(|(_, label)| *label)
    }
}

/// The labels of [`layout::OFFICIAL`], normalized once.
fn known_labels() -> &'static KnownLabels {
    static LABELS: std::sync::OnceLock<KnownLabels> = std::sync::OnceLock::new();
    LABELS.get_or_init(|| KnownLabels::new(&layout::OFFICIAL))
}

/// The label cells of a grid, found in one pass ([`scan`]).
#[derive(Default)]
struct Scan {
    /// Table labels (texts of at most [`MAX_TABLE_LABEL_CHARS`]) by row: `(column, label)`.
    table: BTreeMap<u32, Vec<(u32, Label)>>,
    /// Cells that read as a header field's label, in row-major order.
    header: Vec<((u32, u32), Field)>,
    /// Header label cells that hold the value too, after a colon (`作成日：R6.4.1`): the value.
    value_in_label: Vec<((u32, u32), String)>,
    /// Cells that read as the title.
    title: Vec<(u32, u32)>,
}

fn scan(grid: &Grid, known: &KnownLabels) -> Scan {
    let mut found = Scan::default();
    let mut norm = String::new();
    for (&(r, c), t) in &grid.cells {
        if !could_be_label(t, known) {
            continue;
        }
        normalize_into(t, &mut norm);
        let short = t.len() <= MAX_TABLE_LABEL_CHARS || t.chars().count() <= MAX_TABLE_LABEL_CHARS;
        if let Some(l) = known.label_of(&norm).or_else(|| known.annotated_label_of(&norm)).filter(|_| short) {
            found.table.entry(r).or_default().push((c, l));
        }
        if let Some((f, _)) = known.header.iter().find(|(_, l)| *l == norm) {
            found.header.push(((r, c), *f));
        } else if let Some((f, value)) = label_with_colon(t, &norm, known) {
            found.header.push(((r, c), f));
            if !value.is_empty() {
                found.value_in_label.push(((r, c), value.to_string()));
            }
        }
        if norm == known.title {
            found.title.push((r, c));
        }
    }
    found
}

/// A header label followed by a colon, and perhaps its value in the same cell (`作成日：`,
/// `作成日：R6.4.1`, `年度: 令和6年度`): the field and the value as written, empty when the
/// value is elsewhere (`norm` is `text` normalized).
fn label_with_colon<'t>(text: &'t str, norm: &str, known: &KnownLabels) -> Option<(Field, &'t str)> {
    let (label, _) = norm.split_once(':')?;
    let (field, _) = known.header.iter().find(|(_, l)| l == label)?;
    let value = text.split_once(['：', ':']).map(|(_, v)| v.trim())?;
    Some((*field, value))
}

/// Whether `grid`'s text may hold the table header of `layout` (finding the table needs at
/// least four different table labels), told before its numbers and dates are
/// formatted: labels are text, so a sheet without enough of them is not a goal sheet
/// whatever its other cells show.
pub fn may_be_goal_sheet(grid: &Grid, layout: &Layout) -> bool {
    let own;
    let known = if std::ptr::eq(layout, &layout::OFFICIAL) {
        known_labels()
    } else {
        own = KnownLabels::new(layout);
        &own
    };
    let mut seen: Vec<Label> = Vec::new();
    let mut norm = String::new();
    for t in grid.cells.values() {
        if !could_be_label(t, known) {
            continue;
        }
        normalize_into(t, &mut norm);
        let short = t.len() <= MAX_TABLE_LABEL_CHARS || t.chars().count() <= MAX_TABLE_LABEL_CHARS;
        if let Some(l) = known.label_of(&norm).filter(|l| short && !seen.contains(l)) {
            seen.push(l);
            if seen.len() >= MIN_HEADER_SCORE {
                return true;
            }
        }
    }
    false
}

/// A grid classified: a goal sheet or any other sheet.
pub enum Located {
    Goal(Box<Sheet>),
    Other(RawSheet),
}

/// Reads one grid in the [`layout::OFFICIAL`] layout.
pub fn locate(grid: Grid) -> Located {
    locate_known(grid, known_labels())
}

/// Reads one grid in `layout`: the official one (its labels normalized once for the process)
/// or another (a test's, with a label renamed).
pub fn locate_with(grid: Grid, layout: &Layout) -> Located {
    if std::ptr::eq(layout, &layout::OFFICIAL) {
        return locate(grid);
    }
    locate_known(grid, &KnownLabels::new(layout))
}

fn locate_known(grid: Grid, known: &KnownLabels) -> Located {
    let labels = scan(&grid, known);
    match find_table(&grid, &labels.table) {
        Some(t) => Located::Goal(Box::new(build(grid, t, &labels))),
        None => Located::Other(raw_sheet(grid)),
    }
}

/// Every non-empty cell, verbatim (moved, not copied: a large summary sheet is held once).
pub fn raw_sheet(grid: Grid) -> RawSheet {
    RawSheet { name: grid.name, cells: raw_cells(grid.cells, grid.typed, |_| true) }
}

/// The cells `keep` accepts, with what they hold when it is not plain text, in row-major
/// order (a formula without a cached value has no text and is kept too).
fn raw_cells(
    cells: BTreeMap<(u32, u32), String>,
    mut typed: BTreeMap<(u32, u32), TypedCell>,
    keep: impl Fn(&(u32, u32)) -> bool,
) -> Vec<RawCell> {
    let mut out: Vec<RawCell> = Vec::with_capacity(cells.len());
    let mut textless = Vec::new();
    for (k, text) in cells {
        if keep(&k) {
            let typed = if typed.is_empty() { None } else { typed.remove(&k) };
            out.push(RawCell { cell: CellRef::new(k.0, k.1), text, typed });
        }
    }
    for (k, t) in typed {
        // Only cells without text are left here.
        if keep(&k) {
            textless.push(RawCell { cell: CellRef::new(k.0, k.1), text: String::new(), typed: Some(t) });
        }
    }
    if !textless.is_empty() {
        out.extend(textless);
        out.sort_by_key(|c| (c.cell.row, c.cell.col));
    }
    out
}

/// Where the table is.
#[derive(Debug)]
struct Table {
    header_row: u32,
    /// First row after the header rows.
    first_data_row: u32,
    columns: BTreeMap<Field, u32>,
    /// Label cells of the table header (consumed).
    label_cells: Vec<CellRef>,
    target_label: Option<CellRef>,
    result_label: Option<CellRef>,
    /// Every `Ｒn目標` / `Ｒn結果` label of the header, row by row: a sheet may show last
    /// year's pair beside this year's. [`choose_year_columns`] picks the pair of the sheet's
    /// fiscal year.
    year_labels: Vec<(Field, CellRef)>,
}

fn find_table(grid: &Grid, by_row: &BTreeMap<u32, Vec<(u32, Label)>>) -> Option<Table> {
    let mut best: Option<(usize, u32)> = None;
    for &r in by_row.keys() {
        let mut set: BTreeSet<Label> = BTreeSet::new();
        for rr in [r, r + 1] {
            for (_, l) in by_row.get(&rr).into_iter().flatten() {
                set.insert(*l);
            }
        }
        let score = set.len();
        if score >= MIN_HEADER_SCORE && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, r));
        }
    }
    let (_, header_row) = best?;
    let mut columns: BTreeMap<Field, u32> = BTreeMap::new();
    let mut label_cells = Vec::new();
    let mut year_labels = Vec::new();
    let mut last_header_row = header_row;
    for rr in [header_row, header_row + 1] {
        for &(c, l) in by_row.get(&rr).into_iter().flatten() {
            let cell = CellRef::new(rr, c);
            label_cells.push(cell);
            let end_row = grid.merge_at(cell).map_or(rr, |m| m.end.row);
            last_header_row = last_header_row.max(end_row);
            if let Label::Column(f @ (Field::Target | Field::Result)) = l {
                label_cells.pop();
                year_labels.push((f, cell));
                continue;
            }
            if let Label::Column(f) = l {
                // The first label wins (a stray repeat further right stays an extra cell).
                if columns.contains_key(&f) {
                    label_cells.pop();
                    continue;
                }
                columns.insert(f, c);
            }
        }
    }
    Some(Table {
        header_row,
        first_data_row: last_header_row + 1,
        columns,
        label_cells,
        target_label: None,
        result_label: None,
        year_labels,
    })
}

/// Takes as the target and the result the `Ｒn目標` / `Ｒn結果` columns whose year is the
/// sheet's fiscal year (`fiscal_year`, as read), else the first of each; the other pairs
/// stay in place as extra cells. When the header holds more than one of either, every one of
/// them is recorded in [`Sheet::year_labels`] (GS407 reports a sheet none of whose pairs is
/// for its year).
fn choose_year_columns(grid: &Grid, t: &mut Table, fiscal_year: &str, sheet: &mut Sheet) {
    let year = crate::grammar::year::parse_fiscal_year(fiscal_year);
    for field in [Field::Target, Field::Result] {
        let candidates: Vec<CellRef> = t.year_labels.iter().filter(|(f, _)| *f == field).map(|(_, c)| *c).collect();
        let of_year = |c: &&CellRef| {
            year.is_some() && crate::grammar::year::parse_header_year(grid.text(**c).unwrap_or_default()) == year
        };
        let Some(&chosen) = candidates.iter().find(of_year).or(candidates.first()) else { continue };
        t.columns.insert(field, chosen.col);
        t.label_cells.push(chosen);
        match field {
            Field::Target => t.target_label = Some(chosen),
            _ => t.result_label = Some(chosen),
        }
    }
    let several = |field: Field| t.year_labels.iter().filter(|(f, _)| *f == field).count() > 1;
    if several(Field::Target) || several(Field::Result) {
        sheet.year_labels = t
            .year_labels
            .iter()
            .map(|(_, c)| RawCell { cell: *c, text: grid.text(*c).unwrap_or_default().to_string(), typed: None })
            .collect();
    }
}

/// A value and where it came from (its text borrowed from the grid).
#[derive(Debug, Clone, Copy)]
struct Found<'g> {
    /// The text the value stands for: empty for a formula whose value is not known (no cached
    /// value, or a generator's placeholder), which must not be read as the value.
    text: &'g str,
    cell: CellRef,
    merged: Option<CellRange>,
    /// The value's own cell is in this row (not carried down from a merge above).
    own: bool,
    /// What the cell holds when it is not plain text.
    typed: Option<&'g TypedCell>,
}

impl Found<'_> {
    /// Whether the cell holds anything: text, or a formula even without a value.
    fn is_filled(&self) -> bool {
        !self.text.is_empty() || self.typed.is_some()
    }
}

/// The value shown at `c`: its own text, or the top-left text of the merged area covering it
/// (`merge`, looked up by the caller, which often needs it too).
fn value_at(grid: &Grid, c: CellRef, merge: Option<CellRange>) -> Found<'_> {
    let (cell, merged, own) = match merge {
        Some(m) => (m.start, Some(m), m.start.row == c.row),
        None => (c, None, true),
    };
    found_at(grid, cell, merged, own)
}

fn found_at(grid: &Grid, cell: CellRef, merged: Option<CellRange>, own: bool) -> Found<'_> {
    let typed = if grid.typed.is_empty() { None } else { grid.typed_at(cell) };
    let text = match typed {
        Some(t) if t.lacks_value() => "",
        _ => grid.text(cell).unwrap_or_default(),
    };
    Found { text, cell, merged, own, typed }
}

/// The table cells of one row, each merged area looked up once however many questions the
/// row's reading asks about it.
struct RowCells<'g> {
    grid: &'g Grid,
    row: u32,
    merges: Vec<(u32, Option<CellRange>)>,
}

impl<'g> RowCells<'g> {
    fn new(grid: &'g Grid) -> RowCells<'g> {
        RowCells { grid, row: 0, merges: Vec::new() }
    }

    /// Moves to `row` (keeping the buffer: one per table, not one per row).
    fn start(&mut self, row: u32) {
        self.row = row;
        self.merges.clear();
    }

    fn merge(&mut self, col: u32) -> Option<CellRange> {
        if let Some(&(_, m)) = self.merges.iter().find(|(c, _)| *c == col) {
            return m;
        }
        let m = self.grid.merge_at(CellRef::new(self.row, col));
        self.merges.push((col, m));
        m
    }

    fn value(&mut self, col: u32) -> Found<'g> {
        let merge = self.merge(col);
        value_at(self.grid, CellRef::new(self.row, col), merge)
    }
}

/// How many rows below a table ending in blank rows its legend is looked for.
const LEGEND_REACH: u32 = 3;

/// Consumes the legend cells among `row`'s, and records the first in [`Sheet::legend`] when
/// it is the sheet's own (the official legend means what no legend means, so it is not
/// recorded: a sheet written without one reads back the same); whether the row held one.
fn take_legend<'g>(
    row: impl Iterator<Item = (&'g (u32, u32), &'g String)>,
    sheet: &mut Sheet,
    consumed: &mut Vec<(u32, u32)>,
) -> bool {
    let mut found = false;
    for (k, text) in row {
        let Some(legend) = Legend::parse(text) else { continue };
        if !found && !legend.is_default() {
            sheet.legend = text.clone();
        }
        found = true;
        consumed.push(*k);
    }
    found
}

/// How many blank rows a division may leave between two entries (spacers) for the table to go
/// on below them.
const SPACER_REACH: u32 = 3;

/// Whether the table goes on after the blank row `blank`: the next row that is not blank,
/// within [`SPACER_REACH`], starts an entry as the table's rows do (a No. that is a number and
/// an indicator), or goes on with one (no No., an indicator with a target or result, not the
/// header's own label). Without this, every row below a spacer was silently left out.
fn resumes_after(grid: &Grid, t: &Table, blank: u32, last_row: u32) -> bool {
    let Some(&no_col) = t.columns.get(&Field::No) else { return false };
    for r in blank + 1..=blank.saturating_add(SPACER_REACH).min(last_row) {
        let has_text = grid.cells.range((r, 0)..(r + 1, 0)).next().is_some();
        if !has_text && grid.typed.range((r, 0)..(r + 1, 0)).next().is_none() {
            continue;
        }
        let at =
            |f: Field| t.columns.get(&f).and_then(|&c| grid.text(CellRef::new(r, c))).filter(|v| !v.trim().is_empty());
        let Some(name) = at(Field::Name) else { return false };
        let no_cell = grid.text(CellRef::new(r, no_col));
        if no_cell.is_none() && !grid.typed.contains_key(&(r, no_col)) {
            // An indicator of the entry above, unless it is a second table's header row.
            let label = t.label_cells.iter().any(|c| grid.text(*c) == Some(name));
            return !label && (at(Field::Target).is_some() || at(Field::Result).is_some());
        }
        // A No. made by a formula with no cached value has no text but is a number.
        return no_cell.is_none_or(|n| crate::grammar::no::parse_no(n).is_some());
    }
    false
}

/// Whether a row is a note under the table: its one text, in the No. or 組織目標 column (or
/// left of them), starts as notes do (`※`, `＊`, `(注)`, `注：`, `注1`, `備考`).
fn note_row<'g>(mut row: impl Iterator<Item = (&'g (u32, u32), &'g String)>, t: &Table) -> bool {
    const MARKS: [&str; 13] =
        ["※", "＊", "*", "(注", "（注", "【注", "備考", "注)", "注）", "注:", "注：", "注1", "注１"];
    let (Some(((_, col), text)), None) = (row.next(), row.next()) else { return false };
    let leftmost = [Field::No, Field::Goal].iter().filter_map(|f| t.columns.get(f)).max().copied();
    leftmost.is_some_and(|c| *col <= c) && MARKS.iter().any(|m| text.trim_start().starts_with(m))
}

fn build(grid: Grid, mut t: Table, labels: &Scan) -> Sheet {
    // Cells whose text went into the model: pushed as found, sorted once at the end.
    let mut consumed: Vec<(u32, u32)> = Vec::with_capacity(grid.cells.len());
    let mut sheet = Sheet::default();
    // The header first: its 年度 chooses among several target/result columns.
    header_fields(&grid, &t, labels, &mut sheet, &mut consumed);
    let fiscal_year = std::mem::take(&mut sheet.fiscal_year);
    choose_year_columns(&grid, &mut t, &fiscal_year, &mut sheet);
    sheet.fiscal_year = fiscal_year;
    let t = &t;
    for c in &t.label_cells {
        consumed.push((c.row, c.col));
    }
    // Group labels live in the header rows too; any table-header cell is consumed when it is
    // a known label (done above). The title above the table is consumed as well.
    consumed.extend(labels.title.iter().filter(|(r, _)| *r < t.header_row));
    for (field, cell) in [(Field::TargetLabel, t.target_label), (Field::ResultLabel, t.result_label)] {
        if let Some(cell) = cell {
            let text = grid.text(cell).unwrap_or_default().to_string();
            if let Some(s) = sheet.field_mut(field) {
                *s = text;
            }
            sheet.cells.set(field, cell);
            if let Some(m) = grid.merge_at(cell) {
                sheet.merged.set(field, m);
            }
        }
    }
    table(&grid, t, &mut sheet, &mut consumed);
    mark_unseen(&grid, &mut sheet);
    sheet.sheet = grid.name;
    consumed.sort_unstable();
    consumed.dedup();
    sheet.extras = raw_cells(grid.cells, grid.typed, |k| consumed.binary_search(k).is_err());
    sheet.notes = grid
        .notes
        .into_iter()
        .map(|((row, col), text)| crate::model::CellText { cell: CellRef::new(row, col), text })
        .collect();
    sheet
}

/// What of the sheet's values a reviewer does not see as read, in one pass over the cells the
/// values came from (each once): the table's hidden rows and columns that hold a value (a
/// crafted sheet may hide a million empty ones), cells in their background's colour, cells a
/// number format shows as nothing, and struck-through text.
fn mark_unseen(grid: &Grid, sheet: &mut Sheet) {
    use crate::model::{CellText, Level};
    let any = !grid.hidden_rows.is_empty()
        || !grid.hidden_columns.is_empty()
        || !grid.invisible.is_empty()
        || !grid.hidden_by_format.is_empty()
        || !grid.text_formatted.is_empty()
        || !grid.struck.is_empty();
    if !any {
        return;
    }
    let (mut rows, mut columns) = (BTreeSet::new(), BTreeSet::new());
    let (mut invisible, mut hidden_by_format, mut struck) = (Vec::new(), Vec::new(), Vec::new());
    let mut text_formatted = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (location, cell) in crate::finding::Location::read_from_cells(sheet, 0) {
        let at = (cell.row, cell.col);
        if location.field.level() != Level::Sheet {
            if grid.hidden_rows.contains(&cell.row) {
                rows.insert(cell.row + 1);
            }
            if grid.hidden_columns.iter().any(|(a, b)| (a..=b).contains(&&cell.col)) {
                columns.insert(cell.col);
            }
        }
        // A merged cell read into several fields is one cell.
        if !seen.insert(cell) {
            continue;
        }
        if grid.invisible.contains(&at) {
            invisible.push(cell);
        }
        if grid.text_formatted.contains(&at) {
            text_formatted.push(cell);
        }
        if let Some(text) = grid.hidden_by_format.get(&at) {
            hidden_by_format.push(CellText { cell, text: text.clone() });
        }
        if let Some(runs) = grid.struck.get(&at) {
            let text = match runs {
                Some(runs) => runs.clone(),
                None => location.value_in(sheet).unwrap_or_default().to_string(),
            };
            if !text.trim().is_empty() {
                struck.push(CellText { cell, text });
            }
        }
    }
    invisible.sort_unstable_by_key(|c| (c.row, c.col));
    text_formatted.sort_unstable_by_key(|c| (c.row, c.col));
    hidden_by_format.sort_unstable_by_key(|s| (s.cell.row, s.cell.col));
    struck.sort_unstable_by_key(|s| (s.cell.row, s.cell.col));
    sheet.hidden_rows = rows.into_iter().collect();
    sheet.hidden_columns = columns.into_iter().map(CellRef::column_name).collect();
    (sheet.invisible, sheet.hidden_by_format, sheet.struck) = (invisible, hidden_by_format, struck);
    sheet.text_formatted = text_formatted;
}

fn header_fields(grid: &Grid, t: &Table, labels: &Scan, sheet: &mut Sheet, consumed: &mut Vec<(u32, u32)>) {
    // Every cell above the table that is a header label (so a value search stops at the next).
    let label_at: BTreeMap<(u32, u32), Field> =
        labels.header.iter().filter(|((r, _), _)| *r < t.header_row).copied().collect();
    for (&(r, c), &field) in &label_at {
        if sheet.cells.get(field).is_some() {
            continue; // first label wins
        }
        consumed.push((r, c));
        let label_cell = CellRef::new(r, c);
        // In the label's own cell, after a colon (`作成日：R6.4.1`): nothing else is its value.
        if let Some((_, value)) = labels.value_in_label.iter().find(|(at, _)| *at == (r, c)) {
            if let Some(s) = sheet.field_mut(field) {
                *s = value.clone();
            }
            sheet.cells.set(field, label_cell);
            sheet.in_label_cell.push(field);
            continue;
        }
        let label_area = grid.merge_at(label_cell).unwrap_or(CellRange::new(label_cell, label_cell));
        let mut found: Option<Found> = None;
        // 1. Right of the label area, up to the next label.
        let mut col = label_area.end.col + 1;
        let mut steps = 0;
        while steps <= HEADER_VALUE_REACH && col < label_area.end.col + 64 {
            let here = CellRef::new(r, col);
            if label_at.contains_key(&(r, col)) {
                break;
            }
            let merge = grid.merge_at(here);
            let v = value_at(grid, here, merge);
            if v.is_filled() && v.cell.row == r {
                found = Some(v);
                break;
            }
            // Skip the rest of a merged (empty) value area in one step.
            col = merge.map_or(col, |m| m.end.col) + 1;
            steps += 1;
        }
        // 2. Hidden inside the label's own merged area.
        if found.is_none() {
            found = grid
                .cells
                .range((r, label_area.start.col)..=(label_area.end.row, label_area.end.col))
                .find(|(&(rr, cc), _)| label_area.contains(CellRef::new(rr, cc)) && (rr, cc) != (r, c))
                .map(|(&(rr, cc), _)| found_at(grid, CellRef::new(rr, cc), None, true));
        }
        match found {
            Some(v) => {
                consumed.push((v.cell.row, v.cell.col));
                let is_date = layout::header_field(field).is_some_and(|h| h.is_date);
                if is_date && grid.is_typed_text(v.cell) && !sheet.text_dates.contains(&field) {
                    sheet.text_dates.push(field);
                }
                if let Some(s) = sheet.field_mut(field) {
                    *s = v.text.to_string();
                }
                sheet.cells.set(field, v.cell);
                if let Some(m) = v.merged {
                    sheet.merged.set(field, m);
                }
                if let Some(t) = v.typed {
                    sheet.typed.set(field, t.clone());
                }
            }
            None => {
                // Empty: record where the value belongs (right of the label).
                let at = CellRef::new(r, label_area.end.col + 1);
                sheet.cells.set(field, at);
                if let Some(m) = grid.merge_at(at) {
                    sheet.merged.set(field, m);
                }
            }
        }
    }
}

fn table(grid: &Grid, t: &Table, sheet: &mut Sheet, consumed: &mut Vec<(u32, u32)>) {
    let no_col = t.columns.get(&Field::No).copied();
    // Cells are row-major: the last key holds the last row.
    let last_row = grid.cells.last_key_value().map_or(0, |(k, _)| k.0);
    let mut entries: Vec<Entry> = Vec::new();
    let mut row = t.first_data_row;
    let mut seen_data = false;
    let mut cells = RowCells::new(grid);
    while row <= last_row {
        // End of table: the legend row, or a blank row after data.
        let row_cells = grid.cells.range((row, 0)..(row + 1, 0));
        let row_textless = !grid.typed.is_empty() && grid.typed.range((row, 0)..(row + 1, 0)).next().is_some();
        if take_legend(row_cells.clone(), sheet, consumed) {
            break;
        }
        cells.start(row);
        let blank = row_cells.clone().next().is_none() && !row_textless;
        if blank {
            let carried = t
                .columns
                .values()
                .any(|&c| cells.merge(c).is_some_and(|m| m.start.row < row && m.start.row >= t.first_data_row));
            if !carried {
                if seen_data && resumes_after(grid, t, row, last_row) {
                    // A spacer row between entries: the table goes on below it.
                    row += 1;
                    continue;
                }
                if seen_data {
                    // The legend may sit a few blank rows below the table.
                    for below in row + 1..=row + LEGEND_REACH {
                        if take_legend(grid.cells.range((below, 0)..(below + 1, 0)), sheet, consumed) {
                            break;
                        }
                    }
                    break;
                }
                row += 1;
                continue;
            }
        }
        if seen_data && !row_textless && note_row(row_cells.clone(), t) {
            // A note under the table (「※数値は3月末時点」) ends it; the legend may follow.
            for below in row + 1..=row + LEGEND_REACH {
                if take_legend(grid.cells.range((below, 0)..(below + 1, 0)), sheet, consumed) {
                    break;
                }
            }
            break;
        }
        seen_data = true;
        // Does this row start a new entry?
        let starts = match no_col {
            Some(c) => match cells.merge(c) {
                Some(m) => m.start.row == row,
                None => grid.text(CellRef::new(row, c)).is_some(),
            },
            None => false,
        };
        // A blank No. on a row of its own whose 組織目標 differs from the entry above is a new
        // entry that lacks its number (the missing-no rule proposes one), not a continuation.
        let starts = starts
            || no_col.is_some_and(|c| {
                let no = cells.value(c);
                no.text.is_empty()
                    && no.merged.is_none()
                    && t.columns.get(&Field::Goal).is_some_and(|&gc| {
                        let goal = cells.value(gc);
                        goal.own
                            && !goal.text.is_empty()
                            && entries.last().is_some_and(|e| !e.goal.is_empty() && e.goal != goal.text)
                    })
            });
        if starts || entries.is_empty() {
            entries.push(Entry::default());
        }
        let Some(entry) = entries.last_mut() else { break };
        let first_row_of_entry = entry.indicators.is_empty() && entry.cells.is_empty();
        // Entry-level fields: first non-empty value over the entry's rows; later differing
        // values of unmerged continuation rows stay extras.
        for f in [Field::No, Field::Goal, Field::Grade] {
            let Some(&c) = t.columns.get(&f) else { continue };
            let v = cells.value(c);
            let current = entry.field(f).unwrap_or_default();
            if first_row_of_entry || (current.is_empty() && v.is_filled()) {
                if let Some(s) = entry.field_mut(f) {
                    *s = v.text.to_string();
                }
                entry.cells.set(f, v.cell);
                if let Some(m) = v.merged {
                    entry.merged.set(f, m);
                }
                if let Some(t) = v.typed {
                    entry.typed.set(f, t.clone());
                }
                if v.is_filled() {
                    consumed.push((v.cell.row, v.cell.col));
                }
            } else if v.own && !v.text.is_empty() && v.text == current {
                // The same value typed again in an unmerged continuation row.
                consumed.push((v.cell.row, v.cell.col));
            }
        }
        // Indicator fields.
        let mut ind = Indicator::default();
        let mut informative = false;
        for f in Field::INDICATOR {
            let Some(&c) = t.columns.get(&f) else { continue };
            let v = cells.value(c);
            if v.is_filled() {
                consumed.push((v.cell.row, v.cell.col));
                if v.own {
                    informative = true;
                }
            }
            if let Some(s) = ind.field_mut(f) {
                *s = v.text.to_string();
            }
            ind.cells.set(f, v.cell);
            if let Some(m) = v.merged {
                ind.merged.set(f, m);
            }
            if let Some(t) = v.typed {
                ind.typed.set(f, t.clone());
            }
        }
        if informative || entry.indicators.is_empty() {
            entry.indicators.push(ind);
        }
        row += 1;
    }
    // An entry created from rows without any value (only carried merges) is dropped.
    entries.retain(|e| {
        !(e.no.is_empty() && e.goal.is_empty() && e.grade.is_empty())
            || e.indicators.iter().any(|i| Field::ALL.iter().any(|&f| i.field(f).is_some_and(|s| !s.is_empty())))
    });
    sheet.entries = entries;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_path_of_normalize_gives_what_nfkc_gives() {
        for s in [
            "自治会加入率",
            "ひらがな・カタカナー",
            "R6目標",
            "No.",
            "〇△×、。「」〒",
            "Ｒ６目標",
            "組織名　（部）",
            "ｶﾀｶﾅ",
            "か\u{3099}",
        ] {
            assert_eq!(normalize(s), full_normalize(s), "{s}");
        }
    }

    /// NFKC, whitespace, `.` and invisible characters removed, lower case: what [`normalize`] computes, without its
    /// fast path.
    fn full_normalize(s: &str) -> String {
        s.nfkc()
            .filter(|c| !c.is_whitespace() && *c != '.' && !crate::grammar::invisible(*c))
            .flat_map(char::to_lowercase)
            .collect()
    }

    #[test]
    fn every_simple_character_normalizes_on_its_own_as_nfkc_says() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            if let Some(m) = simple_nfkc(c) {
                assert_eq!(c.to_string().nfkc().collect::<String>(), m.to_string(), "{c:?}");
                assert_eq!(m.to_lowercase().collect::<String>(), m.to_ascii_lowercase().to_string(), "{c:?}");
            }
        }
    }

    #[test]
    fn no_two_simple_characters_compose() {
        // Every pair but the ideographs (which are never the second of a composition), with
        // one ideograph for company.
        let small: Vec<char> = (0..=0xFFFF)
            .filter_map(char::from_u32)
            .filter(|&c| simple_nfkc(c).is_some() && !('\u{4E00}'..='\u{9FFF}').contains(&c))
            .chain(['標'])
            .collect();
        for &a in &small {
            for &b in &small {
                let s: String = [a, b].into_iter().collect();
                assert_eq!(normalize(&s), full_normalize(&s), "{s:?}");
            }
        }
    }

    #[test]
    fn the_first_character_prefilter_never_drops_a_label() {
        let known = known_labels();
        let l = &layout::OFFICIAL;
        let raw = l.table_labels().map(|(t, _)| t).chain(l.header_labels().map(|(t, _)| t));
        let year_words = [l.target_words, l.result_words]
            .into_iter()
            .flat_map(|w| w.words.accepted().chain(w.alone.iter().copied()));
        let drifted =
            ["　Ｒ６目標", " r7 結果", "令和６年度目標", "目標値", "R〇実績", "\n組織名　（部）", ".No.", "ＮＯ．"];
        for s in raw.chain(year_words).chain([layout::TITLE]).chain(drifted) {
            assert!(could_be_label(s, known), "{s:?}");
        }
        assert!(!could_be_label("計画どおり", known));
        assert!(!could_be_label(" \u{3000}. ", known), "normalizes to nothing");
        // A character that may change its neighbour, or one NFKC changes, means normalizing.
        assert!(could_be_label("か\u{3099}", known));
        assert!(could_be_label("ｶ", known));
    }

    proptest::proptest! {
        #[test]
        fn a_text_passed_over_is_no_label(s in "[ 　.．rＲR6６〇○元令和年度目標結果実績値組織名部評価No(（)）達成かｶﾞ\u{3099}\u{0301}①a-zＡ-Ｚ]{0,8}") {
            let known = known_labels();
            if !could_be_label(&s, known) {
                let n = normalize(&s);
                let first = n.chars().next();
                proptest::prop_assert!(first.is_none_or(|c| !known.first_chars.contains(&c)), "{s:?} → {n:?}");
                proptest::prop_assert!(known.label_of(&n).is_none());
            }
            if known.year.field(&s).is_some() {
                proptest::prop_assert!(s.starts_with(layout::YEAR_LABEL_FIRST_CHARS), "{s:?}");
            }
        }
    }

    #[test]
    fn normalizes_drifted_labels() {
        assert_eq!(normalize("総合計画（実施計\n画）上の位置づけ"), normalize("総合計画(実施計画)上の位置づけ"));
        assert_eq!(normalize("Ｒ６目標"), "r6目標");
        assert_eq!(normalize("組織名　（部）"), "組織名(部)");
        assert_eq!(normalize(" No. "), "no");
    }

    #[test]
    fn year_labels() {
        let year_label = |s: &str| known_labels().year.field(&normalize(s));
        assert_eq!(year_label("Ｒ６目標"), Some(Field::Target));
        assert_eq!(year_label("R7結果"), Some(Field::Result));
        assert_eq!(year_label("Ｒ６実績"), Some(Field::Result));
        assert_eq!(year_label("Ｒ６目標値"), Some(Field::Target));
        assert_eq!(year_label("R〇目標"), Some(Field::Target));
        assert_eq!(year_label("令和6年度目標"), Some(Field::Target));
        assert_eq!(year_label("目標値"), Some(Field::Target));
        assert_eq!(year_label("目標"), None);
        assert_eq!(year_label("組織目標"), None);
    }

    /// A sheet with last year's target/result columns before this year's (issue 12.7).
    fn two_year_pairs(fiscal_year: &str) -> Sheet {
        let mut g = Grid::new("課");
        g.put(0, 0, "年度".into());
        g.put(0, 1, fiscal_year.into());
        let header = ["No.", "組織目標", "取組指標", "Ｒ５目標", "Ｒ５結果", "Ｒ６目標", "Ｒ６結果", "評価"];
        let row = ["1", "目標", "相談件数", "290件", "300件", "300件", "318件", "○"];
        for (c, (h, v)) in header.iter().zip(row).enumerate() {
            g.put(4, c as u32, h.to_string());
            g.put(5, c as u32, v.to_string());
        }
        match locate(g) {
            Located::Goal(s) => *s,
            Located::Other(_) => panic!("a goal sheet"),
        }
    }

    #[test]
    fn the_pair_of_the_fiscal_year_is_the_target_and_result() {
        let s = two_year_pairs("令和6年度");
        let ind = &s.entries[0].indicators[0];
        assert_eq!((ind.target.as_str(), ind.result.as_str()), ("300件", "318件"));
        assert_eq!((s.target_label.as_str(), s.result_label.as_str()), ("Ｒ６目標", "Ｒ６結果"));
        assert_eq!(ind.cells.get(Field::Result).map(|c| c.to_string()).as_deref(), Some("G6"));
        // Last year's pair stays in place as extras, labels and values.
        let extras: Vec<String> = s.extras.iter().map(|x| format!("{}={}", x.cell, x.text)).collect();
        assert_eq!(extras, ["D5=Ｒ５目標", "E5=Ｒ５結果", "D6=290件", "E6=300件"]);
        assert_eq!(s.year_labels.len(), 4);
    }

    #[test]
    fn without_a_pair_for_the_year_the_first_is_read_and_all_are_recorded() {
        let s = two_year_pairs("令和7年度");
        let ind = &s.entries[0].indicators[0];
        assert_eq!((ind.target.as_str(), ind.result.as_str()), ("290件", "300件"));
        assert_eq!(
            s.year_labels.iter().map(|c| c.text.as_str()).collect::<Vec<_>>(),
            ["Ｒ５目標", "Ｒ５結果", "Ｒ６目標", "Ｒ６結果"]
        );
    }

    fn is_legend(text: &str) -> bool {
        Legend::parse(text).is_some()
    }

    #[test]
    fn legend() {
        assert!(is_legend(layout::LEGEND));
        assert!(is_legend("〇：達成 △：一部未達成 ×：未達成"));
        assert!(is_legend("◎：予定以上 ○：予定どおり △：やや遅れ"));
        assert!(is_legend("★★★《達成!》 ★★《概ね達成》 ★《未達成》"));
        assert!(!is_legend("達成"));
        assert!(!is_legend("○"));
    }
}
