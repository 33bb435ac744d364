//! `fix` on .xlsx/.xlsm patches the input package (issue 13): workbooks from two producers
//! built here (rust_xlsxwriter with notes, an image, defined names, a print area, protection,
//! hidden rows and columns, formulas, number formats, rows inserted above and the table one
//! column right; and a hand-edited .xlsm with a VBA project, a text box drawing, custom XML,
//! a calcChain and a formula without cached value) are unzipped before and after: every part
//! the fixes do not need is byte-identical, inside a changed sheet only the fixed cells and the
//! note's `<legacyDrawing>` differ, every other cell keeps its value, type and style index,
//! styles are only appended to, and fixing the result again gives the same bytes.
//! `fix_patch_soffice` converts the outputs with LibreOffice.

use crate::common::fixtures::{goal_sheet_ods, goal_sheet_xlsx, sample, write_goal_sheet, zip_parts, Drift, Spec};
use crate::common::{patch_bytes, patch_bytes_with};
use assert_cmd::Command;
use calamine::{Data, Reader};
use goalsheet::address::CellRef;
use goalsheet::fix::patch::Patched;
use goalsheet::fix::workbook::CHANGES_SHEET_NAME;
use goalsheet::fix::{FixOptions, Fixed, Hold};
use goalsheet::layout;
use goalsheet::model::Field;
use goalsheet::read::read_bytes;
use goalsheet::Lang;
use quick_xml::events::Event;
use rust_xlsxwriter::{Format, Formula, Image, Note, Workbook};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Read, Write};

/// A 1×1 PNG.
const PNG: [u8; 69] = [
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x77, 0x53, 0xDE, 0x00, 0x00, 0x00, 0x0C, 0x49,
    0x44, 0x41, 0x54, 0x08, 0xD7, 0x63, 0xF8, 0xCF, 0xC0, 0x00, 0x00, 0x03, 0x01, 0x01, 0x00, 0x18, 0xDD, 0x8D, 0xB0,
    0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

/// Every part of a zip, inflated.
pub fn unzip(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    let mut out = BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut b = Vec::new();
        f.read_to_end(&mut b).unwrap();
        out.insert(f.name().unwrap().to_string(), b);
    }
    out
}

/// `bytes` zipped again with each part replaced by `edit(name, part)`, or left out where it
/// gives `None`.
pub fn rezip(bytes: &[u8], mut edit: impl FnMut(&str, Vec<u8>) -> Option<Vec<u8>>) -> Vec<u8> {
    let parts: Vec<(String, Vec<u8>)> =
        unzip(bytes).into_iter().filter_map(|(name, data)| edit(&name, data).map(|d| (name, d))).collect();
    let parts: Vec<(&str, Vec<u8>)> = parts.iter().map(|(n, d)| (n.as_str(), d.clone())).collect();
    zip_parts(&parts)
}

/// samples/広聴相談課.xlsx with each part's text replaced by `edit(name, text)`.
pub fn sample_edited(edit: impl Fn(&str, String) -> String) -> Vec<u8> {
    let sample = std::fs::read(crate::common::repo("samples/広聴相談課.xlsx")).unwrap();
    rezip(&sample, |name, data| Some(edit(name, String::from_utf8(data).unwrap()).into_bytes()))
}

/// One cell as the sheet XML holds it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct XmlCell {
    pub t: Option<String>,
    pub s: Option<String>,
    pub f: Option<String>,
    /// `<v>`, or the text of `<is>`.
    pub v: Option<String>,
}

/// Every `<c>` of a worksheet part, by its `r`.
pub fn xml_cells(xml: &[u8]) -> BTreeMap<String, XmlCell> {
    let mut r = quick_xml::Reader::from_reader(xml);
    let mut out = BTreeMap::new();
    let mut current: Option<(String, XmlCell)> = None;
    let mut inside = "";
    let attr = |e: &quick_xml::events::BytesStart<'_>, k: &str| {
        e.attributes().flatten().find(|a| a.key.as_ref() == k).map(|a| a.value.to_string())
    };
    loop {
        match r.read_event().expect("well-formed sheet") {
            Event::Start(e) if e.local_name().as_ref() == "c" => {
                let c = XmlCell { t: attr(&e, "t"), s: attr(&e, "s"), ..XmlCell::default() };
                current = Some((attr(&e, "r").expect("cells have r"), c));
            }
            Event::Empty(e) if e.local_name().as_ref() == "c" => {
                let c = XmlCell { t: attr(&e, "t"), s: attr(&e, "s"), ..XmlCell::default() };
                out.insert(attr(&e, "r").expect("cells have r"), c);
            }
            Event::Start(e) => {
                inside = match e.local_name().as_ref() {
                    "f" => "f",
                    "v" => "v",
                    "t" => "t",
                    _ => inside,
                }
            }
            Event::Text(t) => {
                if let Some((_, c)) = current.as_mut() {
                    let text = t.to_string();
                    match inside {
                        "f" => c.f = Some(text),
                        "v" | "t" => c.v.get_or_insert_with(String::new).push_str(&text),
                        _ => {}
                    }
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                "c" => {
                    if let Some((k, c)) = current.take() {
                        out.insert(k, c);
                    }
                }
                "f" | "v" | "t" => inside = "",
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// The sheet part of each worksheet, by name.
fn sheet_parts(parts: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, String> {
    let wb = String::from_utf8_lossy(&parts["xl/workbook.xml"]).into_owned();
    let rels = String::from_utf8_lossy(&parts["xl/_rels/workbook.xml.rels"]).into_owned();
    let mut out = BTreeMap::new();
    for chunk in wb.split("<sheet ").skip(1) {
        let name = between(chunk, "name=\"", "\"").unwrap();
        let id = between(chunk, ":id=\"", "\"").unwrap();
        let rel = rels.split("<Relationship ").find(|r| r.contains(&format!("Id=\"{id}\""))).unwrap();
        let target = between(rel, "Target=\"", "\"").unwrap();
        out.insert(name.to_string(), format!("xl/{}", target.trim_start_matches("/xl/")));
    }
    out
}

fn between<'a>(s: &'a str, a: &str, b: &str) -> Option<&'a str> {
    let i = s.find(a)? + a.len();
    let j = s[i..].find(b)? + i;
    Some(&s[i..j])
}

/// Whether `a` is `b` with only insertions (a subsequence of it, bytewise).
fn only_insertions(a: &[u8], b: &[u8]) -> bool {
    let mut it = b.iter();
    a.iter().all(|x| it.any(|y| y == x))
}

/// The inside of `<cellXfs>` (or another list) of styles.xml.
fn list_inside<'a>(styles: &'a str, name: &str) -> &'a str {
    let start = styles.find(&format!("<{name}")).map(|i| i + styles[i..].find('>').unwrap() + 1).unwrap_or(0);
    let end = styles.find(&format!("</{name}>")).unwrap_or(start);
    &styles[start..end]
}

/// `xml` with the `<c>` elements of `refs` and every `<legacyDrawing/>` removed.
fn without_cells(xml: &str, refs: &BTreeSet<String>) -> String {
    let mut s = xml.to_string();
    for r in refs {
        let Some(i) = s.find(&format!("<c r=\"{r}\"")) else { continue };
        let tail = &s[i..];
        let close = tail.find('>').unwrap();
        let end = if tail[..close].ends_with('/') { close + 1 } else { tail.find("</c>").unwrap() + 4 };
        s.replace_range(i..i + end, "");
    }
    while let Some(i) = s.find("<legacyDrawing ") {
        let end = s[i..].find("/>").unwrap() + 2;
        s.replace_range(i..i + end, "");
    }
    s
}

/// Parts the patch may change (the rest must be byte-identical).
fn may_change(name: &str, goal_parts: &BTreeSet<String>) -> bool {
    let rels_of = |p: &String| {
        let (dir, file) = p.rsplit_once('/').unwrap();
        format!("{dir}/_rels/{file}.rels")
    };
    goal_parts.contains(name)
        || goal_parts.iter().any(|p| rels_of(p) == name)
        || matches!(
            name,
            "xl/styles.xml"
                | "xl/workbook.xml"
                | "xl/_rels/workbook.xml.rels"
                | "[Content_Types].xml"
                | "docProps/app.xml"
                | "xl/sharedStrings.xml"
        )
        || (name.starts_with("xl/comments") && name.ends_with(".xml"))
        || name.ends_with(".vml")
}

/// Whether `xml` reads with a namespace-aware reader (Excel's, LibreOffice's): well-formed, and
/// every element and attribute prefix declared.
fn namespaces_resolve(xml: &[u8]) -> Result<(), String> {
    use quick_xml::name::ResolveResult;
    let mut r = quick_xml::NsReader::from_reader(xml);
    loop {
        match r.read_resolved_event() {
            Ok((ResolveResult::Unknown(p), _)) => return Err(format!("prefix {p:?} undeclared")),
            Ok((_, Event::Eof)) => return Ok(()),
            Ok((_, Event::Start(e) | Event::Empty(e))) => {
                for a in e.attributes().flatten() {
                    if let ResolveResult::Unknown(p) = r.resolver().resolve_attribute(a.key).0 {
                        return Err(format!("attribute prefix {p:?} undeclared"));
                    }
                }
            }
            Ok(_) => {}
            Err(e) => return Err(e.to_string()),
        }
    }
}

/// Patches `input` and checks everything issue 13 asks of any patched workbook; returns the
/// result for the caller's own checks.
pub fn check_patch(input: &[u8], name: &str) -> (Fixed, Patched) {
    let (fixed, patched) = patch_bytes(input, name);
    assert!(!patched.unchanged, "{name}: something to fix");
    let before = unzip(input);
    let after = unzip(&patched.bytes);
    let doc = &fixed.document;
    let sheets_before = sheet_parts(&before);
    let goal_parts: BTreeSet<String> = doc.sheets.iter().map(|s| sheets_before[&s.sheet].clone()).collect();

    // Every input part is there; those the fixes do not need are byte-identical.
    for (part, bytes) in &before {
        let out = after.get(part).unwrap_or_else(|| panic!("{name}: {part} dropped"));
        if !may_change(part, &goal_parts) {
            assert!(out == bytes, "{name}: {part} changed");
        }
    }
    for part in ["xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml"] {
        assert!(only_insertions(&before[part], &after[part]), "{name}: {part} lost something");
    }
    // New parts: the two added sheets, notes (comments, VML) and sheet relationships only.
    let sheets_after = sheet_parts(&after);
    for part in after.keys().filter(|p| !before.contains_key(*p)) {
        let added_sheet = sheets_after.iter().any(|(n, p)| p == part && !sheets_before.contains_key(n));
        assert!(
            added_sheet || may_change(part, &goal_parts) || part.ends_with(".rels"),
            "{name}: unexpected new part {part}"
        );
    }
    // Every part written (changed or added) reads with a namespace-aware reader, if its input
    // did: the VML of openpyxl declares other prefixes than the boxes added to it.
    for (part, bytes) in after.iter().filter(|(p, b)| before.get(*p) != Some(*b)) {
        let xml_part = [".xml", ".vml", ".rels"].iter().any(|x| part.ends_with(x));
        let input_reads = before.get(part).is_none_or(|b| namespaces_resolve(b).is_ok());
        if xml_part && input_reads {
            namespaces_resolve(bytes).unwrap_or_else(|e| panic!("{name}: {part}: {e}"));
        }
    }
    let added: Vec<&String> = sheets_after.keys().filter(|n| !sheets_before.contains_key(*n)).collect();
    assert_eq!(added, ["修正履歴", "検証結果"], "{name}: the two sheets added (and nothing else)");
    let tabs_before: Vec<_> = wb_order(&before);
    let tabs_after: Vec<_> = wb_order(&after);
    assert_eq!(tabs_after[..tabs_before.len()], tabs_before[..], "{name}: tab order kept, ours at the end");

    // Styles are only appended to.
    let (s0, s1) =
        (String::from_utf8_lossy(&before["xl/styles.xml"]), String::from_utf8_lossy(&after["xl/styles.xml"]));
    for list in ["cellXfs", "fills", "fonts"] {
        assert!(list_inside(&s1, list).starts_with(list_inside(&s0, list)), "{name}: {list} not appended to");
    }
    let xf_count = list_inside(&s0, "cellXfs").matches("<xf ").count();

    // Inside each goal sheet: only fixed cells differ (and the notes' <legacyDrawing>).
    for (i, s) in doc.sheets.iter().enumerate() {
        let part = &sheets_before[&s.sheet];
        let fixed_cells: BTreeSet<String> = fixed
            .applied
            .iter()
            .filter(|e| e.location.sheet_index == i)
            .filter_map(|e| e.cell.map(|c| c.to_string()))
            .collect();
        let (c0, c1) = (xml_cells(&before[part]), xml_cells(&after[part]));
        for (r, cell) in &c0 {
            if !fixed_cells.contains(r) {
                assert_eq!(c1.get(r), Some(cell), "{name}: {}!{r} changed", s.sheet);
            }
        }
        for r in &fixed_cells {
            let out = &c1[r];
            let new_xf: usize = out.s.as_deref().unwrap_or("0").parse().unwrap();
            assert!(new_xf >= xf_count, "{name}: {r} got a new style (fill), not {new_xf}");
            assert!(out.f.is_none(), "{name}: {r} never a formula");
        }
        let x0 = without_cells(&String::from_utf8_lossy(&before[part]), &fixed_cells);
        let x1 = without_cells(&String::from_utf8_lossy(&after[part]), &fixed_cells);
        assert_eq!(x0, x1, "{name}: {part} differs beyond its fixed cells");
    }

    // Reads back: calamine (every sheet), and goalsheet with the fixed values.
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(patched.bytes.clone())).expect("calamine opens");
    for n in book.sheet_names() {
        book.worksheet_range(&n).unwrap_or_else(|e| panic!("{name}: calamine reads {n}: {e}"));
    }
    let again = read_bytes(&patched.bytes, name).expect("goalsheet reads it back");
    for e in &fixed.applied {
        assert_eq!(e.location.value(&again), e.location.value(doc), "{name}: {:?}", e.location);
    }

    // Fixing it again changes nothing, not one byte.
    let (fixed2, twice) = patch_bytes(&patched.bytes, &name.replace(".xls", ".corrected.xls"));
    assert!(fixed2.applied.is_empty(), "{name}: second run fixed {:?}", fixed2.applied);
    assert!(twice.unchanged && twice.bytes == patched.bytes, "{name}: second run changed the workbook");
    (fixed, patched)
}

fn wb_order(parts: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let wb = String::from_utf8_lossy(&parts["xl/workbook.xml"]).into_owned();
    wb.split("<sheet ").skip(1).map(|c| between(c, "name=\"", "\"").unwrap().to_string()).collect()
}

/// The defects both producers get: 〇 for ○ (GS301), a full-width comma (GS204), and the
/// header dates typed as text (the fixture writes them so).
fn defective() -> Spec {
    let mut spec = sample();
    spec.entries[0].grade = "〇";
    spec.entries[2].inds[0].target = "1，700件";
    spec
}

/// Where an official cell is under `d`.
fn at(d: &Drift, row: u32, col: u32) -> (u32, u16) {
    (d.row(row), d.col(col) as u16)
}

fn official(field: Field) -> u32 {
    layout::COLUMNS.iter().find(|c| c.field == field).unwrap().col
}

/// A workbook as a division might make it with rust_xlsxwriter-like tools: the form number in
/// A1 above two inserted rows, the table one column right, notes, an image, names, a print
/// area, protection, hidden row and column, formulas and number formats, a second sheet.
pub fn xlsxwriter_book() -> Vec<u8> {
    let spec = defective();
    let d = Drift { rows_above: 2, shift_right: 1, ..Drift::default() };
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    write_goal_sheet(ws, &spec, &d);
    ws.write_string(0, 0, "【様式１】").unwrap();
    // The result of entry 2's first indicator computed by a formula showing full-width digits:
    // GS204 would fix it, but a formula is never overwritten.
    let (r, c) = at(&d, Drift::entry_row(&spec, 1), official(Field::Result));
    ws.write_formula(r, c, Formula::new("=\"３１８件\"").set_result("３１８件")).unwrap();
    let (gr, gc) = at(&d, Drift::entry_row(&spec, 0), official(Field::Grade));
    ws.insert_note(gr, gc, &Note::new("前年度も確認済み").set_author("審査担当")).unwrap();
    ws.insert_note(3, 1, &Note::new("様式は課で修正しないこと")).unwrap();
    ws.insert_image(0, 14, &Image::new_from_buffer(&PNG).unwrap()).unwrap();
    ws.write_formula(4, 14, Formula::new("=1+1").set_result("2")).unwrap();
    ws.write_formula(5, 14, "=SUM(O5,1)").unwrap();
    ws.write_number_with_format(6, 14, 1_500_000.0, &Format::new().set_num_format("#,##0")).unwrap();
    ws.write_number_with_format(7, 14, 0.777, &Format::new().set_num_format("0.0%")).unwrap();
    ws.set_print_area(0, 0, 30, 12).unwrap();
    ws.set_row_hidden(1).unwrap();
    ws.set_column_hidden(13).unwrap();
    ws.protect();
    wb.define_name("評価列", "=広聴相談課!$J$11:$J$20").unwrap();
    let other = wb.add_worksheet();
    other.set_name("連絡先").unwrap();
    other.write_string(1, 1, "担当 内線1234").unwrap();
    wb.save_to_buffer().unwrap()
}

/// An empty compound file with one stream, standing in for a VBA project.
fn vba_project() -> Vec<u8> {
    let mut c = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
    c.create_stream("PROJECT").unwrap().write_all(b"ID=\"{00000000-0000-0000-0000-000000000000}\"\r\n").unwrap();
    c.flush().unwrap();
    c.into_inner().into_inner()
}

/// A hand-edited macro workbook: a goal sheet (notes already on it) with a VBA project, a text
/// box drawing, custom XML, a calcChain and a formula without a cached value added by hand.
pub fn handwritten_xlsm() -> Vec<u8> {
    let spec = defective();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    write_goal_sheet(ws, &spec, &Drift::default());
    let (gr, gc) = (Drift::entry_row(&spec, 0), official(Field::Grade) as u16);
    ws.insert_note(gr, gc, &Note::new("確認中")).unwrap();
    let mut parts = unzip(&wb.save_to_buffer().unwrap());
    let text = |p: &BTreeMap<String, Vec<u8>>, n: &str| String::from_utf8(p[n].clone()).unwrap();

    let ct = text(&parts, "[Content_Types].xml")
        .replace(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
            "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
        )
        .replace(
            "</Types>",
            "<Default Extension=\"bin\" ContentType=\"application/vnd.ms-office.vbaProject\"/><Override PartName=\"/xl/calcChain.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml\"/><Override PartName=\"/xl/drawings/drawing1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.drawing+xml\"/><Override PartName=\"/customXml/itemProps1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.customXmlProperties+xml\"/></Types>",
        );
    parts.insert("[Content_Types].xml".into(), ct.into_bytes());
    let rels = text(&parts, "xl/_rels/workbook.xml.rels").replace(
        "</Relationships>",
        "<Relationship Id=\"rIdV\" Type=\"http://schemas.microsoft.com/office/2006/relationships/vbaProject\" Target=\"vbaProject.bin\"/><Relationship Id=\"rIdC\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/calcChain\" Target=\"calcChain.xml\"/><Relationship Id=\"rIdX\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml\" Target=\"../customXml/item1.xml\"/></Relationships>",
    );
    parts.insert("xl/_rels/workbook.xml.rels".into(), rels.into_bytes());
    parts.insert("xl/vbaProject.bin".into(), vba_project());
    parts.insert(
        "xl/calcChain.xml".into(),
        b"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<calcChain xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><c r=\"O7\" i=\"1\"/></calcChain>".to_vec(),
    );
    parts.insert(
        "customXml/item1.xml".into(),
        b"<?xml version=\"1.0\"?><goal xmlns=\"urn:example:goal\">2024</goal>".to_vec(),
    );
    parts.insert(
        "customXml/itemProps1.xml".into(),
        b"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n<ds:datastoreItem ds:itemID=\"{6E3F0A2B-1C2D-4E5F-8A9B-0C1D2E3F4A5B}\" xmlns:ds=\"http://schemas.openxmlformats.org/officeDocument/2006/customXml\"><ds:schemaRefs/></ds:datastoreItem>".to_vec(),
    );
    parts.insert(
        "customXml/_rels/item1.xml.rels".into(),
        b"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXmlProps\" Target=\"itemProps1.xml\"/></Relationships>".to_vec(),
    );
    parts.insert(
        "xl/drawings/drawing1.xml".into(),
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<xdr:wsDr xmlns:xdr=\"http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing\" xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\"><xdr:twoCellAnchor><xdr:from><xdr:col>12</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>2</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>15</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>5</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to><xdr:sp macro=\"\" textlink=\"\"><xdr:nvSpPr><xdr:cNvPr id=\"2\" name=\"TextBox 1\"/><xdr:cNvSpPr txBox=\"1\"/></xdr:nvSpPr><xdr:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"1800000\" cy=\"540000\"/></a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></xdr:spPr><xdr:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:rPr lang=\"ja-JP\"/><a:t>備考：数値は速報値</a:t></a:r></a:p></xdr:txBody></xdr:sp><xdr:clientData/></xdr:twoCellAnchor></xdr:wsDr>".as_bytes().to_vec(),
    );
    let sheet_rels = "xl/worksheets/_rels/sheet1.xml.rels";
    let srels = text(&parts, sheet_rels).replace(
        "</Relationships>",
        "<Relationship Id=\"rIdD\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing\" Target=\"../drawings/drawing1.xml\"/></Relationships>",
    );
    parts.insert(sheet_rels.into(), srels.into_bytes());
    let mut sheet = text(&parts, "xl/worksheets/sheet1.xml");
    // A formula with no cached value beside the header row (what openpyxl-style writers leave).
    let row7 = sheet.find("<row r=\"7\"").unwrap();
    let close = row7 + sheet[row7..].find("</row>").unwrap();
    sheet.insert_str(close, "<c r=\"O7\"><f>1+2</f></c>");
    let legacy = sheet.find("<legacyDrawing").unwrap();
    sheet.insert_str(legacy, "<drawing r:id=\"rIdD\"/>");
    parts.insert("xl/worksheets/sheet1.xml".into(), sheet.into_bytes());
    // [Content_Types].xml first, as Excel writes it.
    let mut ordered: Vec<(&str, Vec<u8>)> = vec![("[Content_Types].xml", parts["[Content_Types].xml"].clone())];
    ordered.extend(parts.iter().filter(|(n, _)| *n != "[Content_Types].xml").map(|(n, b)| (n.as_str(), b.clone())));
    zip_parts(&ordered)
}

fn part_text(bytes: &[u8], name: &str) -> String {
    String::from_utf8(unzip(bytes)[name].clone()).unwrap()
}

#[test]
fn a_rust_xlsxwriter_workbook_is_patched_not_rewritten() {
    let input = xlsxwriter_book();
    let (fixed, patched) = check_patch(&input, "広聴相談課.xlsx");
    let d = Drift { rows_above: 2, shift_right: 1, ..Drift::default() };
    let spec = defective();
    let codes: BTreeSet<&str> = fixed.applied.iter().map(|e| e.code).collect();
    assert!(codes.contains("GS301") && codes.contains("GS204") && codes.contains("GS408"), "{codes:?}");

    // The formula cell is reported, not fixed.
    let (rr, rc) = at(&d, Drift::entry_row(&spec, 1), official(Field::Result));
    let formula_cell = CellRef::new(rr, u32::from(rc));
    let held: Vec<_> = fixed.held.iter().map(|h| (h.code, h.cell, h.hold)).collect();
    assert_eq!(held, [("GS204", Some(formula_cell), Hold::Formula)]);
    let parts = unzip(&patched.bytes);
    let findings = sheet_text(&parts, "検証結果");
    assert!(findings.contains("数式のセルなので自動では修正していません"), "{findings}");

    // The existing note on the 〇 cell comes first, then ours; the author is goalsheet.
    let comments: String = parts
        .iter()
        .filter(|(n, _)| n.starts_with("xl/comments"))
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .collect();
    let (mine, theirs) = (comments.find("【修正 GS301】").unwrap(), comments.find("前年度も確認済み").unwrap());
    assert!(theirs < mine, "existing text first: {comments}");
    assert!(comments.contains("<author>goalsheet</author>"));
    assert!(comments.contains("様式は課で修正しないこと"), "an unrelated note stays");

    // 作成日 typed as text is a date cell now, in the era format it was typed in.
    let sheet = &sheet_parts(&parts)["広聴相談課"];
    let created = layout::header_field(Field::Created).unwrap().value_range.start;
    let cell = &xml_cells(&parts[sheet])[&CellRef::new(d.row(created.row), d.col(created.col)).to_string()];
    assert_eq!((cell.t.as_deref(), cell.v.as_deref()), (None, Some("45427")), "R6.5.15 as a date serial");
    let styles = String::from_utf8_lossy(&parts["xl/styles.xml"]);
    let xf: usize = cell.s.as_deref().unwrap().parse().unwrap();
    let xf_el = list_inside(&styles, "cellXfs").split("<xf ").nth(xf + 1).unwrap();
    let id = between(xf_el, "numFmtId=\"", "\"").unwrap();
    assert!(styles.contains(&format!("<numFmt numFmtId=\"{id}\" formatCode=\"[$-411]ge.m.d\"/>")), "{xf_el}");
    let log = sheet_text(&parts, CHANGES_SHEET_NAME);
    assert!(log.contains("日付セル R6.5.15"), "the type change is in the log: {log}");

    // Nothing moved: the form number is still in A1, the table still one column right.
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(patched.bytes.clone())).unwrap();
    let range = book.worksheet_range("広聴相談課").unwrap();
    assert_eq!(range.get_value((0, 0)), Some(&Data::String("【様式１】".into())));
    let (gr, gc) = at(&d, Drift::entry_row(&spec, 0), official(Field::Grade));
    assert_eq!(range.get_value((gr, u32::from(gc))), Some(&Data::String("○".into())));
    assert!(!book.sheet_names().iter().any(|n| n == "元の位置の値"), "nothing moved to another sheet");
}

/// The text of every cell of a sheet (by name), one string.
fn sheet_text(parts: &BTreeMap<String, Vec<u8>>, name: &str) -> String {
    let part = &sheet_parts(parts)[name];
    xml_cells(&parts[part]).values().filter_map(|c| c.v.clone()).collect::<Vec<_>>().join("|")
}

#[test]
fn a_hand_edited_xlsm_keeps_its_macros_drawing_custom_xml_and_calc_chain() {
    let input = handwritten_xlsm();
    let (fixed, patched) = check_patch(&input, "市民協働課.xlsm");
    assert!(fixed.held.is_empty(), "{:?}", fixed.held);
    let parts = unzip(&patched.bytes);
    let ct = String::from_utf8_lossy(&parts["[Content_Types].xml"]);
    assert!(ct.contains("application/vnd.ms-excel.sheet.macroEnabled.main+xml"), "still a macro workbook");
    // The existing VML gets our boxes appended, its own shapes kept.
    let vml_in = part_text(&input, "xl/drawings/vmlDrawing1.vml");
    let vml_out = String::from_utf8_lossy(&parts["xl/drawings/vmlDrawing1.vml"]).into_owned();
    assert!(only_insertions(vml_in.as_bytes(), vml_out.as_bytes()) && vml_out.len() > vml_in.len());

    // Through the CLI: NAME.corrected.xlsm beside it.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("市民協働課.xlsm");
    std::fs::write(&path, &input).unwrap();
    let run = Command::cargo_bin("goalsheet").unwrap().args(["--lang", "ja", "fix"]).arg(&path).output().unwrap();
    assert_ne!(run.status.code(), Some(2), "{}", String::from_utf8_lossy(&run.stderr));
    let out = std::fs::read(dir.path().join("市民協働課.corrected.xlsm")).expect("an .xlsm stays an .xlsm");
    assert_eq!(unzip(&out)["xl/vbaProject.bin"], vba_project());
    assert_eq!(out, patched.bytes, "the CLI writes what the library patches");
}

/// An openpyxl-produced package (tests/data/patch/make_openpyxl.py): its comments and VML
/// live under other names (`xl/comments/comment1.xml`, `commentsDrawing1.vml`), and its
/// formula has no cached value.
#[test]
fn an_openpyxl_workbook_is_patched_too() {
    let input = std::fs::read(crate::common::repo("tests/data/patch/openpyxl.xlsx")).unwrap();
    let (fixed, patched) = check_patch(&input, "openpyxl.xlsx");
    let codes: BTreeSet<&str> = fixed.applied.iter().map(|e| e.code).collect();
    assert!(codes.contains("GS301") && codes.contains("GS204"), "{codes:?}");
    let parts = unzip(&patched.bytes);
    let comments = String::from_utf8_lossy(&parts["xl/comments/comment1.xml"]).into_owned();
    assert!(comments.find("前年度も確認済み").unwrap() < comments.find("【修正 GS301】").unwrap(), "{comments}");
    assert!(!parts.keys().any(|p| p.starts_with("xl/comments1")), "no second comments part: {:?}", parts.keys());
}

/// 広聴相談課 as Excel 365 saves it with two threaded comments (コメント), one on a cell the fix
/// changes (I8) and one on a cell it leaves (B3): Excel keeps a thread in its own part, with a
/// person list, and a legacy note whose text starts "[Threaded comment]" for older versions.
pub fn with_threaded_comments() -> Vec<u8> {
    let sample = std::fs::read(crate::common::repo("samples/広聴相談課.xlsx")).unwrap();
    let (person, on_i8, on_b3) = (
        "{5A5A5A5A-1111-4111-8111-111111111111}",
        "{6B6B6B6B-2222-4222-8222-222222222222}",
        "{7C7C7C7C-3333-4333-8333-333333333333}",
    );
    let legacy = |cell: &str, author: usize, id: &str, text: &str| {
        format!(
            "<comment ref=\"{cell}\" authorId=\"{author}\" shapeId=\"0\" xr:uid=\"{id}\"><text><t>[Threaded comment]\n\n\
             Your version of Excel allows you to read this threaded comment; however, any edits to it will get \
             removed if the file is opened in a newer version of Excel.\n\nComment:\n    {text}</t></text></comment>"
        )
    };
    let note_box = |row: u32, col: u32| {
        format!(
            "<v:shape type=\"#_x0000_t202\" style=\"position:absolute;visibility:hidden\"><v:textbox/>\
             <x:ClientData ObjectType=\"Note\"><x:Anchor>{}, 15, {row}, 2, {}, 15, {}, 16</x:Anchor>\
             <x:Row>{row}</x:Row><x:Column>{col}</x:Column></x:ClientData></v:shape>",
            col + 1,
            col + 3,
            row + 4
        )
    };
    let mut parts: Vec<(String, Vec<u8>)> = unzip(&sample)
        .into_iter()
        .map(|(name, data)| {
            let text = String::from_utf8_lossy(&data).into_owned();
            let data = match name.as_str() {
                "[Content_Types].xml" => text.replace(
                    "</Types>",
                    "<Default Extension=\"vml\" ContentType=\"application/vnd.openxmlformats-officedocument.vmlDrawing\"/>\
                     <Override PartName=\"/xl/comments1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml\"/>\
                     <Override PartName=\"/xl/threadedComments/threadedComment1.xml\" ContentType=\"application/vnd.ms-excel.threadedcomments+xml\"/>\
                     <Override PartName=\"/xl/persons/person.xml\" ContentType=\"application/vnd.ms-excel.person+xml\"/></Types>",
                ),
                "xl/_rels/workbook.xml.rels" => text.replace(
                    "</Relationships>",
                    "<Relationship Id=\"rId99\" Type=\"http://schemas.microsoft.com/office/2017/10/relationships/person\" \
                     Target=\"persons/person.xml\"/></Relationships>",
                ),
                "xl/worksheets/sheet1.xml" => {
                    text.replace("</headerFooter></worksheet>", "</headerFooter><legacyDrawing r:id=\"rId1\"/></worksheet>")
                }
                _ => text,
            };
            (name, data.into_bytes())
        })
        .collect();
    let added = [
        (
            "xl/worksheets/_rels/sheet1.xml.rels",
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
             <Relationship Id=\"rId3\" Type=\"http://schemas.microsoft.com/office/2017/10/relationships/threadedComment\" Target=\"../threadedComments/threadedComment1.xml\"/>\
             <Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments\" Target=\"../comments1.xml\"/>\
             <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing\" Target=\"../drawings/vmlDrawing1.vml\"/></Relationships>"
                .to_string(),
        ),
        (
            "xl/comments1.xml",
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<comments xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" \
                 xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\" mc:Ignorable=\"xr\" \
                 xmlns:xr=\"http://schemas.microsoft.com/office/spreadsheetml/2014/revision\"><authors><author>tc={on_i8}</author>\
                 <author>tc={on_b3}</author></authors><commentList>{}{}</commentList></comments>",
                legacy("I8", 0, on_i8, "評価を確認してください"),
                legacy("B3", 1, on_b3, "部名はこれで良いですか")
            ),
        ),
        (
            "xl/threadedComments/threadedComment1.xml",
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<ThreadedComments xmlns=\"http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments\" \
                 xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><threadedComment ref=\"I8\" dT=\"2026-05-01T09:00:00.00\" \
                 personId=\"{person}\" id=\"{on_i8}\"><text>評価を確認してください</text></threadedComment><threadedComment ref=\"B3\" \
                 dT=\"2026-05-01T09:05:00.00\" personId=\"{person}\" id=\"{on_b3}\"><text>部名はこれで良いですか</text></threadedComment></ThreadedComments>"
            ),
        ),
        (
            "xl/persons/person.xml",
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<personList xmlns=\"http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments\" \
                 xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><person displayName=\"山田 太郎\" id=\"{person}\" \
                 userId=\"yamada@example.lg.jp\" providerId=\"AD\"/></personList>"
            ),
        ),
        (
            "xl/drawings/vmlDrawing1.vml",
            format!(
                "<xml xmlns:v=\"urn:schemas-microsoft-com:vml\" xmlns:o=\"urn:schemas-microsoft-com:office:office\" \
                 xmlns:x=\"urn:schemas-microsoft-com:office:excel\"><o:shapelayout v:ext=\"edit\"><o:idmap v:ext=\"edit\" data=\"1\"/></o:shapelayout>\
                 <v:shapetype id=\"_x0000_t202\" coordsize=\"21600,21600\" o:spt=\"202\" path=\"m,l,21600r21600,l21600,xe\"/>{}{}</xml>",
                note_box(7, 8),
                note_box(2, 1)
            ),
        ),
    ];
    parts.extend(added.into_iter().map(|(n, d)| (n.to_string(), d.into_bytes())));
    let parts: Vec<(&str, Vec<u8>)> = parts.iter().map(|(n, d)| (n.as_str(), d.clone())).collect();
    zip_parts(&parts)
}

/// Excel 365's threaded comments are kept whole (their part and the person list byte for byte,
/// as every part the fix does not need); the fix's note on a cell with a thread goes after the
/// thread's legacy text, which older Excel and LibreOffice show (Excel 365 shows the thread,
/// and the cell's fill and 修正履歴 still say what changed).
#[test]
fn threaded_comments_are_kept_and_the_note_follows_the_legacy_text() {
    let input = with_threaded_comments();
    let (fixed, patched) = check_patch(&input, "広聴相談課.xlsx");
    let cells: BTreeSet<String> = fixed.applied.iter().filter_map(|e| e.cell.map(|c| c.to_string())).collect();
    assert!(cells.contains("I8") && !cells.contains("B3"), "{cells:?}");
    let (before, after) = (unzip(&input), unzip(&patched.bytes));
    for part in ["xl/threadedComments/threadedComment1.xml", "xl/persons/person.xml"] {
        assert_eq!(after[part], before[part], "{part}");
    }
    let rels = String::from_utf8_lossy(&after["xl/worksheets/_rels/sheet1.xml.rels"]).into_owned();
    assert!(rels.contains("relationships/threadedComment"), "{rels}");
    let comments = String::from_utf8_lossy(&after["xl/comments1.xml"]).into_owned();
    let on = |cell: &str| between(&comments, &format!("<comment ref=\"{cell}\""), "</comment>").unwrap().to_string();
    let i8 = on("I8");
    assert!(i8.find("評価を確認してください").unwrap() < i8.find("【修正 GS301】").unwrap(), "{i8}");
    assert!(i8.contains("xr:uid=\"{6B6B6B6B-2222-4222-8222-222222222222}\""), "still the thread's note: {i8}");
    let b3_before = String::from_utf8_lossy(&before["xl/comments1.xml"]).into_owned();
    assert_eq!(on("B3"), between(&b3_before, "<comment ref=\"B3\"", "</comment>").unwrap(), "B3's note untouched");
}

const RED_BOLD: &str = "<rPr><b/><sz val=\"11\"/><color rgb=\"FFFF0000\"/><rFont val=\"游ゴシック\"/><family val=\"3\"/><charset val=\"128\"/></rPr>";

/// 広聴相談課 with words marked in red bold: in J8's shared string (which ends in a line break
/// GS601 trims, and carries furigana) and in I10's own inline string (the 〇 GS301 fixes).
pub fn with_rich_text() -> Vec<u8> {
    sample_edited(|name, text| match name {
        "xl/sharedStrings.xml" => text.replace(
            "<si><t>回収率は、前年度より2.4ポイント上昇し、目標を達成しました。</t></si>",
            &format!(
                "<si><r><t>回収率は、前年度より</t></r><r>{RED_BOLD}<t>2.4ポイント上昇し</t></r>\
                         <r><t xml:space=\"preserve\">、目標を達成しました。\n</t></r>\
                         <rPh sb=\"0\" eb=\"3\"><t>カイシュウリツ</t></rPh><phoneticPr fontId=\"1\"/></si>"
            ),
        ),
        "xl/worksheets/sheet1.xml" => {
            let i10 = between(&text, "<c r=\"I10\"", "</c>").unwrap().to_string();
            let style = between(&i10, "s=\"", "\"").unwrap();
            text.replace(
                &format!("<c r=\"I10\"{i10}</c>"),
                &format!("<c r=\"I10\" s=\"{style}\" t=\"inlineStr\"><is><r>{RED_BOLD}<t>〇</t></r></is></c>"),
            )
        }
        _ => text,
    })
}

/// A fix on a cell whose text is in runs of its own fonts keeps the runs: the trimmed line
/// break goes and the red bold words stay red bold, in a shared string and in an inline one.
#[test]
fn rich_text_keeps_its_runs_through_a_fix() {
    let input = with_rich_text();
    let before = unzip(&input);
    assert!(String::from_utf8_lossy(&before["xl/sharedStrings.xml"]).contains("上昇し</t></r>"), "the fixture took");
    let (fixed, patched) = check_patch(&input, "広聴相談課.xlsx");
    let codes: BTreeMap<String, &str> =
        fixed.applied.iter().filter_map(|e| Some((e.cell?.to_string(), e.code))).collect();
    assert_eq!((codes.get("J8"), codes.get("I10")), (Some(&"GS601"), Some(&"GS301")), "{codes:?}");
    let sheet = String::from_utf8_lossy(&unzip(&patched.bytes)["xl/worksheets/sheet1.xml"]).into_owned();
    let cell = |r: &str| between(&sheet, &format!("<c r=\"{r}\""), "</c>").unwrap().to_string();
    assert!(
        cell("J8").ends_with(&format!(
            "<is><r><t xml:space=\"preserve\">回収率は、前年度より</t></r><r>{RED_BOLD}<t xml:space=\"preserve\">2.4ポイント上昇し</t></r>\
             <r><t xml:space=\"preserve\">、目標を達成しました。</t></r></is>"
        )),
        "{}",
        cell("J8")
    );
    assert!(
        cell("I10").ends_with(&format!("<is><r>{RED_BOLD}<t xml:space=\"preserve\">○</t></r></is>")),
        "{}",
        cell("I10")
    );
}

#[test]
fn a_workbook_with_nothing_to_fix_gets_the_two_sheets_and_then_stays() {
    let input = goal_sheet_xlsx(&sample(), &Drift::default());
    let (fixed, once) = patch_bytes(&input, "a.xlsx");
    // Text dates become date cells; nothing else to do.
    assert!(fixed.applied.iter().all(|e| e.code == "GS408"), "{:?}", fixed.applied);
    let names: Vec<String> = wb_order(&unzip(&once.bytes));
    assert_eq!(names[names.len() - 2..], ["修正履歴", "検証結果"]);
    let (_, twice) = patch_bytes(&once.bytes, "a.corrected.xlsx");
    assert!(twice.unchanged);
}

#[test]
fn a_workbook_fixed_in_one_language_is_fixed_again_in_the_other() {
    use goalsheet::fix::log::{changes_headers, CHANGES_SHEET_NAME};
    use goalsheet::write::findings_sheet::{findings_headers, FINDINGS_SHEET_NAME};
    let input = goal_sheet_xlsx(&defective(), &Drift::default());
    let (fixed, english) = patch_bytes_with(&input, "a.xlsx", FixOptions::default(), Lang::En);
    assert!(!fixed.applied.is_empty());
    let rows = |bytes: &[u8], sheet: &str| -> Vec<Vec<String>> {
        let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes.to_vec())).unwrap();
        let range = book.worksheet_range(sheet).unwrap();
        range.rows().map(|r| r.iter().map(|d| d.to_string()).collect()).collect()
    };
    let header_at = |rows: &[Vec<String>], headers: &[&str]| {
        rows.iter().position(|r| r.iter().map(String::as_str).take(headers.len()).eq(headers.iter().copied()))
    };
    // One language per run: an English run writes English headers on both sheets.
    let log_en = rows(&english.bytes, CHANGES_SHEET_NAME);
    assert!(header_at(&log_en, &changes_headers(Lang::En)).is_some(), "English log headers");
    assert!(header_at(&rows(&english.bytes, FINDINGS_SHEET_NAME), &findings_headers(Lang::En)).is_some());
    // Fixed again in Japanese, with nothing new to fix: the English log is recognised as
    // goalsheet's own and kept as the record of that run; the findings are written again, in
    // Japanese. Neither is taken for a division's sheet and joined by 修正履歴 (2) or 検証結果 (2).
    let (again, japanese) = patch_bytes_with(&english.bytes, "a.corrected.xlsx", FixOptions::default(), Lang::Ja);
    assert!(again.applied.is_empty(), "{:?}", again.applied);
    assert_eq!(wb_order(&unzip(&japanese.bytes)), wb_order(&unzip(&english.bytes)));
    assert_eq!(rows(&japanese.bytes, CHANGES_SHEET_NAME), log_en, "the earlier log kept");
    assert!(header_at(&rows(&japanese.bytes, FINDINGS_SHEET_NAME), &findings_headers(Lang::Ja)).is_some());
}

#[test]
fn xls_and_ods_are_rewritten_as_xlsx_and_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let ods = dir.path().join("課.ods");
    std::fs::write(&ods, goal_sheet_ods(&defective())).unwrap();
    let out = Command::cargo_bin("goalsheet").unwrap().args(["--lang", "ja", "fix"]).arg(&ods).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains(".ods のブックは直接修正できないため、公式様式の .xlsx として書き直しました"), "{stdout}");
    assert!(stdout.contains("図形・画像"), "says what was not carried over: {stdout}");
    assert!(stdout.contains("セルのメモは値と一緒に引き継ぎました"), "and that notes were: {stdout}");
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(dir.path().join("課.corrected.xlsx")).unwrap();
    let log = book.worksheet_range(CHANGES_SHEET_NAME).unwrap();
    let first = crate::common::change_log_rows(&log)[0].clone();
    assert_eq!(first[4], "rewritten", "{first:?}");
    assert!(first[8].contains("書き直しました"), "{first:?}");
}

/// 修正履歴 of a patched workbook explains its colours above the table (in the run's
/// language), and an unsafe change's row has the fill of the cell it changed and of the legend
/// line that names it; safe rows stay plain.
#[test]
fn the_change_log_explains_its_colours_and_colours_unsafe_rows() {
    use crate::common::cell_fill;
    use goalsheet::fix::log::{self, FlaggedLook, CHANGED_FILL_RGB, UNSAFE_CHANGE_FILL_RGB};
    let mut spec = defective();
    spec.entries[2].grade = "○"; // 1,512 of 1,700 件 is ×: recomputed only with --unsafe-fixes
    let input = goal_sheet_xlsx(&spec, &Drift::default());
    for lang in [Lang::Ja, Lang::En] {
        let bytes = patch_bytes_with(&input, "課.xlsx", FixOptions { unsafe_fixes: true }, lang).1.bytes;
        let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes.clone())).unwrap();
        let range = book.worksheet_range(CHANGES_SHEET_NAME).unwrap();
        let text = |r: u32, c: u32| range.get_value((r, c)).map(|d| d.to_string()).unwrap_or_default();
        let a1 = |r: u32, c: u32| CellRef::new(r, c).to_string();

        // The legend: a title, then each colour in its own swatch with what it means.
        assert_eq!(text(0, 0), log::legend_title(lang));
        let legend = log::legend(FlaggedLook::Kept, lang);
        for (r, line) in (1u32..).zip(&legend) {
            assert_eq!((text(r, 0), text(r, 1)), (line.label.to_string(), line.text.to_string()));
            assert_eq!(cell_fill(&bytes, CHANGES_SHEET_NAME, &a1(r, 0)), line.fill, "{lang:?} swatch {}", line.label);
        }
        let fills: Vec<_> = legend.iter().map(|l| l.fill).collect();
        assert!(fills.contains(&Some(CHANGED_FILL_RGB)) && fills.contains(&Some(UNSAFE_CHANGE_FILL_RGB)));
        assert!(fills.contains(&None), "says how a flagged cell that was not fixed looks");
        let unsafe_line = (1u32..).zip(&legend).find(|(_, l)| l.fill == Some(UNSAFE_CHANGE_FILL_RGB)).unwrap().0;
        let swatch = cell_fill(&bytes, CHANGES_SHEET_NAME, &a1(unsafe_line, 0));

        // The table below: the unsafe row in the swatch's colour, like its cell on the sheet.
        let headers = goalsheet::fix::log::changes_headers(lang);
        let header = (0..range.height() as u32).find(|&r| text(r, 0) == headers[0]).expect("header row");
        let header_row: Vec<String> = (0..9).map(|c| text(header, c)).collect();
        assert_eq!(header_row, headers.map(String::from), "{lang:?}: the headers in the run's language");
        assert_eq!(header, legend.len() as u32 + 2, "one blank row between legend and table");
        let (mut safe_rows, mut unsafe_rows) = (0, 0);
        for r in header + 1..range.height() as u32 {
            let row_fill = cell_fill(&bytes, CHANGES_SHEET_NAME, &a1(r, 0));
            assert_eq!(row_fill, cell_fill(&bytes, CHANGES_SHEET_NAME, &a1(r, 8)), "whole row coloured alike");
            if text(r, 7).starts_with('★') {
                unsafe_rows += 1;
                assert_eq!(row_fill, swatch, "{lang:?} unsafe row {r}");
                assert_eq!(cell_fill(&bytes, &text(r, 1), &text(r, 2)), swatch, "the changed cell {}", text(r, 2));
            } else {
                safe_rows += 1;
                assert_eq!(row_fill, None, "{lang:?} safe row {r} is plain");
            }
        }
        assert!(unsafe_rows >= 1 && safe_rows > 0, "{lang:?} {:?}", crate::common::change_log_rows(&range));
    }
}

/// The parts the reader inflated are handed to the patch (`fix::read_for_fix`, `fix_file_with`),
/// which does not inflate them again: the corrected workbook is byte for byte the one made by
/// inflating every part afresh, for each sample and for a workbook fixed a second time.
#[test]
fn reusing_the_readers_parts_writes_the_same_workbook() {
    use goalsheet::fix::{fix_file, fix_file_with, read_for_fix};
    use goalsheet::rules::{check_document, CheckOptions};
    let check = |d: &goalsheet::model::Document| check_document(d, &CheckOptions::default());
    let opts = FixOptions { unsafe_fixes: true };
    let mut inputs: Vec<(String, Vec<u8>)> = Vec::new();
    for e in std::fs::read_dir("samples").unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "xlsx") {
            inputs.push((p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()));
        }
    }
    let mut compared = 0;
    let mut second_round = Vec::new();
    for round in 0..2 {
        let batch = if round == 0 { std::mem::take(&mut inputs) } else { std::mem::take(&mut second_round) };
        for (name, bytes) in batch {
            let path = std::path::Path::new(&name);
            let (doc, parts) = read_for_fix(path, &bytes, &name).unwrap();
            let fresh_doc = doc.clone();
            let shared = fix_file_with(&bytes, doc, parts, &name, opts, check).unwrap().into_bytes(&name, Lang::Ja);
            let fresh = fix_file(&bytes, fresh_doc, &name, opts, check).unwrap().into_bytes(&name, Lang::Ja);
            let (shared, fresh) = (shared.unwrap().1, fresh.unwrap().1);
            assert!(shared == fresh, "{name}, round {round}");
            compared += 1;
            second_round.push((name, shared));
        }
    }
    assert!(compared >= 14, "seven samples, each fixed twice: {compared}");
}

/// A crafted `sheetId` at the top of the range leaves no number for the log sheet: `fix` says the
/// workbook is damaged (exit 2), never overflows.
#[test]
fn a_sheet_id_at_the_end_of_the_range_is_refused_cleanly() {
    let original = std::fs::read("samples/市民協働課.xlsx").unwrap();
    let mut parts = unzip(&original);
    let wb = String::from_utf8(parts["xl/workbook.xml"].clone()).unwrap();
    let at = wb.find("sheetId=\"").unwrap() + "sheetId=\"".len();
    let end = at + wb[at..].find('"').unwrap();
    let crafted = format!("{}{}{}", &wb[..at], u64::MAX, &wb[end..]);
    parts.insert("xl/workbook.xml".into(), crafted.into_bytes());
    let mut ordered: Vec<(&str, Vec<u8>)> = vec![("[Content_Types].xml", parts["[Content_Types].xml"].clone())];
    ordered.extend(parts.iter().filter(|(n, _)| *n != "[Content_Types].xml").map(|(n, b)| (n.as_str(), b.clone())));
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("市民協働課.xlsx");
    std::fs::write(&input, zip_parts(&ordered)).unwrap();
    let out = Command::cargo_bin("goalsheet")
        .unwrap()
        .args(["--lang", "en", "fix"])
        .arg(&input)
        .args(["-o"])
        .arg(dir.path().join("out.xlsx"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("sheetId"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!dir.path().join("out.xlsx").exists());
}

/// A workbook whose relationships fill `rId1`…`rId100000` (crafted: a real one has a few
/// dozen) is patched in one pass over them, not one per id tried: the added sheets take the
/// first free ids, and the output opens.
#[test]
fn a_workbook_with_a_hundred_thousand_relationships_is_patched() {
    let original = std::fs::read("samples/市民協働課.xlsx").unwrap();
    let mut parts = unzip(&original);
    let rels_name = "xl/_rels/workbook.xml.rels";
    let rels = String::from_utf8(parts[rels_name].clone()).unwrap();
    // The real relationships keep their ids with a prefix; the crafted ones take every rIdN.
    let rels = rels.replace("Id=\"rId", "Id=\"real");
    let wb = String::from_utf8(parts["xl/workbook.xml"].clone()).unwrap().replace("r:id=\"rId", "r:id=\"real");
    let crafted: String = (1..=100_000)
        .map(|n| format!("<Relationship Id=\"rId{n}\" Type=\"http://example.com/unused\" Target=\"unused{n}.xml\"/>"))
        .collect();
    let rels = rels.replace("</Relationships>", &format!("{crafted}</Relationships>"));
    parts.insert(rels_name.into(), rels.into_bytes());
    parts.insert("xl/workbook.xml".into(), wb.into_bytes());
    let mut ordered: Vec<(&str, Vec<u8>)> = vec![("[Content_Types].xml", parts["[Content_Types].xml"].clone())];
    ordered.extend(parts.iter().filter(|(n, _)| *n != "[Content_Types].xml").map(|(n, b)| (n.as_str(), b.clone())));
    let (_, patched) = check_patch(&zip_parts(&ordered), "市民協働課.xlsx");
    let out = unzip(&patched.bytes);
    let out_rels = String::from_utf8(out[rels_name].clone()).unwrap();
    assert!(out_rels.contains("Id=\"rId100001\""), "the first free id is taken");
    assert!(out_rels.contains("Id=\"rId100002\""));
}

/// `fix` scans a goal sheet for what its cells hold only when a fix asks, and a sheet that only
/// gets notes without its cells (jumping to `</sheetData>`): the corrected workbook is byte for
/// byte the one made by scanning every goal sheet first (`Patcher::holds`). Also with a comment
/// inside `<sheetData>` that hides a `</sheetData>`, where the jump must not be taken.
#[test]
fn reading_cells_only_when_asked_writes_the_same_workbook() {
    use goalsheet::fix::fix_file;
    use goalsheet::rules::{check_document, CheckOptions};
    let check = |d: &goalsheet::model::Document| check_document(d, &CheckOptions::default());
    let mut inputs: Vec<(String, Vec<u8>)> =
        vec![("広聴相談課.xlsx".into(), xlsxwriter_book()), ("財政課.xlsm".into(), handwritten_xlsm())];
    for e in std::fs::read_dir("samples").unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "xlsx") {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let bytes = std::fs::read(&p).unwrap();
            let mut parts = unzip(&bytes);
            let sheet = String::from_utf8(parts["xl/worksheets/sheet1.xml"].clone()).unwrap();
            let hidden = sheet.replacen("<sheetData>", "<sheetData><!-- </sheetData> -->", 1);
            parts.insert("xl/worksheets/sheet1.xml".into(), hidden.into_bytes());
            let mut ordered: Vec<(&str, Vec<u8>)> = vec![("[Content_Types].xml", parts["[Content_Types].xml"].clone())];
            ordered.extend(
                parts.iter().filter(|(n, _)| *n != "[Content_Types].xml").map(|(n, b)| (n.as_str(), b.clone())),
            );
            inputs.push((format!("comment-{name}"), zip_parts(&ordered)));
            inputs.push((name, bytes));
        }
    }
    let mut with_notes = 0;
    for (name, bytes) in &inputs {
        for opts in [FixOptions::default(), FixOptions { unsafe_fixes: true }] {
            let (_, eager) = patch_bytes_with(bytes, name, opts, Lang::Ja);
            let doc = read_bytes(bytes, name).unwrap();
            let (_, lazy) = fix_file(bytes, doc, name, opts, check).unwrap().into_bytes(name, Lang::Ja).unwrap();
            assert!(lazy == eager.bytes, "{name}, {opts:?}");
            let sheet = String::from_utf8_lossy(&unzip(&lazy)["xl/worksheets/sheet1.xml"]).into_owned();
            if sheet.contains("<legacyDrawing") {
                with_notes += 1;
                if name.starts_with("comment-") {
                    assert!(sheet.contains("<sheetData><!-- </sheetData> -->"), "{name}: the comment is kept");
                }
            }
        }
    }
    assert!(inputs.len() >= 16 && with_notes >= 8, "{} inputs, {with_notes} outputs with notes", inputs.len());
}

/// `bytes` with every SpreadsheetML part's elements carried by the prefix `x:` (as the Open
/// XML SDK writes them): `<x:worksheet xmlns:x="…main">`, `<x:c>`, `</x:c>`.
pub fn with_main_prefix(bytes: &[u8]) -> Vec<u8> {
    const MAIN: &str = r#"xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main""#;
    rezip(bytes, |_, data| {
        let text = String::from_utf8(data.clone()).unwrap_or_default();
        let root_end = text.find("?>").map_or(0, |i| i + 2);
        let root = &text[root_end..text[root_end..].find('>').map_or(root_end, |i| root_end + i)];
        if !root.contains(MAIN) || text.matches("xmlns=\"").count() != 1 {
            return Some(data);
        }
        // An element name without a prefix gets `x:`, after `<` or `</`.
        let mut out = String::new();
        let mut rest = text.as_str();
        while let Some(i) = rest.find('<') {
            out.push_str(&rest[..=i]);
            rest = &rest[i + 1..];
            let slash = rest.starts_with('/');
            if slash {
                out.push('/');
                rest = &rest[1..];
            }
            let name_len = rest.find(|c: char| !(c.is_alphanumeric() || c == ':' || c == '_')).unwrap_or(0);
            if name_len > 0 && !rest[..name_len].contains(':') && rest.starts_with(|c: char| c.is_alphabetic()) {
                out.push_str("x:");
            }
        }
        out.push_str(rest);
        Some(out.replacen(MAIN, &MAIN.replace("xmlns=", "xmlns:x="), 1).into_bytes())
    })
}

/// A workbook whose SpreadsheetML parts carry their namespace by a prefix, as the Open XML SDK
/// writes them (`<x:worksheet>`, `<x:c>`): `fix` refused it as damaged ("open it in Excel and
/// save it again"), though it is valid and `check` read it. The parts the patch edits are now
/// read with that namespace as the default one, so the patch's unprefixed elements belong to
/// it; every other part stays as it was, and the fixes are those of the unprefixed workbook.
#[test]
fn a_workbook_with_prefixed_spreadsheetml_is_patched() {
    let plain = xlsxwriter_book();
    let input = with_main_prefix(&plain);
    let before = unzip(&input);
    let goal_part = sheet_parts(&unzip(&plain))["広聴相談課"].clone();
    assert!(String::from_utf8_lossy(&before[&goal_part]).contains("<x:sheetData>"), "the input is prefixed");
    assert!(String::from_utf8_lossy(&before["xl/styles.xml"]).starts_with("<?xml"), "a well-formed part");

    let name = "接頭辞.xlsx";
    let (fixed, patched) = patch_bytes(&input, name);
    let (plain_fixed, _) = patch_bytes(&plain, name);
    let edits =
        |f: &Fixed| f.applied.iter().map(|e| (e.code, e.cell, e.before.clone(), e.after.clone())).collect::<Vec<_>>();
    assert!(!fixed.applied.is_empty());
    assert_eq!(edits(&fixed), edits(&plain_fixed), "the same fixes as without the prefix");

    // Parts the fixes do not need are byte-identical, prefixes and all.
    let after = unzip(&patched.bytes);
    let goal_parts = BTreeSet::from([goal_part.clone()]);
    for (part, bytes) in &before {
        let out = after.get(part).unwrap_or_else(|| panic!("{part} dropped"));
        if !may_change(part, &goal_parts) {
            assert!(out == bytes, "{part} changed");
        }
    }
    // Every cell not fixed keeps its value, type and style index.
    let fixed_cells: BTreeSet<String> = fixed.applied.iter().filter_map(|e| e.cell.map(|c| c.to_string())).collect();
    let (c0, c1) = (xml_cells(&before[&goal_part]), xml_cells(&after[&goal_part]));
    for (r, cell) in c0.iter().filter(|(r, _)| !fixed_cells.contains(*r)) {
        assert_eq!(c1.get(r), Some(cell), "{r} changed");
    }
    // Every part reads with a namespace-aware reader; calamine and goalsheet read it back.
    for (part, bytes) in after.iter().filter(|(p, _)| p.ends_with(".xml") || p.ends_with(".vml")) {
        namespaces_resolve(bytes).unwrap_or_else(|e| panic!("{part}: {e}"));
    }
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(patched.bytes.clone())).expect("calamine opens");
    for n in book.sheet_names() {
        book.worksheet_range(&n).unwrap_or_else(|e| panic!("calamine reads {n}: {e}"));
    }
    let again = read_bytes(&patched.bytes, name).expect("goalsheet reads it back");
    for e in &fixed.applied {
        assert_eq!(e.location.value(&again), e.location.value(&fixed.document), "{:?}", e.location);
    }
    // Fixing it again changes nothing, not one byte.
    let (fixed2, twice) = patch_bytes(&patched.bytes, "接頭辞.corrected.xlsx");
    assert!(fixed2.applied.is_empty() && twice.unchanged && twice.bytes == patched.bytes);
}

/// A Strict Open XML workbook (Excel's "Strict Open XML Spreadsheet": every namespace named
/// differently) was refused by `fix` as damaged, "open it in Excel and save it again", which
/// would save it as Strict again. `check` reads it; `fix` says what it is and how to save it
/// so that it can be fixed, and writes nothing.
#[test]
fn a_strict_open_xml_workbook_is_refused_with_what_to_do() {
    let strict = rezip(&xlsxwriter_book(), |_, data| {
        let text = String::from_utf8_lossy(&data)
            .replace(
                "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                "http://purl.oclc.org/ooxml/spreadsheetml/main",
            )
            .replace(
                "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
                "http://purl.oclc.org/ooxml/officeDocument/relationships",
            );
        Some(if data.starts_with(b"<") || data.starts_with(b"\xef\xbb\xbf") { text.into_bytes() } else { data })
    });
    let doc = read_bytes(&strict, "厳格.xlsx").expect("check reads Strict Open XML");
    assert!(!doc.sheets.is_empty());
    let e = goalsheet::fix::patch::Patcher::open(&strict).err().expect("not patched");
    assert!(matches!(e.kind, goalsheet::ErrorKind::StrictOpenXml), "{e}");

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("厳格.xlsx");
    std::fs::write(&path, &strict).unwrap();
    let out = Command::cargo_bin("goalsheet").unwrap().args(["--lang", "ja", "fix"]).arg(&path).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("Strict Open XML") && stderr.contains("「Excel ブック (*.xlsx)」"), "{stderr}");
    assert!(!stderr.contains("壊れて"), "not called damaged: {stderr}");
    assert!(!dir.path().join("厳格.corrected.xlsx").exists(), "nothing written");
}

/// A workbook without a style sheet (the part is optional; programs other than Excel leave it
/// out) was refused as damaged, "no styles part". It gets Excel's minimal style sheet, to which
/// the highlights and the added sheets' formats are appended, related from the workbook and
/// declared in the content types.
#[test]
fn a_workbook_without_a_style_sheet_gets_one() {
    let input = rezip(&goal_sheet_xlsx(&defective(), &Drift::default()), |name, data| {
        let text = String::from_utf8_lossy(&data).into_owned();
        Some(match name {
            "xl/styles.xml" => return None,
            "[Content_Types].xml" | "xl/_rels/workbook.xml.rels" => {
                let at = text.find("styles.xml").expect("the style sheet is named");
                let (start, end) = (text[..at].rfind('<').unwrap(), at + text[at..].find('>').unwrap() + 1);
                format!("{}{}", &text[..start], &text[end..]).into_bytes()
            }
            n if n.starts_with("xl/worksheets/") => {
                let mut out = text.clone();
                while let Some(i) = out.find(" s=\"") {
                    let end = i + 4 + out[i + 4..].find('"').unwrap() + 1;
                    out.replace_range(i..end, "");
                }
                out.into_bytes()
            }
            _ => data,
        })
    });
    assert!(!unzip(&input).contains_key("xl/styles.xml"));

    let (fixed, patched) = patch_bytes(&input, "様式なし.xlsx");
    assert!(fixed.applied.iter().any(|e| e.code == "GS301"), "{:?}", fixed.applied);
    let after = unzip(&patched.bytes);
    let styles = String::from_utf8_lossy(&after["xl/styles.xml"]).into_owned();
    assert!(
        styles.contains(r#"<cellXfs count=""#) && !styles.contains(r#"<cellXfs count="1">"#),
        "appended to: {styles}"
    );
    assert!(String::from_utf8_lossy(&after["xl/_rels/workbook.xml.rels"]).contains(r#"/styles" Target="styles.xml""#));
    assert!(String::from_utf8_lossy(&after["[Content_Types].xml"]).contains(r#"PartName="/xl/styles.xml""#));
    let before = unzip(&input);
    for (part, bytes) in &after {
        if before.get(part) != Some(bytes) && [".xml", ".vml", ".rels"].iter().any(|x| part.ends_with(x)) {
            namespaces_resolve(bytes).unwrap_or_else(|e| panic!("{part}: {e}"));
        }
    }
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(patched.bytes.clone())).expect("calamine opens");
    for n in book.sheet_names() {
        book.worksheet_range(&n).unwrap_or_else(|e| panic!("calamine reads {n}: {e}"));
    }
    let again = read_bytes(&patched.bytes, "様式なし.xlsx").expect("goalsheet reads it back");
    for e in &fixed.applied {
        assert_eq!(e.location.value(&again), e.location.value(&fixed.document), "{:?}", e.location);
    }
    let (fixed2, twice) = patch_bytes(&patched.bytes, "様式なし.corrected.xlsx");
    assert!(fixed2.applied.is_empty() && twice.unchanged && twice.bytes == patched.bytes);
}

/// 取組名称 merged over two indicator rows (G10:G11 in the sample) is one cell: a stray space
/// in it is one finding, one fix and one row of 修正履歴, and both rows read the fixed text.
#[test]
fn a_cell_merged_over_two_indicator_rows_is_reported_and_fixed_once() {
    let input = sample_edited(|name, text| match name {
        "xl/sharedStrings.xml" => text.replace(
            "<si><t>コールセンター事業の運用</t></si>",
            "<si><t xml:space=\"preserve\">コールセンター事業の運用　</t></si>",
        ),
        _ => text,
    });
    let doc = read_bytes(&input, "広聴相談課.xlsx").unwrap();
    let entry = &doc.sheets[0].entries[1];
    assert_eq!(entry.indicators[1].cells.get(Field::Initiative), CellRef::parse("G10"), "the fixture took");
    let findings = goalsheet::rules::check_document(&doc, &Default::default());
    let at_g10: Vec<&str> = findings
        .iter()
        .filter(|f| f.location.cell(&doc).is_some_and(|c| c.to_string() == "G10"))
        .map(|f| f.code)
        .collect();
    assert_eq!(at_g10, ["GS601"], "one finding for one cell");

    let (fixed, patched) = check_patch(&input, "広聴相談課.xlsx");
    let g10: Vec<_> = fixed.applied.iter().filter(|e| e.cell.is_some_and(|c| c.to_string() == "G10")).collect();
    assert_eq!(g10.len(), 1, "one fix: {:?}", fixed.applied);
    let ind = &fixed.document.sheets[0].entries[1].indicators;
    assert_eq!(
        (ind[0].initiative.as_str(), ind[1].initiative.as_str()),
        ("コールセンター事業の運用", "コールセンター事業の運用")
    );
    assert!(fixed.remaining.iter().all(|f| f.code != "GS601"), "{:?}", fixed.remaining);
    let mut book: calamine::Xlsx<_> = calamine::Xlsx::new(Cursor::new(patched.bytes)).unwrap();
    let log = book.worksheet_range(CHANGES_SHEET_NAME).unwrap();
    let rows: Vec<_> = crate::common::change_log_rows(&log).into_iter().filter(|r| r[2] == "G10").collect();
    assert_eq!(rows.len(), 1, "{rows:?}");
}

/// A cell merged over the columns of two fields (取組名称 and 概要 as one G12:H12) is read
/// into both: a stray space in it is one finding and one fix, and both fields read the fix.
#[test]
fn a_cell_merged_over_two_fields_is_reported_and_fixed_once() {
    let input = sample_edited(|name, text| {
        match name {
            "xl/sharedStrings.xml" => text.replace(
                "<si><t>コールセンター・粗大ごみ受付センターの両業務連携に向けた取り組みの実施</t></si>",
                "<si><t xml:space=\"preserve\">コールセンター・粗大ごみ受付センターの両業務連携に向けた取り組みの実施 </t></si>",
            ),
            "xl/worksheets/sheet1.xml" => text
                .replace("<c r=\"H12\" s=\"5\" t=\"s\"><v>57</v></c>", "<c r=\"H12\" s=\"5\"/>")
                .replace("<mergeCells count=\"27\">", "<mergeCells count=\"28\"><mergeCell ref=\"G12:H12\"/>"),
        _ => text,
    }
    });
    let doc = read_bytes(&input, "広聴相談課.xlsx").unwrap();
    let ind = &doc.sheets[0].entries[1].indicators[2];
    let g12 = CellRef::parse("G12");
    assert_eq!((ind.cells.get(Field::Initiative), ind.cells.get(Field::Summary)), (g12, g12), "the fixture took");
    let findings = goalsheet::rules::check_document(&doc, &Default::default());
    let at_g12: Vec<_> = findings.iter().filter(|f| f.location.cell(&doc) == g12).map(|f| f.code).collect();
    assert_eq!(at_g12, ["GS601"], "one finding for one cell");

    let (fixed, _) = check_patch(&input, "広聴相談課.xlsx");
    assert_eq!(fixed.applied.iter().filter(|e| e.cell == g12).count(), 1, "one fix: {:?}", fixed.applied);
    let ind = &fixed.document.sheets[0].entries[1].indicators[2];
    assert!(!ind.initiative.ends_with(' ') && ind.summary == ind.initiative, "{ind:?}");
}

/// A fix of a header value written in its label's cell (`作成日：R6.4.1`) is not made: the
/// patch writes a whole cell, and the label would go. It is listed as held, and the cell comes
/// back as it was.
#[test]
fn a_value_in_its_label_cell_is_never_written() {
    use goalsheet::finding::{Applicability, Edit, Finding, Fix, Location, Severity};
    use goalsheet::fix::{fix_file_with, read_for_fix};
    use goalsheet::lang::Msg;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    write_goal_sheet(ws, &sample(), &Drift::default());
    ws.write_string(0, 8, "作成日：R6.4.1").unwrap();
    ws.clear_cell(0, 9);
    let bytes = wb.save_to_buffer().unwrap();
    let name = "課.xlsx";
    let (doc, parts) = read_for_fix(std::path::Path::new(name), &bytes, name).unwrap();
    assert_eq!(doc.sheets[0].created, "R6.4.1");
    // A rule proposing a safe edit of the date (none does today; the hold is what is tested).
    let check = |d: &goalsheet::model::Document| {
        if d.sheets[0].created != "R6.4.1" {
            return Vec::new();
        }
        let location = Location::sheet(0, Field::Created);
        vec![Finding {
            code: "GS403",
            severity: Severity::Error,
            message: Msg::new("日付", "date"),
            help: None,
            location: location.clone(),
            span: None,
            label: None,
            related: Vec::new(),
            fix: Some(Fix {
                held: None,
                applicability: Applicability::Safe,
                message: Msg::new("直す", "correct it"),
                edits: vec![Edit { location, before: "R6.4.1".into(), after: "R6.4.2".into() }],
            }),
        }]
    };
    let fixed = fix_file_with(&bytes, doc, parts, name, FixOptions::default(), check).unwrap();
    let (fixed, out) = fixed.into_bytes(name, Lang::Ja).unwrap();
    // (評価日 beside it, a date typed as text in its own cell, becomes a date cell as ever.)
    assert!(fixed.applied.iter().all(|e| e.location.field != Field::Created), "{:?}", fixed.applied);
    assert_eq!(fixed.held.iter().map(|h| h.hold).collect::<Vec<_>>(), vec![Hold::InLabelCell]);
    let back = read_bytes(&out, name).unwrap();
    assert_eq!(back.sheets[0].created, "R6.4.1");
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(out)).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    assert_eq!(range.get_value((0, 8)), Some(&Data::String("作成日：R6.4.1".into())), "the label stays");
}

/// `bytes` with its `cellXfs` padded with plain formats to `total`.
fn with_cell_formats(bytes: &[u8], total: usize) -> Vec<u8> {
    rezip(bytes, |name, data| {
        if name != "xl/styles.xml" {
            return Some(data);
        }
        let s = String::from_utf8(data).unwrap();
        let have = list_inside(&s, "cellXfs").matches("<xf ").count();
        let pad = "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>".repeat(total - have);
        let s = s.replacen("</cellXfs>", &format!("{pad}</cellXfs>"), 1);
        let s = s.replacen(&format!("<cellXfs count=\"{have}\""), &format!("<cellXfs count=\"{total}\""), 1);
        Some(s.into_bytes())
    })
}

/// A workbook copied from year to year collects cell formats until it has the most Excel
/// shows (64,000; past them Excel drops formatting with a warning). Fixing it adds none: the
/// text fixes are made and their cells keep their own format (no colour), the added sheets
/// are plain, and 修正履歴 and the console say why nothing is coloured. A date typed as text
/// becomes a date cell in a format of the workbook that shows dates; with none, it stays text
/// and the fix says why. One format short of the limit, one is added, and no more.
#[test]
fn a_workbook_at_excels_limit_of_cell_formats_gets_no_format_past_it() {
    use goalsheet::fix::patch::MOST_CELL_FORMATS;
    use goalsheet::fix::Hold;
    let plain = goal_sheet_xlsx(&defective(), &Drift::default());
    // The same workbook with a date format among its formats (the fixture has none).
    let with_date = rezip(&plain, |name, data| {
        let s = String::from_utf8(data).unwrap();
        Some(if name == "xl/styles.xml" { s.replacen("</cellXfs>", "<xf numFmtId=\"14\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/></cellXfs>", 1) } else { s }.into_bytes())
    });
    for (input, dates_shown) in [
        (with_cell_formats(&plain, MOST_CELL_FORMATS), false),
        (with_cell_formats(&with_date, MOST_CELL_FORMATS), true),
    ] {
        let in_cells = xml_cells(&unzip(&input)["xl/worksheets/sheet1.xml"]);
        for lang in [Lang::Ja, Lang::En] {
            let (fixed, bytes) = fixed_file(&input, lang);
            let codes: BTreeSet<&str> = fixed.applied.iter().map(|e| e.code).collect();
            assert!(codes.contains("GS301") && codes.contains("GS204"), "{codes:?}");
            assert_eq!(codes.contains("GS408"), dates_shown, "{codes:?}");
            let held: Vec<Hold> = fixed.held.iter().map(|h| h.hold).collect();
            assert_eq!(held.contains(&Hold::NoDateFormat), !dates_shown, "{held:?}");
            assert!(fixed.unhighlighted);
            let parts = unzip(&bytes);
            let styles = String::from_utf8_lossy(&parts["xl/styles.xml"]).into_owned();
            let xfs: Vec<&str> = list_inside(&styles, "cellXfs").split("<xf ").skip(1).collect();
            assert_eq!(xfs.len(), MOST_CELL_FORMATS, "no cell format added");
            let out_cells = xml_cells(&parts["xl/worksheets/sheet1.xml"]);
            for e in &fixed.applied {
                let cell = e.cell.unwrap().to_string();
                let (before, after) = (&in_cells[&cell], &out_cells[&cell]);
                if e.code == "GS408" {
                    let s: usize = after.s.as_deref().unwrap().parse().unwrap();
                    assert!(xfs[s].contains("numFmtId=\"14\"") && after.t.is_none(), "{cell} a date: {after:?}");
                } else {
                    assert_eq!(after.s, before.s, "{cell} keeps its own format");
                }
            }
            let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes.clone())).unwrap();
            let log = book.worksheet_range(CHANGES_SHEET_NAME).unwrap();
            let said = goalsheet::fix::log::unhighlighted(lang);
            assert!(
                log.rows().any(|r| r.iter().any(|c| matches!(c, calamine::Data::String(s) if s == said))),
                "修正履歴 says why"
            );
            assert_eq!(fixed.unhighlighted_message().map(|m| m.get(lang).to_string()), Some(said.to_string()));
        }
    }
    let below = with_cell_formats(&plain, MOST_CELL_FORMATS - 1);
    let (fixed, bytes) = fixed_file(&below, Lang::Ja);
    assert!(fixed.applied.iter().any(|e| e.code == "GS408"), "room for the date's format");
    assert!(fixed.unhighlighted, "and none for the highlights");
    let styles = String::from_utf8_lossy(&unzip(&bytes)["xl/styles.xml"]).into_owned();
    assert_eq!(list_inside(&styles, "cellXfs").matches("<xf ").count(), MOST_CELL_FORMATS);
}

/// `input` fixed as `goalsheet fix` and the page fix it (`fix::fix_file_with`), in `lang`.
fn fixed_file(input: &[u8], lang: Lang) -> (goalsheet::fix::Fixed, Vec<u8>) {
    try_fix_file(input, lang).unwrap_or_else(|e| panic!("{}", e.render(Lang::En)))
}

/// Fixing the corrected workbook `out` again makes no change and gives it back byte for byte
/// (issue 13.5).
fn assert_fixes_to_itself(out: &[u8]) {
    let (again, out_again) = fixed_file(out, Lang::En);
    assert!(again.applied.is_empty(), "{:?}", again.applied);
    assert!(out_again == out, "fixing the corrected workbook again changed it");
}

/// [`fixed_file`], or the error that refused the input.
fn try_fix_file(input: &[u8], lang: Lang) -> goalsheet::Result<(goalsheet::fix::Fixed, Vec<u8>)> {
    use goalsheet::fix::{fix_file_with, read_for_fix};
    use goalsheet::rules::{check_document, CheckOptions};
    let check = |d: &goalsheet::Document| check_document(d, &CheckOptions::default());
    let (doc, parts) = read_for_fix(std::path::Path::new("課.xlsx"), input, "課.xlsx")?;
    fix_file_with(input, doc, parts, "課.xlsx", FixOptions::default(), check)?.into_bytes("課.xlsx", lang)
}

/// A style sheet damaged inside a list the patch does not touch (here a border's element name
/// is bytes that are not UTF-8) is read, as the reader reads it, and kept byte for byte: the
/// fix does not refuse, repair or rewrite what it does not change. (Found by the `fix` fuzz
/// target: the debug builds' check that the fast read agrees with quick-xml panicked.)
#[test]
fn damage_in_a_style_list_the_patch_skips_is_kept_as_it_is() {
    let damaged = b"<\x94\x9a\x99\x8b\xdf\x8c\x8b\x8ele=\"thin\">";
    let sample = std::fs::read(crate::common::repo("samples/市民生活課.xlsx")).unwrap();
    let input = rezip(&sample, |name, data| {
        if name != "xl/styles.xml" {
            return Some(data);
        }
        let at = data.windows(19).position(|w| w == b"<left style=\"thin\">").expect("a thin left border");
        Some([&data[..at], &damaged[..], &data[at + 19..]].concat())
    });
    let (fixed, bytes) = fixed_file(&input, Lang::Ja);
    assert!(fixed.applied.iter().any(|e| e.code == "GS204"), "{:?}", fixed.applied);
    let styles = &unzip(&bytes)["xl/styles.xml"];
    assert!(styles.windows(damaged.len()).any(|w| w == damaged), "the damaged bytes are kept");
    goalsheet::read::read_bytes(&bytes, "市民生活課.corrected.xlsx").expect("reads back");
}

/// A sheet whose XML closes its root with another element's end tag (`<headerFooter>` typed
/// over, its `</headerFooter>` left) is refused by the patch as damaged, naming the part: the
/// fix built on it wrote a `<legacyDrawing>` after that tag, a workbook it then refused to fix
/// again (found by the `fix` fuzz target). `check` still reads it.
#[test]
fn a_sheet_closed_by_a_stray_end_tag_is_refused_not_built_on() {
    let sample = std::fs::read(crate::common::repo("samples/市民生活課.xlsx")).unwrap();
    let input = rezip(&sample, |name, data| {
        let s = String::from_utf8(data).unwrap();
        Some(
            if name == "xl/worksheets/sheet1.xml" { s.replacen("<headerFooter>", "BheaderFooter>", 1) } else { s }
                .into_bytes(),
        )
    });
    let doc = goalsheet::read::read_bytes(&input, "課.xlsx").expect("check reads it");
    assert!(!doc.sheets.is_empty());
    let fixed = try_fix_file(&input, Lang::En);
    let message = fixed.map(|_| ()).expect_err("refused").render(Lang::En);
    assert!(message.contains("sheet1.xml") && message.contains("</headerFooter>"), "{message}");
}

/// A style sheet whose font 0 is damaged (`<sz val="10">` never closed) reads, but the bold font of
/// the added sheets' headers is made from font 0: the copy carried the damage into a font the
/// patch adds, and in the fuzzer's workbook the corrected workbook no longer read. The fix is
/// refused as damaged, naming the part, rather than spreading it (found by the `fix` fuzz
/// target).
#[test]
fn a_damaged_font_is_not_copied_into_the_corrected_workbook() {
    let sample = std::fs::read(crate::common::repo("samples/市民生活課.xlsx")).unwrap();
    let input = rezip(&sample, |name, data| {
        let s = String::from_utf8(data).unwrap();
        Some(
            if name == "xl/styles.xml" { s.replacen("<sz val=\"10\"/>", "<sz val=\"10\">", 1) } else { s }.into_bytes(),
        )
    });
    goalsheet::read::read_bytes(&input, "課.xlsx").expect("check reads it");
    let fixed = try_fix_file(&input, Lang::En);
    match fixed {
        Ok((_, out)) => {
            panic!("fixed, and reads back: {:?}", goalsheet::read::read_bytes(&out, "課.corrected.xlsx").map(|_| ()))
        }
        Err(e) => assert!(e.render(Lang::En).contains("styles.xml: font 0 is damaged"), "{}", e.render(Lang::En)),
    }
}

/// XML parts may start with a byte order mark (.NET's XML writers add one); quick-xml's
/// positions do not count it, and every edit the patch placed by them landed three bytes early:
/// the content types, the workbook, the shared strings and app.xml of the corrected workbook
/// were damaged, and it did not read (found by the `fix` fuzz target). Such parts are patched
/// as any other now (written without the mark when they change).
#[test]
fn parts_starting_with_a_byte_order_mark_are_patched_in_the_right_place() {
    let sample = std::fs::read(crate::common::repo("samples/市民生活課.xlsx")).unwrap();
    let input = rezip(&sample, |name, data| {
        Some(if name.ends_with(".xml") || name.ends_with(".rels") {
            [&b"\xEF\xBB\xBF"[..], &data].concat()
        } else {
            data
        })
    });
    // A UTF-16 mark before UTF-8 text (the fuzzer's): read as the UTF-8 it is, patched in place.
    let utf16_marked = rezip(&sample, |name, data| {
        Some(if name == "xl/styles.xml" { [&b"\xFF\xFE"[..], &data].concat() } else { data })
    });
    if goalsheet::read::read_bytes(&utf16_marked, "課.xlsx").is_ok() {
        let bytes = fixed_file(&utf16_marked, Lang::Ja).1;
        namespaces_resolve(&unzip(&bytes)["xl/styles.xml"]).expect("styles.xml well-formed");
    }
    let (fixed, bytes) = fixed_file(&input, Lang::Ja);
    assert!(fixed.applied.iter().any(|e| e.code == "GS204"));
    for (name, part) in unzip(&bytes) {
        if name.ends_with(".xml") || name.ends_with(".rels") || name.ends_with(".vml") {
            namespaces_resolve(&part).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }
    let back = goalsheet::read::read_bytes(&bytes, "市民生活課.corrected.xlsx").expect("reads back");
    let results: Vec<&str> =
        back.sheets[0].entries.iter().flat_map(|e| e.indicators.iter().map(|i| i.result.as_str())).collect();
    assert!(results.contains(&"1回") && !results.contains(&"１回"), "{results:?}");
}

/// A shared string whose run properties are damaged (`<b>` never closed) reads, but copying
/// them into the fixed cell's runs would damage the sheet it is written into: the fixed cell is
/// written as plain text instead, and the sheet stays well-formed.
#[test]
fn damaged_run_properties_are_not_copied_into_a_fixed_cell() {
    let damaged = "<rPr><b><sz val=\"11\"/><color rgb=\"FFFF0000\"/></rPr>";
    let input = rezip(&with_rich_text(), |name, data| {
        let s = String::from_utf8(data).unwrap();
        Some(if name == "xl/sharedStrings.xml" { s.replacen(RED_BOLD, damaged, 1) } else { s }.into_bytes())
    });
    assert!(String::from_utf8_lossy(&unzip(&input)["xl/sharedStrings.xml"]).contains(damaged), "the fixture took");
    let (fixed, bytes) = fixed_file(&input, Lang::Ja);
    assert!(fixed.applied.iter().any(|e| e.code == "GS601"), "{:?}", fixed.applied);
    let sheet = &unzip(&bytes)["xl/worksheets/sheet1.xml"];
    assert!(!String::from_utf8_lossy(sheet).contains(damaged), "the damage is not copied");
    namespaces_resolve(sheet).expect("the sheet is well-formed");
    goalsheet::read::read_bytes(&bytes, "広聴相談課.corrected.xlsx").expect("reads back");
}

/// A sheet's relationships part cut short (no `</Relationships>`) still names its comments,
/// but when the patch added a VML drawing for the notes it wrote the part anew with that one
/// relationship: the comments' relationship was dropped, the notes went to a drawing with no
/// comments behind it, and fixing the corrected workbook again added a second comments part.
/// Such a part is damaged as the content types or the workbook without their end tags are:
/// the fix is refused, naming it (found by the `fix_package` fuzz target).
#[test]
fn a_relationships_part_cut_short_is_refused_not_replaced() {
    const COMMENTS_REL: &str = r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="../comments1.xml"/>"#;
    let rels = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{COMMENTS_REL}"#
    );
    let comments = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><authors><author>課長</author></authors><commentList><comment ref="A1" authorId="0"><text><t>様式番号</t></text></comment></commentList></comments>"#;
    let sample = std::fs::read(crate::common::repo("samples/男女共同参画課.xlsx")).unwrap();
    let mut parts: Vec<(String, Vec<u8>)> = unzip(&sample).into_iter().collect();
    for (name, data) in &mut parts {
        if name == "[Content_Types].xml" {
            let ct = r#"<Override PartName="/xl/comments1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"/></Types>"#;
            *data = String::from_utf8(data.clone()).unwrap().replace("</Types>", ct).into_bytes();
        }
    }
    parts.push(("xl/worksheets/_rels/sheet1.xml.rels".into(), rels.clone().into_bytes()));
    parts.push(("xl/comments1.xml".into(), comments.as_bytes().to_vec()));
    let refs: Vec<(&str, Vec<u8>)> = parts.iter().map(|(n, d)| (n.as_str(), d.clone())).collect();
    let input = zip_parts(&refs);
    goalsheet::read::read_bytes(&input, "課.xlsx").expect("check reads it");
    match try_fix_file(&input, Lang::En) {
        Ok((_, out)) => {
            let rels = String::from_utf8(unzip(&out)["xl/worksheets/_rels/sheet1.xml.rels"].clone()).unwrap();
            panic!(
                "fixed, the comments' relationship {}: {rels}",
                if rels.contains(COMMENTS_REL) { "kept" } else { "lost" }
            )
        }
        Err(e) => {
            let message = e.render(Lang::En);
            assert!(message.contains("sheet1.xml.rels") && message.contains("damaged"), "{message}");
        }
    }
    // Whole, the same part is built on.
    let whole = format!("{rels}</Relationships>");
    let input = rezip(&input, |name, data| {
        Some(if name == "xl/worksheets/_rels/sheet1.xml.rels" { whole.clone().into_bytes() } else { data })
    });
    let (_, out) = fixed_file(&input, Lang::En);
    let rels = String::from_utf8(unzip(&out)["xl/worksheets/_rels/sheet1.xml.rels"].clone()).unwrap();
    assert!(rels.contains(COMMENTS_REL) && rels.contains("vmlDrawing"), "{rels}");
}

/// A workbook part with a second list of sheets, or whose tags do not pair up, had the added
/// sheets put in the last list, which neither Excel nor the reader goes by: the next fix did
/// not see them and added 修正履歴 (2) and 検証結果 (2). Refused as damaged, naming the part
/// (found by the `fix_package` fuzz target, whose workbook had both defects).
#[test]
fn a_workbook_part_with_two_sheet_lists_or_unpaired_tags_is_refused() {
    let sample = std::fs::read(crate::common::repo("samples/男女共同参画課.xlsx")).unwrap();
    let edited = |from: &'static str, to: &'static str| {
        rezip(&sample, move |name, data| {
            let s = String::from_utf8(data).unwrap();
            Some(if name == "xl/workbook.xml" { s.replacen(from, to, 1) } else { s }.into_bytes())
        })
    };
    for (input, why) in [
        (edited("</sheets>", "</sheets><sheets></sheets>"), "more than one <sheets>"),
        (edited("</definedNames>", "</definedName>"), "its tags do not pair up"),
    ] {
        goalsheet::read::read_bytes(&input, "課.xlsx").expect("check reads it");
        match try_fix_file(&input, Lang::En) {
            Ok((_, out)) => {
                let wb = String::from_utf8(unzip(&out)["xl/workbook.xml"].clone()).unwrap();
                panic!("fixed ({why}): {wb}");
            }
            Err(e) => {
                let message = e.render(Lang::En);
                assert!(message.contains("xl/workbook.xml") && message.contains(why), "{message}");
            }
        }
    }
}

/// A table whose No. column lost its label and numbers still has its entries, and GS103's
/// fix ("fill in No. 1") has no cell to go in: it was listed as made (console, 修正履歴) and
/// not written, so every later fix made it again. It is now held, saying why, and fixing
/// the corrected workbook again changes nothing (found by the `fix` fuzz target, which
/// asks that of every input).
#[test]
fn a_fix_with_no_cell_to_write_is_held_not_claimed() {
    let sample = std::fs::read(crate::common::repo("samples/男女共同参画課.xlsx")).unwrap();
    let input = rezip(&sample, |name, data| {
        let mut s = String::from_utf8(data).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            s = s.replacen(r#"<c r="A6" s="2" t="s"><v>11</v></c>"#, r#"<c r="A6" s="2"/>"#, 1);
            for (row, no) in (8..=12).zip(1..) {
                s = s.replacen(
                    &format!(r#"<c r="A{row}" s="6"><v>{no}</v></c>"#),
                    &format!(r#"<c r="A{row}" s="6"/>"#),
                    1,
                );
            }
        }
        Some(s.into_bytes())
    });
    let (fixed, out) = fixed_file(&input, Lang::En);
    assert!(!fixed.applied.iter().any(|e| e.code == "GS103"), "{:?}", fixed.applied);
    assert!(fixed.applied.iter().any(|e| e.code == "GS204"), "the other fixes are made");
    let held: Vec<_> = fixed.held.iter().filter(|h| h.code == "GS103").collect();
    assert_eq!(held.len(), 1, "{:?}", fixed.held);
    assert_eq!(held[0].hold, goalsheet::fix::Hold::NoCell);
    assert!(held[0].hold.message().get(Lang::En).contains("no cell for this value"));
    assert_fixes_to_itself(&out);
}

/// A legend cell holding control characters (`_x0003_`, as Excel escapes them) was not read
/// as the legend: its row became an entry, with errors for its empty fields and GS603 for the
/// characters; GS603's fix cleaned the cell, and the corrected workbook then read the legend,
/// so its 検証結果 (written from the first reading) disagreed with a check of it, and the next
/// fix rewrote it (found by the `fix` fuzz target). Labels and legends are read as they show,
/// without invisible characters: the same findings as without them, and one fix only.
#[test]
fn a_legend_with_invisible_characters_is_read_as_the_legend() {
    let sample = std::fs::read(crate::common::repo("samples/男女共同参画課.xlsx")).unwrap();
    let input = rezip(&sample, |name, data| {
        let s = String::from_utf8(data).unwrap();
        Some(
            if name == "xl/sharedStrings.xml" {
                s.replacen("<t>○：達成", "<t>_x0003__x0003_○：達成\u{200B}", 1)
            } else {
                s
            }
            .into_bytes(),
        )
    });
    assert_ne!(input, rezip(&sample, |_, d| Some(d)), "the legend edited");
    let codes = |bytes: &[u8]| {
        let doc = goalsheet::read::read_bytes(bytes, "課.xlsx").expect("reads");
        let mut c: Vec<String> = goalsheet::rules::check_document(&doc, &goalsheet::rules::CheckOptions::default())
            .iter()
            .map(|f| format!("{} {:?}", f.code, f.location.cell(&doc)))
            .collect();
        c.sort();
        (doc.sheets[0].entries.len(), c)
    };
    assert_eq!(codes(&input), codes(&sample));
    let (_, out) = fixed_file(&input, Lang::En);
    assert_fixes_to_itself(&out);
}

/// A struck-through old figure beside the new one (見え消し), a zero-width space inside the old
/// one: GS603 removes it and the patch keeps the strike on the old figure's characters, but
/// the findings left after the fix quoted the struck part as it was before (with the space, no
/// longer in the value), so 検証結果 disagreed with a check of the corrected workbook and the
/// next fix rewrote it (found by the `fix` fuzz target, on a struck grade 〇 made ○). The
/// struck part now follows its characters through the fix as the runs do (`fix::carry`).
#[test]
fn a_struck_part_follows_its_characters_through_a_fix() {
    let looks = std::fs::read(crate::common::repo("tests/data/looks/広聴相談課-looks.xlsx")).unwrap();
    let input = rezip(&looks, |name, data| {
        let s = String::from_utf8(data).unwrap();
        Some(
            if name == "xl/worksheets/sheet1.xml" {
                s.replacen("<t>1,800件</t>", "<t>1,8\u{200B}00件</t>", 1)
            } else {
                s
            }
            .into_bytes(),
        )
    });
    let (fixed, out) = fixed_file(&input, Lang::En);
    assert!(fixed.applied.iter().any(|e| e.code == "GS603" && e.after == "1,800件 1,700件"), "{:?}", fixed.applied);
    let struck: Vec<_> = fixed.remaining.iter().filter(|f| f.code == "GS705").collect();
    let e13 = struck
        .iter()
        .find(|f| f.location.cell(&fixed.document).is_some_and(|c| c.to_string() == "E13"))
        .expect("GS705 at E13 remains");
    let value = e13.location.value(&fixed.document).unwrap();
    assert_eq!(e13.span.clone().map(|s| &value[s]), Some("1,800件"), "{}", e13.message.get(Lang::En));
    // As a check of the corrected workbook reads it, so fixing it again changes nothing.
    assert_fixes_to_itself(&out);
}

/// GS103's fix fills an empty No. cell with its number, written as a number; in a cell
/// formatted as a date, 2 showed as 1900/1/2, so the corrected workbook read a No. that is
/// not a number (GS105) while 検証結果 said nothing was left there (found by the `fix` fuzz
/// target). The number is written only where the cell's format shows it as the fix's text,
/// else the text is.
#[test]
fn a_number_goes_in_as_text_where_the_cells_format_would_show_it_otherwise() {
    let sample = std::fs::read(crate::common::repo("samples/男女共同参画課.xlsx")).unwrap();
    let mut date_xf = 0;
    let input = rezip(&sample, |name, data| {
        let mut s = String::from_utf8(data).unwrap();
        if name == "xl/styles.xml" {
            let at = s.find("<cellXfs count=\"").unwrap() + "<cellXfs count=\"".len();
            let end = at + s[at..].find('"').unwrap();
            date_xf = s[at..end].parse::<usize>().unwrap();
            s = format!("{}{}{}", &s[..at], date_xf + 1, &s[end..]);
            let xf =
                r#"<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>"#;
            s = s.replacen("</cellXfs>", xf, 1);
        }
        Some(s.into_bytes())
    });
    let input = rezip(&input, |name, data| {
        let s = String::from_utf8(data).unwrap();
        let empty_no = format!(r#"<c r="A9" s="{date_xf}"/>"#);
        Some(
            if name == "xl/worksheets/sheet1.xml" {
                s.replacen(r#"<c r="A9" s="6"><v>2</v></c>"#, &empty_no, 1)
            } else {
                s
            }
            .into_bytes(),
        )
    });
    let (fixed, out) = fixed_file(&input, Lang::En);
    assert!(fixed.applied.iter().any(|e| e.code == "GS103" && e.after == "2"), "{:?}", fixed.applied);
    let cells = xml_cells(&unzip(&out)["xl/worksheets/sheet1.xml"]);
    assert_eq!(cells["A9"].v.as_deref(), Some("2"));
    assert_eq!(cells["A9"].t.as_deref(), Some("inlineStr"), "written as text: {:?}", cells["A9"]);
    let doc = goalsheet::read::read_bytes(&out, "課.corrected.xlsx").unwrap();
    assert_eq!(doc.sheets[0].entries[1].no, "2");
    assert_fixes_to_itself(&out);
}

/// A row given twice in a sheet (or a cell): the reader read the first, the patch put the
/// fixed cell in the second, so the corrected workbook read the No. as still empty and the
/// next fix made it again (found by the `fix` fuzz target). Excel asks to repair such a
/// sheet; the fix is refused as damaged, naming the row or cell.
#[test]
fn a_row_or_cell_given_twice_is_refused() {
    let sample = std::fs::read(crate::common::repo("samples/男女共同参画課.xlsx")).unwrap();
    let sheet = String::from_utf8(unzip(&sample)["xl/worksheets/sheet1.xml"].clone()).unwrap();
    let row9 = {
        let at = sheet.find(r#"<row r="9""#).unwrap();
        let end = at + sheet[at..].find("</row>").unwrap() + "</row>".len();
        sheet[at..end].to_string()
    };
    let a9 = {
        let at = sheet.find(r#"<c r="A9""#).unwrap();
        let end = at + sheet[at..].find("</c>").unwrap() + "</c>".len();
        sheet[at..end].to_string()
    };
    for (edited, named) in [
        // The row's cells come twice too, and the first of them is named.
        (sheet.replacen(&row9, &format!("{row9}{row9}"), 1), "cell: A9 is given twice"),
        (sheet.replacen(&a9, &format!("{a9}{a9}"), 1), "cell: A9 is given twice"),
        (sheet.replacen(&row9, &format!("{row9}<row r=\"9\"/>"), 1), "row: 9 is given twice"),
    ] {
        let input = rezip(&sample, |name, data| {
            Some(if name == "xl/worksheets/sheet1.xml" { edited.clone().into_bytes() } else { data })
        });
        match try_fix_file(&input, Lang::En) {
            Ok(_) => panic!("fixed ({named})"),
            Err(e) => assert!(e.render(Lang::En).contains(named), "{}", e.render(Lang::En)),
        }
    }
}

/// A cell whose style is past the workbook's cell formats (`s="15"` with 8 formats) reads as
/// unstyled; the patch appends formats, after which the same `s` names one of them (in the
/// fuzzer's workbook, one with a struck font), so the corrected workbook read a finding the
/// division's did not have (found by the `fix` fuzz target). Refused as damaged, naming the
/// cell; within the formats, as before.
#[test]
fn a_cell_with_a_format_the_workbook_does_not_have_is_refused() {
    let sample = std::fs::read(crate::common::repo("samples/男女共同参画課.xlsx")).unwrap();
    let with_style = |s: &'static str| {
        rezip(&sample, move |name, data| {
            let text = String::from_utf8(data).unwrap();
            Some(
                if name == "xl/worksheets/sheet1.xml" {
                    text.replacen(r#"<c r="B9" s="5""#, &format!(r#"<c r="B9" s="{s}""#), 1)
                } else {
                    text
                }
                .into_bytes(),
            )
        })
    };
    match try_fix_file(&with_style("15"), Lang::En) {
        Ok(_) => panic!("fixed"),
        Err(e) => {
            assert!(e.render(Lang::En).contains("B9 has cell format 15; the workbook has 8"), "{}", e.render(Lang::En))
        }
    }
    fixed_file(&with_style("7"), Lang::En);
}

/// A sheet whose XML declaration is damaged (`encoding=` without its value, then another
/// declaration) was read, and patched; the corrected workbook, whose fixed cells the reader
/// reads another way, did not read at all (found by the `fix` fuzz target). Refused as
/// damaged, naming the part.
#[test]
fn a_sheet_with_a_damaged_xml_declaration_is_refused() {
    let sample = std::fs::read(crate::common::repo("samples/広聴相談課.xlsx")).unwrap();
    let input = rezip(&sample, |name, data| {
        let s = String::from_utf8(data).unwrap();
        Some(
            if name == "xl/worksheets/sheet1.xml" { format!("<?xml version=\"1.0\" encoding=\n{s}") } else { s }
                .into_bytes(),
        )
    });
    match try_fix_file(&input, Lang::En) {
        Ok((_, out)) => panic!(
            "fixed; the corrected workbook reads: {:?}",
            goalsheet::read::read_bytes(&out, "課.corrected.xlsx").map(|_| ())
        ),
        Err(e) => {
            let m = e.render(Lang::En);
            assert!(m.contains("sheet1.xml: XML declaration"), "{m}");
        }
    }
}

/// A cell inside an array formula's area (or a data table's) holds no `<f>` of its own: the
/// first cell of the area does, and Excel computes the others from it and shows them with
/// the formula. A fix wrote 856件 over the computed ８５６件 of F10 (Excel would compute
/// ８５６件 again; the console had counted a change); such cells are held as formulas now.
#[test]
fn a_cell_an_array_formula_computes_is_not_fixed() {
    for f in [
        r#"<f t="array" ref="F9:F10">{"３１８件";"８５６件"}</f>"#,
        r#"<f t="dataTable" ref="F9:F10" dt2D="0" dtr="0" r1="A1"/>"#,
        // The same with an entity in an attribute, which the sheet's fast scan leaves to quick-xml.
        r#"<f t="array" ref="F9:F10" aca="&#x30;">{"３１８件";"８５６件"}</f>"#,
    ] {
        let sample = std::fs::read(crate::common::repo("samples/市民協働課.xlsx")).unwrap();
        let input = rezip(&sample, |name, data| {
            if name != "xl/worksheets/sheet1.xml" {
                return Some(data);
            }
            let xml = String::from_utf8(data).unwrap();
            let f9 = r#"<c r="F9" s="6" t="s"><v>38</v></c>"#;
            let f10 = r#"<c r="F10" s="6" t="s"><v>48</v></c>"#;
            assert!(xml.contains(f9) && xml.contains(f10), "the sample's cells");
            let xml = xml
                .replace(f9, &format!(r#"<c r="F9" s="6" t="str">{f}<v>３１８件</v></c>"#))
                .replace(f10, r#"<c r="F10" s="6" t="str"><v>８５６件</v></c>"#);
            Some(xml.into_bytes())
        });
        let (fixed, out) = fixed_file(&input, Lang::En);
        let held: Vec<(String, Hold)> =
            fixed.held.iter().map(|h| (h.cell.map(|c| c.to_string()).unwrap_or_default(), h.hold)).collect();
        assert_eq!(held, [("F9".to_string(), Hold::Formula), ("F10".to_string(), Hold::Formula)], "{f}");
        assert!(fixed.applied.iter().all(|e| e.code != "GS204"), "{f}: {:?}", fixed.applied);
        let cells = xml_cells(&unzip(&out)["xl/worksheets/sheet1.xml"]);
        assert_eq!(cells["F10"].v.as_deref(), Some("８５６件"), "{f}");
        assert_fixes_to_itself(&out);
    }
}

/// A division that keeps a 修正履歴 (or 検証結果) sheet of its own: the fix's are added beside it
/// as `修正履歴 (2)`, and a fix of the corrected workbook took its own `(2)` for another
/// division sheet and added `修正履歴 (3)`, with every later fix another.
#[test]
fn the_divisions_own_change_log_sheet_is_kept_and_ours_found_again() {
    let mut wb = Workbook::new();
    write_goal_sheet(wb.add_worksheet(), &defective(), &Drift::default());
    let own = wb.add_worksheet().set_name(CHANGES_SHEET_NAME).unwrap();
    own.write_row(0, 0, ["日付", "修正者", "内容"]).unwrap();
    own.write_row(1, 0, ["2024/5/1", "山田", "目標値を修正"]).unwrap();
    wb.add_worksheet().set_name("検証結果").unwrap().write(0, 0, "課内の確認結果").unwrap();
    let input = wb.save_to_buffer().unwrap();

    let (fixed, out) = fixed_file(&input, Lang::En);
    assert!(!fixed.applied.is_empty());
    let book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(out.clone())).unwrap();
    let names = book.sheet_names();
    assert_eq!(names[1..], ["修正履歴", "検証結果", "修正履歴 (2)", "検証結果 (2)"], "{names:?}");
    let mut book = book;
    let own = book.worksheet_range(CHANGES_SHEET_NAME).unwrap();
    assert_eq!(own.get_value((1, 2)), Some(&Data::String("目標値を修正".into())), "the division's log as it was");
    assert_fixes_to_itself(&out);
}

/// `check` calls fixable what `fix` makes: a finding whose fix `fix` would hold (a formula's
/// result, a value in its label's cell) says why instead, and is not counted. Over the
/// producers' workbooks here, the findings `check` counts as fixable are those `fix` fixes.
#[test]
fn check_counts_as_fixable_what_fix_makes() {
    use goalsheet::finding::Applicability;
    use goalsheet::fix::mark_held;
    use goalsheet::rules::{check_document, CheckOptions};
    let mut label_cell = Workbook::new();
    let ws = label_cell.add_worksheet();
    write_goal_sheet(ws, &defective(), &Drift::default());
    // The value in its label's cell, with a zero-width space GS603 would take out.
    ws.write_string(0, 8, "作成日：R6.4\u{200b}.1").unwrap();
    ws.clear_cell(0, 9);
    // A grade 〇 in white on white.
    let mut invisible = Workbook::new();
    let ws = invisible.add_worksheet();
    write_goal_sheet(ws, &defective(), &Drift::default());
    let (row, col) = at(&Drift::default(), Drift::entry_row(&defective(), 0), official(Field::Grade));
    ws.write_string_with_format(row, col, "〇", &Format::new().set_font_color(0xFFFFFF)).unwrap();
    // A result whose format adds to its text, and a No. its format hides.
    let mut text_format = Workbook::new();
    let ws = text_format.add_worksheet();
    write_goal_sheet(ws, &defective(), &Drift::default());
    let (row, col) = at(&Drift::default(), Drift::entry_row(&defective(), 1), official(Field::Result));
    ws.write_string_with_format(row, col, "５４.７%", &Format::new().set_num_format("\"結果：\"@")).unwrap();
    let (row, col) = at(&Drift::default(), Drift::entry_row(&defective(), 2), official(Field::No));
    ws.write_string_with_format(row, col, "3", &Format::new().set_num_format(";;;")).unwrap();
    for (what, input, holds) in [
        ("rust_xlsxwriter", xlsxwriter_book(), 1),
        ("text its format adds to or hides", text_format.save_to_buffer().unwrap(), 2),
        ("hand-written .xlsm", handwritten_xlsm(), 0),
        ("value in its label's cell", label_cell.save_to_buffer().unwrap(), 1),
        ("text in its background's colour", invisible.save_to_buffer().unwrap(), 1),
    ] {
        let doc = read_bytes(&input, "課.xlsx").unwrap();
        let mut findings = check_document(&doc, &CheckOptions::default());
        mark_held(&doc, "課.xlsx", &mut findings);
        let fixable: BTreeSet<(&str, String)> = findings
            .iter()
            .filter(|f| f.fix.as_ref().is_some_and(|x| x.held.is_none() && x.applicability == Applicability::Safe))
            .map(|f| (f.code, format!("{:?}", f.location)))
            .collect();
        let held = findings
            .iter()
            .filter(|f| f.fix.as_ref().is_some_and(|x| x.held.is_some() && x.applicability == Applicability::Safe))
            .count();
        assert_eq!(held, holds, "{what}");
        let (fixed, _) = fixed_file(&input, Lang::En);
        let made: BTreeSet<(&str, String)> =
            fixed.applied.iter().map(|e| (e.code, format!("{:?}", e.location))).collect();
        assert_eq!(fixable, made, "{what}");
        assert_eq!(fixed.held.len(), held, "{what}");
    }
}

/// A cell whose number format adds text to its value (`"結果："@`) reads as it shows, so a
/// fix's text carried the addition: GS204 wrote 結果：54.7% into the cell, which then showed
/// 結果：結果：54.7%. One whose format hides its text (`;;;`) read as empty: GS103 filled its No.
/// in, still hidden, and every later fix filled it again. Both are held now.
#[test]
fn a_cell_whose_format_adds_to_or_hides_its_text_is_not_fixed() {
    let spec = sample();
    let d = Drift::default();
    for (entry, field, format, text, code) in
        [(0, Field::Result, r#""結果："@"#, "５４.７%", "GS204"), (1, Field::No, ";;;", "2", "GS103")]
    {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        write_goal_sheet(ws, &spec, &d);
        let (row, col) = at(&d, Drift::entry_row(&spec, entry), official(field));
        let at = CellRef::new(row, u32::from(col));
        let cell = at.to_string();
        let cell = cell.as_str();
        let fmt = Format::new().set_num_format(format);
        ws.write_string_with_format(row, col, text, &fmt).unwrap();
        let input = wb.save_to_buffer().unwrap();
        let (fixed, out) = fixed_file(&input, Lang::En);
        let held: Vec<(&str, Option<CellRef>, Hold)> = fixed.held.iter().map(|h| (h.code, h.cell, h.hold)).collect();
        assert_eq!(held, [(code, Some(at), Hold::TextFormat)], "{format}");
        assert!(fixed.applied.iter().all(|e| e.cell != Some(at)), "{format}: {:?}", fixed.applied);
        let before = xml_cells(&unzip(&input)["xl/worksheets/sheet1.xml"]);
        let after = xml_cells(&unzip(&out)["xl/worksheets/sheet1.xml"]);
        assert_eq!(after[cell], before[cell], "{format}: the cell as it was");
        assert_fixes_to_itself(&out);
    }
}

/// A fix must show. Into an empty cell whose text would be the colour of its background (the
/// fuzzer's style sheet made the default font white) a filled-in No. was read back as
/// invisible (GS704), which the first fix's findings had not said, so the next fix rewrote
/// them: such a fix is held. And a fixed cell whose light text shows on its own dark fill keeps
/// that fill rather than take the light highlight, on which its text would not show.
#[test]
fn a_fix_is_made_only_where_it_shows() {
    use goalsheet::rules::{check_document, CheckOptions};
    let spec = sample();
    let d = Drift::default();
    // The No. of entry 2 left empty, in white on white.
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    write_goal_sheet(ws, &spec, &d);
    let (row, col) = at(&d, Drift::entry_row(&spec, 1), official(Field::No));
    ws.write_blank(row, col, &Format::new().set_font_color(0xFFFFFF)).unwrap();
    let (fixed, out) = fixed_file(&wb.save_to_buffer().unwrap(), Lang::En);
    let held: Vec<(&str, Hold)> = fixed.held.iter().map(|h| (h.code, h.hold)).collect();
    assert_eq!(held, [("GS103", Hold::Invisible)]);
    assert_fixes_to_itself(&out);

    // A grade 〇 in pink on dark blue: fixed to ○ with an error left on it, whose highlight is
    // that pink; its fill kept.
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let mut graded = spec.clone();
    graded.entries[0].grade = "〇";
    write_goal_sheet(ws, &graded, &d);
    let (row, col) = at(&d, Drift::entry_row(&spec, 0), official(Field::Grade));
    let dark = Format::new().set_font_color(0xFFC7CE).set_background_color(0x1F4E79);
    ws.write_string_with_format(row, col, "〇", &dark).unwrap();
    let input = wb.save_to_buffer().unwrap();
    let (fixed, out) = fixed_file(&input, Lang::En);
    assert!(fixed.applied.iter().any(|e| e.code == "GS301"), "{:?}", fixed.applied);
    assert!(fixed.remaining.iter().any(|f| f.code == "GS303"), "an error left on the grade");
    let a1 = CellRef::new(row, u32::from(col)).to_string();
    let before = xml_cells(&unzip(&input)["xl/worksheets/sheet1.xml"]);
    let after = xml_cells(&unzip(&out)["xl/worksheets/sheet1.xml"]);
    assert_eq!(after[&a1].s, before[&a1].s, "the cell's own format, not the highlight");
    let back = read_bytes(&out, "課.xlsx").unwrap();
    let findings = check_document(&back, &CheckOptions::default());
    assert!(findings.iter().all(|f| f.code != "GS704"), "the fixed grade shows");
    assert_fixes_to_itself(&out);
}

/// A cell merged across two fields' columns is read as both (評価 and 目標達成状況 in one
/// cell, 〇 in it): writing the grade's fix would have made the status ○ too, a change nobody
/// asked for, and the next check found the status changed. Such a fix is held, and `check`
/// says so rather than count it as fixable.
#[test]
fn a_cell_read_as_two_fields_is_not_fixed() {
    use goalsheet::fix::mark_held;
    use goalsheet::rules::{check_document, CheckOptions};
    let spec = sample();
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    write_goal_sheet(ws, &spec, &Drift::default());
    let (row, col) = at(&Drift::default(), Drift::entry_row(&spec, 0), official(Field::Grade));
    ws.merge_range(row, col, row, col + 1, "〇", &Format::new()).unwrap();
    let input = book.save_to_buffer().unwrap();
    let doc = read_bytes(&input, "課.xlsx").unwrap();
    let entry = &doc.sheets[0].entries[0];
    assert_eq!((entry.grade.as_str(), entry.indicators[0].status.as_str()), ("〇", "〇"));
    let (fixed, bytes) = fixed_file(&input, Lang::En);
    let held: Vec<_> = fixed.held.iter().filter(|h| h.code == "GS301").collect();
    assert!(held.iter().any(|h| h.hold == Hold::SharedCell), "{:?}", fixed.held);
    assert!(!fixed.applied.iter().any(|e| e.code == "GS301" && e.location.entry == Some(0)), "{:?}", fixed.applied);
    let back = read_bytes(&bytes, "課.xlsx").unwrap();
    assert_eq!(back.sheets[0].entries[0].indicators[0].status, "〇", "the status is as it was");
    let mut findings = check_document(&doc, &CheckOptions::default());
    mark_held(&doc, "課.xlsx", &mut findings);
    let gs301 = findings.iter().find(|f| f.code == "GS301" && f.location.entry == Some(0)).unwrap();
    assert_eq!(gs301.fix.as_ref().and_then(|x| x.held.clone()), Some(Hold::SharedCell.message()));
}
