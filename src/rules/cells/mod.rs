//! GS7xx: what a cell holds, beyond its text: a formula whose value was never computed, an
//! error value, characters lost in reading, text in its background's colour, struck-through text. Read from [`crate::model::TypedCell`] where the
//! workbook gave one, from the text otherwise (CSV and JSON carry text only).

pub mod error_value;
pub mod formula_without_value;
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
