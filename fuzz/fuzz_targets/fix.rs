//! `fix` of a workbook: the patch splices bytes into the division's own XML, so hostile XML
//! must not make it panic or write a workbook the reader then refuses. The input is a
//! worksheet part, a shared-strings part and a style sheet (split at NUL bytes), packed into a
//! stored zip with a goal sheet's workbook and relationships, so mutations reach the XML. When
//! the workbook reads, fixing it must not panic; when the fix succeeds, the corrected workbook
//! must read again, and fixing it again must succeed and change nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;
#[path = "support/fix_twice.rs"]
mod fix_twice;
#[path = "support/package.rs"]
mod package;
use package::{zip, RELS};

const WB: &str = r#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="市民生活課" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WB_RELS: &str = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;
const TYPES: &str = r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>"#;

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
    fix_twice::fix_twice(&bytes);
});
