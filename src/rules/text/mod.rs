//! GS6xx: how text is written, in any field.

pub mod invisible_character;
pub mod stray_whitespace;
pub mod unbalanced_brackets;

use crate::finding::Location;
use crate::model::Field;
use crate::rules::SheetCtx;

/// Calls `each` with every value of the sheet and its location, in model order (a merged cell
/// read into several fields once).
pub(crate) fn each_value<'a>(cx: &SheetCtx<'a>, each: impl FnMut(Location, &'a str)) {
    let fields = Field::ALL.into_iter().filter(|f| !matches!(f, Field::TargetLabel | Field::ResultLabel));
    cx.each_cell_once(fields, each);
}

/// Narrative fields, where a leading full-width space is the usual paragraph indent (字下げ).
pub(crate) fn is_prose(f: Field) -> bool {
    matches!(f, Field::Goal | Field::Summary | Field::Status | Field::Policy | Field::PolicyIndicators)
}
