//! What the fix targets ask of every package: fixing it does not panic; a corrected workbook
//! reads again, and fixing it again changes nothing (issue 13.5).

use goalsheet::fix::{fix_file_with, read_for_fix, FixOptions};
use goalsheet::rules::{check_document, CheckOptions};
use goalsheet::{Document, Lang};
use std::path::Path;

/// `bytes` fixed as the CLI fixes a workbook named `name` (unsafe fixes too): the corrected
/// workbook, or `None` when the input is refused (as a damaged file, with a message).
fn fix(bytes: &[u8], name: &str) -> Option<Vec<u8>> {
    let (doc, parts) = read_for_fix(Path::new(name), bytes, name).ok()?;
    let check = |d: &Document| check_document(d, &CheckOptions::default());
    let fixed = fix_file_with(bytes, doc, parts, name, FixOptions { unsafe_fixes: true }, check).ok()?;
    fixed.into_bytes(name, Lang::Ja).ok().map(|(_, out)| out)
}

/// Fixes `bytes`; when that succeeds, the corrected workbook must read and fix to itself.
pub fn fix_twice(bytes: &[u8]) {
    let Some(out) = fix(bytes, "課.xlsx") else { return };
    if let Err(e) = goalsheet::read::read_bytes(&out, "課.corrected.xlsx") {
        panic!("the corrected workbook does not read: {e}");
    }
    let again = fix(&out, "課.corrected.xlsx").expect("the corrected workbook cannot be fixed again");
    assert!(again == out, "fixing the corrected workbook again changed it");
}
