//! GS1xx: required fields by stage, and the numbering of entries (No.).

pub mod duplicate_no;
pub mod missing_evaluation_field;
pub mod missing_no;
pub mod missing_plan_field;
pub mod no_out_of_sequence;

use crate::grammar::quantity::halfwidth_numeric;

/// The number a No. cell holds (`3`, `３`, ` 3 `), if it holds one.
pub(crate) fn parse_no(text: &str) -> Option<u32> {
    let t = text.trim();
    let half = halfwidth_numeric(t).unwrap_or_else(|| t.to_string());
    let half = half.trim().trim_end_matches('.');
    half.parse::<u32>().ok()
}
