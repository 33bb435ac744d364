//! Grades in 評価 (stub: signatures fixed, being implemented).

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

/// Reads a grade cell.
pub fn parse_grade(_text: &str) -> GradeCell {
    GradeCell::Unknown
}

/// The grade of an entry whose indicators were achieved or not: all → ○, none → ×, some → △;
/// `None` for no indicators. (Stub until the grammar lands.)
pub fn from_achievements(_met: &[bool]) -> Option<Grade> {
    None
}
