//! GS3xx: grades (評価), read through [`crate::grammar::grade`].

pub mod grade_inconsistent;
pub mod grade_variant;
pub mod unknown_grade;

use crate::grammar::grade::{parse_grade, Grade};

/// The grade an entry's cell means, whether written canonically or as a clear variant.
pub(crate) fn meant(text: &str) -> Option<Grade> {
    parse_grade(text).grade()
}

/// ○ 達成 / △ 一部未達成 / × 未達成, in both languages.
pub(crate) fn describe(g: Grade) -> (&'static str, &'static str) {
    match g {
        Grade::Achieved => ("○（達成）", "○ (achieved)"),
        Grade::Partly => ("△（一部未達成）", "△ (partly achieved)"),
        Grade::NotAchieved => ("×（未達成）", "× (not achieved)"),
    }
}
