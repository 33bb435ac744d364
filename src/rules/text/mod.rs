//! GS6xx: how text is written, in any field.

pub mod stray_whitespace;
pub mod unbalanced_brackets;

use crate::finding::Location;
use crate::model::Field;
use crate::rules::SheetCtx;

/// Every value of the sheet with its location, in model order.
pub(crate) fn all_values<'a>(cx: &SheetCtx<'a>) -> Vec<(Location, &'a str)> {
    let mut out = Vec::new();
    for f in Field::ALL {
        if matches!(f, Field::TargetLabel | Field::ResultLabel) {
            continue;
        }
        cx.values_into(f, &mut out);
    }
    out
}

/// Narrative fields, where a leading full-width space is the usual paragraph indent (字下げ).
pub(crate) fn is_prose(f: Field) -> bool {
    matches!(f, Field::Goal | Field::Summary | Field::Status | Field::Policy | Field::PolicyIndicators)
}
