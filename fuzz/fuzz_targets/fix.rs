//! `fix` of a workbook: the patch splices bytes into the division's own XML, so hostile XML
//! must not make it panic or write a workbook the reader then refuses. The input is a
//! worksheet part, a shared-strings part and a style sheet (split at NUL bytes), packed into a
//! stored zip with a goal sheet's workbook and relationships, so mutations reach the XML. When
//! the workbook reads, fixing it must not panic; when the fix succeeds, the corrected workbook
//! must read again, and fixing it again must succeed and change nothing.
#![no_main]

use goalsheet::fix::{fix_file_with, read_for_fix, FixOptions};
use goalsheet::rules::{check_document, CheckOptions};
use goalsheet::{Document, Lang};
use libfuzzer_sys::fuzz_target;
#[path = "support/package.rs"]
mod package;
use package::{zip, RELS};
use std::path::Path;

const WB: &str = r#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="市民生活課" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WB_RELS: &str = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;
const TYPES: &str = r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>"#;

/// `bytes` fixed as the CLI fixes a workbook named `name`: the corrected workbook, or `None`
/// when the input is refused (as a damaged file, with a message).
fn fix(bytes: &[u8], name: &str) -> Option<Vec<u8>> {
    let (doc, parts) = read_for_fix(Path::new(name), bytes, name).ok()?;
    let check = |d: &Document| check_document(d, &CheckOptions::default());
    let fixed = fix_file_with(bytes, doc, parts, name, FixOptions { unsafe_fixes: true }, check).ok()?;
    fixed.into_bytes(name, Lang::Ja).ok().map(|(_, out)| out)
}

fuzz_target!(|data: &[u8]| {
    let mut split = data.splitn(3, |&b| b == 0);
    let (sheet, sst, styles) = (split.next().unwrap_or_default(), split.next(), split.next());
    let mut parts: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", TYPES.as_bytes()),
        ("_rels/.rels", RELS.as_bytes()),
        ("xl/workbook.xml", WB.as_bytes()),
        ("xl/_rels/workbook.xml.rels", WB_RELS.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet),
    ];
    if let Some(sst) = sst {
        parts.push(("xl/sharedStrings.xml", sst));
    }
    if let Some(styles) = styles {
        parts.push(("xl/styles.xml", styles));
    }
    let bytes = zip(&parts);
    let Some(out) = fix(&bytes, "課.xlsx") else { return };
    if let Err(e) = goalsheet::read::read_bytes(&out, "課.corrected.xlsx") {
        panic!("the corrected workbook does not read: {e}");
    }
    // Fixing a corrected workbook again changes nothing (issue 13.5): the output is its input.
    let again = fix(&out, "課.corrected.xlsx").expect("the corrected workbook cannot be fixed again");
    assert!(again == out, "fixing the corrected workbook again changed it");
});
