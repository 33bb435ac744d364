//! Grades in 評価: the legend's ○ △ ×, and what people type instead.
//!
//! # Grammar
//! Surrounding whitespace (including the ideographic space and line breaks) is ignored.
//!
//! - Empty → [`GradeCell::Empty`] (not yet graded).
//! - Exactly `○` (U+25CB), `△` (U+25B3) or `×` (U+00D7) → [`GradeCell::Canonical`].
//! - A variant with one clear meaning → [`GradeCell::Variant`], which a fix may normalize:
//!   - achieved: `〇` (U+3007, the kanji zero, the most common slip), `◯` (U+25EF large circle),
//!     `⭕` (U+2B55), `○` followed by a variation selector, `達成`;
//!   - partly: `一部未達成`, `一部達成`, `▵` (U+25B5 small white triangle);
//!   - not achieved: `✕` `☓` `✖` `╳` `⨯` `✗` `✘` `x` `X` `ｘ` `Ｘ`, `未達成`.
//! - Anything else → [`GradeCell::Unknown`]. Deliberately so for `●` (filled circle: some
//!   offices use it for "done", others as a bullet), `▲` (filled triangle: also the accounting
//!   minus sign), `◎` (double circle: "better than achieved"?), `-`, `済`, and two symbols in
//!   one cell. A guess would silently change an evaluation; these are left for a person.

/// The three grades of the legend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Grade {
    /// ○ 達成
    Achieved,
    /// △ 一部未達成
    Partly,
    /// × 未達成
    NotAchieved,
}

impl Grade {
    /// The legend's symbol.
    pub fn symbol(self) -> &'static str {
        match self {
            Grade::Achieved => "○",
            Grade::Partly => "△",
            Grade::NotAchieved => "×",
        }
    }

    /// The legend's word: `達成`, `一部未達成`, `未達成`.
    pub fn label_ja(self) -> &'static str {
        match self {
            Grade::Achieved => "達成",
            Grade::Partly => "一部未達成",
            Grade::NotAchieved => "未達成",
        }
    }

    /// `achieved`, `partly achieved`, `not achieved`.
    pub fn label_en(self) -> &'static str {
        match self {
            Grade::Achieved => "achieved",
            Grade::Partly => "partly achieved",
            Grade::NotAchieved => "not achieved",
        }
    }

    /// The grade a symbol of the legend stands for (`○`, `△`, `×` exactly).
    pub fn from_symbol(s: &str) -> Option<Grade> {
        match s {
            "○" => Some(Grade::Achieved),
            "△" => Some(Grade::Partly),
            "×" => Some(Grade::NotAchieved),
            _ => None,
        }
    }
}

/// What a grade cell holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GradeCell {
    /// Nothing (not yet graded).
    Empty,
    /// Exactly ○, △ or × (surrounding whitespace allowed).
    Canonical(Grade),
    /// A variant with one clear meaning (〇 ◯ ⭕ ✕ ☓ ✖ x X ｘ, 達成 / 一部未達成 / 未達成).
    Variant { grade: Grade, found: String },
    /// Anything else.
    Unknown,
}

impl GradeCell {
    /// The grade, whether written canonically or as a clear variant.
    pub fn grade(&self) -> Option<Grade> {
        match self {
            GradeCell::Canonical(g) | GradeCell::Variant { grade: g, .. } => Some(*g),
            GradeCell::Empty | GradeCell::Unknown => None,
        }
    }
}

/// Variants with one clear meaning.
const VARIANTS: &[(&str, Grade)] = &[
    ("〇", Grade::Achieved),
    ("◯", Grade::Achieved),
    ("⭕", Grade::Achieved),
    ("⭕\u{FE0F}", Grade::Achieved),
    ("○\u{FE0F}", Grade::Achieved),
    ("○\u{FE0E}", Grade::Achieved),
    ("達成", Grade::Achieved),
    ("一部未達成", Grade::Partly),
    ("一部達成", Grade::Partly),
    ("▵", Grade::Partly),
    ("△\u{FE0F}", Grade::Partly),
    ("✕", Grade::NotAchieved),
    ("☓", Grade::NotAchieved),
    ("✖", Grade::NotAchieved),
    ("✖\u{FE0F}", Grade::NotAchieved),
    ("╳", Grade::NotAchieved),
    ("⨯", Grade::NotAchieved),
    ("✗", Grade::NotAchieved),
    ("✘", Grade::NotAchieved),
    ("x", Grade::NotAchieved),
    ("X", Grade::NotAchieved),
    ("ｘ", Grade::NotAchieved),
    ("Ｘ", Grade::NotAchieved),
    ("未達成", Grade::NotAchieved),
];

/// Reads a grade cell.
pub fn parse_grade(text: &str) -> GradeCell {
    let t = text.trim();
    if t.is_empty() {
        return GradeCell::Empty;
    }
    if let Some(g) = Grade::from_symbol(t) {
        return GradeCell::Canonical(g);
    }
    match VARIANTS.iter().find(|(v, _)| *v == t) {
        Some((_, grade)) => GradeCell::Variant { grade: *grade, found: t.to_string() },
        None => GradeCell::Unknown,
    }
}

/// The grade an entry earns from its indicators: all met → ○, none → ×, some → △; `None`
/// for no indicators.
pub fn from_achievements(met: &[bool]) -> Option<Grade> {
    if met.is_empty() {
        None
    } else if met.iter().all(|m| *m) {
        Some(Grade::Achieved)
    } else if met.iter().any(|m| *m) {
        Some(Grade::Partly)
    } else {
        Some(Grade::NotAchieved)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_symbols_with_whitespace() {
        assert_eq!(parse_grade("○"), GradeCell::Canonical(Grade::Achieved));
        assert_eq!(parse_grade(" △\n"), GradeCell::Canonical(Grade::Partly));
        assert_eq!(parse_grade("　×　"), GradeCell::Canonical(Grade::NotAchieved));
        for g in [Grade::Achieved, Grade::Partly, Grade::NotAchieved] {
            assert_eq!(parse_grade(g.symbol()), GradeCell::Canonical(g));
            assert!(crate::layout::GRADES.contains(&g.symbol()));
            assert!(crate::layout::LEGEND.contains(&format!("{}：{}", g.symbol(), g.label_ja())));
        }
    }

    #[test]
    fn empty_is_not_graded() {
        assert_eq!(parse_grade(""), GradeCell::Empty);
        assert_eq!(parse_grade(" \u{3000}\n"), GradeCell::Empty);
    }

    #[test]
    fn variants_keep_what_was_found() {
        let cases = [
            ("〇", Grade::Achieved),
            ("◯", Grade::Achieved),
            ("⭕", Grade::Achieved),
            ("達成", Grade::Achieved),
            ("一部未達成", Grade::Partly),
            ("一部達成", Grade::Partly),
            ("未達成", Grade::NotAchieved),
            ("✕", Grade::NotAchieved),
            ("☓", Grade::NotAchieved),
            ("✖", Grade::NotAchieved),
            ("╳", Grade::NotAchieved),
            ("x", Grade::NotAchieved),
            ("X", Grade::NotAchieved),
            ("ｘ", Grade::NotAchieved),
            ("Ｘ", Grade::NotAchieved),
        ];
        for (s, g) in cases {
            assert_eq!(parse_grade(s), GradeCell::Variant { grade: g, found: s.to_string() }, "{s}");
        }
        assert_eq!(parse_grade(" 〇\n"), GradeCell::Variant { grade: Grade::Achieved, found: "〇".to_string() });
    }

    #[test]
    fn ambiguous_marks_are_unknown() {
        for s in ["●", "▲", "◎", "-", "済", "○△", "○ ×", "達成?", "a", "1", "良", "◇"] {
            assert_eq!(parse_grade(s), GradeCell::Unknown, "{s}");
            assert_eq!(parse_grade(s).grade(), None);
        }
    }

    #[test]
    fn labels() {
        assert_eq!(Grade::Partly.label_ja(), "一部未達成");
        assert_eq!(Grade::NotAchieved.label_en(), "not achieved");
        assert_eq!(Grade::from_symbol("〇"), None);
    }

    #[test]
    fn grade_from_indicators() {
        assert_eq!(from_achievements(&[]), None);
        assert_eq!(from_achievements(&[true]), Some(Grade::Achieved));
        assert_eq!(from_achievements(&[true, true, true]), Some(Grade::Achieved));
        assert_eq!(from_achievements(&[false]), Some(Grade::NotAchieved));
        assert_eq!(from_achievements(&[false, false]), Some(Grade::NotAchieved));
        assert_eq!(from_achievements(&[true, false]), Some(Grade::Partly));
        assert_eq!(from_achievements(&[false, false, true]), Some(Grade::Partly));
    }
}
