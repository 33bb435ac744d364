//! Building the model from a text grid by finding the official labels, wherever they are.
//!
//! Real workbooks drift from the template: rows inserted above, the whole sheet shifted right,
//! blank columns inside the table, labels broken over lines, `R6目標` typed half-width,
//! continuation rows left unmerged, header values one cell off. So nothing here uses a fixed
//! address: the table header row is the row whose cells match most of the labels of
//! [`crate::layout`] (after [`normalize`]), each column is mapped by its own label, and each
//! header field is the value next to its label. Every value keeps the cell (and merged area)
//! it came from; every non-empty cell that is not consumed goes to [`Sheet::extras`].

use super::grid::Grid;
use crate::address::{CellRange, CellRef};
use crate::layout::{self, ColumnLabel};
use crate::model::{Entry, Field, Indicator, RawCell, RawSheet, Sheet};
use std::collections::{BTreeMap, BTreeSet};
use unicode_normalization::UnicodeNormalization;

/// Distinct table labels a row pair must show to be the table header. The official header
/// has 13; four rules out a summary table that mentions a few of the same words.
const MIN_HEADER_SCORE: usize = 4;

/// How far right of a header label its value is looked for when the value area is empty.
const HEADER_VALUE_REACH: u32 = 3;

/// Label text reduced to what identifies it: NFKC (full-width → half-width, `（` → `(`,
/// `Ｒ６` → `R6`), no whitespace at all (line breaks, full-width spaces), lower case, no `.`.
pub fn normalize(s: &str) -> String {
    // Speed (this runs on every short cell of every sheet, and was the reader's hot spot):
    // text made only of characters NFKC leaves unchanged whatever surrounds them skips the
    // decompose/recompose pass, and ASCII letters are lowered without the Unicode tables.
    // Same result either way.
    let keep = |c: &char| !c.is_whitespace() && *c != '.';
    let mut out = String::with_capacity(s.len());
    if s.chars().all(nfkc_inert) {
        // These characters are caseless apart from ASCII letters.
        s.chars().filter(keep).for_each(|c| out.push(c.to_ascii_lowercase()));
    } else {
        s.nfkc().filter(keep).flat_map(char::to_lowercase).for_each(|c| out.push(c));
    }
    out
}

/// Characters that NFKC neither changes nor composes with a neighbour of this same set:
/// ASCII, CJK punctuation up to 〩 (not U+3000, the full-width space, nor the combining marks
/// after 〩), hiragana, katakana with ・ and ー (not the half-width forms), and the CJK unified
/// ideographs. Checked against Python's `unicodedata` (Unicode 14): each is NFKC-stable with
/// combining class 0, and no pair of them composes.
fn nfkc_inert(c: char) -> bool {
    c.is_ascii()
        || matches!(c, '\u{3001}'..='\u{3029}' | '\u{3041}'..='\u{3096}' | '\u{30A1}'..='\u{30FC}' | '\u{4E00}'..='\u{9FFF}')
}

/// What a normalized header cell says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Label {
    /// A column's own label.
    Column(Field),
    /// A group label spanning sub-columns (`指標`, `主な取組（事業）`).
    Group(usize),
}

/// The normalized fixed labels of the table, computed once.
fn table_labels() -> &'static [(String, Label)] {
    static LABELS: std::sync::OnceLock<Vec<(String, Label)>> = std::sync::OnceLock::new();
    LABELS.get_or_init(|| {
        let mut v = Vec::new();
        for c in &layout::COLUMNS {
            if let ColumnLabel::Fixed(l) = c.label {
                v.push((normalize(l), Label::Column(c.field)));
            }
        }
        for (i, g) in layout::GROUP_LABELS.iter().enumerate() {
            v.push((normalize(g.label), Label::Group(i)));
        }
        v
    })
}

fn label_of(norm: &str) -> Option<Label> {
    if let Some(f) = year_label(norm) {
        return Some(Label::Column(f));
    }
    table_labels().iter().find(|(l, _)| l == norm).map(|(_, label)| *label)
}

/// `r6目標`, `r〇目標`, `令和6年度目標`, `目標値` … → Target / Result.
fn year_label(norm: &str) -> Option<Field> {
    let stem = norm
        .trim_start_matches('r')
        .trim_start_matches("令和")
        .trim_start_matches(|c: char| c.is_ascii_digit() || c == '〇' || c == '○' || c == '元')
        .trim_start_matches("年度");
    let stem = stem.strip_suffix('値').unwrap_or(stem);
    let year_prefixed = stem.len() < norm.len();
    match stem {
        "目標" if year_prefixed => Some(Field::Target),
        "結果" | "実績" if year_prefixed => Some(Field::Result),
        _ => None,
    }
}

/// A grid classified: a goal sheet or any other sheet.
pub enum Located {
    Goal(Box<Sheet>),
    Other(RawSheet),
}

/// Reads one grid.
pub fn locate(grid: Grid) -> Located {
    match find_table(&grid) {
        Some(t) => Located::Goal(Box::new(build(&grid, &t))),
        None => Located::Other(raw_sheet(grid)),
    }
}

/// Every non-empty cell, verbatim (moved, not copied: a large summary sheet is held once).
pub fn raw_sheet(grid: Grid) -> RawSheet {
    RawSheet {
        name: grid.name,
        cells: grid.cells.into_iter().map(|((r, c), text)| RawCell { cell: CellRef::new(r, c), text }).collect(),
    }
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
}

fn find_table(grid: &Grid) -> Option<Table> {
    // Labels by row.
    let mut by_row: BTreeMap<u32, Vec<(u32, Label)>> = BTreeMap::new();
    for (&(r, c), t) in &grid.cells {
        if t.chars().count() > 40 {
            continue;
        }
        if let Some(l) = label_of(&normalize(t)) {
            by_row.entry(r).or_default().push((c, l));
        }
    }
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
    let mut target_label = None;
    let mut result_label = None;
    let mut last_header_row = header_row;
    for rr in [header_row, header_row + 1] {
        for &(c, l) in by_row.get(&rr).into_iter().flatten() {
            let cell = CellRef::new(rr, c);
            label_cells.push(cell);
            let end_row = grid.merge_at(cell).map_or(rr, |m| m.end.row);
            last_header_row = last_header_row.max(end_row);
            if let Label::Column(f) = l {
                // The first label wins (a stray repeat further right stays an extra cell).
                if columns.contains_key(&f) {
                    label_cells.pop();
                    continue;
                }
                columns.insert(f, c);
                match f {
                    Field::Target => target_label = Some(cell),
                    Field::Result => result_label = Some(cell),
                    _ => {}
                }
            }
        }
    }
    Some(Table { header_row, first_data_row: last_header_row + 1, columns, label_cells, target_label, result_label })
}

/// A value and where it came from.
#[derive(Debug, Clone)]
struct Found {
    text: String,
    cell: CellRef,
    merged: Option<CellRange>,
    /// The value's own cell is in this row (not carried down from a merge above).
    own: bool,
}

/// The value shown at `c`: its own text, or the top-left text of the merged area covering it.
fn value_at(grid: &Grid, c: CellRef) -> Found {
    if let Some(m) = grid.merge_at(c) {
        let text = grid.text(m.start).unwrap_or_default().to_string();
        return Found { text, cell: m.start, merged: Some(m), own: m.start.row == c.row };
    }
    Found { text: grid.text(c).unwrap_or_default().to_string(), cell: c, merged: None, own: true }
}

fn is_legend(text: &str) -> bool {
    // Fast path for the many long table cells: the legend holds ○ (or 〇, or the half-width
    // ￮ that NFKC turns into ○); without one, normalizing cannot make it a legend.
    if !text.contains(['○', '〇', '\u{FFEE}']) {
        return false;
    }
    let n = normalize(text);
    let n = n.replace('〇', "○");
    n.starts_with("○:達成") || n.contains("○:達成△:一部未達成")
}

fn build(grid: &Grid, t: &Table) -> Sheet {
    let mut consumed: BTreeSet<(u32, u32)> = BTreeSet::new();
    let mut sheet = Sheet { sheet: grid.name.clone(), ..Sheet::default() };
    for c in &t.label_cells {
        consumed.insert((c.row, c.col));
    }
    // Group labels live in the header rows too; any table-header cell is consumed when it is
    // a known label (done above). The title above the table is consumed as well.
    for (&(r, c), text) in grid.cells.range((0, 0)..(t.header_row, 0)) {
        if normalize(text) == normalize(layout::TITLE) {
            consumed.insert((r, c));
        }
    }
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
    header_fields(grid, t, &mut sheet, &mut consumed);
    table(grid, t, &mut sheet, &mut consumed);
    sheet.extras = grid
        .cells
        .iter()
        .filter(|(k, _)| !consumed.contains(k))
        .map(|(&(r, c), text)| RawCell { cell: CellRef::new(r, c), text: text.clone() })
        .collect();
    sheet
}

fn header_fields(grid: &Grid, t: &Table, sheet: &mut Sheet, consumed: &mut BTreeSet<(u32, u32)>) {
    let labels: Vec<(Field, String, String)> =
        layout::HEADER_FIELDS.iter().map(|h| (h.field, normalize(h.label), normalize(h.field.label_ja()))).collect();
    // Every cell above the table that is a header label (so a value search stops at the next).
    let mut label_at: BTreeMap<(u32, u32), Field> = BTreeMap::new();
    for (&(r, c), text) in grid.cells.range((0, 0)..(t.header_row, 0)) {
        let n = normalize(text);
        if let Some((f, _, _)) = labels.iter().find(|(_, full, short)| &n == full || &n == short) {
            label_at.insert((r, c), *f);
        }
    }
    for (&(r, c), &field) in &label_at {
        if sheet.cells.get(field).is_some() {
            continue; // first label wins
        }
        consumed.insert((r, c));
        let label_cell = CellRef::new(r, c);
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
            let v = value_at(grid, here);
            if !v.text.is_empty() && v.cell.row == r {
                found = Some(v);
                break;
            }
            // Skip the rest of a merged (empty) value area in one step.
            col = grid.merge_at(here).map_or(col, |m| m.end.col) + 1;
            steps += 1;
        }
        // 2. Hidden inside the label's own merged area.
        if found.is_none() {
            found = grid
                .cells
                .range((r, label_area.start.col)..=(label_area.end.row, label_area.end.col))
                .find(|(&(rr, cc), _)| label_area.contains(CellRef::new(rr, cc)) && (rr, cc) != (r, c))
                .map(|(&(rr, cc), text)| Found {
                    text: text.clone(),
                    cell: CellRef::new(rr, cc),
                    merged: None,
                    own: true,
                });
        }
        match found {
            Some(v) => {
                consumed.insert((v.cell.row, v.cell.col));
                let is_date = layout::header_field(field).is_some_and(|h| h.is_date);
                if is_date && grid.is_typed_text(v.cell) && !sheet.text_dates.contains(&field) {
                    sheet.text_dates.push(field);
                }
                if let Some(s) = sheet.field_mut(field) {
                    *s = v.text;
                }
                sheet.cells.set(field, v.cell);
                if let Some(m) = v.merged {
                    sheet.merged.set(field, m);
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

fn table(grid: &Grid, t: &Table, sheet: &mut Sheet, consumed: &mut BTreeSet<(u32, u32)>) {
    let table_cols: Vec<u32> = t.columns.values().copied().collect();
    let no_col = t.columns.get(&Field::No).copied();
    let last_row = grid.cells.keys().map(|k| k.0).max().unwrap_or(0);
    let mut entries: Vec<Entry> = Vec::new();
    let mut row = t.first_data_row;
    let mut seen_data = false;
    while row <= last_row {
        // End of table: the legend row, or a blank row after data.
        let row_cells: Vec<(&(u32, u32), &String)> = grid.cells.range((row, 0)..(row + 1, 0)).collect();
        if row_cells.iter().any(|(_, text)| is_legend(text)) {
            for (k, text) in &row_cells {
                if is_legend(text) {
                    consumed.insert(**k);
                }
            }
            break;
        }
        let carried = table_cols.iter().any(|&c| {
            grid.merge_at(CellRef::new(row, c)).is_some_and(|m| m.start.row < row && m.start.row >= t.first_data_row)
        });
        if row_cells.is_empty() && !carried {
            if seen_data {
                break;
            }
            row += 1;
            continue;
        }
        seen_data = true;
        // Does this row start a new entry?
        let starts = match no_col {
            Some(c) => {
                let cell = CellRef::new(row, c);
                match grid.merge_at(cell) {
                    Some(m) => m.start.row == row,
                    None => grid.text(cell).is_some(),
                }
            }
            None => false,
        };
        // A blank No. on a row of its own whose 組織目標 differs from the entry above is a new
        // entry that lacks its number (the missing-no rule proposes one), not a continuation.
        let starts = starts
            || no_col.is_some_and(|c| {
                let no = value_at(grid, CellRef::new(row, c));
                no.text.is_empty()
                    && no.merged.is_none()
                    && t.columns.get(&Field::Goal).is_some_and(|&gc| {
                        let goal = value_at(grid, CellRef::new(row, gc));
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
            let v = value_at(grid, CellRef::new(row, c));
            let current = entry.field(f).unwrap_or_default().to_string();
            if first_row_of_entry || (current.is_empty() && !v.text.is_empty()) {
                if let Some(s) = entry.field_mut(f) {
                    *s = v.text.clone();
                }
                entry.cells.set(f, v.cell);
                if let Some(m) = v.merged {
                    entry.merged.set(f, m);
                }
                if !v.text.is_empty() {
                    consumed.insert((v.cell.row, v.cell.col));
                }
            } else if v.own && !v.text.is_empty() && v.text == current {
                // The same value typed again in an unmerged continuation row.
                consumed.insert((v.cell.row, v.cell.col));
            }
        }
        // Indicator fields.
        let mut ind = Indicator::default();
        let mut informative = false;
        for f in Field::INDICATOR {
            let Some(&c) = t.columns.get(&f) else { continue };
            let v = value_at(grid, CellRef::new(row, c));
            if !v.text.is_empty() {
                consumed.insert((v.cell.row, v.cell.col));
                if v.own {
                    informative = true;
                }
            }
            if let Some(s) = ind.field_mut(f) {
                *s = v.text;
            }
            ind.cells.set(f, v.cell);
            if let Some(m) = v.merged {
                ind.merged.set(f, m);
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
            let full: String =
                s.nfkc().filter(|c| !c.is_whitespace() && *c != '.').flat_map(char::to_lowercase).collect();
            assert_eq!(normalize(s), full, "{s}");
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
        assert_eq!(year_label(&normalize("Ｒ６目標")), Some(Field::Target));
        assert_eq!(year_label(&normalize("R7結果")), Some(Field::Result));
        assert_eq!(year_label(&normalize("R〇目標")), Some(Field::Target));
        assert_eq!(year_label(&normalize("令和6年度目標")), Some(Field::Target));
        assert_eq!(year_label(&normalize("目標")), None);
        assert_eq!(year_label(&normalize("組織目標")), None);
    }

    #[test]
    fn legend() {
        assert!(is_legend(layout::LEGEND));
        assert!(is_legend("〇：達成 △：一部未達成 ×：未達成"));
        assert!(!is_legend("達成"));
    }
}
