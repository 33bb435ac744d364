//! Applying fixes: the one place where findings' [`Fix`] data changes a [`Document`].
//!
//! Rules only propose edits. This module applies those whose applicability is allowed (safe by
//! default, unsafe only when asked), checks that each edit still finds the text it expects (so
//! two fixes of the same cell never stack), and repeats checking and fixing until nothing is
//! left to fix, so that fixing a fixed document changes nothing.

use crate::address::CellRef;
use crate::finding::{Applicability, Finding, Location};
use crate::lang::Msg;
use crate::model::Document;
use serde::Serialize;

/// Which fixes to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FixOptions {
    /// Also apply fixes that change what the sheet says (`--unsafe-fixes`).
    pub unsafe_fixes: bool,
}

impl FixOptions {
    fn allows(self, a: Applicability) -> bool {
        match a {
            Applicability::Safe => true,
            Applicability::Unsafe => self.unsafe_fixes,
        }
    }
}

/// One change made to the document, for the change log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppliedEdit {
    pub code: &'static str,
    pub location: Location,
    /// The cell the value was read from, if it came from a workbook.
    pub cell: Option<CellRef>,
    pub before: String,
    pub after: String,
    pub applicability: Applicability,
    /// What the fix did.
    pub message: Msg,
}

/// The result of fixing.
#[derive(Debug, Clone)]
pub struct Fixed {
    pub document: Document,
    /// Every change, in the order made.
    pub applied: Vec<AppliedEdit>,
    /// Findings that remain after fixing.
    pub remaining: Vec<Finding>,
}

/// How many check-and-fix rounds at most (a fix can enable another, e.g. trimming spaces
/// around a full-width digit). Three is more than any rule chain needs.
const MAX_ROUNDS: usize = 3;

/// Applies every allowed fix that `check` proposes, re-checking until nothing is left to fix.
pub fn fix_document(doc: &Document, opts: FixOptions, check: impl Fn(&Document) -> Vec<Finding>) -> Fixed {
    let mut document = doc.clone();
    let mut applied = Vec::new();
    let mut remaining = check(&document);
    for _ in 0..MAX_ROUNDS {
        let round = apply_fixes(&mut document, &remaining, opts);
        if round.is_empty() {
            break;
        }
        applied.extend(round);
        remaining = check(&document);
    }
    Fixed { document, applied, remaining }
}

/// Applies the allowed fixes of `findings` once, in order. An edit whose `before` no longer
/// matches the current value (because an earlier fix changed that cell) is skipped, and so is
/// the rest of its fix: a fix is applied whole or not at all.
pub fn apply_fixes(doc: &mut Document, findings: &[Finding], opts: FixOptions) -> Vec<AppliedEdit> {
    let mut applied = Vec::new();
    for finding in findings {
        let Some(fix) = &finding.fix else { continue };
        if !opts.allows(fix.applicability) {
            continue;
        }
        let all_match = fix.edits.iter().all(|e| e.location.value(doc) == Some(e.before.as_str()));
        if !all_match || fix.edits.is_empty() {
            continue;
        }
        for edit in &fix.edits {
            if edit.before == edit.after {
                continue;
            }
            let cell = edit.location.cell(doc);
            if let Some(v) = edit.location.value_mut(doc) {
                *v = edit.after.clone();
                applied.push(AppliedEdit {
                    code: finding.code,
                    location: edit.location.clone(),
                    cell,
                    before: edit.before.clone(),
                    after: edit.after.clone(),
                    applicability: fix.applicability,
                    message: fix.message.clone(),
                });
            }
        }
    }
    applied
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Edit, Fix, Severity};
    use crate::model::{Entry, Field, Sheet};

    fn doc_with_grade(g: &str) -> Document {
        Document {
            sheets: vec![Sheet {
                entries: vec![Entry { no: "1".into(), grade: g.into(), ..Default::default() }],
                ..Default::default()
            }],
            ..Default::default()
        }
    }

    fn grade_finding(doc: &Document, after: &str, applicability: Applicability) -> Vec<Finding> {
        let loc = Location::entry(0, 0, Field::Grade);
        let before = loc.value(doc).unwrap_or_default().to_string();
        if before == after {
            return vec![];
        }
        vec![Finding {
            code: "TEST",
            severity: Severity::Warning,
            message: Msg::new("m", "m"),
            help: None,
            location: loc.clone(),
            span: None,
            label: None,
            related: vec![],
            fix: Some(Fix {
                applicability,
                message: Msg::new("直す", "fix"),
                edits: vec![Edit { location: loc, before, after: after.into() }],
            }),
        }]
    }

    #[test]
    fn safe_fix_applies_and_is_idempotent() {
        let doc = doc_with_grade("〇");
        let fixed = fix_document(&doc, FixOptions::default(), |d| grade_finding(d, "○", Applicability::Safe));
        assert_eq!(fixed.document.sheets[0].entries[0].grade, "○");
        assert_eq!(fixed.applied.len(), 1);
        assert_eq!(fixed.applied[0].before, "〇");
        let again =
            fix_document(&fixed.document, FixOptions::default(), |d| grade_finding(d, "○", Applicability::Safe));
        assert!(again.applied.is_empty());
        assert_eq!(again.document, fixed.document);
    }

    #[test]
    fn unsafe_fix_needs_the_flag() {
        let doc = doc_with_grade("○");
        let check = |d: &Document| grade_finding(d, "×", Applicability::Unsafe);
        let fixed = fix_document(&doc, FixOptions::default(), check);
        assert_eq!(fixed.document.sheets[0].entries[0].grade, "○");
        assert!(fixed.applied.is_empty());
        assert_eq!(fixed.remaining.len(), 1);
        let fixed = fix_document(&doc, FixOptions { unsafe_fixes: true }, check);
        assert_eq!(fixed.document.sheets[0].entries[0].grade, "×");
    }

    #[test]
    fn stale_edit_is_skipped() {
        let mut doc = doc_with_grade("〇");
        let mut findings = grade_finding(&doc, "○", Applicability::Safe);
        findings.extend(grade_finding(&doc, "×", Applicability::Safe));
        let applied = apply_fixes(&mut doc, &findings, FixOptions::default());
        assert_eq!(applied.len(), 1);
        assert_eq!(doc.sheets[0].entries[0].grade, "○");
    }
}
