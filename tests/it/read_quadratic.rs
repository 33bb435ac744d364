//! Inputs within every guard whose reading was quadratic in something the guards allow: each
//! built here at a size that made the old code run for hours, read back as the same document.
//! No timing is asserted: the size makes the old code unusable, the assertion is the result.

use crate::common::fixtures::{goal_sheet_xlsx, sample, zip_parts, Drift};
use crate::fix_patch::rezip;
use goalsheet::read::read_bytes;

/// The xlsx `bytes` with part `name` replaced by `edit` of its text.
fn with_part(bytes: &[u8], name: &str, edit: impl Fn(&str) -> String) -> Vec<u8> {
    rezip(bytes, |part, data| {
        Some(if part == name { edit(std::str::from_utf8(&data).expect("utf-8")).into_bytes() } else { data })
    })
}

/// The direct reader jumps from `<fonts>` to `<cellXfs>` in styles.xml, looking for the bytes
/// `cellXfs` and then for the `<` of their tag. That `<` was searched for back to the start of
/// the part for every occurrence: 8 MB of `cellXfs ` as text inside `<fonts>` (a million
/// occurrences, each searched back up to 8 MB) took hours. Now searched back to the previous
/// occurrence only.
#[test]
fn styles_with_a_million_cell_xfs_texts_read_in_one_pass() {
    let plain = goal_sheet_xlsx(&sample(), &Drift::default());
    let crafted = with_part(&plain, "xl/styles.xml", |xml| {
        let at = xml.find("<fonts").expect("fonts");
        let at = at + xml[at..].find('>').expect("tag end") + 1;
        format!("{}{}{}", &xml[..at], "cellXfs ".repeat(1_000_000), &xml[at..])
    });
    let expected = read_bytes(&plain, "a.xlsx").expect("reads");
    let got = read_bytes(&crafted, "a.xlsx").expect("reads");
    assert_eq!(got.sheets, expected.sheets);
    assert!(!got.sheets.is_empty() && !got.sheets[0].entries.is_empty());
}

/// A workbook whose `sheets` sheets all name one worksheet part, `sheet_data` its content;
/// sheet `i` (from 1) is named `name(i)`.
fn sheets_over_one_part(sheets: usize, sheet_data: &str, name: impl Fn(usize) -> String) -> Vec<u8> {
    let ns = r#"xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main""#;
    let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let package = "http://schemas.openxmlformats.org/package/2006/relationships";
    let list: String =
        (1..=sheets).map(|i| format!(r#"<sheet name="{}" sheetId="{i}" r:id="rId1"/>"#, name(i))).collect();
    let workbook = format!(r#"<workbook {ns} xmlns:r="{rel}"><sheets>{list}</sheets></workbook>"#);
    let part = format!("<worksheet {ns}><sheetData>{sheet_data}</sheetData></worksheet>");
    zip_parts(&[
        ("_rels/.rels", format!(r#"<Relationships xmlns="{package}"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#).into_bytes()),
        ("xl/workbook.xml", workbook.into_bytes()),
        ("xl/_rels/workbook.xml.rels", format!(r#"<Relationships xmlns="{package}"><Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#).into_bytes()),
        ("xl/worksheets/sheet1.xml", part.into_bytes()),
    ])
}

/// A workbook whose thousand sheets all name one worksheet part of 15 MB of blanks: every
/// guard on the zip holds (one part, well under the total), but each sheet read the part
/// whole, 15 GB of XML for a file of a few kilobytes. Sheets whose parts add up to more than
/// the zip may inflate to are refused now, before any is read.
#[test]
fn a_thousand_sheets_reading_one_large_part_are_refused() {
    let bytes = sheets_over_one_part(1_000, &" ".repeat(15_000_000), |i| format!("S{i}"));
    assert!(bytes.len() < 200_000, "{} bytes", bytes.len());
    let e = read_bytes(&bytes, "一部品.xlsx").expect_err("refused");
    assert!(matches!(e.kind, goalsheet::ErrorKind::TooLarge { .. }), "{e}");
    assert!(e.render(goalsheet::Lang::En).contains("sheets read the same part"), "{e}");
}

/// A sheet of one text cell, no goal sheet.
const ONE_CELL: &str = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>"#;

/// A workbook listing 20,000 sheets over one small part (each sheet a grid, and its name in
/// the "no goal sheet" message that listed every sheet): 140,000 of them in an 830 KB file
/// took 541 MB and printed 18 MB. The list is refused before any sheet is read.
#[test]
fn a_workbook_listing_too_many_sheets_is_refused_before_reading_them() {
    let bytes = sheets_over_one_part(20_000, ONE_CELL, |i| format!("S{i}"));
    let e = read_bytes(&bytes, "多数.xlsx").expect_err("refused");
    let head: String = e.render(goalsheet::Lang::En).chars().take(200).collect();
    assert!(matches!(e.kind, goalsheet::ErrorKind::TooLarge { .. }), "{head}");
    let en = e.render(goalsheet::Lang::En);
    assert!(en.contains("20000 sheets") && en.len() < 1_000, "{en}");
}

/// A workbook of a thousand sheets (within the sheet count guard) named with 18 KB each and
/// no goal sheet: the "no goal sheet" message listed every name whole, 18 MB printed from a
/// 300 KB file (and 480 MB to render it). It names the first 20, shortened, and counts the rest.
#[test]
fn a_no_goal_sheet_error_lists_a_few_names_shortened() {
    let bytes = sheets_over_one_part(1_000, ONE_CELL, |i| format!("{}{i}", "名".repeat(6_000)));
    let e = read_bytes(&bytes, "長い名前.xlsx").expect_err("no goal sheet");
    let goalsheet::ErrorKind::NoGoalSheet { sheets, more } = &e.kind else { panic!("{:?}", e.kind) };
    assert_eq!((sheets.len(), *more), (goalsheet::error::MAX_LISTED_SHEETS, 980));
    assert!(sheets.iter().all(|n| n.chars().count() == goalsheet::error::MAX_SHOWN_SHEET_NAME + 1 && n.ends_with('…')));
    let (en, ja) = (e.render(goalsheet::Lang::En), e.render(goalsheet::Lang::Ja));
    assert!(en.ends_with(" and 980 more)") && en.chars().count() < 2_000, "{en}");
    assert!(ja.ends_with("、ほか980枚）") && ja.chars().count() < 2_000, "{ja}");
    // Names of Excel's length are listed whole.
    let short = sheets_over_one_part(3, ONE_CELL, |i| format!("集計{i}"));
    let e = read_bytes(&short, "短い.xlsx").expect_err("no goal sheet");
    assert!(e.render(goalsheet::Lang::En).ends_with("(sheets: 集計1, 集計2, 集計3)"), "{e}");
}

/// The same thousand sheets over one part of 15 MB of blanks, and one more sheet whose part is
/// missing from the zip: the list of parts was then unusable, the count above was skipped, and
/// calamine read the thousand (15 GB of XML, 10 s for a 20 KB file) before failing on the last.
/// A sheet whose part is missing is counted as nothing; a list that cannot be read at all
/// counts each sheet at the largest part.
#[test]
fn sheets_over_one_part_beside_a_missing_part_are_refused() {
    let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let bytes = sheets_over_one_part(1_000, &" ".repeat(15_000_000), |i| format!("S{i}"));
    let bytes = with_part(&bytes, "xl/workbook.xml", |xml| {
        xml.replace("</sheets>", r#"<sheet name="X" sheetId="1001" r:id="rId2"/></sheets>"#)
    });
    let bytes = with_part(&bytes, "xl/_rels/workbook.xml.rels", |xml| {
        let missing = format!(r#"<Relationship Id="rId2" Type="{rel}/worksheet" Target="worksheets/missing.xml"/>"#);
        xml.replace("</Relationships>", &format!("{missing}</Relationships>"))
    });
    let e = read_bytes(&bytes, "欠け.xlsx").expect_err("refused");
    assert!(matches!(e.kind, goalsheet::ErrorKind::TooLarge { .. }), "{e}");
    assert!(e.render(goalsheet::Lang::En).contains("sheets read the same part"), "{e}");
}
