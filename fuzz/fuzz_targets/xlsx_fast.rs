//! Differential: the direct xlsx reader against calamine. The input is a worksheet part and a
//! shared-strings part (split at the first NUL byte), packed into a stored (uncompressed) zip
//! with the workbook, relationships and styles of a goal sheet, so mutations reach the XML
//! rather than breaking the zip's checksums. Whenever the direct reader takes the workbook,
//! calamine must read it and give the same grids; the direct reader never panics.
#![no_main]

use goalsheet::read::{xlsx, xlsx_fast};
use libfuzzer_sys::fuzz_target;
#[path = "support/package.rs"]
mod package;
use package::{zip, RELS};

const WB: &str = r#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WB_RELS: &str = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;
const STYLES: &str = r##"<?xml version="1.0"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="2"><numFmt numFmtId="164" formatCode="[$-411]ge.m.d"/><numFmt numFmtId="165" formatCode="#,##0&quot;件&quot;"/></numFmts><fonts count="1"><font/></fonts><cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="9"/><xf numFmtId="14"/></cellXfs></styleSheet>"##;

fuzz_target!(|data: &[u8]| {
    let (sheet, sst) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], Some(&data[i + 1..])),
        None => (data, None),
    };
    let mut parts: Vec<(&str, &[u8])> = vec![
        ("_rels/.rels", RELS.as_bytes()),
        ("xl/workbook.xml", WB.as_bytes()),
        ("xl/_rels/workbook.xml.rels", WB_RELS.as_bytes()),
        ("xl/styles.xml", STYLES.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet),
    ];
    if let Some(sst) = sst {
        parts.push(("xl/sharedStrings.xml", sst));
    }
    let bytes = zip(&parts);
    let Some(ours) = xlsx_fast::grids(&bytes) else { return };
    // calamine may panic on inputs like these (the reader catches that); then there is no
    // reference to compare with.
    let Ok(theirs) = std::panic::catch_unwind(|| xlsx::calamine_grids(&bytes)) else { return };
    let theirs = theirs.unwrap_or_else(|e| panic!("the direct reader took a workbook calamine rejects: {e}"));
    let view = |g: &[goalsheet::read::grid::Grid]| {
        g.iter().map(|g| (g.name.clone(), g.cells.clone(), g.typed.clone(), g.merges.clone())).collect::<Vec<_>>()
    };
    assert_eq!(view(&ours), view(&theirs));
});
