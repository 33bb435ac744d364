//! Helpers shared by the workbook tests: open written bytes with calamine, read parts of the
//! zip, compare checked-in artifacts (or rewrite them with `GOALSHEET_BLESS=1`).

use calamine::{Data, Range, Reader, Xlsx};
use goalsheet::address::{CellRange, CellRef};
use goalsheet::fix::patch::{Patched, Patcher};
use goalsheet::fix::{fix_document_holding, FixOptions, Fixed};
use goalsheet::layout;
use goalsheet::read::read_bytes;
use goalsheet::rules::{check_document, CheckOptions};
use goalsheet::Lang;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

pub type Book = Xlsx<Cursor<Vec<u8>>>;

/// The codes of the findings `goalsheet check --format json` makes of the file at `path`, in
/// its order.
pub fn finding_codes(path: &Path) -> Vec<String> {
    let out = assert_cmd::Command::cargo_bin("goalsheet")
        .expect("binary")
        .args(["--lang", "ja", "check", "--format", "json"])
        .arg(path)
        .output()
        .expect("runs");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("check prints JSON");
    let findings = report["findings"].as_array().expect("findings");
    findings.iter().map(|f| f["code"].as_str().unwrap_or_default().to_string()).collect()
}

pub fn open(bytes: &[u8]) -> Book {
    Xlsx::new(Cursor::new(bytes.to_vec())).expect("written workbook opens with calamine")
}

pub fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// `SOURCE_DATE_EPOCH` of every test that compares written bytes: 2019-05-01T00:00:00Z, the
/// document date the checked-in samples carry.
pub const FIXED_EPOCH: &str = "1556668800";

/// Makes this test process write [`FIXED_EPOCH`] as the document date (outputs are dated at
/// the time of writing otherwise), for in-process writers and the commands it starts. Call it
/// first in every test that compares bytes; every caller sets the same value, so the order of
/// parallel tests does not matter.
pub fn reproducible() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| std::env::set_var("SOURCE_DATE_EPOCH", FIXED_EPOCH));
}

/// The text of one part of the xlsx zip (`xl/styles.xml`, `xl/worksheets/sheet1.xml` …).
pub fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("xlsx is a zip");
    let mut file = zip.by_name(name).unwrap_or_else(|_| panic!("no {name} in the workbook"));
    let mut s = String::new();
    file.read_to_string(&mut s).expect("utf-8 part");
    s
}

/// Compares `bytes` with the checked-in file, or rewrites it when `GOALSHEET_BLESS=1`.
/// Returns a description of the problem, if any.
pub fn compare_artifact(path: &Path, bytes: &[u8], how_to_regenerate: &str) -> Option<String> {
    if std::env::var("GOALSHEET_BLESS").as_deref() == Ok("1") {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("create artifact dir");
        }
        std::fs::write(path, bytes).expect("write artifact");
        return None;
    }
    match std::fs::read(path) {
        Ok(old) if old == bytes => None,
        Ok(_) => Some(format!(
            "{} is out of date: the writer now produces different bytes. Look at the change, then \
             regenerate with `GOALSHEET_BLESS=1 cargo test` or `{how_to_regenerate}` and commit it.",
            path.display()
        )),
        Err(e) => Some(format!(
            "{} is missing ({e}); create it with `GOALSHEET_BLESS=1 cargo test` or `{how_to_regenerate}`.",
            path.display()
        )),
    }
}

pub fn at(range: &Range<Data>, cell: CellRef) -> Data {
    range.get_value((cell.row, cell.col)).cloned().unwrap_or(Data::Empty)
}

pub fn text_at(range: &Range<Data>, cell: CellRef) -> String {
    match at(range, cell) {
        Data::String(s) => s,
        Data::Empty => String::new(),
        other => panic!("{cell}: expected text, found {other:?}"),
    }
}

pub fn merges(book: &mut Book, sheet: &str) -> BTreeSet<String> {
    book.merge_cells_by_sheet_name(sheet)
        .expect("merges")
        .iter()
        .map(|d| CellRange::new(CellRef::new(d.start.0, d.start.1), CellRef::new(d.end.0, d.end.1)).to_string())
        .collect()
}

/// Merges every official sheet has, whatever its entries: title, header, table header.
pub fn fixed_merges() -> BTreeSet<String> {
    let mut m = BTreeSet::new();
    m.insert(layout::TITLE_RANGE.to_string());
    for h in &layout::HEADER_FIELDS {
        for r in [h.label_range, h.value_range] {
            if !r.is_single() {
                m.insert(r.to_string());
            }
        }
    }
    for g in &layout::GROUP_LABELS {
        m.insert(g.range.to_string());
    }
    m
}

/// The legend's merge in `row`.
pub fn legend_merge(row: u32) -> String {
    CellRange::new(CellRef::new(row, layout::LEGEND_COL), CellRef::new(row, layout::LEGEND_LAST_COL)).to_string()
}

/// Asserts every label of the layout at its cell; the year headers read `target` / `result`.
pub fn assert_labels(range: &Range<Data>, target: &str, result: &str) {
    assert_eq!(text_at(range, layout::TITLE_RANGE.start), layout::TITLE);
    for h in &layout::HEADER_FIELDS {
        assert_eq!(text_at(range, h.label_range.start), h.label.current(), "label of {:?}", h.field);
    }
    for g in &layout::GROUP_LABELS {
        assert_eq!(text_at(range, g.range.start), g.label.current());
    }
    for c in &layout::COLUMNS {
        let expected = match c.label {
            layout::ColumnLabel::Fixed(s) => s.current(),
            layout::ColumnLabel::Target => target,
            layout::ColumnLabel::Result => result,
        };
        assert_eq!(text_at(range, layout::column_label_cell(c)), expected, "label of column {}", c.col);
    }
}

/// No font but the layout's, and no Calibri anywhere in the styles.
pub fn assert_one_japanese_font(bytes: &[u8]) {
    let styles = part(bytes, "xl/styles.xml");
    assert!(!styles.contains("Calibri"), "Calibri in styles.xml");
    let names: BTreeSet<&str> = styles.split("<name val=\"").skip(1).filter_map(|s| s.split('"').next()).collect();
    assert_eq!(names, BTreeSet::from([layout::FONT_NAME]), "fonts in styles.xml");
}

/// Workbook fixtures for the reader tests (official layout with drifts, hostile files).
pub mod fixtures;

/// The department sample, merged from the six division samples by `goalsheet merge`.
pub const DEPARTMENT_SAMPLE: &str = "市民生活部.xlsx";

/// The six division samples in `samples/`, sorted (the department sample left out).
pub fn division_samples() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo("samples"))
        .expect("samples/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "xlsx") && !p.ends_with(DEPARTMENT_SAMPLE))
        .collect();
    files.sort();
    assert_eq!(files.len(), 6, "six division samples: {files:?}");
    files
}

/// The solid fill (RGB) of cell `a1` on the sheet named `sheet` of an .xlsx, read through
/// workbook.xml, its relationships, the sheet's `s` index, cellXfs and fills.
pub fn cell_fill(bytes: &[u8], sheet: &str, a1: &str) -> Option<u32> {
    use quick_xml::events::Event;
    // Each start or empty element of a part: its local name and attributes.
    fn elements(xml: &str) -> Vec<(String, BTreeMap<String, String>)> {
        let mut r = quick_xml::Reader::from_str(xml);
        let mut out = Vec::new();
        loop {
            match r.read_event().expect("well-formed part") {
                Event::Start(e) | Event::Empty(e) => {
                    let name = e.local_name().as_ref().to_string();
                    let attrs = e
                        .attributes()
                        .flatten()
                        .map(|a| {
                            // Ids, numbers and sheet names without entities: the raw value.
                            (a.key.local_name().as_ref().to_string(), a.value.to_string())
                        })
                        .collect();
                    out.push((name, attrs));
                }
                Event::End(e) if e.local_name().as_ref() == "cellXfs" => out.push(("/cellXfs".into(), BTreeMap::new())),
                Event::Eof => return out,
                _ => {}
            }
        }
    }
    let workbook = elements(&part(bytes, "xl/workbook.xml"));
    let id = workbook.iter().find(|(n, a)| n == "sheet" && a.get("name").map(String::as_str) == Some(sheet))?.1["id"]
        .clone();
    let rels = elements(&part(bytes, "xl/_rels/workbook.xml.rels"));
    let target = rels.iter().find(|(n, a)| n == "Relationship" && a.get("Id") == Some(&id))?.1["Target"].clone();
    let path = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("xl/{target}"),
    };
    let cells = elements(&part(bytes, &path));
    let xf: usize =
        cells.iter().find(|(n, a)| n == "c" && a.get("r").map(String::as_str) == Some(a1))?.1.get("s")?.parse().ok()?;
    let styles = elements(&part(bytes, "xl/styles.xml"));
    let xfs_at = styles.iter().position(|(n, _)| n == "cellXfs")?;
    let fill_id: usize = styles[xfs_at..]
        .iter()
        .take_while(|(n, _)| n != "/cellXfs")
        .filter(|(n, _)| n == "xf")
        .nth(xf)?
        .1
        .get("fillId")?
        .parse()
        .ok()?;
    let fills_at = styles.iter().position(|(n, _)| n == "fills")?;
    let fill_at = styles[fills_at..].iter().enumerate().filter(|(_, (n, _))| n == "fill").nth(fill_id)?.0 + fills_at;
    let (_, colour) = styles[fill_at + 1..].iter().take_while(|(n, _)| n != "fill").find(|(n, _)| n == "fgColor")?;
    let argb = colour.get("rgb")?;
    u32::from_str_radix(&argb[argb.len().saturating_sub(6)..], 16).ok()
}

/// The rows of 修正履歴 below its header row (the colour legend above it left out), as text.
pub fn change_log_rows(range: &Range<Data>) -> Vec<Vec<String>> {
    let text = |r: &[Data]| r.iter().map(|c| c.to_string()).collect::<Vec<_>>();
    let mut rows = range.rows().skip_while(|r| r.first().map(|c| c.to_string()).as_deref() != Some("ファイル"));
    assert!(rows.next().is_some(), "修正履歴 has its header row");
    rows.map(text).collect()
}

/// Fixes `bytes` (a workbook named `name`) with the library, as the CLI does: safe fixes, in
/// Japanese.
pub fn patch_bytes(bytes: &[u8], name: &str) -> (Fixed, Patched) {
    patch_bytes_with(bytes, name, FixOptions::default(), Lang::Ja)
}

/// [`patch_bytes`] with the fix options and language given.
pub fn patch_bytes_with(bytes: &[u8], name: &str, options: FixOptions, lang: Lang) -> (Fixed, Patched) {
    let doc = read_bytes(bytes, name).unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut patcher = Patcher::open(bytes).expect("opens");
    let holds = patcher.holds(&doc).expect("holds");
    let fixed =
        fix_document_holding(&doc, options, |d| check_document(d, &CheckOptions::default()), |l, c| holds.get(l, c));
    let patched = patcher.patch(&fixed, name, lang).expect("patches");
    (fixed, patched)
}
