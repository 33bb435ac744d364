//! GS7xx: what a cell holds, beyond its text: a formula whose value was never computed, an
//! error value, characters lost in reading, text in its background's colour, struck-through text, a value its format hides. Read from [`crate::model::TypedCell`] where the
//! workbook gave one, from the text otherwise (CSV and JSON carry text only).

pub mod error_value;
pub mod formula_without_value;
pub mod hidden_by_format;
pub mod invisible_text;
pub mod replacement_character;
pub mod struck_through_text;

use crate::finding::Location;
use crate::model::Field;
use crate::rules::SheetCtx;

/// Calls `each` with every field's location and text, headers included, in model order (a
/// merged cell read into several fields once).
pub(crate) fn each_field<'a>(cx: &SheetCtx<'a>, each: impl FnMut(Location, &'a str)) {
    cx.each_cell_once(Field::ALL, each);
}

/// Each value of the sheet read from a cell, with the cell, a cell read into several fields
/// (merged over them) once: for rules about what a cell looks like, not what a field says.
pub(crate) fn each_value_cell<'a>(cx: &SheetCtx<'a>) -> impl Iterator<Item = (Location, crate::address::CellRef)> + 'a {
    let mut seen = std::collections::HashSet::new();
    Location::read_from_cells(cx.sheet, cx.index).filter(move |(_, cell)| seen.insert(*cell))
}

/// A value as a message quotes it: on one line, its first 20 characters.
pub(crate) fn quoted(text: &str) -> String {
    let text = text.trim();
    let shown: String = text.chars().take(20).map(|c| if matches!(c, '\n' | '\r') { ' ' } else { c }).collect();
    if text.chars().count() > 20 {
        format!("{shown}…")
    } else {
        shown
    }
}
