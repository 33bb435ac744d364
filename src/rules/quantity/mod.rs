//! GS2xx: targets (Ｒ６目標) and results (Ｒ６結果), read through [`crate::grammar::quantity`].

pub mod fullwidth_digits;
pub mod malformed_quantity;
pub mod result_not_quantity;
pub mod result_qualitative_outcome;
pub mod unit_mismatch;
pub mod unit_missing;

use crate::grammar::quantity::Number;

/// How a unit is shown to people: `%`, `件`, or (none).
pub(crate) fn unit_text(n: &Number) -> &str {
    n.unit.as_deref().unwrap_or("")
}
