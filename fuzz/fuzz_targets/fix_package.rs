//! `fix` of a workbook whose package parts are hostile: the patch adds two sheets to the
//! workbook's list, relationships and content types, lists them in docProps/app.xml, and
//! merges its notes into the sheet's comments and their VML drawing, all by splicing bytes
//! into the division's own parts. The `fix` target mutates the sheet, shared strings and
//! styles; this one keeps a real goal sheet (one of three samples with fixes, chosen by the
//! first byte) and mutates the parts around it, split at NUL bytes in this order:
//! `[Content_Types].xml`, `xl/workbook.xml`, `xl/_rels/workbook.xml.rels`,
//! `xl/worksheets/_rels/sheet1.xml.rels`, `xl/comments1.xml`, `xl/drawings/vmlDrawing1.vml`,
//! `docProps/app.xml`. A part the input does not reach is the sample's own, or absent. The
//! sheet refers to the drawing (`<legacyDrawing r:id="rId2"/>`). Seeds: `fuzz/seed.sh`.
//! When the workbook reads, fixing it must not panic; when the fix succeeds, the corrected
//! workbook must read again, and fixing it again must succeed and change nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;
#[path = "support/fix_twice.rs"]
mod fix_twice;
#[path = "support/package.rs"]
#[allow(dead_code)] // only its zip
mod package;
use std::io::Read;
use std::sync::OnceLock;

/// Samples whose `fix` changes cells (and one with a finding that stays, which gets a note).
const SAMPLES: [&[u8]; 3] = [
    include_bytes!("../../samples/男女共同参画課.xlsx"),
    include_bytes!("../../samples/広聴相談課.xlsx"),
    include_bytes!("../../samples/パスポートセンター.xlsx"),
];

/// The parts the input replaces, in its order.
const FUZZED: [&str; 7] = [
    "[Content_Types].xml",
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "xl/worksheets/_rels/sheet1.xml.rels",
    "xl/comments1.xml",
    "xl/drawings/vmlDrawing1.vml",
    "docProps/app.xml",
];

/// Each sample's parts, the sheet referring to a VML drawing.
fn samples() -> &'static Vec<Vec<(String, Vec<u8>)>> {
    static PARTS: OnceLock<Vec<Vec<(String, Vec<u8>)>>> = OnceLock::new();
    PARTS.get_or_init(|| {
        SAMPLES
            .iter()
            .map(|bytes| {
                let mut zip = zip::ZipArchive::new(std::io::Cursor::new(*bytes)).unwrap();
                (0..zip.len())
                    .map(|i| {
                        let mut f = zip.by_index(i).unwrap();
                        let name = f.name().unwrap().to_string();
                        let mut data = Vec::new();
                        f.read_to_end(&mut data).unwrap();
                        if name == "xl/worksheets/sheet1.xml" {
                            let text = String::from_utf8(data).unwrap();
                            data = text
                                .replacen("</worksheet>", r#"<legacyDrawing r:id="rId2"/></worksheet>"#, 1)
                                .into_bytes();
                        }
                        (name, data)
                    })
                    .collect()
            })
            .collect()
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, data)) = data.split_first() else { return };
    let sample = &samples()[usize::from(which) % SAMPLES.len()];
    let given: Vec<&[u8]> = data.splitn(FUZZED.len(), |&b| b == 0).collect();
    let mut parts: Vec<(&str, &[u8])> = Vec::new();
    for (name, own) in sample {
        match FUZZED.iter().position(|n| n == name) {
            Some(i) if i < given.len() => parts.push((name, given[i])),
            _ => parts.push((name, own)),
        }
    }
    for (i, name) in FUZZED.iter().enumerate() {
        if i < given.len() && !sample.iter().any(|(n, _)| n == name) {
            parts.push((name, given[i]));
        }
    }
    let bytes = package::zip(&parts);
    fix_twice::fix_twice(&bytes);
});
