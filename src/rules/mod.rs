//! The rules of `goalsheet check`: what a department office would otherwise check by eye.
//!
//! Every rule has a stable code (`GS` + number, grouped by family), a kebab-case name, a
//! severity, a one-line summary and a full explanation in Japanese and English, and lives in
//! its own file (`src/rules/<family>/<rule>.rs`, as ruff does). [`RULES`] is the one registry;
//! `goalsheet rules` lists it and `goalsheet rule CODE` prints a rule's explanation.
//!
//! Rules read the [`Document`] and return [`Finding`]s; they never change it. Fixes are data
//! (edits with an applicability) applied in one place, [`crate::fix`]. Values are interpreted
//! only through [`crate::grammar`], so a rule never parses a quantity, date, year or grade itself.
//!
//! Families: `GS1xx` structure (required fields, No.), `GS2xx` targets and results,
//! `GS3xx` grades, `GS4xx` years and dates, `GS5xx` narratives, `GS6xx` text, `GS7xx` cells
//! (formulas without a value, error values, characters lost in reading), `GS8xx` across the
//! files of one run (what `merge` would refuse: another department or year, a division twice).

use crate::finding::{Applicability, Finding, Location, Severity};
use crate::grammar::grade::{parse_grade_in, GradeCell, Legend};
use crate::grammar::quantity::{parse_quantity, Parsed};
use crate::grammar::year::{parse_fiscal_year, FiscalYear};
use crate::lang::{Lang, Msg};
use crate::layout;
use crate::model::{Document, Field, Sheet};
use std::borrow::Cow;
use std::cmp::Ordering;

/// Declares a rule's `RULE` constant, whose doc comment is the rule's explanation: the same
/// text that `goalsheet rule CODE` prints. The last key says what the rule looks at:
/// `check:` one sheet at a time, `check_files:` the files of one run together.
macro_rules! declare_rule {
    (@check check $f:path) => {
        $crate::rules::Check::Sheet($f)
    };
    (@check check_files $f:path) => {
        $crate::rules::Check::Files($f)
    };
    (
        code: $code:literal,
        name: $name:literal,
        title: ($tja:literal, $ten:literal),
        family: $family:ident,
        severity: $sev:ident,
        fix: $fix:expr,
        summary: ($sja:literal, $sen:literal),
        doc_en: $den:literal,
        doc_ja: $dja:literal,
        $looks_at:ident: $check:path $(,)?
    ) => {
        #[doc = $den]
        #[doc = ""]
        #[doc = $dja]
        pub const RULE: $crate::rules::Rule = $crate::rules::Rule {
            code: $code,
            name: $name,
            title: $crate::rules::Text { ja: $tja, en: $ten },
            family: $crate::rules::Family::$family,
            severity: $crate::finding::Severity::$sev,
            fix: $fix,
            summary: $crate::rules::Text { ja: $sja, en: $sen },
            doc: $crate::rules::Text { ja: $dja, en: $den },
            check: declare_rule! { @check $looks_at $check },
        };
    };
}

pub mod cells;
pub mod date;
pub mod files;
pub mod grade;
pub mod narrative;
pub mod quantity;
pub mod structure;
pub mod text;

#[cfg(test)]
pub(crate) mod testing;

/// A text in both languages, known at compile time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Text {
    pub ja: &'static str,
    pub en: &'static str,
}

impl Text {
    pub fn get(self, lang: Lang) -> &'static str {
        lang.pick(self.ja, self.en)
    }
}

/// Groups of rules; the hundreds digit of the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Family {
    /// GS1xx: required fields and numbering.
    Structure,
    /// GS2xx: targets and results.
    Quantity,
    /// GS3xx: grades.
    Grade,
    /// GS4xx: fiscal years and dates.
    Date,
    /// GS5xx: narratives (目標達成状況).
    Narrative,
    /// GS6xx: text hygiene.
    Text,
    /// GS7xx: what the cells hold (formulas, error values, unreadable characters).
    Cells,
    /// GS8xx: several files checked together (what `merge` would refuse).
    Files,
}

impl Family {
    pub fn name(self) -> Text {
        match self {
            Family::Structure => Text { ja: "必須項目と番号", en: "required fields and numbering" },
            Family::Quantity => Text { ja: "目標と結果", en: "targets and results" },
            Family::Grade => Text { ja: "評価", en: "grades" },
            Family::Date => Text { ja: "年度と日付", en: "years and dates" },
            Family::Narrative => Text { ja: "目標達成状況の記述", en: "narratives" },
            Family::Text => Text { ja: "文字の書き方", en: "text" },
            Family::Cells => Text { ja: "セルの中身", en: "cells" },
            Family::Files => Text { ja: "ファイル間の整合", en: "across files" },
        }
    }

    /// The hundreds digit of the family's codes.
    pub fn digit(self) -> u8 {
        match self {
            Family::Structure => 1,
            Family::Quantity => 2,
            Family::Grade => 3,
            Family::Date => 4,
            Family::Narrative => 5,
            Family::Text => 6,
            Family::Cells => 7,
            Family::Files => 8,
        }
    }
}

/// One rule.
#[derive(Clone, Copy)]
pub struct Rule {
    /// Stable code, `GS` + three digits.
    pub code: &'static str,
    /// kebab-case name.
    pub name: &'static str,
    /// A short name a clerk reads (`評価の記号`, `grade symbols`): what the console counts fixes by.
    pub title: Text,
    pub family: Family,
    pub severity: Severity,
    /// Whether its findings carry a fix, and of which kind.
    pub fix: Option<Applicability>,
    /// One line.
    pub summary: Text,
    /// The full explanation (What it does / Why / Example / Fix safety).
    pub doc: Text,
    pub(crate) check: Check,
}

/// What a rule looks at.
#[derive(Clone, Copy)]
pub(crate) enum Check {
    /// One sheet at a time ([`check_document`]).
    Sheet(fn(&SheetCtx<'_>, &mut Vec<Finding>)),
    /// The files of one run together ([`files::check_files`]).
    Files(fn(&files::FilesCtx<'_>, &mut Vec<(usize, Finding)>)),
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rule").field("code", &self.code).field("name", &self.name).finish()
    }
}

/// Every rule, by code.
pub const RULES: &[Rule] = &[
    structure::missing_plan_field::RULE,
    structure::missing_evaluation_field::RULE,
    structure::missing_no::RULE,
    structure::duplicate_no::RULE,
    structure::no_out_of_sequence::RULE,
    structure::hidden_row_or_column::RULE,
    quantity::malformed_quantity::RULE,
    quantity::unit_mismatch::RULE,
    quantity::unit_missing::RULE,
    quantity::fullwidth_digits::RULE,
    quantity::result_not_quantity::RULE,
    quantity::result_qualitative_outcome::RULE,
    grade::grade_variant::RULE,
    grade::unknown_grade::RULE,
    grade::grade_inconsistent::RULE,
    date::invalid_fiscal_year::RULE,
    date::header_year_mismatch::RULE,
    date::invalid_date::RULE,
    date::created_outside_year::RULE,
    date::evaluated_before_created::RULE,
    date::evaluated_late::RULE,
    date::no_target_for_year::RULE,
    date::date_as_text::RULE,
    narrative::narrative_grade_contradiction::RULE,
    narrative::narrative_figure_mismatch::RULE,
    text::stray_whitespace::RULE,
    text::unbalanced_brackets::RULE,
    text::invisible_character::RULE,
    cells::formula_without_value::RULE,
    cells::error_value::RULE,
    cells::replacement_character::RULE,
    cells::invisible_text::RULE,
    cells::struck_through_text::RULE,
    cells::hidden_by_format::RULE,
    files::other_department::RULE,
    files::other_fiscal_year::RULE,
    files::duplicate_division::RULE,
];

/// The rule with this code (case-insensitive) or name.
pub fn rule(code_or_name: &str) -> Option<&'static Rule> {
    let q = code_or_name.trim();
    RULES.iter().find(|r| r.code.eq_ignore_ascii_case(q) || r.name == q)
}

/// Which stage a sheet is at: only planned, or evaluated too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    /// 作成時: goals, indicators, targets and initiatives.
    Plan,
    /// 評価時: also results, grades, narratives and the date of evaluation.
    Evaluation,
}

impl Stage {
    /// The stage a sheet shows: evaluation as soon as any result, grade, narrative or 評価日
    /// is filled in.
    pub fn infer(sheet: &Sheet) -> Stage {
        let filled = |s: &str| !s.trim().is_empty();
        let evaluated = filled(&sheet.evaluated)
            || sheet
                .entries
                .iter()
                .any(|e| filled(&e.grade) || e.indicators.iter().any(|i| filled(&i.result) || filled(&i.status)));
        if evaluated {
            Stage::Evaluation
        } else {
            Stage::Plan
        }
    }
}

/// How to check.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CheckOptions {
    /// Check every sheet at this stage instead of the stage it shows.
    pub stage: Option<Stage>,
}

/// What a rule sees: one sheet of a document, with what every rule needs to know about it.
pub struct SheetCtx<'a> {
    pub doc: &'a Document,
    pub index: usize,
    pub sheet: &'a Sheet,
    pub stage: Stage,
    /// The sheet's fiscal year, when 年度 parses.
    pub year: Option<FiscalYear>,
    /// The sheet's legend, when it has one that reads ([`Legend::parse`]); grades are read
    /// against it (`None`: the default ○ △ ×).
    pub legend: Option<Legend>,
    /// Each indicator's target and result read as quantities, by entry then indicator: read
    /// once here because five rules need them (it was a sixth of `check`'s time).
    quantities: Vec<Vec<[Parsed; 2]>>,
}

impl<'a> SheetCtx<'a> {
    pub fn new(doc: &'a Document, index: usize, sheet: &'a Sheet, opts: &CheckOptions) -> SheetCtx<'a> {
        SheetCtx {
            doc,
            index,
            sheet,
            stage: opts.stage.unwrap_or_else(|| Stage::infer(sheet)),
            year: parse_fiscal_year(&sheet.fiscal_year),
            legend: Legend::parse(&sheet.legend),
            quantities: sheet
                .entries
                .iter()
                .map(|e| e.indicators.iter().map(|i| [parse_quantity(&i.target), parse_quantity(&i.result)]).collect())
                .collect(),
        }
    }

    /// Indicator `i` of entry `e`'s target or result (`f`) read as a quantity: the same as
    /// [`parse_quantity`] of its text, read once per sheet. Other fields are parsed on demand.
    pub fn quantity(&self, e: usize, i: usize, f: Field) -> Cow<'_, Parsed> {
        let slot = match f {
            Field::Target => 0,
            Field::Result => 1,
            _ => usize::MAX,
        };
        if let Some(p) = self.quantities.get(e).and_then(|v| v.get(i)).and_then(|q| q.get(slot)) {
            return Cow::Borrowed(p);
        }
        let text = self.sheet.entries.get(e).and_then(|en| en.indicators.get(i)).and_then(|ind| ind.field(f));
        Cow::Owned(text.map_or(Parsed::Empty, parse_quantity))
    }

    /// A grade cell read against the sheet's legend.
    pub fn grade(&self, text: &str) -> GradeCell {
        parse_grade_in(text, self.legend.as_ref())
    }

    /// Every location of the sheet whose field is `f`, with its text; a cell merged over
    /// several indicator rows once, at its first row ([`crate::model::Entry::repeats_above`]).
    pub fn values(&self, f: Field) -> Vec<(Location, &'a str)> {
        let mut out = Vec::new();
        self.each_value(f, |loc, v| out.push((loc, v)));
        out
    }

    /// Calls `each` with the values of `fields` in turn, as [`SheetCtx::each_value`] does, but a
    /// merged cell read into several fields of a row (its area spans their columns) only once,
    /// with the first of them: for the rules about a cell's text, whatever field it is read as.
    pub fn each_cell_once(&self, fields: impl IntoIterator<Item = Field>, mut each: impl FnMut(Location, &'a str)) {
        for f in fields {
            self.each_value_merged(f, |loc, v, read_before| {
                if !read_before {
                    each(loc, v)
                }
            });
        }
    }

    /// Calls `each` with what [`SheetCtx::values`] returns, one at a time, in the same order,
    /// without collecting them.
    pub fn each_value(&self, f: Field, mut each: impl FnMut(Location, &'a str)) {
        self.each_value_merged(f, |loc, v, _| each(loc, v));
    }

    /// [`SheetCtx::each_value`], saying of each value whether an earlier field of its row (or
    /// of the header) was read from the same merged cell.
    fn each_value_merged(&self, f: Field, mut each: impl FnMut(Location, &'a str, bool)) {
        let read_before =
            |cells: &crate::model::Cells, merged: &crate::model::Merged| cells.covered_by_earlier(merged, f);
        let s = self.sheet;
        match f.level() {
            crate::model::Level::Sheet => {
                if let Some(v) = s.field(f) {
                    each(Location::sheet(self.index, f), v, read_before(&s.cells, &s.merged));
                }
            }
            crate::model::Level::Entry => {
                for (e, entry) in s.entries.iter().enumerate() {
                    if let Some(v) = entry.field(f) {
                        each(Location::entry(self.index, e, f), v, read_before(&entry.cells, &entry.merged));
                    }
                }
            }
            crate::model::Level::Indicator => {
                for (e, entry) in s.entries.iter().enumerate() {
                    for (i, ind) in entry.indicators.iter().enumerate() {
                        // A cell merged over several rows is one value: read once, at its first.
                        if entry.repeats_above(i, f) {
                            continue;
                        }
                        if let Some(v) = ind.field(f) {
                            each(Location::indicator(self.index, e, i, f), v, read_before(&ind.cells, &ind.merged));
                        }
                    }
                }
            }
        }
    }
}

/// Starts a finding of `rule` at `location`; callers fill in span, label, help, related, fix.
pub fn finding(rule: &Rule, location: Location, message: Msg) -> Finding {
    Finding {
        code: rule.code,
        severity: rule.severity,
        message,
        help: None,
        location,
        span: None,
        label: None,
        related: Vec::new(),
        fix: None,
    }
}

/// Runs every rule on every sheet. Findings come sorted by sheet, then by cell (row, column;
/// model order for values without a cell), then by code.
pub fn check_document(doc: &Document, opts: &CheckOptions) -> Vec<Finding> {
    let mut out = Vec::new();
    for (index, sheet) in doc.sheets.iter().enumerate() {
        let cx = SheetCtx::new(doc, index, sheet, opts);
        for rule in RULES {
            if let Check::Sheet(check) = rule.check {
                check(&cx, &mut out);
            }
        }
    }
    out.sort_by(|a, b| order(doc, a, b));
    out
}

/// [`check_document`] and the cross-file rules over the document alone: every finding
/// `check` makes of one workbook by itself, what merge would refuse among its own sheets (the
/// same division twice, another department or fiscal year beside the first) included. What
/// `fix` checks with, so that the findings it leaves, and lists in 検証結果, are those a check
/// of the corrected workbook makes. (`check` runs the cross-file rules once over every file of
/// its run instead.)
pub fn check_workbook(doc: &Document, opts: &CheckOptions) -> Vec<Finding> {
    let mut out = check_document(doc, opts);
    let across = files::check_files(std::slice::from_ref(doc));
    if !across.is_empty() {
        out.extend(across.into_iter().map(|(_, f)| f));
        out.sort_by(|a, b| order(doc, a, b));
    }
    out
}

/// The place of a field in reading order when no cell is known: header fields first, then
/// the table's columns.
fn field_rank(f: Field) -> u32 {
    if let Some(h) = layout::header_field(f) {
        h.value_range.start.row * 100 + h.value_range.start.col
    } else if let Some(c) = layout::column_of(f) {
        10_000 + c.col
    } else {
        5_000
    }
}

fn order(doc: &Document, a: &Finding, b: &Finding) -> Ordering {
    let key = |f: &Finding| {
        let l = &f.location;
        let cell = l.cell(doc).map(|c| (c.row, c.col));
        let header = l.entry.is_none();
        (
            l.sheet_index,
            !header,
            cell.is_none(),
            cell.unwrap_or((0, 0)),
            l.entry.unwrap_or(0),
            l.indicator.unwrap_or(0),
            field_rank(l.field),
            f.code,
            f.span.as_ref().map(|s| s.start).unwrap_or(0),
        )
    };
    key(a).cmp(&key(b))
}

/// Shared reading of the sheet for several rules.
pub(crate) mod common {
    use crate::model::{Entry, Field};

    /// Whether a value is blank.
    pub fn blank(s: &str) -> bool {
        s.trim().is_empty()
    }

    /// A per-row field (取組名称, 目標達成状況, 今後の方針) that sits in a merged cell shared
    /// with the row above reads as empty on the lower rows; it counts as filled. So does one
    /// left blank below a row of the same entry that holds it: a merge removed (Excel keeps the
    /// value in the first row only), or rows written to share one value, as the official
    /// layout's merge does.
    pub fn shared_from_above(entry: &Entry, i: usize, f: Field) -> bool {
        let Some(prev) = i.checked_sub(1).and_then(|p| entry.indicators.get(p)) else { return false };
        let Some(cur) = entry.indicators.get(i) else { return false };
        let merged = match (prev.merged.get(f), cur.cells.get(Field::Name).or_else(|| cur.cells.get(Field::Target))) {
            (Some(area), Some(cell)) => area.start.row <= cell.row && cell.row <= area.end.row,
            (Some(_), None) => true,
            _ => false,
        };
        merged || entry.indicators[..i].iter().any(|p| p.field(f).is_some_and(|v| !blank(v)))
    }

    /// The byte span of the first occurrence of `needle` in `hay`, else all of `hay` trimmed.
    pub fn span_of(hay: &str, needle: &str) -> std::ops::Range<usize> {
        match hay.find(needle) {
            Some(p) if !needle.is_empty() => p..p + needle.len(),
            _ => trimmed_span(hay),
        }
    }

    /// The span of the text without surrounding whitespace.
    pub fn trimmed_span(s: &str) -> std::ops::Range<usize> {
        let start = s.len() - s.trim_start().len();
        let end = s.trim_end().len().max(start);
        start..end
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_well_formed_and_in_their_family() {
        let mut codes = HashSet::new();
        let mut names = HashSet::new();
        for r in RULES {
            assert!(codes.insert(r.code), "duplicate code {}", r.code);
            assert!(names.insert(r.name), "duplicate name {}", r.name);
            assert_eq!(r.code.len(), 5, "{}", r.code);
            assert!(r.code.starts_with("GS") && r.code[2..].bytes().all(|b| b.is_ascii_digit()), "{}", r.code);
            assert_eq!(r.code.as_bytes()[2] - b'0', r.family.digit(), "{} is not in its family", r.code);
            assert!(r.name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'), "{}", r.name);
        }
        let mut sorted: Vec<_> = RULES.iter().map(|r| r.code).collect();
        sorted.sort();
        assert_eq!(sorted, RULES.iter().map(|r| r.code).collect::<Vec<_>>(), "registry is kept in code order");
    }

    #[test]
    fn every_rule_is_documented_in_both_languages() {
        for r in RULES {
            for section in ["## What it does", "## Why", "## Example", "## Fix safety"] {
                assert!(r.doc.en.contains(section), "{} en lacks {section}", r.code);
            }
            for section in ["## 何をするか", "## なぜ", "## 例", "## 修正の安全性"] {
                assert!(r.doc.ja.contains(section), "{} ja lacks {section}", r.code);
            }
            assert!(!r.summary.ja.is_empty() && !r.summary.en.is_empty(), "{}", r.code);
            assert!(!r.summary.en.contains('\n') && !r.summary.ja.contains('\n'), "{}", r.code);
        }
    }

    #[test]
    fn short_names_are_short_distinct_and_in_their_language() {
        let mut seen = HashSet::new();
        for r in RULES {
            let Text { ja, en } = r.title;
            assert!(seen.insert(ja) && seen.insert(en), "{} shares its short name", r.code);
            assert!(!ja.is_empty() && ja.chars().count() <= 12, "{} ja title {ja}", r.code);
            assert!(!ja.is_ascii() && !ja.contains(['-', '_']), "{} ja title is not Japanese: {ja}", r.code);
            assert!(!en.is_empty() && en.len() <= 30 && en.is_ascii(), "{} en title {en}", r.code);
        }
    }

    #[test]
    fn lookup_by_code_or_name() {
        assert_eq!(rule("gs301").map(|r| r.code), Some("GS301"));
        assert_eq!(rule("grade-variant").map(|r| r.code), Some("GS301"));
        assert!(rule("GS999").is_none());
    }

    #[test]
    fn stage_inference() {
        let mut s = Sheet::default();
        s.entries.push(crate::model::Entry::default());
        s.entries[0].indicators.push(crate::model::Indicator { target: "80%".into(), ..Default::default() });
        assert_eq!(Stage::infer(&s), Stage::Plan);
        s.entries[0].indicators[0].result = "77.7%".into();
        assert_eq!(Stage::infer(&s), Stage::Evaluation);
    }
}

#[cfg(test)]
mod fix_tests {
    use super::*;
    use crate::fix::{fix_document, FixOptions};

    #[test]
    fn safe_fixes_on_the_seed_leave_nothing_fixable_and_change_only_what_they_say() {
        let seed = testing::seed();
        let check = |d: &Document| check_document(d, &CheckOptions::default());
        let fixed = fix_document(&seed, FixOptions::default(), check);
        assert_eq!(fixed.applied.len(), 5, "{:#?}", fixed.applied);
        assert!(fixed.remaining.iter().all(|f| f.fix.is_none()), "{:#?}", fixed.remaining);
        let codes: Vec<&str> = fixed.remaining.iter().map(|f| f.code).collect();
        assert_eq!(codes, vec!["GS602", "GS502"]);
        let again = fix_document(&fixed.document, FixOptions::default(), check);
        assert!(again.applied.is_empty(), "fixing is idempotent");
    }

    #[test]
    fn unsafe_fix_recomputes_the_grade() {
        let d = testing::doc_entry("○", &[("80%", "77.7%")]);
        let check = |d: &Document| check_document(d, &CheckOptions::default());
        assert!(fix_document(&d, FixOptions::default(), check).applied.is_empty());
        let fixed = fix_document(&d, FixOptions { unsafe_fixes: true }, check);
        assert_eq!(fixed.document.sheets[0].entries[0].grade, "×");
        assert!(fixed.remaining.is_empty());
    }
}
