//! The hostile-file corpus: files from many hands, built here in code (rust_xlsxwriter, the
//! `zip` crate, the reader tests' OLE/BIFF builders), never checked in as binaries.
//!
//! Each file either reads correctly or fails with a clear message naming the file, and in
//! both cases within bounded time and memory. Two tests:
//!
//! - [`corpus_reads_or_fails_clearly`]: every file through `read::read_bytes` in process, with
//!   what a correct reading is (hidden sheets kept, 32,767-character cells whole, 200 sheets …)
//!   or which error it must be.
//! - [`binary_stays_within_bounds`]: every file through the real binary,
//!   `goalsheet convert FILE -o OUT.json`, under an address-space limit of [`MAX_AS_BYTES`]
//!   (`prlimit --as`, else `ulimit -v`), killed after [`MAX_SECONDS`] of CPU time; it must exit 0 or 2 (never a
//!   signal, never 134/abort), with a message on stderr when it fails, and its peak resident
//!   memory (sampled `VmHWM`) must stay under [`MAX_RSS_BYTES`]. Also: Shift_JIS export of
//!   a workbook with `𠮷` and emoji reports them (exit 2) instead of replacing them.
//!
//! The bounds hold for the debug build `cargo test` uses; docs/hardening.md lists them with
//! the measured figures.

use crate::common;

use goalsheet::model::{Document, Sheet};
use goalsheet::read::read_bytes;
use goalsheet::{ErrorKind, Lang};
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use zip::write::SimpleFileOptions;

/// Address space the binary may map (hard limit; an allocation past it fails, which would abort
/// the process and fail the test).
const MAX_AS_BYTES: u64 = 512 * 1024 * 1024;
/// Peak resident memory the binary may reach on any corpus file.
const MAX_RSS_BYTES: u64 = 256 * 1024 * 1024;
/// Wall-clock time per file: 10 s for a release build (`cargo test --release --test
/// hostile_corpus`); the unoptimised debug build of plain `cargo test` is about ten times
/// slower at streaming XML (the million-row sheet takes 11 s), so it gets 30 s.
const MAX_SECONDS: u64 = if cfg!(debug_assertions) { 30 } else { 10 };

const SEED: &str = include_str!("../data/shimin-seikatsu-r6.json");

fn seed() -> Document {
    goalsheet::convert::json::from_bytes(SEED.as_bytes()).expect("seed reads")
}

/// What reading a corpus file must give.
enum Expect {
    /// A document; the check says what must be in it.
    Reads(fn(&Document)),
    /// An error of this kind (checked by the closure) whose message says `hint` (English).
    Fails(fn(&ErrorKind) -> bool, &'static str),
    /// Either, as long as it is bounded and an error names the file (mutated files).
    Either,
}

struct Case {
    name: String,
    expect: Expect,
    /// Seconds of work in a debug build: checked through the binary only, not again in process
    /// (the library code is the same).
    heavy: bool,
}

struct Corpus {
    _dir: tempfile::TempDir,
    path: PathBuf,
    cases: Vec<Case>,
}

/// With `GOALSHEET_KEEP_CORPUS=DIR`, a copy of each generated input goes to `DIR`, so figures
/// such as docs/performance.md's memory table can be measured on the same files.
fn keep(name: &str, bytes: &[u8]) {
    if let Some(dir) = std::env::var_os("GOALSHEET_KEEP_CORPUS") {
        let path = Path::new(&dir).join(name);
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("mkdir");
        std::fs::write(path, bytes).expect("write");
    }
}

fn corpus() -> &'static Corpus {
    static C: OnceLock<Corpus> = OnceLock::new();
    C.get_or_init(build)
}

// ---------------------------------------------------------------------------------------------
// Builders

fn opts() -> SimpleFileOptions {
    SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated)
}

const CT: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#;
const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const SHEET_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#;
const SHEET_TAIL: &str = "</sheetData></worksheet>";

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A hand-made .xlsx written straight to `path`: sheets named as given (no checks, so any
/// name a hostile file may carry), each sheet's XML produced by a writer closure so that a
/// huge sheet is streamed into the zip, never held in memory.
fn xlsx_by_hand(path: &Path, sheets: Vec<(String, SheetXml)>, shared_strings: Option<&str>) {
    let file = std::fs::File::create(path).expect("create");
    let mut z = zip::ZipWriter::new(std::io::BufWriter::new(file));
    let mut wb = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>"#,
    );
    let mut rels = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    for (i, (name, _)) in sheets.iter().enumerate() {
        let n = i + 1;
        wb.push_str(&format!(r#"<sheet name="{}" sheetId="{n}" r:id="rId{n}"/>"#, xml_escape(name)));
        rels.push_str(&format!(r#"<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>"#));
    }
    if shared_strings.is_some() {
        rels.push_str(r#"<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"#);
    }
    wb.push_str("</sheets></workbook>");
    rels.push_str("</Relationships>");
    for (name, data) in [
        ("[Content_Types].xml", CT),
        ("_rels/.rels", RELS),
        ("xl/workbook.xml", &wb),
        ("xl/_rels/workbook.xml.rels", &rels),
    ] {
        z.start_file(name, opts()).expect("zip");
        z.write_all(data.as_bytes()).expect("zip");
    }
    if let Some(ss) = shared_strings {
        z.start_file("xl/sharedStrings.xml", opts()).expect("zip");
        z.write_all(ss.as_bytes()).expect("zip");
    }
    for (i, (_, xml)) in sheets.into_iter().enumerate() {
        z.start_file(format!("xl/worksheets/sheet{}.xml", i + 1), opts().large_file(false)).expect("zip");
        z.write_all(SHEET_HEAD.as_bytes()).expect("zip");
        xml(&mut z);
        z.write_all(SHEET_TAIL.as_bytes()).expect("zip");
    }
    z.finish().expect("zip").flush().expect("flush");
}

type SheetXml = Box<dyn FnOnce(&mut dyn Write)>;

fn rows(xml: String) -> SheetXml {
    Box::new(move |w: &mut dyn Write| w.write_all(xml.as_bytes()).expect("write"))
}

fn is_cell(a1: &str, text: &str) -> String {
    format!(r#"<c r="{a1}" t="inlineStr"><is><t xml:space="preserve">{}</t></is></c>"#, xml_escape(text))
}

/// A workbook in the official layout written by goalsheet's writer, one worksheet per sheet,
/// with `tweak` applied to each worksheet after the sheet is written (hide it, overwrite a cell
/// with a formula …).
fn official(
    sheets: &[(String, Sheet)],
    tweak: impl Fn(usize, &mut rust_xlsxwriter::Worksheet, &goalsheet::write::Placed),
) -> Vec<u8> {
    let mut wb = goalsheet::write::new_workbook().expect("workbook");
    let styles = goalsheet::write::Styles::new();
    for (i, (name, sheet)) in sheets.iter().enumerate() {
        let ws = wb.add_worksheet();
        ws.set_name(name).expect("sheet name");
        let placed = goalsheet::write::write_sheet(ws, sheet, &styles).expect("writes");
        tweak(i, ws, &placed);
    }
    wb.save_to_buffer().expect("saves")
}

/// Deterministic noise (no `rand` dependency).
fn noise(n: usize, mut x: u64) -> Vec<u8> {
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

/// Sets the uncompressed size that the local header and the central directory declare for
/// `part` (a lying zip: the part inflates to far more).
fn lie_about_size(zip: &mut [u8], part: &str, size: u32) {
    let name = part.as_bytes();
    let mut i = 0;
    while i + 46 < zip.len() {
        let sig = &zip[i..i + 4];
        if sig == b"PK\x03\x04" {
            let n = u16::from_le_bytes([zip[i + 26], zip[i + 27]]) as usize;
            if zip.get(i + 30..i + 30 + n) == Some(name) {
                zip[i + 22..i + 26].copy_from_slice(&size.to_le_bytes());
            }
        } else if sig == b"PK\x01\x02" {
            let n = u16::from_le_bytes([zip[i + 28], zip[i + 29]]) as usize;
            if zip.get(i + 46..i + 46 + n) == Some(name) {
                zip[i + 24..i + 28].copy_from_slice(&size.to_le_bytes());
            }
        }
        i += 1;
    }
}

/// The cases as they are written.
struct Cases {
    path: PathBuf,
    cases: Vec<Case>,
}

impl Cases {
    /// Writes `bytes` as `name` and expects `expect` of it.
    fn put(&mut self, name: &str, bytes: &[u8], expect: Expect) {
        std::fs::write(self.path.join(name), bytes).expect("write");
        keep(name, bytes);
        self.add(name, expect);
    }
    /// A file already written to the corpus folder.
    fn add(&mut self, name: &str, expect: Expect) {
        self.cases.push(Case { name: name.to_string(), expect, heavy: false });
    }
    /// Marks the last case as heavy (see [`Case::heavy`]).
    fn heavy(&mut self) {
        if let Some(c) = self.cases.last_mut() {
            c.heavy = true;
        }
    }
}

fn build() -> Corpus {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().to_path_buf();
    let mut cases = Cases { path: path.clone(), cases: Vec::new() };
    let seed = seed();
    let first = seed.sheets[0].clone();
    let good = official(&[("市民生活課".into(), first.clone())], |_, _, _| {});

    // --- The reader's list.
    cases.put("empty.xlsx", b"", Expect::Fails(|k| matches!(k, ErrorKind::NotAWorkbook { .. }), "empty"));
    cases.put(
        "random.xlsx",
        &noise(64 * 1024, 1),
        Expect::Fails(|k| matches!(k, ErrorKind::NotAWorkbook { .. }), "neither"),
    );
    let mut pk = b"PK\x03\x04".to_vec();
    pk.extend(noise(64 * 1024, 2));
    cases.put("random-pk.xlsx", &pk, Expect::Fails(|k| matches!(k, ErrorKind::Corrupt { .. }), "truncated or damaged"));
    cases.put(
        "truncated.xlsx",
        &good[..good.len() / 2],
        Expect::Fails(|k| matches!(k, ErrorKind::Corrupt { .. }), "truncated"),
    );
    let readme = common::fixtures::zip_parts(&[("readme.txt", b"hello".to_vec())]);
    cases.put(
        "no-workbook.xlsx",
        &readme,
        Expect::Fails(|k| matches!(k, ErrorKind::NotAWorkbook { .. }), "without a workbook"),
    );
    let enc = common::fixtures::ole(&[("/EncryptionInfo", b"\x04\x00\x04\x00"), ("/EncryptedPackage", &[0u8; 4096])]);
    cases.put("encrypted.xlsx", &enc, Expect::Fails(|k| matches!(k, ErrorKind::Encrypted), "password"));
    let corner =
        format!("<row r=\"1\">{}</row><row r=\"1048576\">{}</row>", is_cell("A1", "x"), is_cell("XFD1048576", "y"));
    xlsx_by_hand(&path.join("xfd1048576.xlsx"), vec![("Sheet1".into(), rows(corner))], None);
    cases.add("xfd1048576.xlsx", Expect::Fails(|k| matches!(k, ErrorKind::TooLarge { .. }), "XFD1048576"));
    let sst = r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="100000000000" uniqueCount="100000000000"><si><t>a</t></si></sst>"#;
    xlsx_by_hand(
        &path.join("sst-count.xlsx"),
        vec![("Sheet1".into(), rows(r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#.into()))],
        Some(sst),
    );
    cases.add("sst-count.xlsx", Expect::Fails(|k| matches!(k, ErrorKind::Corrupt { .. }), "100000000000"));
    // A 300 MiB part (compressed: 300 KB), streamed into the zip.
    {
        let file = std::fs::File::create(path.join("bomb-part.xlsx")).expect("create");
        let mut z = zip::ZipWriter::new(std::io::BufWriter::new(file));
        for (name, data) in [("[Content_Types].xml", CT), ("_rels/.rels", RELS)] {
            z.start_file(name, opts()).expect("zip");
            z.write_all(data.as_bytes()).expect("zip");
        }
        z.start_file("xl/workbook.xml", opts()).expect("zip");
        z.write_all(b"<workbook/>").expect("zip");
        z.start_file("xl/media/pad.bin", opts()).expect("zip");
        let chunk = vec![b' '; 1024 * 1024];
        for _ in 0..300 {
            z.write_all(&chunk).expect("zip");
        }
        z.finish().expect("zip").flush().expect("flush");
        cases.add("bomb-part.xlsx", Expect::Fails(|k| matches!(k, ErrorKind::TooLarge { .. }), "inflates"));
    }
    // A zip that lies: the sheet says 1 KB but inflates to 60 MiB.
    {
        let p = path.join("lying-size.xlsx");
        let big = rows_xml(600_000);
        xlsx_by_hand(&p, vec![("Sheet1".into(), rows(big))], None);
        let mut bytes = std::fs::read(&p).expect("read");
        lie_about_size(&mut bytes, "xl/worksheets/sheet1.xml", 1024);
        std::fs::write(&p, bytes).expect("write");
        cases.add("lying-size.xlsx", Expect::Either);
    }
    // .xls: the official sheet, then mutated and truncated copies.
    let xls = common::fixtures::xls(&[common::fixtures::goal_sheet_xls_sheet(&common::fixtures::sample())]);
    cases.put("official.xls", &xls, Expect::Reads(|d| assert_eq!(d.sheets.len(), 1)));
    cases.put("truncated.xls", &xls[..xls.len() * 2 / 3], Expect::Either);
    for (i, step) in [7usize, 31, 97, 251].into_iter().enumerate() {
        let mut m = xls.clone();
        let mut k = 512 + i * 13; // past the OLE header: the sectors themselves
        while k < m.len() {
            m[k] ^= 0x5A;
            k += step * 29;
        }
        cases.put(&format!("corrupt-{i}.xls"), &m, Expect::Either);
    }
    let mut dims = common::fixtures::goal_sheet_xls_sheet(&common::fixtures::sample());
    dims.dimensions = Some((0, u32::MAX, 0, 255));
    cases.put(
        "forged-dimensions.xls",
        &common::fixtures::xls(&[dims]),
        Expect::Reads(|d| assert_eq!(d.sheets.len(), 1)),
    );
    // 400,000 cells showing one shared string of 4,000 characters: 5.6 MB on disk, and calamine
    // made each cell a copy of the string (4.8 GB) before the text's bound refused it.
    cases.put(
        "shared-string-bomb.xls",
        &common::fixtures::xls_shared_string_bomb(4000, 2000, 200),
        Expect::Fails(|k| matches!(k, ErrorKind::TooLarge { .. }), "cell texts"),
    );
    // 842 bytes: one cell of 30,000 characters repeated over 1,000 rows of 500 columns, which
    // calamine expands into half a million copies (the process was killed at 24 GB).
    let text = format!(
        r#"<table:table-row table:number-rows-repeated="1000"><table:table-cell table:number-columns-repeated="500" office:value-type="string"><text:p>{}</text:p></table:table-cell></table:table-row>"#,
        "x".repeat(30_000)
    );
    cases.put(
        "text-repeat-bomb.ods",
        &common::fixtures::ods("s", &text),
        Expect::Fails(|k| matches!(k, ErrorKind::TooLarge { .. }), "cell texts"),
    );
    let repeat = r#"<table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="1000" office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>"#;
    cases.put(
        "repeat-bomb.ods",
        &common::fixtures::ods("s", repeat),
        Expect::Fails(|k| matches!(k, ErrorKind::TooLarge { .. }), "cells"),
    );

    // --- Deeply nested XML: a million open elements in a sheet, and in the shared strings.
    {
        let nested: SheetXml = Box::new(|w: &mut dyn Write| {
            w.write_all(br#"<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>"#).expect("w");
            for _ in 0..1_000_000 {
                w.write_all(b"<x>").expect("w");
            }
        });
        xlsx_by_hand(&path.join("nested-sheet.xlsx"), vec![("Sheet1".into(), nested)], None);
        cases.add("nested-sheet.xlsx", Expect::Either);
        cases.heavy();
        let mut ss = String::from(
            r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si>"#,
        );
        ss.push_str(&"<r>".repeat(500_000));
        ss.push_str("<t>x</t>");
        ss.push_str(&"</r>".repeat(500_000));
        ss.push_str("</si></sst>");
        xlsx_by_hand(
            &path.join("nested-sst.xlsx"),
            vec![("Sheet1".into(), rows(r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#.into()))],
            Some(&ss),
        );
        cases.add("nested-sst.xlsx", Expect::Either);
        cases.heavy();
    }

    // --- A sheet of 1,000,000 rows (about 50 MB of XML, 1 MB compressed), streamed.
    {
        let million: SheetXml = Box::new(|w: &mut dyn Write| {
            let mut buf = String::with_capacity(64 * 1024);
            for r in 1..=1_000_000u32 {
                buf.push_str(&format!("<row r=\"{r}\"><c r=\"A{r}\"><v>{r}</v></c></row>"));
                if buf.len() > 60 * 1024 {
                    w.write_all(buf.as_bytes()).expect("w");
                    buf.clear();
                }
            }
            w.write_all(buf.as_bytes()).expect("w");
        });
        xlsx_by_hand(&path.join("million-rows.xlsx"), vec![("Sheet1".into(), million)], None);
        cases.add("million-rows.xlsx", Expect::Fails(|k| matches!(k, ErrorKind::TooLarge { .. }), "cells"));
        cases.heavy();
    }

    // --- Formula-only cells: 目標 and 結果 as formulas, one with a cached value, one without.
    let formulas = official(&[("市民生活課".into(), first.clone())], |_, ws, placed| {
        let t = placed.indicator_cell(0, 0, goalsheet::model::Field::Target).expect("target cell");
        let r = placed.indicator_cell(0, 0, goalsheet::model::Field::Result).expect("result cell");
        ws.write_formula(t.row, t.col as u16, rust_xlsxwriter::Formula::new("=40*2").set_result("80"))
            .expect("formula");
        // No cached value at all (as other programs write formulas Excel never calculated).
        ws.set_formula_result_default("");
        ws.write_formula(r.row, r.col as u16, rust_xlsxwriter::Formula::new("=SUM(ZZ1:ZZ9)")).expect("formula");
    });
    cases.put(
        "formulas.xlsx",
        &formulas,
        Expect::Reads(|d| {
            let i = &d.sheets[0].entries[0].indicators[0];
            assert_eq!(i.target, "80", "a formula reads as its cached value");
            assert_eq!(i.result, "", "a formula without a cached value reads as empty");
            use goalsheet::model::{CellKind, Field};
            let t = i.typed.get(Field::Target).expect("the target is a formula");
            assert_eq!((t.kind, t.number, t.formula.as_deref()), (CellKind::Number, Some(80.0), Some("40*2")));
            let r = i.typed.get(Field::Result).expect("the result is a formula");
            assert_eq!(r.formula.as_deref(), Some("SUM(ZZ1:ZZ9)"));
            assert!(r.lacks_value());
            // Said as a formula to compute in Excel, never as a blank to fill in.
            let found = goalsheet::rules::check_document(d, &Default::default());
            let at_result: Vec<&str> =
                found.iter().filter(|f| f.location.field == Field::Result).map(|f| f.code).collect();
            assert!(at_result.contains(&"GS701") && !at_result.contains(&"GS102"), "{at_result:?}");
        }),
    );

    // --- A hidden goal sheet next to a visible note: the hidden one is read, nothing dropped.
    let hidden = official(
        &[("市民生活課".into(), first.clone()), ("広聴相談課".into(), seed.sheets[1].clone())],
        |i, ws, _| {
            if i == 0 {
                ws.set_hidden(true);
            }
        },
    );
    cases.put(
        "hidden-sheet.xlsx",
        &hidden,
        Expect::Reads(|d| {
            assert_eq!(d.sheets.len(), 2, "hidden sheets are read too");
            assert_eq!(d.sheets[0].sheet, "市民生活課");
        }),
    );

    // --- 32,767-character cells (Excel's maximum), Japanese and astral.
    let mut long = first.clone();
    long.entries[0].goal = "目".repeat(32_767);
    long.entries[0].indicators[0].status = "𠮷".repeat(16_383); // 32,766 UTF-16 units
    cases.put(
        "long-cells.xlsx",
        &official(&[("市民生活課".into(), long)], |_, _, _| {}),
        Expect::Reads(|d| {
            assert_eq!(d.sheets[0].entries[0].goal.chars().count(), 32_767);
            assert_eq!(d.sheets[0].entries[0].indicators[0].status, "𠮷".repeat(16_383));
        }),
    );

    // --- Every value 32,767 characters of what the rules look into: full-width digits, spaces,
    //     brackets, grade marks, dates. `check` then parses and reports on all of it.
    let mut huge = first.clone();
    let patterns = ["１，２３４件", " 〇 ", "（R5：290件", "令和6年5月15日", "9件の業務改善", "△0.52%\n"];
    let fill = |p: &str| p.chars().cycle().take(32_767).collect::<String>();
    for (k, f) in goalsheet::model::Field::ALL.iter().enumerate() {
        // The `Ｒ６目標` headers stay: a 32,767-character header is no longer a table header.
        if matches!(f, goalsheet::model::Field::TargetLabel | goalsheet::model::Field::ResultLabel) {
            continue;
        }
        let text = fill(patterns[k % patterns.len()]);
        if let Some(v) = huge.field_mut(*f) {
            *v = text.clone();
        }
        if let Some(v) = huge.entries[0].field_mut(*f) {
            *v = text.clone();
        }
        if let Some(v) = huge.entries[0].indicators[0].field_mut(*f) {
            *v = text;
        }
    }
    cases.put(
        "long-everything.xlsx",
        &official(&[("市民生活課".into(), huge)], |_, _, _| {}),
        Expect::Reads(|d| {
            assert_eq!(d.sheets[0].entries[0].indicators[0].target.chars().count(), 32_767);
        }),
    );

    // --- Control characters: written by rust_xlsxwriter (escaped as `_x0001_`), and raw in
    //     hand-made XML (which is not well-formed XML).
    let mut ctl = first.clone();
    ctl.entries[0].goal = "a\u{1}b\u{8}c\u{b}d\u{1f}e\u{7f}f\tg".into();
    cases.put(
        "control-chars.xlsx",
        &official(&[("市民生活課".into(), ctl)], |_, _, _| {}),
        Expect::Reads(|d| assert_eq!(d.sheets[0].entries[0].goal, "a\u{1}b\u{8}c\u{b}d\u{1f}e\u{7f}f\tg")),
    );
    let raw_ctl = format!("<row r=\"1\">{}</row>", is_cell("A1", "組織目標管理シート\u{1}\u{0}"));
    xlsx_by_hand(&path.join("raw-control.xlsx"), vec![("Sheet1".into(), rows(raw_ctl))], None);
    cases.add("raw-control.xlsx", Expect::Either);

    // --- Emoji and 𠮷 in sheet names and values.
    let mut emoji = first.clone();
    emoji.division = "𠮷野😀課".into();
    emoji.entries[0].goal = "😀 𠮷 🇯🇵 👨‍👩‍👧".into();
    cases.put(
        "emoji-names.xlsx",
        &official(&[("𠮷野😀課".into(), emoji)], |_, _, _| {}),
        Expect::Reads(|d| {
            assert_eq!(d.sheets[0].sheet, "𠮷野😀課");
            assert_eq!(d.sheets[0].division, "𠮷野😀課");
            assert_eq!(d.sheets[0].entries[0].goal, "😀 𠮷 🇯🇵 👨‍👩‍👧");
        }),
    );

    // --- Sheet names Excel forbids (`/ \ [ ] : * ?`), over 31 characters, quoted: only
    //     another program writes these, so the names are patched into a written workbook.
    {
        let valid: Vec<(String, Sheet)> =
            RESERVED.iter().enumerate().map(|(i, _)| (format!("S{i}"), seed.sheets[i].clone())).collect();
        let written = official(&valid, |_, _, _| {});
        let renames: Vec<(String, String)> =
            RESERVED.iter().enumerate().map(|(i, n)| (format!("S{i}"), n.to_string())).collect();
        cases.put(
            "reserved-names.xlsx",
            &rename_sheets(&written, &renames),
            Expect::Reads(|d| {
                let names: Vec<&str> = d.sheets.iter().map(|s| s.sheet.as_str()).collect();
                assert_eq!(names, RESERVED);
            }),
        );
    }

    // --- CSV and JSON from other programs: 30 MB of rows (under the 32 MiB input cap, but
    //     300,000 indicators), a CSV just under the item budget with every indicator flagged by
    //     `check`, one 3 MB field, a file over the cap, 3.5 million `{}` (each a sheet), JSON
    //     nested 100,000 deep.
    {
        let header = "部,課,年度,No.,組織目標,指標,目標,結果,評価\n";
        let row = |n: usize| format!("市民生活部,市民生活課,令和6年度,{},目標{n},指標{n},{n}件,{n}件,○\n", n / 3 + 1);
        let mut csv = String::from(header);
        let mut n = 0;
        while csv.len() < 30 * 1024 * 1024 {
            n += 1;
            csv.push_str(&row(n));
        }
        cases.put("30mb-rows.csv", csv.as_bytes(), Expect::Fails(|k| matches!(k, ErrorKind::TooLarge { .. }), "lines"));
        // 1 sheet + 2,450 entries + 7,350 indicators: under guard::MAX_ITEMS (10,000).
        let mut at_cap = String::from(header);
        for n in 1..=7_350 {
            at_cap.push_str(&format!(
                "市民生活部,市民生活課,令和6年度,{no},目標　{no},指標{n},１，０００件 ,〇,〇\n",
                no = n / 3 + 1
            ));
        }
        cases.put(
            "at-budget.csv",
            at_cap.as_bytes(),
            Expect::Reads(|d| assert_eq!(d.sheets[0].indicator_count(), 7_350)),
        );
        // A 3 MB field: a hundred times what an Excel cell can hold.
        let field =
            format!("{header}市民生活部,市民生活課,令和6年度,1,\"{}\",指標,1件,1件,○\n", "あ".repeat(1024 * 1024));
        cases.put(
            "huge-field.csv",
            field.as_bytes(),
            Expect::Reads(|d| assert_eq!(d.sheets[0].entries[0].goal.len(), 3 * 1024 * 1024)),
        );
        let mut over = csv.clone();
        while over.len() <= 33 * 1024 * 1024 {
            over.push_str("市民生活部,市民生活課,令和6年度,1,目標,指標,1件,1件,○\n");
        }
        cases.put(
            "over-cap.csv",
            over.as_bytes(),
            Expect::Fails(|k| matches!(k, ErrorKind::TooLarge { .. }), "too large"),
        );
        let empties = format!("[{}{{}}]", "{},".repeat(10 * 1024 * 1024 / 3));
        cases.put(
            "empty-objects.json",
            empties.as_bytes(),
            Expect::Fails(|k| matches!(k, ErrorKind::TooLarge { .. }), "JSON objects"),
        );
        cases.put(
            "nested.json",
            "[".repeat(100_000).as_bytes(),
            Expect::Fails(|k| matches!(k, ErrorKind::TooLarge { .. } | ErrorKind::Json { .. }), "JSON"),
        );
    }

    // --- Issue 14.2 and 14.3: long sheet-level values repeated on each of 1,000 CSV rows (the
    //     whole table was built in memory: 1.4 GB), and copies of a 32,767-character cell with a
    //     finding each, just under the cell-text budget (every renderer kept the cell per finding,
    //     and fix's note quoted it past Excel's limit). Every command runs on these ([`ALL_COMMANDS`]).
    {
        let mut s = first.clone();
        s.department = format!("市民生活部{}", "長".repeat(20_000));
        s.policy_indicators = "政".repeat(32_767);
        let mut entry = s.entries[0].clone();
        entry.indicators.truncate(1);
        s.entries = numbered(&entry, 1_000);
        cases.put(
            "long-header-values.xlsx",
            &official(&[("市民生活課".into(), s)], |_, _, _| {}),
            Expect::Reads(|d| assert_eq!(d.sheets[0].entries.len(), 1_000)),
        );
        cases.heavy();
        let mut s = first.clone();
        let long = format!("{}\u{3000}", "目".repeat(32_766));
        let copies = goalsheet::read::guard::MAX_TEXT_BYTES / long.len() - 8;
        let mut entry = s.entries[0].clone();
        entry.indicators.truncate(1);
        entry.goal = long;
        s.entries = numbered(&entry, copies);
        cases.put(
            "copies-of-a-full-cell.xlsx",
            &official(&[("市民生活課".into(), s)], |_, _, _| {}),
            Expect::Reads(|d| assert_eq!(d.sheets[0].entries[0].goal.chars().count(), 32_767)),
        );
        cases.heavy();

        // 3,333 goals of two indicators (the item budget) whose every text ends in a stray
        // full-width space: 60,000 safe fixes of 120-character values. fix held each value a
        // dozen times (490 MiB) and check --format json every finding as a JSON value (485 MiB).
        let mut s = first.clone();
        let mut entry = s.entries[0].clone();
        entry.indicators.truncate(1);
        entry.indicators.push(entry.indicators[0].clone());
        let long = |t: &str| format!("{t}{}\u{3000}", "あ".repeat(120));
        entry.goal = long(&entry.goal);
        for ind in &mut entry.indicators {
            let fields = [&mut ind.name, &mut ind.plan_ref, &mut ind.target, &mut ind.result];
            for t in fields.into_iter().chain([&mut ind.initiative, &mut ind.summary, &mut ind.status, &mut ind.policy])
            {
                *t = long(t);
            }
        }
        s.entries = numbered(&entry, 3_333);
        cases.put(
            "many-long-fixes.xlsx",
            &official(&[("市民生活課".into(), s)], |_, _, _| {}),
            Expect::Reads(|d| assert_eq!(d.sheets[0].indicator_count(), 6_666)),
        );

        // One goal of 3,000 indicators, each of its eight texts with a stray space: fix looked
        // for the fields sharing a fixed cell through the whole goal, for each of 24,000 fixes
        // (at 5,000 indicators, 16 s in a release build where 0.7 s was enough).
        let mut s = first.clone();
        let mut entry = s.entries[0].clone();
        let one = entry.indicators[0].clone();
        entry.indicators = (0..3_000)
            .map(|i| {
                let mut ind = one.clone();
                let fields = [&mut ind.name, &mut ind.plan_ref, &mut ind.target, &mut ind.result];
                for t in
                    fields.into_iter().chain([&mut ind.initiative, &mut ind.summary, &mut ind.status, &mut ind.policy])
                {
                    *t = format!("{t}{i} ");
                }
                ind
            })
            .collect();
        s.entries = vec![entry];
        cases.put(
            "one-goal-of-many-fixes.xlsx",
            &official(&[("市民生活課".into(), s)], |_, _, _| {}),
            Expect::Reads(|d| assert_eq!(d.sheets[0].indicator_count(), 3_000)),
        );
        cases.heavy();
    }

    // --- A workbook of 200 goal sheets.
    let many: Vec<(String, Sheet)> = (0..200)
        .map(|i| {
            let mut s = seed.sheets[i % seed.sheets.len()].clone();
            s.division = format!("第{}課", i + 1);
            (format!("第{}課", i + 1), s)
        })
        .collect();
    cases.put(
        "200-sheets.xlsx",
        &official(&many, |_, _, _| {}),
        Expect::Reads(|d| {
            assert_eq!(d.sheets.len(), 200);
            assert_eq!(d.sheets[199].division, "第200課");
        }),
    );
    cases.heavy();

    // --- 600 goal sheets, each with a finding fix notes and a VML drawing of 350 KB (210 MB in
    //     all, under the zip's bound): fix read every drawing again for each sheet it noted
    //     (quadratic: 13 s for 600 drawings of 100 KB in a release build) and kept each one
    //     read (past 256 MB).
    {
        let sheets: Vec<(String, Sheet)> = (0..600)
            .map(|i| {
                let mut s = first.clone();
                s.entries.truncate(2);
                for e in &mut s.entries {
                    e.indicators.truncate(2);
                }
                s.entries[0].indicators[0].target = "１００件".into();
                s.division = format!("第{}課", i + 1);
                (format!("第{}課", i + 1), s)
            })
            .collect();
        let plain = official(&sheets, |_, _, _| {});
        cases.put(
            "many-drawings.xlsx",
            &with_drawings(&plain, 350 * 1024),
            Expect::Reads(|d| assert_eq!(d.sheets.len(), 600)),
        );
        cases.heavy();
    }

    Corpus { _dir: dir, path, cases: cases.cases }
}

/// `xlsx` with a VML drawing of about `size` bytes for each worksheet (a shape-id block and a
/// comment), as Excel keeps for a sheet that had notes.
fn with_drawings(xlsx: &[u8], size: usize) -> Vec<u8> {
    let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
    let mut zip = zip::ZipArchive::new(Cursor::new(xlsx)).expect("a zip");
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).expect("entry");
        let name = f.name().expect("name").to_string();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut data).expect("read");
        parts.push((name, data));
    }
    let mut added = Vec::new();
    for (name, data) in &mut parts {
        if name == "[Content_Types].xml" {
            let vml = r#"<Default Extension="vml" ContentType="application/vnd.openxmlformats-officedocument.vmlDrawing"/></Types>"#;
            *data = String::from_utf8(data.clone()).expect("utf-8").replace("</Types>", vml).into_bytes();
        }
        let Some(n) = name.strip_prefix("xl/worksheets/sheet").and_then(|r| r.strip_suffix(".xml")) else { continue };
        let text = String::from_utf8(data.clone()).expect("utf-8");
        *data = text.replace("</worksheet>", r#"<legacyDrawing r:id="rIdV"/></worksheet>"#).into_bytes();
        let rels = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdV" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing" Target="../drawings/vmlDrawing{n}.vml"/></Relationships>"#
        );
        let vml = format!(
            r#"<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel"><o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{n}"/></o:shapelayout><!--{}--></xml>"#,
            "x".repeat(size)
        );
        added.push((format!("xl/worksheets/_rels/sheet{n}.xml.rels"), rels.into_bytes()));
        added.push((format!("xl/drawings/vmlDrawing{n}.vml"), vml.into_bytes()));
    }
    parts.extend(added);
    let parts: Vec<(&str, Vec<u8>)> = parts.iter().map(|(n, d)| (n.as_str(), d.clone())).collect();
    common::fixtures::zip_parts(&parts)
}

/// `n` copies of `entry`, numbered 1 to `n`.
fn numbered(entry: &goalsheet::model::Entry, n: usize) -> Vec<goalsheet::model::Entry> {
    (1..=n)
        .map(|no| {
            let mut e = entry.clone();
            e.no = no.to_string();
            e
        })
        .collect()
}

/// The cases every command runs on (check in each format, fix, merge, convert to CSV and JSON);
/// the others are converted to JSON and CSV, and checked.
const ALL_COMMANDS: [&str; 4] =
    ["long-header-values.xlsx", "copies-of-a-full-cell.xlsx", "many-long-fixes.xlsx", "one-goal-of-many-fixes.xlsx"];

/// Cases `fix` runs on too (besides check and convert).
const FIXED_TOO: [&str; 1] = ["many-drawings.xlsx"];

/// Sheet names Excel refuses: reserved characters, 32+ characters, leading quote.
const RESERVED: [&str; 3] =
    ["a/b\\c[1]:*?", "'引用'", "非常に長いシート名非常に長いシート名非常に長いシート名非常に長い"];

/// The workbook with its sheets renamed in `xl/workbook.xml` (no check of the names).
fn rename_sheets(xlsx: &[u8], renames: &[(String, String)]) -> Vec<u8> {
    let mut zin = zip::ZipArchive::new(Cursor::new(xlsx)).expect("zip");
    let mut out = Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut out);
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).expect("entry");
        let name = f.name().expect("entry name").to_string();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut data).expect("inflate");
        if name == "xl/workbook.xml" {
            let mut text = String::from_utf8(data).expect("utf-8");
            for (from, to) in renames {
                text = text.replace(&format!("name=\"{from}\""), &format!("name=\"{}\"", xml_escape(to)));
            }
            data = text.into_bytes();
        }
        z.start_file(name, opts()).expect("zip");
        z.write_all(&data).expect("zip");
    }
    z.finish().expect("zip");
    out.into_inner()
}

/// `n` rows of one numeric cell each, as sheet XML.
fn rows_xml(n: u32) -> String {
    let mut s = String::new();
    for r in 1..=n {
        s.push_str(&format!("<row r=\"{r}\"><c r=\"A{r}\"><v>{r}</v></c></row>"));
    }
    s
}

// ---------------------------------------------------------------------------------------------
// In process

#[test]
fn corpus_reads_or_fails_clearly() {
    let c = corpus();
    for case in c.cases.iter().filter(|c| !c.heavy) {
        let bytes = std::fs::read(c.path.join(&case.name)).expect("read");
        let started = Instant::now();
        let result = std::panic::catch_unwind(|| read_bytes(&bytes, &case.name));
        let took = started.elapsed();
        let result = result.unwrap_or_else(|_| panic!("{}: the reader panicked", case.name));
        assert!(took < Duration::from_secs(MAX_SECONDS), "{}: took {took:?}", case.name);
        match (&case.expect, result) {
            (Expect::Reads(check), Ok(doc)) => check(&doc),
            (Expect::Reads(_), Err(e)) => panic!("{}: should read, failed: {e}", case.name),
            (Expect::Fails(_, _), Ok(doc)) => panic!("{}: should fail, read {} sheets", case.name, doc.sheets.len()),
            (Expect::Fails(kind, hint), Err(e)) => {
                assert!(kind(&e.kind), "{}: wrong kind of error: {e:?}", case.name);
                assert!(
                    e.render(Lang::En).contains(hint),
                    "{}: the message does not say {hint:?}: {}",
                    case.name,
                    e.render(Lang::En)
                );
                for lang in [Lang::Ja, Lang::En] {
                    assert!(e.render(lang).contains(&case.name), "{}: the message does not name the file", case.name);
                }
            }
            (Expect::Either, Ok(_)) => {}
            (Expect::Either, Err(e)) => {
                for lang in [Lang::Ja, Lang::En] {
                    let m = e.render(lang);
                    assert!(m.contains(&case.name), "{}: the message does not name the file: {m}", case.name);
                }
            }
        }
    }
}

/// Where the direct xlsx reader takes a hostile file, calamine reads it the same; where it
/// does not, the file goes to calamine and the cases above hold for that path.
#[test]
fn the_direct_xlsx_reader_agrees_with_calamine_on_the_corpus() {
    use goalsheet::read::{guard, xlsx, xlsx_fast};
    let c = corpus();
    let mut taken = 0;
    for case in c.cases.iter().filter(|c| !c.heavy) {
        let bytes = std::fs::read(c.path.join(&case.name)).expect("read");
        if guard::sniff(&bytes) != guard::Magic::Zip || !matches!(guard::check_zip(&bytes), Ok(guard::ZipKind::Xlsx)) {
            continue;
        }
        let ours = std::panic::catch_unwind(|| xlsx_fast::grids(&bytes))
            .unwrap_or_else(|_| panic!("{}: the direct reader panicked", case.name));
        let Some(ours) = ours else { continue };
        taken += 1;
        let theirs = xlsx::calamine_grids(&bytes)
            .unwrap_or_else(|e| panic!("{}: the direct reader took a file calamine rejects: {e}", case.name));
        let view = |g: &[goalsheet::read::grid::Grid]| {
            g.iter().map(|g| (g.name.clone(), g.cells.clone(), g.typed.clone(), g.merges.clone())).collect::<Vec<_>>()
        };
        assert_eq!(view(&ours), view(&theirs), "{}", case.name);
    }
    assert!(taken >= 5, "only {taken} corpus files were read directly");
}

// ---------------------------------------------------------------------------------------------
// Through the binary, under limits

/// Unix only: address-space limits (`prlimit`, `ulimit -v`), `/proc` for the peak memory and
/// signals; Windows builds the rest of the suite (CI checks it with `--target x86_64-pc-windows-gnu`).
#[cfg(unix)]
mod under_limits {
    use super::*;
    use crate::gen;
    use std::process::{Command, Stdio};

    struct Run {
        code: Option<i32>,
        signal: Option<i32>,
        stderr: String,
        took: Duration,
        peak_rss: u64,
    }

    /// Runs the binary with `args` under [`MAX_AS_BYTES`] of address space, killing it after
    /// [`MAX_SECONDS`]; samples its peak resident memory (`VmHWM`) while it runs.
    fn run_limited(dir: &Path, args: &[&str]) -> Run {
        let bin = env!("CARGO_BIN_EXE_goalsheet");
        let mut cmd = if Path::new("/usr/bin/prlimit").exists() || which("prlimit") {
            let mut c = Command::new("prlimit");
            c.arg(format!("--as={MAX_AS_BYTES}")).arg("--").arg(bin);
            c
        } else {
            let mut c = Command::new("sh");
            c.arg("-c").arg(format!("ulimit -v {}; exec \"$0\" \"$@\"", MAX_AS_BYTES / 1024)).arg(bin);
            c
        };
        let mut child = cmd
            .args(args)
            .current_dir(dir)
            .env("LANG", "C")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn the binary");
        let started = Instant::now();
        let status_path = format!("/proc/{}/status", child.id());
        let mut peak_rss = 0;
        let stderr = child.stderr.take();
        let reader = std::thread::spawn(move || {
            let mut s = String::new();
            if let Some(mut e) = stderr {
                let _ = std::io::Read::read_to_string(&mut e, &mut s);
            }
            s
        });
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait") {
                break status;
            }
            if let Ok(st) = std::fs::read_to_string(&status_path) {
                // Only once the binary runs: between fork and exec the child is a copy of this
                // test process (and with prlimit, prlimit), whose memory is not the binary's
                // (a sample taken there once read 320 MiB for a 64 KB file).
                let is_goalsheet =
                    st.lines().find_map(|l| l.strip_prefix("Name:")).is_some_and(|n| n.trim() == "goalsheet");
                if let Some(kb) = st
                    .lines()
                    .find_map(|l| l.strip_prefix("VmHWM:"))
                    .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
                    .filter(|_| is_goalsheet)
                {
                    peak_rss = peak_rss.max(kb * 1024);
                }
            }
            // The bound is on the work done (CPU time), so that a machine shared with other
            // builds does not fail the test; wall-clock time gets a far wider backstop.
            let cpu = cpu_seconds(child.id()).unwrap_or(0.0);
            if cpu > MAX_SECONDS as f64 || started.elapsed() > Duration::from_secs(10 * MAX_SECONDS) {
                let _ = child.kill();
                let _ = child.wait();
                panic!("goalsheet {args:?} still running after {cpu:.1} s of CPU time: killed");
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        let took = started.elapsed();
        use std::os::unix::process::ExitStatusExt;
        Run { code: status.code(), signal: status.signal(), stderr: reader.join().unwrap_or_default(), took, peak_rss }
    }

    /// User and system CPU time of a running process, from `/proc` (Linux), in seconds.
    fn cpu_seconds(pid: u32) -> Option<f64> {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        // Fields after the command name (which may hold spaces), from field 3 on: utime and
        // stime are fields 14 and 15, in clock ticks (100 a second on Linux).
        let rest = &stat[stat.rfind(')')? + 1..];
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
        Some(ticks as f64 / 100.0)
    }

    fn which(program: &str) -> bool {
        std::env::var_os("PATH").is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(program).is_file()))
    }

    #[test]
    fn binary_stays_within_bounds() {
        let c = corpus();
        let out = tempfile::tempdir().expect("tempdir");
        let mut report = Vec::new();
        for case in &c.cases {
            let input = c.path.join(&case.name);
            let output = out.path().join(format!("{}.json", case.name));
            let run = run_limited(
                out.path(),
                &[
                    "convert",
                    input.to_str().expect("utf-8 path"),
                    "-o",
                    output.to_str().expect("utf-8 path"),
                    "-q",
                    "--force",
                    "--lang",
                    "en",
                ],
            );
            report.push(format!(
                "{:<24} exit {:?} {:>6.2} s {:>4} MiB",
                case.name,
                run.code,
                run.took.as_secs_f64(),
                run.peak_rss >> 20
            ));
            assert_eq!(run.signal, None, "{}: killed by signal {:?}; stderr: {}", case.name, run.signal, run.stderr);
            let code = run.code.expect("an exit code");
            assert!(code == 0 || code == 2, "{}: exit code {code}; stderr: {}", case.name, run.stderr);
            match case.expect {
                Expect::Reads(_) => assert_eq!(code, 0, "{}: {}", case.name, run.stderr),
                Expect::Fails(_, hint) => {
                    assert_eq!(code, 2, "{}", case.name);
                    assert!(
                        run.stderr.contains(hint),
                        "{}: the message does not say {hint:?}: {}",
                        case.name,
                        run.stderr
                    );
                }
                Expect::Either => {}
            }
            if code == 2 {
                assert!(
                    run.stderr.contains(&case.name),
                    "{}: the message does not name the file: {}",
                    case.name,
                    run.stderr
                );
                assert!(!run.stderr.contains("panicked"), "{}: {}", case.name, run.stderr);
            } else {
                assert!(output.exists(), "{}: exit 0 but no output", case.name);
            }
            assert!(run.peak_rss <= MAX_RSS_BYTES, "{}: peak RSS {} MiB", case.name, run.peak_rss >> 20);

            // `check` reads the same way (so a file convert could not read fails the same), then
            // runs every rule and renders with miette: run it on every file that reads, and
            // write its CSV (a row per indicator, sheet values repeated on each).
            if code != 0 {
                continue;
            }
            let input = input.to_str().expect("utf-8 path");
            let csv = out.path().join(format!("{}.csv", case.name));
            let fixed = out.path().join(format!("{}.fixed.xlsx", case.name));
            let merged = out.path().join(format!("{}.merged.xlsx", case.name));
            let mut commands: Vec<Vec<&str>> =
                vec![vec!["check", input], vec!["convert", input, "-o", csv.to_str().expect("path"), "--force"]];
            if ALL_COMMANDS.contains(&case.name.as_str()) {
                commands.push(vec!["check", input, "--format", "json"]);
                commands.push(vec!["fix", input, "-o", fixed.to_str().expect("path")]);
                commands.push(vec!["merge", input, "-o", merged.to_str().expect("path")]);
            } else if FIXED_TOO.contains(&case.name.as_str()) {
                commands.push(vec!["fix", input, "-o", fixed.to_str().expect("path")]);
            }
            for args in commands {
                let mut with_lang = args.clone();
                with_lang.extend(["-q", "--lang", "en"]);
                let run = run_limited(out.path(), &with_lang);
                report.push(format!(
                    "{:<24} {} exit {:?} {:>6.2} s {:>4} MiB",
                    "",
                    args[0],
                    run.code,
                    run.took.as_secs_f64(),
                    run.peak_rss >> 20
                ));
                let what = format!("{args:?}");
                assert_eq!(run.signal, None, "{what}: killed by signal {:?}; stderr: {}", run.signal, run.stderr);
                let code = run.code.expect("an exit code");
                // A department file past what the reader takes back is refused before writing.
                let refused = args[0] == "merge" && code == 2 && run.stderr.contains("too large");
                assert!(code == 0 || code == 1 || refused, "{what}: exit {code}: {}", run.stderr);
                assert!(!run.stderr.contains("panicked"), "{what}: {}", run.stderr);
                assert!(run.peak_rss <= MAX_RSS_BYTES, "{what}: peak RSS {} MiB", run.peak_rss >> 20);
            }
            // What fix and merge wrote reads back; fix's of 60,000 fixes holds the sheet's 22 MiB of
            // text and the logs' besides, past the reader's text budget: refused as too large.
            for written in [&fixed, &merged] {
                if written.exists() {
                    let r = goalsheet::read::read_path(written);
                    let too_large = matches!(&r, Err(e) if matches!(e.kind, ErrorKind::TooLarge { .. }));
                    let budget_past = case.name == "many-long-fixes.xlsx" && written == &fixed && too_large;
                    assert!(r.is_ok() || budget_past, "{}: {:?}", written.display(), r.err());
                }
            }
        }
        // Shown with --nocapture; the figures in docs/hardening.md come from here.
        println!("{}", report.join("\n"));
    }

    /// Shift_JIS export of names and values with `𠮷` and emoji: reported with their places, never
    /// replaced (exit 2, no output file).
    #[test]
    fn shift_jis_export_reports_what_it_cannot_hold() {
        let c = corpus();
        let out = tempfile::tempdir().expect("tempdir");
        let input = c.path.join("emoji-names.xlsx");
        let output = out.path().join("out.csv");
        let run = run_limited(
            out.path(),
            &[
                "convert",
                input.to_str().expect("path"),
                "-o",
                output.to_str().expect("path"),
                "--encoding",
                "shift_jis",
                "--lang",
                "en",
            ],
        );
        assert_eq!(run.code, Some(2), "{}", run.stderr);
        assert!(!output.exists(), "nothing written when characters cannot be encoded");
        for ch in ["𠮷", "😀"] {
            assert!(run.stderr.contains(ch), "the report names {ch}: {}", run.stderr);
        }
        // UTF-8 keeps them all.
        let run =
            run_limited(out.path(), &["convert", input.to_str().expect("path"), "-o", output.to_str().expect("path")]);
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        let text = std::fs::read_to_string(&output).expect("utf-8 csv");
        for s in ["𠮷野😀課", "😀 𠮷 🇯🇵 👨‍👩‍👧"] {
            assert!(text.contains(s), "UTF-8 CSV keeps {s}");
        }
    }

    /// A workbook whose sheet names Excel would refuse converts to .xlsx: the names are made valid,
    /// every sheet and value kept.
    #[test]
    fn reserved_sheet_names_convert_to_xlsx() {
        let c = corpus();
        let out = tempfile::tempdir().expect("tempdir");
        let xlsx = out.path().join("back.xlsx");
        let input = c.path.join("reserved-names.xlsx");
        let run = run_limited(
            out.path(),
            &["convert", input.to_str().expect("path"), "-o", xlsx.to_str().expect("path"), "-q"],
        );
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        let before = read_bytes(&std::fs::read(&input).expect("read"), "reserved-names.xlsx").expect("reads");
        let after = read_bytes(&std::fs::read(&xlsx).expect("read"), "back.xlsx").expect("reads");
        assert_eq!(after.sheets.len(), before.sheets.len());
        for a in &after.sheets {
            assert!(
                !a.sheet.contains(['/', '\\', '[', ']', ':', '*', '?']) && a.sheet.chars().count() <= 31,
                "{}",
                a.sheet
            );
        }
        assert_eq!(gen::values(after), gen::values(before), "every value kept");
    }

    /// A division with one entry of one indicator, as a workbook.
    fn small_division(n: usize) -> Vec<u8> {
        let mut s = seed().sheets[0].clone();
        s.division = format!("第{n}課");
        s.entries.truncate(1);
        s.entries[0].indicators.truncate(1);
        official(&[(s.division.clone(), s)], |_, _, _| {})
    }

    /// `merge` of 998 divisions writes a department file that goalsheet reads back (at a sheet
    /// limit of 1,000 it wrote one it then refused); 5,000 are refused before any is read, within
    /// bounds, and nothing is written (issue 14.4).
    #[test]
    fn merge_of_many_divisions_reads_back_or_is_refused_within_bounds() {
        let dir = tempfile::tempdir().expect("tempdir");
        let many = dir.path().join("998");
        std::fs::create_dir(&many).expect("mkdir");
        for n in 1..=998 {
            let bytes = small_division(n);
            std::fs::write(many.join(format!("{n:04}.xlsx")), &bytes).expect("write");
            keep(&format!("998/{n:04}.xlsx"), &bytes);
        }
        let dept = dir.path().join("dept.xlsx");
        let run = run_limited(dir.path(), &["merge", "998", "-o", "dept.xlsx", "-q", "--lang", "en"]);
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        assert!(run.peak_rss <= MAX_RSS_BYTES, "merge of 998: peak RSS {} MiB", run.peak_rss >> 20);
        let back = goalsheet::read::read_path(&dept).expect("the department file reads back");
        assert_eq!(back.sheets.len(), 998);

        let too_many = dir.path().join("5000");
        std::fs::create_dir(&too_many).expect("mkdir");
        let one = small_division(1);
        for n in 1..=5_000 {
            std::fs::write(too_many.join(format!("{n:04}.xlsx")), &one).expect("write");
        }
        let run = run_limited(dir.path(), &["merge", "5000", "-o", "big.xlsx", "--lang", "en"]);
        assert_eq!(run.code, Some(2), "{}", run.stderr);
        assert!(run.stderr.contains("5000 divisions; one department file holds at most 1000"), "{}", run.stderr);
        assert!(!dir.path().join("big.xlsx").exists());
        assert!(run.peak_rss <= MAX_RSS_BYTES / 4, "merge of 5,000: peak RSS {} MiB", run.peak_rss >> 20);
    }

    /// Merge keeps every file it reads until it writes: 40 files of some 60 KB, each holding
    /// 21 MB of text beside its table (one long string in 700 cells), took 850 MB. The text
    /// held is bounded as the files arrive; the run is refused within bounds, naming the file
    /// that passed the bound, and nothing is written.
    #[test]
    fn merge_of_files_holding_much_text_is_refused_within_bounds() {
        let dir = tempfile::tempdir().expect("tempdir");
        let folder = dir.path().join("text");
        std::fs::create_dir(&folder).expect("mkdir");
        let big = "x".repeat(30_000);
        for n in 1..=40 {
            let mut s = seed().sheets[0].clone();
            s.division = format!("第{n}課");
            let bytes = official(&[(s.division.clone(), s)], |_, ws, _| {
                for r in 30..730 {
                    ws.write_string(r, 13, &big).expect("write");
                }
            });
            std::fs::write(folder.join(format!("{n:02}.xlsx")), &bytes).expect("write");
        }
        let run = run_limited(dir.path(), &["merge", "text", "-o", "dept.xlsx", "--lang", "en"]);
        assert_eq!(run.code, Some(2), "{}", run.stderr);
        assert!(run.stderr.contains("02.xlsx") && run.stderr.contains("more than 24.0 MiB of text"), "{}", run.stderr);
        assert!(run.peak_rss <= MAX_RSS_BYTES, "peak RSS {} MiB", run.peak_rss >> 20);
        assert!(!dir.path().join("dept.xlsx").exists());
    }
}
