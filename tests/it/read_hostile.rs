//! Broken and hostile files: each is an `Err` with a clear message in both languages naming
//! the file, never a panic, an abort or an unbounded allocation.

use crate::common;

use crate::common::fixtures::{
    goal_sheet_ods, goal_sheet_xls_sheet, goal_sheet_xlsx, is_cell, minimal_xlsx, sample, xls, Drift, XlsSheet, XlsVal,
};
use goalsheet::read::read_bytes;
use goalsheet::{Error, ErrorKind, Lang};

fn err(bytes: &[u8], name: &str) -> Error {
    match read_bytes(bytes, name) {
        Ok(doc) => panic!("{name} read as {} sheets", doc.sheets.len()),
        Err(e) => {
            // Every error names the file, in both languages.
            for lang in [Lang::Ja, Lang::En] {
                assert!(e.render(lang).contains(name), "{}", e.render(lang));
            }
            e
        }
    }
}

/// The Japanese message of a problem a clerk meets is Japanese throughout: no English
/// sentence left in it (file and part names aside).
fn all_japanese(e: &Error) {
    let ja = e.render(Lang::Ja);
    for english in ["the ", " is ", " not ", " of ", "cannot", "inflates", "(0 bytes)"] {
        assert!(!ja.contains(english), "English {english:?} in the Japanese message: {ja}");
    }
}

#[test]
fn empty_file() {
    let e = err(b"", "空.xlsx");
    assert!(matches!(e.kind, ErrorKind::NotAWorkbook { .. }));
    assert!(e.render(Lang::En).contains("empty"));
    assert!(e.render(Lang::Ja).contains("空のファイル"), "{}", e.render(Lang::Ja));
    all_japanese(&e);
}

#[test]
fn random_bytes_and_text() {
    let mut x: u32 = 12345;
    let bytes: Vec<u8> = (0..4096)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            (x >> 16) as u8
        })
        .collect();
    let e = err(&bytes, "r.xlsx");
    assert!(matches!(e.kind, ErrorKind::NotAWorkbook { .. }));
    all_japanese(&e);
    let e = err("No.,組織目標\n1,a\n".as_bytes(), "t.xls");
    assert!(e.render(Lang::En).contains(".csv"));
    assert!(e.render(Lang::Ja).contains("拡張子を .csv に"), "{}", e.render(Lang::Ja));
    all_japanese(&e);
    let e = err(b"<html><body><table><tr><td>1</td></tr></table></body></html>", "web.xls");
    assert!(e.render(Lang::En).contains("HTML"));
    all_japanese(&e);
}

#[test]
fn truncated_zip() {
    let full = goal_sheet_xlsx(&sample(), &Drift::default());
    for cut in [full.len() / 2, full.len() - 100, 30] {
        let e = err(&full[..cut], "切れた.xlsx");
        assert!(matches!(e.kind, ErrorKind::Corrupt { .. }), "{e}");
        assert!(e.render(Lang::Ja).contains("壊れています"));
        assert!(e.render(Lang::Ja).contains("途中が欠けている"), "{}", e.render(Lang::Ja));
        all_japanese(&e);
    }
}

#[test]
fn zip_without_workbook() {
    let z = common::fixtures::zip_parts(&[("readme.txt", b"hello".to_vec())]);
    let e = err(&z, "z.xlsx");
    assert!(matches!(e.kind, ErrorKind::NotAWorkbook { .. }));
    assert!(e.render(Lang::En).contains("without a workbook"));
    assert!(e.render(Lang::Ja).contains("Excel のブックがありません"), "{}", e.render(Lang::Ja));
    all_japanese(&e);
    let docx = common::fixtures::zip_parts(&[("word/document.xml", b"<w/>".to_vec())]);
    let e = err(&docx, "d.xlsx");
    assert!(e.render(Lang::En).contains("Word"));
    all_japanese(&e);
}

#[test]
fn password_protected() {
    // An encrypted .xlsx is an OLE file with EncryptionInfo / EncryptedPackage.
    let enc = common::fixtures::ole(&[("/EncryptionInfo", b"\x04\x00\x04\x00"), ("/EncryptedPackage", &[0u8; 64])]);
    let e = err(&enc, "秘.xlsx");
    assert!(matches!(e.kind, ErrorKind::Encrypted));
    // Says so, and how to remove the password.
    assert!(e.render(Lang::Ja).contains("パスワード"));
    assert!(e.render(Lang::Ja).contains("［ファイル］→［情報］→［ブックの保護］"), "{}", e.render(Lang::Ja));
    assert!(e.render(Lang::En).contains("remove the password"), "{}", e.render(Lang::En));
    // An .xls with a FilePass record.
    let mut stream = common::fixtures::biff8_stream(&[goal_sheet_xls_sheet(&sample())]);
    // Insert FilePass (0x002F, wEncryptionType=1) right after the globals BOF (20 bytes).
    let filepass = [0x2F, 0x00, 0x06, 0x00, 0x01, 0x00, 0, 0, 0, 0];
    stream.splice(20..20, filepass);
    let bytes = common::fixtures::ole(&[("/Workbook", &stream)]);
    assert!(matches!(err(&bytes, "秘.xls").kind, ErrorKind::Encrypted));
}

#[test]
fn other_office_files() {
    let doc = common::fixtures::ole(&[("/WordDocument", &[0u8; 100])]);
    assert!(err(&doc, "w.xls").render(Lang::En).contains("Word"));
}

#[test]
fn no_goal_sheet_lists_sheets() {
    let bytes = minimal_xlsx(&format!("<row r=\"1\">{}</row>", is_cell("A1", "名簿")), None, vec![]);
    let e = err(&bytes, "名簿.xlsx");
    match &e.kind {
        ErrorKind::NoGoalSheet { sheets, more } => assert_eq!((sheets, *more), (&vec!["Sheet1".to_string()], 0)),
        k => panic!("{k:?}"),
    }
    assert!(e.render(Lang::Ja).contains("組織目標"));
    assert!(e.render(Lang::En).contains("Sheet1"));
}

#[test]
fn cell_at_the_far_corner() {
    let data =
        format!("<row r=\"1\">{}</row><row r=\"1048576\">{}</row>", is_cell("A1", "x"), is_cell("XFD1048576", "y"));
    let e = err(&minimal_xlsx(&data, None, vec![]), "角.xlsx");
    assert!(matches!(e.kind, ErrorKind::TooLarge { .. }), "{e}");
    assert_eq!(e.cell.map(|c| c.to_string()).as_deref(), Some("XFD1048576"));
    assert_eq!(e.sheet.as_deref(), Some("Sheet1"));
    all_japanese(&e);
    // A cell reference beyond Excel's grid.
    let data = r#"<row r="1"><c r="ZZZZ99999999" t="inlineStr"><is><t>z</t></is></c></row>"#;
    assert!(read_bytes(&minimal_xlsx(data, None, vec![]), "z.xlsx").is_err());
}

#[test]
fn shared_strings_count_bomb() {
    let ss = r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="100000000000" uniqueCount="100000000000"><si><t>a</t></si></sst>"#;
    let data = r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#;
    let e = err(&minimal_xlsx(data, Some(ss), vec![]), "ss.xlsx");
    assert!(matches!(e.kind, ErrorKind::Corrupt { .. }), "{e}");
    assert!(e.render(Lang::En).contains("100000000000"));
}

#[test]
fn zip_part_inflating_past_the_limit() {
    // 70 MiB of one repeated byte deflates to ~70 KB.
    let big = vec![b' '; 70 * 1024 * 1024];
    let e = err(&minimal_xlsx("", None, vec![("xl/media/pad.bin", big)]), "bomb.xlsx");
    assert!(matches!(e.kind, ErrorKind::TooLarge { .. }), "{e}");
    assert!(e.render(Lang::En).contains("xl/media/pad.bin"));
    assert!(e.render(Lang::Ja).contains("大きすぎます"));
    all_japanese(&e);
    // The shared strings part is loaded whole: a lower limit.
    let ss = format!("<sst>{}</sst>", " ".repeat(30 * 1024 * 1024));
    let e = err(&minimal_xlsx("", Some(&ss), vec![]), "ss.xlsx");
    assert!(matches!(e.kind, ErrorKind::TooLarge { .. }), "{e}");
}

#[test]
fn overlapping_merged_areas() {
    // 20,000 merged areas each covering A1:K2000: indexing them would touch 440 million cells.
    let merges: String = (0..20_000).map(|_| r#"<mergeCell ref="A1:K2000"/>"#).collect();
    let inner = format!(
        r#"<sheetData><row r="2000">{}</row></sheetData><mergeCells count="20000">{merges}</mergeCells>"#,
        is_cell("K2000", "x")
    );
    let start = std::time::Instant::now();
    let e = err(&common::fixtures::minimal_xlsx_sheet(&inner, None, vec![]), "merge.xlsx");
    assert!(matches!(e.kind, ErrorKind::TooLarge { .. }), "{e}");
    assert!(start.elapsed().as_secs() < 10);
}

#[test]
fn too_many_zip_entries() {
    let parts: Vec<(String, Vec<u8>)> = (0..10_001).map(|i| (format!("x/{i}"), Vec::new())).collect();
    let parts: Vec<(&str, Vec<u8>)> = parts.iter().map(|(n, d)| (n.as_str(), d.clone())).collect();
    let e = err(&minimal_xlsx("", None, parts), "many.xlsx");
    assert!(matches!(e.kind, ErrorKind::TooLarge { .. }), "{e}");
}

#[test]
fn xls_forged_dimensions_are_harmless() {
    // Dimensions claiming 4 billion rows × 256 columns: calamine would reserve that; the
    // guard rewrites it, and the sheet reads normally.
    let mut sheet = goal_sheet_xls_sheet(&sample());
    sheet.dimensions = Some((0, u32::MAX, 0, 255));
    let doc = read_bytes(&xls(&[sheet]), "dim.xls").unwrap();
    assert_eq!(doc.sheets[0].entries.len(), 3);
}

#[test]
fn xls_cells_spanning_too_far() {
    let sheet = XlsSheet {
        name: "s".into(),
        cells: vec![(0, 0, XlsVal::Text("a".into())), (65_535, 255, XlsVal::Text("b".into()))],
        merges: vec![],
        dimensions: None,
    };
    let e = err(&xls(&[sheet]), "far.xls");
    assert!(matches!(e.kind, ErrorKind::TooLarge { .. }), "{e}");
    // A column beyond Excel's grid (XFD) is not a real cell at all.
    let sheet = XlsSheet {
        name: "s".into(),
        cells: vec![(0, 0, XlsVal::Number(1.0)), (60_000, 60_000, XlsVal::Number(2.0))],
        merges: vec![],
        dimensions: None,
    };
    let e = err(&xls(&[sheet]), "far2.xls");
    assert!(matches!(e.kind, ErrorKind::Corrupt { .. }), "{e}");
    assert!(e.render(Lang::En).contains("outside Excel's grid"));
}

#[test]
fn xls_sheet_offset_past_the_stream() {
    let mut stream = common::fixtures::biff8_stream(&[goal_sheet_xls_sheet(&sample())]);
    // The BoundSheet8 record follows BOF (20 bytes) and CodePage (6 bytes); its offset field
    // starts 4 bytes into the record.
    let at = 20 + 6 + 4;
    stream[at..at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
    let e = err(&common::fixtures::ole(&[("/Workbook", &stream)]), "off.xls");
    assert!(matches!(e.kind, ErrorKind::Corrupt { .. }), "{e}");
}

#[test]
fn ods_repeat_bomb_and_space_bomb() {
    let rows = r#"<table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="1000" office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>"#;
    let e = err(&common::fixtures::ods("s", rows), "rep.ods");
    assert!(matches!(e.kind, ErrorKind::TooLarge { .. }), "{e}");
    // Many short rows each reaching the last column: calamine stores every row densely.
    let row = r#"<table:table-row><table:table-cell table:number-columns-repeated="16000"/><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>"#;
    let e = err(&common::fixtures::ods("s", &row.repeat(300)), "wide.ods");
    assert!(matches!(e.kind, ErrorKind::TooLarge { .. }), "{e}");
    let spaces = r#"<table:table-row><table:table-cell office:value-type="string"><text:p>a<text:s text:c="1000000000"/></text:p></table:table-cell></table:table-row>"#;
    let e = err(&common::fixtures::ods("s", spaces), "sp.ods");
    assert!(matches!(e.kind, ErrorKind::Corrupt { .. }), "{e}");
}

/// An .ods's formulas are kept as the cells are read, and bounded as an .xlsx's are: a sheet of
/// short formula cells (21 MB of XML) made every cell a typed cell with its formula.
#[test]
fn ods_formulas_are_bounded() {
    let row =
        format!("<table:table-row>{}</table:table-row>", r#"<table:table-cell table:formula="of:=1"/>"#.repeat(250));
    let e = err(&common::fixtures::ods("s", &row.repeat(2001)), "formulas.ods");
    assert!(matches!(e.kind, ErrorKind::TooLarge { .. }), "{e}");
    assert!(e.render(Lang::En).contains("the formulas"), "{}", e.render(Lang::En));
}

/// Deterministic byte mutations of each format: whatever happens, a `Result`.
#[test]
fn mutated_files_never_panic_or_abort() {
    let originals = [
        ("m.xlsx", goal_sheet_xlsx(&sample(), &Drift::default())),
        ("m.ods", goal_sheet_ods(&sample())),
        ("m.xls", xls(&[goal_sheet_xls_sheet(&sample())])),
    ];
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let iterations = if cfg!(debug_assertions) { 150 } else { 1500 };
    for (name, orig) in &originals {
        for _ in 0..iterations {
            let mut b = orig.clone();
            for _ in 0..(1 + next() % 8) {
                let i = (next() as usize) % b.len();
                b[i] = next() as u8;
            }
            // Only the absence of a panic/abort is asserted; errors must still name the file.
            if let Err(e) = read_bytes(&b, name) {
                assert!(e.render(Lang::En).contains(name));
            }
        }
    }
}

/// Writes the hostile fixtures to `$GOALSHEET_FIXTURES` for measuring peak memory with
/// `/usr/bin/time -v` (see docs/reading.md). Run with `--ignored`.
#[test]
#[ignore]
fn write_hostile_fixtures() {
    let Ok(dir) = std::env::var("GOALSHEET_FIXTURES") else { return };
    let dir = std::path::Path::new(&dir);
    std::fs::create_dir_all(dir).unwrap();
    let w = |n: &str, b: &[u8]| std::fs::write(dir.join(n), b).unwrap();
    w("official.xlsx", &goal_sheet_xlsx(&sample(), &Drift::default()));
    w("official.ods", &goal_sheet_ods(&sample()));
    w("official.xls", &xls(&[goal_sheet_xls_sheet(&sample())]));
    let corner =
        format!("<row r=\"1\">{}</row><row r=\"1048576\">{}</row>", is_cell("A1", "x"), is_cell("XFD1048576", "y"));
    w("corner.xlsx", &minimal_xlsx(&corner, None, vec![]));
    let ss = r#"<sst count="100000000000" uniqueCount="100000000000"><si><t>a</t></si></sst>"#;
    w("sst.xlsx", &minimal_xlsx(r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#, Some(ss), vec![]));
    w("bomb.xlsx", &minimal_xlsx("", None, vec![("xl/media/pad.bin", vec![b' '; 300 * 1024 * 1024])]));
    // Under every limit: 60 MiB of sheet XML, streamed (about 700k cells, fewer than the budget? no: rejected by MAX_CELLS).
    let row = |r: u32| format!("<row r=\"{r}\"><c r=\"A{r}\"><v>1</v></c></row>");
    let mut big = String::new();
    let mut r = 1;
    while big.len() < 60 * 1024 * 1024 {
        big.push_str(&row(r));
        r += 1;
    }
    w("cells.xlsx", &minimal_xlsx(&big, None, vec![]));
    let mut sheet = goal_sheet_xls_sheet(&sample());
    sheet.dimensions = Some((0, u32::MAX, 0, 255));
    w("dims.xls", &xls(&[sheet]));
    let far = XlsSheet {
        name: "s".into(),
        cells: vec![(0, 0, XlsVal::Number(1.0)), (65_535, 255, XlsVal::Number(2.0))],
        merges: vec![],
        dimensions: None,
    };
    w("far.xls", &xls(&[far]));
    let rows = r#"<table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="1000" office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>"#;
    w("repeat.ods", &common::fixtures::ods("s", rows));
    let spaces = r#"<table:table-row><table:table-cell office:value-type="string"><text:p>a<text:s text:c="1000000000"/></text:p></table:table-cell></table:table-row>"#;
    w("spaces.ods", &common::fixtures::ods("s", spaces));
    // Heavy but within the limits: the worst a file under 10 MB can ask for.
    // 480,000 shared-string cells: 80 kana each exceed the text budget, 40 stay just under it.
    for (name, kana) in [("heavy.xlsx", 80), ("heavy_ok.xlsx", 40)] {
        let n_strings = 80_000;
        let mut ss = format!(r#"<sst count="{n_strings}" uniqueCount="{n_strings}">"#);
        for i in 0..n_strings {
            ss.push_str(&format!("<si><t>文字列{i}{}</t></si>", "あ".repeat(kana)));
        }
        ss.push_str("</sst>");
        let mut data = String::new();
        for r in 0..4_800u32 {
            data.push_str(&format!("<row r=\"{}\">", r + 1));
            for c in 0..100u32 {
                let a1 = goalsheet::address::CellRef::new(r, c).to_string();
                data.push_str(&format!(r#"<c r="{a1}" t="s"><v>{}</v></c>"#, (r * 100 + c) % n_strings));
            }
            data.push_str("</row>");
        }
        w(name, &minimal_xlsx(&data, Some(&ss), vec![]));
    }
    let far_sheet = |name: &str| XlsSheet {
        name: name.into(),
        cells: (0..2000u32)
            .map(|i| (i * 2, i % 250, XlsVal::Text(format!("セル{i}"))))
            .chain([(5_999, 249, XlsVal::Number(1.0))])
            .collect(),
        merges: vec![],
        dimensions: None,
    };
    w("heavy.xls", &xls(&[far_sheet("a"), far_sheet("b")]));
    let row = r#"<table:table-row><table:table-cell table:number-columns-repeated="999"/><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>"#;
    let content = format!(
        "{}{}",
        r#"<table:table-row><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>"#,
        row.repeat(1_490)
    );
    w("heavy.ods", &common::fixtures::ods("s", &content));
}

/// 400,000 cells of an .xls showing one shared string of 4,000 characters (5.6 MB on disk):
/// calamine made each cell a copy of the string, 4.8 GB, before the bound on cell text
/// refused the file. It is refused from the string table and the cells' records first (the
/// hostile corpus measures the memory), and in Japanese the refusal says what, in Japanese.
#[test]
fn an_xls_of_one_long_string_in_every_cell_is_refused_before_it_is_copied() {
    let e = err(&common::fixtures::xls_shared_string_bomb(4000, 2000, 200), "bomb.xls");
    assert!(matches!(e.kind, ErrorKind::TooLarge { .. }), "{e:?}");
    let ja = e.render(Lang::Ja);
    assert!(ja.contains("セルの文字") && !ja.contains("the cell texts"), "{ja}");
    // A real sheet's cells repeat short strings (○, 件): far within the bound (this one is
    // no goal sheet, and is refused as such).
    let small = read_bytes(&common::fixtures::xls_shared_string_bomb(4, 200, 20), "small.xls").unwrap_err();
    assert!(!matches!(small.kind, ErrorKind::TooLarge { .. }), "{small:?}");
}

/// An 842-byte .ods whose one cell of 30,000 characters is repeated over 1,000 rows of 500
/// columns: calamine expands every copy (the process was killed at 24 GB). The text the
/// repeats make is counted while the file is scanned, and the file refused at once.
#[test]
fn an_ods_repeating_a_long_text_is_refused_before_it_is_expanded() {
    let text = format!(
        r#"<table:table-row table:number-rows-repeated="1000"><table:table-cell table:number-columns-repeated="500" office:value-type="string"><text:p>{}</text:p></table:table-cell></table:table-row>"#,
        "x".repeat(30_000)
    );
    let e = err(&common::fixtures::ods("s", &text), "bomb.ods");
    assert!(matches!(e.kind, ErrorKind::TooLarge { .. }), "{e:?}");
    assert!(e.render(Lang::Ja).contains("セルの文字"), "{}", e.render(Lang::Ja));
}
