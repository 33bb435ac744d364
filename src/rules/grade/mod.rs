//! GS3xx: grades (評価), read through [`crate::grammar::grade`].

pub mod grade_inconsistent;
pub mod grade_variant;
pub mod unknown_grade;

use crate::grammar::grade::Grade;
use crate::rules::SheetCtx;

/// The grade an entry's cell means, read against the sheet's legend: written canonically, as
/// a legend symbol (◎ counts as achieved where the legend says so) or as a clear variant.
pub(crate) fn meant(cx: &SheetCtx<'_>, text: &str) -> Option<Grade> {
    cx.grade(text).grade()
}

/// ○ 達成 / △ 一部未達成 / × 未達成, in both languages.
pub(crate) fn describe(g: Grade) -> (&'static str, &'static str) {
    match g {
        Grade::Achieved => ("○（達成）", "○ (achieved)"),
        Grade::Partly => ("△（一部未達成）", "△ (partly achieved)"),
        Grade::NotAchieved => ("×（未達成）", "× (not achieved)"),
    }
}
