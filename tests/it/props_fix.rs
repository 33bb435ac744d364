//! Property tests: fixing is idempotent on generated sheets.
//!
//! `fix` promises that fixing a fixed document changes nothing (it re-checks until no fix is
//! left, within a bounded number of rounds). On plausible sheets full of what the rules fix
//! (full-width digits, `〇` for `○`, stray spaces, blank `No.`), running `fix_document`
//! a second time must apply no edit, with and without unsafe fixes, and fixing must never
//! touch a value no finding pointed at.

use crate::gen::{difference, document, Charset};
use goalsheet::fix::{fix_document, FixOptions};
use goalsheet::rules::check_document;
use goalsheet::Document;
use proptest::prelude::*;

fn check(d: &Document) -> Vec<goalsheet::finding::Finding> {
    check_document(d, &Default::default())
}

fn config() -> ProptestConfig {
    ProptestConfig { cases: 64, max_shrink_iters: 256, ..ProptestConfig::default() }
}

fn idempotent(doc: &Document, opts: FixOptions) -> Result<(), TestCaseError> {
    let first = fix_document(doc, opts, check);
    let second = fix_document(&first.document, opts, check);
    prop_assert!(
        second.applied.is_empty(),
        "the second fix applied {:?} (first applied {:?})",
        second.applied.iter().map(|a| (a.code, &a.before, &a.after)).collect::<Vec<_>>(),
        first.applied.iter().map(|a| (a.code, &a.before, &a.after)).collect::<Vec<_>>()
    );
    if let Some(d) = difference(&second.document, &first.document) {
        return Err(TestCaseError::fail(format!("the second fix changed {d}")));
    }
    // Every change is in the log: replaying the log's `after`s on the input gives the output.
    let mut replay = doc.clone();
    for a in &first.applied {
        if let Some(v) = a.location.value_mut(&mut replay) {
            prop_assert_eq!(v.as_str(), a.before.as_str(), "the log's before is what the cell held");
            *v = a.after.clone();
        }
    }
    if let Some(d) = difference(&replay, &first.document) {
        return Err(TestCaseError::fail(format!("a change is missing from the log: {d}")));
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn safe_fixes_are_idempotent(doc in document(Charset::Unicode, true)) {
        idempotent(&doc, FixOptions::default())?;
    }

    #[test]
    fn unsafe_fixes_are_idempotent(doc in document(Charset::Unicode, true)) {
        idempotent(&doc, FixOptions { unsafe_fixes: true })?;
    }
}

/// The property is not vacuous: the generated sheets do hold what the rules fix, and the first
/// run fixes it.
#[test]
fn generated_sheets_have_something_to_fix() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = document(Charset::Unicode, true);
    let mut fixed_some = 0;
    for _ in 0..16 {
        let doc = strategy.new_tree(&mut runner).expect("generates").current();
        if !fix_document(&doc, FixOptions::default(), check).applied.is_empty() {
            fixed_some += 1;
        }
    }
    assert!(fixed_some >= 8, "only {fixed_some} of 16 generated documents had a safe fix applied");
}
