//! Targets and results (stub: signatures fixed, being implemented).

use crate::lang::Msg;
use rust_decimal::Decimal;
use std::ops::Range;

/// `以上` `以下` `未満` `超`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Comparator {
    /// 以上 (≥)
    AtLeast,
    /// 以下 (≤)
    AtMost,
    /// 未満 (<)
    LessThan,
    /// 超 (>)
    MoreThan,
}

/// A signed exact number with its unit, and where each part sits in the text (byte spans).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Number {
    pub value: Decimal,
    /// Normalized unit (`%` for `％`), `None` when there is none.
    pub unit: Option<String>,
    /// The whole number including sign and unit.
    pub span: Range<usize>,
    /// Just the unit.
    pub unit_span: Option<Range<usize>>,
}

/// What a parenthesised annotation says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Annotation {
    /// `（R5：290件）`: a reference value with its year label.
    Reference { year: String, value: Number, span: Range<usize> },
    /// `（100％）`: a secondary quantity.
    Secondary { value: Number, span: Range<usize> },
}

/// A numeric target or result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quantity {
    pub main: Number,
    pub comparator: Option<(Comparator, Range<usize>)>,
    pub annotations: Vec<Annotation>,
    /// Spans of full-width digits or symbols (`１`, `％`, `，`) in the numeric parts.
    pub fullwidth: Vec<Range<usize>>,
}

/// What a target or result cell holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed {
    /// Nothing.
    Empty,
    /// A quantity.
    Numeric(Quantity),
    /// Words (`推進`, `次期事業者の選定`): valid, but numeric checks cannot apply.
    Qualitative,
    /// Looks like a quantity but part of it is wrong.
    Malformed { span: Range<usize>, reason: Msg },
}

/// Parses a target or result.
pub fn parse_quantity(_text: &str) -> Parsed {
    Parsed::Qualitative
}

/// Whether a result meets a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Achievement {
    pub met: bool,
    /// No comparator was written, so "higher is better" (or "at most" for a target of 0) was assumed.
    pub direction_assumed: bool,
}

/// Compares a result with a target in the target's direction; `None` when units disagree.
pub fn achieved(_target: &Quantity, _result: &Quantity) -> Option<Achievement> {
    None
}

/// The text with full-width digits and numeric symbols made half-width (`１回` → `1回`);
/// `None` when there is nothing to change. (Stub until the grammar lands.)
pub fn halfwidth_numeric(_text: &str) -> Option<String> {
    None
}
