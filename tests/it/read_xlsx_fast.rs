//! The direct xlsx reader (`read::xlsx_fast`) reads what calamine reads.
//!
//! `check` reads standard .xlsx files without calamine (for speed, issue 7) and falls back to
//! calamine for anything unusual. Each test here builds a workbook, reads it both ways and
//! requires the same grids: every cell's displayed text, whether it was typed as text, and the
//! merged areas. Where the direct reader is expected to step aside (a cell type it does not
//! know, a part under another name), it must return `None`, never a different reading.

use crate::gen;

use crate::common::fixtures::{self, minimal_xlsx, minimal_xlsx_sheet, zip_parts, Drift};
use goalsheet::model::TypedCell;
use goalsheet::read::grid::Grid;
use goalsheet::read::{guard, xlsx, xlsx_fast};
use proptest::prelude::*;
use std::collections::BTreeMap;

type View = (String, BTreeMap<(u32, u32), String>, BTreeMap<(u32, u32), TypedCell>, Vec<String>);

fn view(grids: &[Grid]) -> Vec<View> {
    grids
        .iter()
        .map(|g| (g.name.clone(), g.cells.clone(), g.typed.clone(), g.merges.iter().map(|m| m.to_string()).collect()))
        .collect()
}

/// Reads `bytes` both ways; the direct reader must take it and agree with calamine. Read for
/// `check` ([`for_check_agrees`]), it must agree too.
fn same(bytes: &[u8]) -> Vec<View> {
    guard::check_zip(bytes).expect("a zip the guard accepts");
    let theirs = view(&xlsx::calamine_grids(bytes).expect("calamine reads it"));
    let ours = xlsx_fast::grids(bytes).expect("the direct reader takes a standard workbook");
    assert_eq!(view(&ours), theirs);
    for_check_agrees(bytes, &ours);
    theirs
}

/// Read for `check` (`Keep::GoalSheets`), a sheet that may be a goal sheet reads exactly as
/// when everything is read; any other keeps its text cells unchanged, and the typed cells left
/// out are counted.
fn for_check_agrees(bytes: &[u8], everything: &[Grid]) {
    let keep = xlsx_fast::Keep::GoalSheets { layout: &goalsheet::layout::OFFICIAL, also: &[] };
    let for_check = xlsx_fast::grids_keeping(bytes, keep).expect("read for check as well");
    assert_eq!(for_check.len(), everything.len());
    for (c, e) in for_check.iter().zip(everything) {
        if goalsheet::read::locate::may_be_goal_sheet(e, &goalsheet::layout::OFFICIAL) {
            assert_eq!(c.unformatted, 0, "{}", e.name);
            assert_eq!(view(std::slice::from_ref(c)), view(std::slice::from_ref(e)));
            continue;
        }
        for (k, text) in &c.cells {
            assert_eq!(e.cells.get(k), Some(text), "{} {k:?}", e.name);
        }
        for (k, typed) in &c.typed {
            assert_eq!(e.typed.get(k), Some(typed), "{} {k:?}", e.name);
        }
        let kept: std::collections::BTreeSet<_> = c.cells.keys().chain(c.typed.keys()).collect();
        let all: std::collections::BTreeSet<_> = e.cells.keys().chain(e.typed.keys()).collect();
        assert_eq!(all.len() - kept.len(), c.unformatted, "{}", e.name);
        assert_eq!(view(std::slice::from_ref(c))[0].3, view(std::slice::from_ref(e))[0].3, "merged areas");
    }
}

/// The direct reader leaves `bytes` to calamine.
fn declined(bytes: &[u8]) {
    assert!(xlsx_fast::grids(bytes).is_none(), "should be left to calamine");
}

fn cell(v: &[View], a1: &str) -> Option<String> {
    let c = goalsheet::address::CellRef::parse(a1).unwrap();
    v[0].1.get(&(c.row, c.col)).cloned()
}

#[test]
fn samples_and_template_read_the_same() {
    let mut n = 0;
    for dir in ["samples", "templates"] {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "xlsx") {
                let v = same(&std::fs::read(&p).unwrap());
                assert!(!v.is_empty(), "{}", p.display());
                n += 1;
            }
        }
    }
    assert!(n >= 8, "six divisions, the department file and the template: {n}");
}

/// The cells of a sheet are found by a scanner for the usual shape of `<sheetData>`; anything
/// else (here a comment) sends the sheet to quick-xml. Both ways must read the samples alike.
#[test]
fn samples_read_the_same_when_the_scanner_steps_aside() {
    for name in ["samples/市民生活部.xlsx", "samples/市民協働課.xlsx"] {
        let original = std::fs::read(name).unwrap();
        let plain = same(&original);
        let mut parts = unzip(&original);
        let mut changed = 0;
        for (n, data) in parts.iter_mut() {
            if n.starts_with("xl/worksheets/sheet") {
                let xml = String::from_utf8(data.clone()).unwrap();
                *data = xml.replacen("<sheetData>", "<sheetData><!-- -->", 1).into_bytes();
                changed += 1;
            }
        }
        assert!(changed >= 1);
        assert_eq!(same(&rezip(&parts)), plain, "{name}");
    }
}

/// A goal sheet with a summary sheet of formatted figures beside it, and a sheet of numbers
/// only: read for `check`, the summary's figures are left out (its text stays, every sheet is
/// still listed) and `check` finds exactly what it finds when everything is read.
#[test]
fn reading_for_check_leaves_out_only_what_check_never_looks_at() {
    use goalsheet::read::{read_bytes_for, Purpose};
    use goalsheet::rules::{check_document, CheckOptions};
    let mut wb = rust_xlsxwriter::Workbook::new();
    fixtures::write_goal_sheet(wb.add_worksheet(), &fixtures::sample(), &Drift::default());
    let summary = wb.add_worksheet().set_name("実績集計").unwrap();
    let yen = rust_xlsxwriter::Format::new().set_num_format("#,##0,\"千円\"");
    summary.write_string(0, 0, "指標").unwrap();
    for r in 1..20u32 {
        summary.write_number_with_format(r, 1, f64::from(r) * 1250.5, &yen).unwrap();
        summary.write_number(r, 2, f64::from(r) / 7.0).unwrap();
    }
    summary.write_formula(20, 1, "=SUM(B2:B20)").unwrap();
    let figures = wb.add_worksheet().set_name("数値").unwrap();
    figures.write_number(0, 0, 1.5).unwrap();
    // An earlier fix's change log: read whole for patching, whose new log carries its rows.
    let log = wb.add_worksheet().set_name(goalsheet::fix::log::CHANGES_SHEET_NAME).unwrap();
    log.write_string(0, 0, "行").unwrap();
    log.write_number(1, 0, 12.0).unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    same(&bytes);

    let layout = &goalsheet::layout::OFFICIAL;
    let everything = read_bytes_for(&bytes, "x.xlsx", layout, Purpose::Everything).unwrap();
    let for_check = read_bytes_for(&bytes, "x.xlsx", layout, Purpose::Check).unwrap();
    assert_eq!(for_check.sheets, everything.sheets);
    let names = |d: &goalsheet::model::Document| d.other_sheets.iter().map(|s| s.name.clone()).collect::<Vec<_>>();
    assert_eq!(names(&for_check), ["実績集計", "数値", "修正履歴"]);
    assert_eq!(names(&for_check), names(&everything));
    assert_eq!(for_check.other_sheets[0].cells.len(), 1, "only the text of the summary is kept");
    assert!(everything.other_sheets[0].cells.len() >= 40, "reading everything keeps the figures");
    assert_eq!(for_check.other_sheets[2].cells.len(), 1, "the log's number is left out for check");
    let opts = CheckOptions::default();
    assert_eq!(check_document(&for_check, &opts), check_document(&everything, &opts));

    let for_patch = read_bytes_for(&bytes, "x.xlsx", layout, Purpose::Patch).unwrap();
    assert_eq!(for_patch.sheets, everything.sheets);
    assert_eq!(names(&for_patch), names(&everything));
    assert_eq!(for_patch.other_sheets[0].cells.len(), 1, "only the text of the summary is kept");
    assert_eq!(for_patch.other_sheets[2], everything.other_sheets[2], "the log is read whole");
}

/// Cells are formatted later than they come only while their positions increase: a cell
/// repeated at a position (the later one wins) reads as when everything is formatted at once.
#[test]
fn a_repeated_cell_position_reads_the_same_for_check() {
    let spec = fixtures::sample();
    let original = fixtures::goal_sheet_xlsx(&spec, &Drift::default());
    let mut parts = unzip(&original);
    let (_, sheet) = parts.iter_mut().find(|(n, _)| n == "xl/worksheets/sheet1.xml").unwrap();
    let xml = String::from_utf8(sheet.clone()).unwrap();
    // A number at Z1 and then text at Z1, and text at Z2 and then a number at Z2.
    let row1 = xml.find("<row r=\"1\"").unwrap();
    let end1 = row1 + xml[row1..].find("</row>").unwrap();
    let patched = format!(
        "{}{}{}",
        &xml[..end1],
        r#"<c r="Z1"><v>5</v></c><c r="Z1" t="inlineStr"><is><t>後</t></is></c>"#,
        &xml[end1..]
    );
    *sheet = patched.into_bytes();
    let v = same(&rezip(&parts));
    assert_eq!(cell(&v, "Z1").as_deref(), Some("後"));
}

#[test]
fn every_drift_fixture_reads_the_same() {
    let spec = fixtures::sample();
    for d in [Drift::default(), Drift::all()] {
        let v = same(&fixtures::goal_sheet_xlsx(&spec, &d));
        assert!(v[0].1.len() > 20);
        assert!(!v[0].3.is_empty(), "merged areas are read");
    }
}

const STYLES: &str = r##"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="4"><numFmt numFmtId="164" formatCode="0.0%"/><numFmt numFmtId="165" formatCode="#,##0&quot;件&quot;"/><numFmt numFmtId="166" formatCode="[$-411]ge.m.d"/><numFmt numFmtId="167" formatCode="[h]:mm"/></numFmts><fonts count="1"><font><sz val="10"/><name val="ＭＳ Ｐゴシック"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0"/></cellStyleXfs><cellXfs count="9"><xf numFmtId="0" fontId="0" xfId="0"/><xf numFmtId="164" fontId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" fontId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="166" fontId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="14" fontId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="57" fontId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="167" fontId="0" xfId="0"><alignment wrapText="1"/></xf><xf numFmtId="3" fontId="0" xfId="0"/><xf fontId="0" xfId="0"/></cellXfs><cellStyles count="1"><cellStyle name="標準" xfId="0" builtinId="0"/></cellStyles></styleSheet>"##;

fn styled(sheet_data: &str) -> Vec<u8> {
    minimal_xlsx(sheet_data, None, vec![("xl/styles.xml", STYLES.as_bytes().to_vec())])
}

#[test]
fn number_formats_and_dates_read_the_same() {
    let v = same(&styled(concat!(
        r#"<row r="1"><c r="A1" s="1"><v>0.8</v></c><c r="B1" s="2"><v>1700</v></c><c r="C1" s="3"><v>45427</v></c>"#,
        r#"<c r="D1" s="4"><v>45427</v></c><c r="E1" s="5"><v>45427</v></c><c r="F1" s="6"><v>1.5</v></c>"#,
        r#"<c r="G1" s="7"><v>1234567</v></c><c r="H1" s="8"><v>0.1</v></c><c r="I1"><v>-1.25E-3</v></c>"#,
        r#"<c r="J1" s="99"><v>3</v></c></row>"#,
    )));
    assert_eq!(cell(&v, "A1").as_deref(), Some("80.0%"));
    assert_eq!(cell(&v, "B1").as_deref(), Some("1,700件"));
    assert_eq!(cell(&v, "C1").as_deref(), Some("R6.5.15"));
    assert_eq!(cell(&v, "G1").as_deref(), Some("1,234,567"));
}

#[test]
fn styles_with_a_comment_or_prefixes_read_the_same() {
    let data = r#"<row r="1"><c r="A1" s="1"><v>0.8</v></c><c r="B1" s="3"><v>45427</v></c></row>"#;
    let commented = STYLES.replace("<borders", "<!-- <cellXfs><xf numFmtId=\"14\"/></cellXfs> --><borders");
    let prefixed = STYLES
        .replace("<styleSheet xmlns=", "<x:styleSheet xmlns:x=")
        .replace("</styleSheet>", "</x:styleSheet>")
        .replace('<', "<x:")
        .replace("<x:/", "</x:")
        .replace("<x:?xml", "<?xml")
        .replace("<x:x:", "<x:")
        .replace("</x:x:", "</x:");
    for styles in [commented, prefixed] {
        let v = same(&minimal_xlsx(data, None, vec![("xl/styles.xml", styles.into_bytes())]));
        assert_eq!(cell(&v, "A1").as_deref(), Some("80.0%"));
        assert_eq!(cell(&v, "B1").as_deref(), Some("R6.5.15"));
    }
}

#[test]
fn the_1904_date_system_reads_the_same() {
    let wb = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><workbookPr date1904="1"/><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
    let mut parts = unzip(&styled(r#"<row r="1"><c r="A1" s="3"><v>43965</v></c><c r="B1" s="4"><v>1</v></c></row>"#));
    set(&mut parts, "xl/workbook.xml", wb);
    let v = same(&rezip(&parts));
    assert_eq!(cell(&v, "A1").as_deref(), Some("R6.5.15"), "1904 system: four years and a day later");
}

#[test]
fn every_cell_type_reads_the_same() {
    let ss = r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="3"><si><t>年度</t></si><si><r><rPr><b/></rPr><t>令和</t></r><r><t xml:space="preserve"> 6 </t></r><rPh sb="0" eb="2"><t>レイワ</t></rPh><phoneticPr fontId="1"/></si><si><t>  trimmed&#x3000;
</t></si></sst>"#;
    let book = |ss: &str| {
        minimal_xlsx(
            concat!(
                r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c>"#,
                r#"<c r="D1" t="b"><v>1</v></c><c r="E1" t="e"><v>#N/A</v></c><c r="F1" t="str"><f>A1&amp;B1</f><v>a&amp;b_x000D_c</v></c>"#,
                r#"<c r="G1" t="d"><v>2024-05-15T00:00:00</v></c><c r="H1" t="inlineStr"><is><t>インライン</t></is></c>"#,
                r#"<c r="I1"><f>1+1</f><v>2</v></c><c r="J1" t="n"><v></v></c><c r="K1" s="0"/></row>"#,
                r#"<row><c t="s"><v>0</v></c><c><v>7</v></c></row><row r="5"><c r="C5" t="s"><v>0</v></c><c><v>8</v></c></row>"#,
            ),
            Some(ss),
            vec![],
        )
    };
    // With an entity the strings go to quick-xml; without, to the scanner: both as calamine.
    let v = same(&book(ss));
    assert_eq!(same(&book(&ss.replace("&#x3000;", "\u{3000}"))), v);

    assert_eq!(cell(&v, "B1").as_deref(), Some("令和 6 "), "rich runs joined, the phonetic run skipped");
    assert_eq!(cell(&v, "C1").as_deref(), Some("trimmed\u{3000}"), "ASCII space trimmed, U+3000 kept");
    assert_eq!(cell(&v, "F1").as_deref(), Some("a&b\rc"));
    assert_eq!(cell(&v, "A2").as_deref(), Some("年度"), "a cell without r follows the row");
    assert_eq!(cell(&v, "D5").as_deref(), Some("8"));
}

#[test]
fn namespace_prefixes_merges_and_chart_sheets_read_the_same() {
    let sheet = r#"<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:dimension ref="A1:C3"/><x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>見出し</x:t></x:is></x:c></x:row></x:sheetData><x:mergeCells count="2"><x:mergeCell ref="A1:C1"/><x:mergeCell ref="A2:A3"/></x:mergeCells></x:worksheet>"#;
    let chart = r#"<?xml version="1.0"?><chartsheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews/></chartsheet>"#;
    let wb = r#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="グラフ" sheetId="2" r:id="rId9"/><sheet name="A&amp;B" sheetId="1" r:id="rId1"/></sheets><definedNames><definedName name="_xlnm.Print_Area" localSheetId="1">'A&amp;B'!$A$1:$C$3</definedName></definedNames></workbook>"#;
    let rels = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet1.xml"/><Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/chartsheet" Target="chartsheets/sheet1.xml"/></Relationships>"#;
    let mut parts = unzip(&minimal_xlsx("", None, vec![]));
    set(&mut parts, "xl/worksheets/sheet1.xml", sheet);
    set(&mut parts, "xl/workbook.xml", wb);
    set(&mut parts, "xl/_rels/workbook.xml.rels", rels);
    set(&mut parts, "xl/chartsheets/sheet1.xml", chart);
    let v = same(&rezip(&parts));
    assert_eq!(v.len(), 1, "the chart sheet holds no cells");
    assert_eq!(v[0].0, "A&B");
    assert_eq!(v[0].3, vec!["A1:C1".to_string(), "A2:A3".to_string()]);
}

/// Found by the `xlsx_fast` fuzz target: a sheet with two `<mergeCells>` elements. Only the
/// first counts, on both paths, and whichever way the cells were parsed.
#[test]
fn only_the_first_merge_cells_element_counts() {
    let inner = r#"<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData><mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells><mergeCells count="1"><mergeCell ref="C3:D4"/></mergeCells>"#;
    let v = same(&minimal_xlsx_sheet(inner, None, vec![]));
    assert_eq!(v[0].3, vec!["A1:B1".to_string()]);
    let tokenised = inner.replacen("<sheetData>", "<sheetData><!-- -->", 1);
    assert_eq!(same(&minimal_xlsx_sheet(&tokenised, None, vec![])), v);
}

/// Found by the `xlsx_fast` fuzz target: a part without `<sheetData>` (skipped as a chart
/// sheet) whose `<mergeCells>` is broken. calamine's path reads merged areas first and rejects
/// the workbook; the direct reader must not take it.
#[test]
fn a_sheet_without_cells_but_broken_merges_is_left_to_calamine() {
    let bytes = minimal_xlsx_sheet(r#"<mergeCells count="1"><mergeCell ref></mergeCells>"#, None, vec![]);
    declined(&bytes);
    assert!(goalsheet::read::read_bytes(&bytes, "broken.xlsx").is_err());
}

/// Found by the `xlsx_fast` fuzz target: a cell with two `r` attributes. calamine reads the
/// last one here (and the first one for a row); the direct reader leaves such tags to it.
#[test]
fn a_repeated_attribute_is_left_to_calamine() {
    declined(&minimal_xlsx(r#"<row r="1"><c r="A1" r="1"><v>1</v></c></row>"#, None, vec![]));
    declined(&minimal_xlsx(r#"<row r="1" r="2"><c r="A1"><v>1</v></c></row>"#, None, vec![]));
    // And a stray `/` among them (`<c r="D1" s="1"//>`, also from the fuzzer): calamine fails.
    declined(&minimal_xlsx(r#"<row r="1"><c r="D1" s="1"//><c r="E1"><v>1</v></c></row>"#, None, vec![]));
}

/// Found by the `xlsx_fast` fuzz target: a byte that is not UTF-8 in a formula, which the
/// scanner jumps over and quick-xml (so calamine) rejects. Texts that are not UTF-8 are left
/// to calamine wherever they are.
#[test]
fn bytes_that_are_not_utf8_are_left_to_calamine() {
    let mut parts = unzip(&minimal_xlsx(r#"<row r="1"><c r="A1"><f>SUM(B1:B2)</f><v>1</v></c></row>"#, None, vec![]));
    let sheet = parts.iter_mut().find(|(n, _)| n == "xl/worksheets/sheet1.xml").unwrap();
    let at = sheet.1.windows(4).position(|w| w == b"</f>").unwrap();
    sheet.1.insert(at, 0xC6);
    let bytes = rezip(&parts);
    declined(&bytes);
    assert!(goalsheet::read::read_bytes(&bytes, "bad.xlsx").is_err());
}

/// Found by the `xlsx_fast` fuzz target: markup inside a formula (`<f>SUM(F5:F10)<x/f>`), which
/// quick-xml reads as an element and calamine then fails on. And text inside run properties,
/// which calamine counts. Neither may be jumped over.
#[test]
fn markup_the_scanners_would_jump_over_reads_as_calamine_reads_it() {
    let bytes = minimal_xlsx(
        r#"<row r="1"><c r="A1"><f>SUM(B1)<x/f><v>1</v></c><c r="B1"><f>1</f><v>2</v></c></row>"#,
        None,
        vec![],
    );
    // Taken or left to calamine, but never read differently.
    if let Some(ours) = xlsx_fast::grids(&bytes) {
        let theirs = goalsheet::read::xlsx::calamine_grids(&bytes).expect("calamine reads what the direct reader took");
        assert_eq!(view(&ours), view(&theirs));
    }
    let ss = r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><r><rPr><t>隠</t><b/></rPr><t>見出し</t></r></si></sst>"#;
    let v = same(&minimal_xlsx(r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#, Some(ss), vec![]));
    assert_eq!(cell(&v, "A1").as_deref(), Some("隠見出し"), "calamine counts text inside run properties");
}

#[test]
fn part_names_in_another_case_read_the_same() {
    let mut parts = unzip(&minimal_xlsx(r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#, Some(SST_ONE), vec![]));
    let ss = parts.iter().position(|(n, _)| n == "xl/sharedStrings.xml").unwrap();
    parts[ss].0 = "XL/SharedStrings.XML".to_string();
    let v = same(&rezip(&parts));
    assert_eq!(cell(&v, "A1").as_deref(), Some("一"));
}

const SST_ONE: &str = r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>一</t></si></sst>"#;

#[test]
fn what_it_does_not_expect_is_left_to_calamine() {
    // An unknown cell type: calamine reports it.
    declined(&minimal_xlsx(r#"<row r="1"><c r="A1" t="zz"><v>1</v></c></row>"#, None, vec![]));
    // A shared string index past the table.
    declined(&minimal_xlsx(r#"<row r="1"><c r="A1" t="s"><v>5</v></c></row>"#, Some(SST_ONE), vec![]));
    // A uniqueCount the size cannot hold: the guard's message, through the calamine path.
    let lie = r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="99999999999"><si><t>一</t></si></sst>"#;
    let bytes = minimal_xlsx(r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#, Some(lie), vec![]);
    declined(&bytes);
    assert!(goalsheet::read::read_bytes(&bytes, "lie.xlsx").is_err());
    // The guard looks for `uniqueCount="…"` anywhere in the part's first 4 KiB (found by the
    // fuzz target: here it is in a string's text); the direct reader makes the same check.
    let lie = r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>uniqueCount="99999999"</t></si></sst>"#;
    let bytes = minimal_xlsx(r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#, Some(lie), vec![]);
    declined(&bytes);
    assert!(goalsheet::read::read_bytes(&bytes, "lie.xlsx").is_err());
    // A malformed attribute on `<sst>`, whose `uniqueCount` calamine reads (fuzz target again).
    let bad = r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count"1" uniqueCount="1"><si><t>一</t></si></sst>"#;
    declined(&minimal_xlsx(r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#, Some(bad), vec![]));
    // Untyped text that is not a plain number, a cell outside Excel's grid, no package rels.
    declined(&minimal_xlsx(r#"<row r="1"><c r="A1"><v>inf</v></c></row>"#, None, vec![]));
    declined(&minimal_xlsx(r#"<row r="1"><c r="XFE1"><v>1</v></c></row>"#, None, vec![]));
    let mut parts = unzip(&minimal_xlsx("", None, vec![]));
    parts.retain(|(n, _)| n != "_rels/.rels");
    declined(&rezip(&parts));
    // A merged area list beyond the sheet is still read the same (clipped when indexed).
    same(&minimal_xlsx_sheet(
        r#"<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>"#,
        None,
        vec![],
    ));
}

fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut v = Vec::new();
            f.read_to_end(&mut v).unwrap();
            (f.name().unwrap().to_string(), v)
        })
        .collect()
}

fn set(parts: &mut Vec<(String, Vec<u8>)>, name: &str, xml: &str) {
    parts.retain(|(n, _)| n != name);
    parts.push((name.to_string(), xml.as_bytes().to_vec()));
}

fn rezip(parts: &[(String, Vec<u8>)]) -> Vec<u8> {
    let refs: Vec<(&str, Vec<u8>)> = parts.iter().map(|(n, v)| (n.as_str(), v.clone())).collect();
    zip_parts(&refs)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Generated sheets (every charset the generators have, blanks, odd spacing), written by
    /// the tool, read the same both ways.
    #[test]
    fn generated_workbooks_read_the_same(doc in gen::document(gen::Charset::Unicode, true)) {
        let bytes = goalsheet::write::workbook_bytes(&doc).unwrap();
        same(&bytes);
    }
}

/// What a cell holds beyond its text (issue 12.1): kind, number, format and formula, read the
/// same both ways, whether the sheet goes to the scanner or to quick-xml.
#[test]
fn typed_cells_and_formulas_read_the_same() {
    use goalsheet::model::CellKind;
    let data = concat!(
        r#"<row r="1"><c r="A1" s="1"><v>0.5</v></c><c r="B1"><v>10</v></c><c r="C1" s="3"><v>45427</v></c>"#,
        r#"<c r="D1" t="b"><v>1</v></c><c r="E1" t="e"><v>#DIV/0!</v></c><c r="F1" s="2"><f>E9+18</f></c>"#,
        r#"<c r="G1" s="2"><f>B1*2</f><v>20</v></c><c r="H1" t="str"><f>"a"</f><v>a</v></c><c r="I1" s="8"><v>7</v></c>"#,
        r#"<c r="J1"><f/><v>3</v></c></row>"#,
        r#"<row r="2"><c r="A2" t="s"><v>0</v></c></row>"#,
    );
    let ss = r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>文字</t></si></sst>"#;
    let book = |data: &str| minimal_xlsx(data, Some(ss), vec![("xl/styles.xml", STYLES.as_bytes().to_vec())]);
    let v = same(&book(data));
    // An entity in a formula sends the sheet to quick-xml: the same reading.
    let entity = data.replace("<f>B1*2</f>", "<f>B1*2&amp;\"\"</f>");
    let w = same(&book(&entity));
    let typed = |v: &[View], a1: &str| {
        let c = goalsheet::address::CellRef::parse(a1).unwrap();
        v[0].2.get(&(c.row, c.col)).cloned()
    };
    let a1 = typed(&v, "A1").unwrap();
    assert_eq!((a1.kind, a1.number, a1.format.as_deref()), (CellKind::Number, Some(0.5), Some("0.0%")));
    assert_eq!(cell(&v, "A1").as_deref(), Some("50.0%"));
    let b1 = typed(&v, "B1").unwrap();
    assert_eq!((b1.kind, b1.number, b1.format), (CellKind::Number, Some(10.0), None));
    let c1 = typed(&v, "C1").unwrap();
    assert_eq!((c1.kind, c1.number, c1.format.as_deref()), (CellKind::Date, Some(45427.0), Some("[$-411]ge.m.d")));
    assert_eq!(typed(&v, "D1").map(|t| (t.kind, t.number)), Some((CellKind::Boolean, Some(1.0))));
    assert_eq!(typed(&v, "E1").map(|t| t.kind), Some(CellKind::Error));
    let f1 = typed(&v, "F1").unwrap();
    assert_eq!((f1.kind, f1.formula.as_deref(), f1.stale), (CellKind::Empty, Some("E9+18"), false));
    assert_eq!(cell(&v, "F1"), None, "no cached value, no text");
    assert!(f1.lacks_value());
    let g1 = typed(&v, "G1").unwrap();
    assert_eq!((g1.kind, g1.number, g1.formula.as_deref()), (CellKind::Number, Some(20.0), Some("B1*2")));
    assert_eq!(typed(&w, "G1").and_then(|t| t.formula), Some("B1*2&\"\"".to_string()));
    assert_eq!(typed(&v, "H1").map(|t| (t.kind, t.formula)), Some((CellKind::Text, Some("\"a\"".to_string()))));
    assert_eq!(typed(&v, "I1").map(|t| t.format), Some(None), "General is no format");
    assert_eq!(typed(&v, "J1").map(|t| t.formula), Some(None), "an empty formula is none");
    assert_eq!(typed(&v, "A2"), None, "plain text is not recorded");
}

/// A writer that asks Excel to recalculate on load leaves 0 (or empty text) as every formula's
/// cached value: such a value is marked stale, a real 0 without a formula is not.
#[test]
fn a_placeholder_value_under_full_calculation_on_load_is_stale() {
    let data = r#"<row r="1"><c r="A1"><f>E9+18</f><v>0</v></c><c r="B1"><v>0</v></c><c r="C1"><f>1+1</f><v>2</v></c><c r="D1" t="str"><f>""</f><v></v></c></row>"#;
    let plain = same(&minimal_xlsx(data, None, vec![]));
    let mut parts = unzip(&minimal_xlsx(data, None, vec![]));
    let wb = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets><calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>"#;
    set(&mut parts, "xl/workbook.xml", wb);
    let v = same(&rezip(&parts));
    let stale = |v: &[View], a1: &str| {
        let c = goalsheet::address::CellRef::parse(a1).unwrap();
        v[0].2.get(&(c.row, c.col)).map(|t| t.stale)
    };
    assert_eq!(stale(&v, "A1"), Some(true));
    assert_eq!(stale(&v, "B1"), Some(false), "no formula");
    assert_eq!(stale(&v, "C1"), Some(false), "a real result");
    assert_eq!(stale(&plain, "A1"), Some(false), "without full calculation on load the 0 is the value");
    assert_eq!(cell(&v, "A1").as_deref(), Some("0"), "the grid keeps what the cell shows");
}

/// A cell of a shared formula other than the first holds only an index: the direct reader
/// leaves the sheet to calamine, which writes the formula out for the cell.
#[test]
fn shared_formulas_are_left_to_calamine() {
    let data = r#"<row r="1"><c r="A1"><f t="shared" ref="A1:A2" si="0">B1+1</f><v>1</v></c></row><row r="2"><c r="A2"><f t="shared" si="0"/><v>1</v></c></row>"#;
    let bytes = minimal_xlsx(data, None, vec![]);
    declined(&bytes);
    let grids = xlsx::calamine_grids(&bytes).unwrap();
    assert_eq!(grids[0].typed.get(&(1, 0)).and_then(|t| t.formula.as_deref()), Some("B2+1"));
}

/// Excel 365 saves a threaded comment (スレッド化されたコメント) twice: as the thread, and as a
/// note for older versions whose text wraps it in a notice. The notice went into the notes
/// (and so onto the department file); the thread is read instead, its replies after it.
#[test]
fn a_threaded_comment_is_read_as_its_thread_not_its_notice() {
    let spec = fixtures::sample();
    let d = Drift::default();
    let first = Drift::entry_row(&spec, 0);
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    fixtures::write_goal_sheet(ws, &spec, &d);
    let notice = "[スレッド化されたコメント]\n\nご使用のバージョンの Excel ではこのスレッド化されたコメントを読むことができますが、ファイルがより新しいバージョンの Excel で開かれた場合、コメントに加えた編集内容はすべて削除されます。詳細: https://go.microsoft.com/fwlink/?linkid=870924\n\nコメント:\n    速報値です";
    let note = rust_xlsxwriter::Note::new(notice).add_author_prefix(false);
    ws.insert_note(first, 5, &note).unwrap();
    ws.insert_note(first, 6, &rust_xlsxwriter::Note::new("昔ながらのメモ").add_author_prefix(false)).unwrap();
    let mut parts = unzip(&wb.save_to_buffer().unwrap());
    let f = goalsheet::address::CellRef::new(first, 5).to_string();
    let thread = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><ThreadedComments xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments"><threadedComment ref="{f}" dT="2025-04-10T09:00:00.00" personId="{{A}}" id="{{1}}"><text>速報値です</text></threadedComment><threadedComment ref="{f}" dT="2025-04-11T09:00:00.00" personId="{{B}}" id="{{2}}" parentId="{{1}}"><text>5月に確定します</text></threadedComment></ThreadedComments>"#
    );
    set(&mut parts, "xl/threadedComments/threadedComment1.xml", &thread);
    let rels_name = "xl/worksheets/_rels/sheet1.xml.rels";
    let rels = String::from_utf8(parts.iter().find(|(n, _)| n == rels_name).unwrap().1.clone()).unwrap();
    let rels = rels.replace(
        "</Relationships>",
        r#"<Relationship Id="rId99" Type="http://schemas.microsoft.com/office/2017/10/relationships/threadedComment" Target="../threadedComments/threadedComment1.xml"/></Relationships>"#,
    );
    set(&mut parts, rels_name, &rels);
    let doc = goalsheet::read::read_bytes(&rezip(&parts), "課.xlsx").unwrap();
    let notes: Vec<(u32, &str)> = doc.sheets[0].notes.iter().map(|n| (n.cell.col, n.text.as_str())).collect();
    assert_eq!(notes, [(5, "速報値です\n5月に確定します"), (6, "昔ながらのメモ")]);
}

/// Struck-through runs are found in an inline rich string (`t="inlineStr"`, which the scan
/// leaves to quick-xml) as in a shared one, and a cell whose shared string is plain takes its
/// font's strike (style 1 here strikes; style 2 does not).
#[test]
fn struck_runs_of_inline_and_shared_strings_are_found() {
    let styles = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="2"><font><sz val="11"/></font><font><strike/><sz val="11"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellXfs count="3"><xf fontId="0"/><xf fontId="1"/><xf fontId="0"/></cellXfs></styleSheet>"#;
    let sheet = r#"<row r="1"><c r="A1" t="inlineStr"><is><r><rPr><strike/></rPr><t>旧</t></r><r><t>新</t></r></is></c><c r="B1" t="s" s="1"><v>0</v></c><c r="C1" t="s" s="2"><v>0</v></c><c r="D1" t="s" s="1"><v>1</v></c></row>"#;
    let sst = r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" uniqueCount="2"><si><t>平文</t></si><si><r><rPr><b/></rPr><t>太字だけ</t></r></si></sst>"#;
    let bytes = minimal_xlsx(sheet, Some(sst), vec![("xl/styles.xml", styles.as_bytes().to_vec())]);
    let grids = xlsx_fast::grids(&bytes).expect("read");
    let struck: Vec<((u32, u32), Option<String>)> = grids[0].struck.clone().into_iter().collect();
    assert_eq!(struck, [((0, 0), Some("旧".to_string())), ((0, 1), None)], "D1: a rich string's runs decide");
}
