//! Pre-checks and limits: what is verified about a file before calamine sees it.
//!
//! calamine 0.38 trusts sizes and positions written in the file. A few kilobytes can make it
//! allocate gigabytes, and a failed allocation aborts the process (no panic to catch): a cell at
//! `XFD1048576` (dense range over the bounding box), a `sharedStrings` `uniqueCount` of 10¹¹
//! (`Vec::reserve`), a zip part that inflates to hundreds of megabytes, an `.xls` whose
//! `Dimensions` record or cell positions are forged, an `.ods` whose repeat counts multiply.
//! Everything here runs first, on the raw bytes, with limits far above any real goal sheet
//! workbook and far below what would hurt the machine. See `docs/reading.md` for the measured
//! memory of each hostile input.

use crate::error::{Error, ErrorKind, Result};
use crate::lang::Msg;
use std::io::{Cursor, Read};

/// Largest workbook file read at all. A department file with fifty division sheets is a few
/// megabytes; calamine keeps the whole `.xls` stream and the shared strings in memory, so the
/// input size bounds what it can hold.
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// Most zip entries in an .xlsx/.ods. A workbook with fifty sheets has about two hundred.
pub const MAX_ZIP_ENTRIES: usize = 10_000;

/// Largest declared uncompressed size of one zip part. A goal sheet's worksheet XML is about
/// 100 KB; worksheets are streamed, so this mainly bounds time.
pub const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;

/// Largest `xl/sharedStrings.xml` / `xl/styles.xml` / ODS `content.xml`: these are loaded
/// whole into memory by calamine, at several times their XML size.
pub const MAX_LOADED_PART_BYTES: u64 = 24 * 1024 * 1024;

/// Largest total declared uncompressed size of all parts.
pub const MAX_TOTAL_UNCOMPRESSED: u64 = 256 * 1024 * 1024;

/// Most non-empty cells in one workbook (over all sheets). A goal sheet has a few hundred.
pub const MAX_CELLS: usize = 500_000;

/// Most bytes of cell text in one workbook (a goal sheet has about 30 KB, a department file of
/// fifty divisions about 1.5 MB). What follows costs several times the text: `fix` and `merge`
/// hold the document, its fixed copy and the workbook being written, about seven times the
/// text at the peak; at 64 MiB a workbook of copies of one 32,767-character cell made them pass
/// 256 MB (issue 14.3).
pub const MAX_TEXT_BYTES: usize = 24 * 1024 * 1024;

/// Largest bounding box (rows × columns from A1) of one sheet's values. calamine stores
/// `.xls` and `.ods` sheets densely over this box, 32 bytes a cell (plus formulas), so
/// 2,000,000 cells is about 100 MB at worst; a goal sheet is 11 columns by a few dozen rows.
pub const MAX_SHEET_AREA: u64 = 2_000_000;

/// Largest bounding box summed over the sheets of one `.xls`/`.ods`: calamine reads every
/// sheet of those formats eagerly, so the sum is what it holds at once.
pub const MAX_WORKBOOK_AREA: u64 = 3_000_000;

/// Most sheets + entries + indicators in one document, whatever the format. A department of
/// fifty divisions has about 5,000. Everything downstream costs memory per item: the model
/// about 2 KB, `check` with its rendered findings up to about 24 KB when every indicator has
/// findings. Without this, a 30 MB CSV made `check` use 7.3 GB and a 10 MB JSON of `{},`
/// made 3.5 million empty sheets, 2.8 GB (tests/hostile_corpus.rs, docs/hardening.md).
pub const MAX_ITEMS: usize = 10_000;

/// Most sheets (goal sheets and others) in one document. A department file has about fifty;
/// each sheet written back in the official layout costs about 55 KB, and `merge` of a JSON
/// with 9,000 empty sheets took 42 s and 516 MB (docs/hardening.md). Room for a department
/// file of [`crate::merge::MAX_DIVISIONS`] divisions and `merge`'s own sheets, so that every
/// department file `merge` writes reads back (at 1,000, 998 divisions made one that did not).
pub const MAX_SHEETS: usize = crate::merge::MAX_DIVISIONS + 10;

/// Most JSON objects and arrays in one file, counted before parsing: an empty `{}` is three
/// bytes but becomes a whole sheet or entry. A document at [`MAX_ITEMS`] with every
/// provenance map has about 40,000.
pub const MAX_JSON_CONTAINERS: usize = 200_000;

/// Most line breaks in one CSV, counted before parsing (a row per indicator, some cells with
/// line breaks). Counted as `0x0A` bytes, so for UTF-16 files it can over-count.
pub const MAX_CSV_LINES: usize = 5 * MAX_ITEMS;

/// Most merged areas of one sheet (a goal sheet has about a hundred).
pub const MAX_MERGES: usize = 100_000;

/// What a zip holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZipKind {
    Xlsx,
    Ods,
}

/// What the first bytes say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Magic {
    Empty,
    Zip,
    Ole,
    Html,
    Other,
}

/// Looks at the first bytes.
pub fn sniff(bytes: &[u8]) -> Magic {
    if bytes.is_empty() {
        return Magic::Empty;
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Magic::Zip;
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Magic::Ole;
    }
    let head: String = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_ascii_lowercase();
    let head = head.trim_start_matches('\u{feff}').trim_start();
    if head.starts_with("<!doctype html") || head.starts_with("<html") || head.contains("<table") {
        return Magic::Html;
    }
    Magic::Other
}

/// `detail` says what the file is instead, in both languages where it can ([`Msg::new`]);
/// a plain string (a library's error text) shows the same in both.
pub(crate) fn not_a_workbook(detail: impl Into<Msg>) -> Error {
    Error::new(ErrorKind::NotAWorkbook { detail: detail.into() })
}

pub(crate) fn corrupt(detail: impl Into<Msg>) -> Error {
    Error::new(ErrorKind::Corrupt { detail: detail.into() })
}

pub(crate) fn too_large(what: impl Into<Msg>, limit: impl Into<Msg>) -> Error {
    let (what, limit) = (what.into(), limit.into());
    let detail =
        Msg::new(format!("{}。上限は {}", what.ja, limit.ja), format!("{}; the limit is {}", what.en, limit.en));
    Error::new(ErrorKind::TooLarge { detail })
}

/// `12.3 MiB` style.
pub(crate) fn mib(n: u64) -> String {
    if n >= 1024 * 1024 {
        format!("{:.1} MiB", n as f64 / (1024.0 * 1024.0))
    } else {
        format!("{n} bytes")
    }
}

/// Checks the zip directory before any part is inflated: entry count, each part's declared
/// size, the total. The declared size can be trusted: the zip crate fails a part that
/// inflates past it. Returns what the zip holds.
pub fn check_zip(bytes: &[u8]) -> Result<ZipKind> {
    check_zip_archive(bytes).map(|(kind, _)| kind)
}

/// [`check_zip`], handing back the zip's directory, read once, to the reader that follows.
pub fn check_zip_archive(bytes: &[u8]) -> Result<(ZipKind, zip::ZipArchive<Cursor<&[u8]>>)> {
    // Not zip's own words ("Could not find EOCD"): what the user can act on.
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| {
        corrupt(Msg::new(
            "ファイルの途中が欠けているか壊れています。Excel でも開けない場合は、送り主にもう一度送ってもらってください".to_string(),
            "the file is truncated or damaged (its end is missing); if Excel cannot open it either, ask the sender to send it again".to_string(),
        ))
    })?;
    if zip.len() > MAX_ZIP_ENTRIES {
        return Err(too_large(
            Msg::new(format!("内部の部品が{}個", zip.len()), format!("{} parts in the zip", zip.len())),
            Msg::new(format!("{MAX_ZIP_ENTRIES}個"), MAX_ZIP_ENTRIES.to_string()),
        ));
    }
    let mut total: u64 = 0;
    let mut has_workbook = false;
    let mut has_content = false;
    let mut mimetype_ods = false;
    for i in 0..zip.len() {
        let file = zip.by_index_raw(i).map_err(|e| corrupt(format!("zip entry {i}: {e}")))?;
        let name = file.name().unwrap_or_default();
        let name: &str = &name;
        let size = file.size();
        let loaded_whole = matches!(name, "xl/sharedStrings.xml" | "xl/styles.xml" | "content.xml" | "xl/workbook.xml");
        let limit = if loaded_whole { MAX_LOADED_PART_BYTES } else { MAX_PART_BYTES };
        if size > limit {
            return Err(too_large(
                Msg::new(
                    format!("内部の部品 {name} が展開すると {}", mib(size)),
                    format!("part {name} inflates to {}", mib(size)),
                ),
                mib(limit),
            ));
        }
        total = total.saturating_add(size);
        if total > MAX_TOTAL_UNCOMPRESSED {
            return Err(too_large(
                Msg::new(
                    format!("内部の部品が展開すると {} を超える", mib(total)),
                    format!("the parts inflate to more than {}", mib(total)),
                ),
                mib(MAX_TOTAL_UNCOMPRESSED),
            ));
        }
        match name {
            "xl/workbook.xml" => has_workbook = true,
            "content.xml" => has_content = true,
            "mimetype" => mimetype_ods = size < 200,
            _ => {}
        }
    }
    if mimetype_ods && has_content {
        let mut m = String::new();
        if let Ok(mut f) = zip.by_name("mimetype") {
            let _ = f.by_ref().take(200).read_to_string(&mut m);
        }
        if m.trim() == "application/vnd.oasis.opendocument.spreadsheet" {
            return Ok((ZipKind::Ods, zip));
        }
        return Err(not_a_workbook(Msg::new(
            format!(
                "表計算ではない OpenDocument のファイルです（{}）。Calc で .ods として、または Excel で .xlsx として保存してください",
                m.trim()
            ),
            format!(
                "an OpenDocument file that is not a spreadsheet ({}); save it from Calc as .ods or from Excel as .xlsx",
                m.trim()
            ),
        )));
    }
    if has_workbook {
        return Ok((ZipKind::Xlsx, zip));
    }
    if has_content {
        return Ok((ZipKind::Ods, zip));
    }
    if zip.file_names().any(|n| n.is_ok_and(|n| n == "word/document.xml")) {
        return Err(not_a_workbook(Msg::new(
            "Word の文書です。組織目標管理シートの Excel ファイルを指定してください",
            "a Word document, not a workbook",
        )));
    }
    if zip.file_names().any(|n| n.is_ok_and(|n| n == "ppt/presentation.xml")) {
        return Err(not_a_workbook(Msg::new(
            "PowerPoint のファイルです。組織目標管理シートの Excel ファイルを指定してください",
            "a PowerPoint file, not a workbook",
        )));
    }
    Err(not_a_workbook(Msg::new(
        "zip ファイルですが、中に Excel のブックがありません（xl/workbook.xml も content.xml もありません）",
        "a zip file without a workbook inside (no xl/workbook.xml or content.xml)",
    )))
}

/// calamine reserves `uniqueCount` strings up front. Each shared string takes at least
/// `<si><t/></si>` (12 bytes) of XML, so a count above size / 5 is a lie. Run before calamine
/// opens an xlsx (`super::xlsx_fast` makes the same check on what it inflates).
pub fn check_shared_strings(bytes: &[u8]) -> Result<()> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else { return Ok(()) };
    let Ok(file) = zip.by_name("xl/sharedStrings.xml") else {
        return Ok(());
    };
    let size = file.size();
    let mut head = Vec::with_capacity(SHARED_STRINGS_HEAD);
    file.take(SHARED_STRINGS_HEAD as u64)
        .read_to_end(&mut head)
        .map_err(|e| corrupt(format!("xl/sharedStrings.xml: {e}")))?;
    check_unique_count(&head, size)
}

/// How much of `xl/sharedStrings.xml` [`check_shared_strings`] looks at.
pub const SHARED_STRINGS_HEAD: usize = 4096;

/// The check of [`check_shared_strings`] on the first [`SHARED_STRINGS_HEAD`] bytes of the
/// part and its size (`super::xlsx_fast` has them in hand).
pub fn check_unique_count(head: &[u8], size: u64) -> Result<()> {
    let head = head.get(..SHARED_STRINGS_HEAD).unwrap_or(head);
    // Mostly valid UTF-8 up to a character cut at the end: read without copying (the lossy
    // conversion of every workbook's 4 KB was 1 % of `check`).
    let head = match std::str::from_utf8(head) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(e) if e.error_len().is_none() => {
            std::borrow::Cow::Borrowed(std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or_default())
        }
        Err(_) => String::from_utf8_lossy(head),
    };
    // Only `uniqueCount` is reserved by calamine. `count` is the number of references to
    // shared strings over the whole workbook and legitimately exceeds size / 5: a workbook of
    // 200 goal sheets repeating the same labels has 13,636 references in 33 KB
    // (tests/hostile_corpus.rs, `200-sheets.xlsx`).
    for attr in ["uniqueCount"] {
        let Some(count) = xml_attr_number(&head, attr) else { continue };
        if count > size / 5 + 16 {
            return Err(corrupt(Msg::new(
                format!("xl/sharedStrings.xml が {} に {count} 個の文字列があると称しています（{attr}）。ファイルが壊れているか、細工されています", mib(size)),
                format!(
                    "xl/sharedStrings.xml claims {count} strings ({attr}) in {}; the file has been damaged or crafted",
                    mib(size)
                ),
            )));
        }
    }
    Ok(())
}

/// The number in `name="123"` within the first tag that has it.
fn xml_attr_number(xml: &str, name: &str) -> Option<u64> {
    let mut rest = xml;
    while let Some(i) = rest.find(name) {
        let before = rest[..i].chars().last();
        rest = &rest[i + name.len()..];
        if before.is_some_and(|c| c.is_alphanumeric()) {
            continue;
        }
        let r = rest.trim_start();
        let Some(r) = r.strip_prefix('=') else { continue };
        let r = r.trim_start();
        let quote = r.chars().next()?;
        if quote != '"' && quote != '\'' {
            continue;
        }
        let digits: String = r[1..].chars().take_while(|c| c.is_ascii_digit()).collect();
        // An absurdly long number is treated as the largest.
        return Some(digits.parse().unwrap_or(u64::MAX));
    }
    None
}

/// Counts `{` and `[` outside strings, stopping past `limit`; errors when there are more.
pub fn check_json_containers(bytes: &[u8]) -> Result<()> {
    let (mut n, mut in_string, mut escaped) = (0usize, false, false);
    for &b in bytes {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
        } else {
            match b {
                b'"' => in_string = true,
                b'{' | b'[' => {
                    n += 1;
                    if n > MAX_JSON_CONTAINERS {
                        return Err(too_large(
                            Msg::new(
                                format!("JSON のオブジェクトと配列が {MAX_JSON_CONTAINERS} 個を超えます"),
                                format!("more than {MAX_JSON_CONTAINERS} JSON objects and arrays"),
                            ),
                            Msg::new(format!("{MAX_JSON_CONTAINERS} 個"), MAX_JSON_CONTAINERS.to_string()),
                        ));
                    }
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// Most commas or tabs on one line of a CSV (a goal sheet export has 17 columns; quantities
/// and narratives add a few commas). Every cell of the first rows is tried as a header name,
/// so a single line of millions of empty cells would take minutes.
pub const MAX_CSV_SEPARATORS_PER_LINE: usize = 5_000;

/// Errors when a CSV has more than [`MAX_CSV_LINES`] line breaks or a line with more than
/// [`MAX_CSV_SEPARATORS_PER_LINE`] commas or tabs.
pub fn check_csv_lines(bytes: &[u8]) -> Result<()> {
    let (mut lines, mut separators) = (0usize, 0usize);
    for &b in bytes {
        match b {
            b'\n' => {
                lines += 1;
                separators = 0;
            }
            b',' | b'\t' => {
                separators += 1;
                if separators > MAX_CSV_SEPARATORS_PER_LINE {
                    return Err(too_large(
                        Msg::new(
                            format!("{} 行目の列が {MAX_CSV_SEPARATORS_PER_LINE} を超えます", lines + 1),
                            format!("line {} has more than {MAX_CSV_SEPARATORS_PER_LINE} columns", lines + 1),
                        ),
                        Msg::new(
                            format!("{MAX_CSV_SEPARATORS_PER_LINE} 列"),
                            format!("{MAX_CSV_SEPARATORS_PER_LINE} columns"),
                        ),
                    ));
                }
            }
            _ => {}
        }
    }
    if lines > MAX_CSV_LINES {
        return Err(too_large(
            Msg::new(format!("{lines} 行"), format!("{lines} lines")),
            Msg::new(format!("{MAX_CSV_LINES} 行"), format!("{MAX_CSV_LINES} lines")),
        ));
    }
    Ok(())
}

/// What [`MAX_TEXT_BYTES`] bounds, as a refusal names it.
pub(crate) fn cell_texts() -> Msg {
    Msg::new("セルの文字", "the cell texts")
}

/// Errors when there are more than [`MAX_SHEETS`] sheets: checked again on a workbook's list
/// of sheets before any is read, since each costs a grid and its name in messages (an 830 KB
/// .xlsx listing 140,000 sheets over one part took 541 MB and printed 18 MB of sheet names).
pub(crate) fn check_sheet_count(sheets: usize) -> Result<()> {
    if sheets > MAX_SHEETS {
        return Err(too_large(
            Msg::new(format!("シートが {sheets} 枚"), format!("{sheets} sheets")),
            Msg::new(format!("{MAX_SHEETS} 枚"), format!("{MAX_SHEETS} sheets")),
        ));
    }
    Ok(())
}

/// Errors when a document read has more than [`MAX_SHEETS`] sheets, or more than
/// [`MAX_ITEMS`] sheets, goals (No., one entry each) and indicators.
pub fn check_items(doc: &crate::model::Document) -> Result<()> {
    let entries: usize = doc.sheets.iter().map(|s| s.entries.len()).sum();
    let indicators: usize = doc.sheets.iter().map(|s| s.indicator_count()).sum();
    let sheets = doc.sheets.len() + doc.other_sheets.len();
    check_sheet_count(sheets)?;
    let items = sheets + entries + indicators;
    if items > MAX_ITEMS {
        return Err(too_large(
            Msg::new(
                format!(
                    "シート {} 枚、目標（No.） {entries} 件、指標 {indicators} 件",
                    doc.sheets.len() + doc.other_sheets.len()
                ),
                format!(
                    "{} sheets, {entries} goals (No.) and {indicators} indicators",
                    doc.sheets.len() + doc.other_sheets.len()
                ),
            ),
            Msg::new(format!("合わせて {MAX_ITEMS} 件"), format!("{MAX_ITEMS} in all")),
        ));
    }
    Ok(())
}

/// Tracks the bounding box of one sheet's values and enforces [`MAX_SHEET_AREA`].
#[derive(Debug, Default, Clone, Copy)]
pub struct BoundingBox {
    pub max_row: Option<u32>,
    pub max_col: Option<u32>,
}

impl BoundingBox {
    /// Adds a cell; errors when the box from A1 grows past [`MAX_SHEET_AREA`] or the cell is
    /// outside Excel's grid.
    pub fn add(&mut self, row: u32, col: u32) -> Result<()> {
        let cell = crate::address::CellRef::new(row, col);
        if row >= crate::address::MAX_ROWS || col >= crate::address::MAX_COLS {
            return Err(corrupt(Msg::new(
                format!("Excel のシートの範囲外にセルがあります（{}行目、{}列目）", row as u64 + 1, col as u64 + 1),
                format!("a cell lies outside Excel's grid (row {}, column {})", row as u64 + 1, col as u64 + 1),
            )));
        }
        let r = self.max_row.map_or(row, |m| m.max(row));
        let c = self.max_col.map_or(col, |m| m.max(col));
        if (r as u64 + 1) * (c as u64 + 1) > MAX_SHEET_AREA {
            return Err(too_large(
                Msg::new(
                    format!("A1 から {cell} 以遠まで値があります"),
                    format!("values reach from A1 to {cell} and beyond"),
                ),
                Msg::new(format!("1シート {MAX_SHEET_AREA} セル"), format!("{MAX_SHEET_AREA} cells per sheet")),
            )
            .at_cell(cell));
        }
        self.max_row = Some(r);
        self.max_col = Some(c);
        Ok(())
    }

    pub fn area(&self) -> u64 {
        match (self.max_row, self.max_col) {
            (Some(r), Some(c)) => (r as u64 + 1) * (c as u64 + 1),
            _ => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_many_items_names_goals_not_initiatives() {
        use crate::lang::Lang;
        let mut doc = crate::model::Document::default();
        let entries = vec![crate::model::Entry::default(); MAX_ITEMS + 1];
        doc.sheets.push(crate::model::Sheet { entries, ..Default::default() });
        let e = check_items(&doc).expect_err("over the limit");
        let ja = e.message(Lang::Ja);
        assert!(ja.contains(&format!("目標（No.） {} 件", MAX_ITEMS + 1)) && !ja.contains("取組"), "{ja}");
        assert!(e.message(Lang::En).contains("goals (No.)"), "{}", e.message(Lang::En));
    }

    #[test]
    fn attr_numbers() {
        let x = r#"<sst xmlns="x" count="12" uniqueCount='100000000000'>"#;
        assert_eq!(xml_attr_number(x, "uniqueCount"), Some(100_000_000_000));
        assert_eq!(xml_attr_number(x, "count"), Some(12));
        assert_eq!(xml_attr_number("<a b=\"9999999999999999999999999\"/>", "b"), Some(u64::MAX));
    }

    #[test]
    fn bounding_box_rejects_far_corner() {
        let mut b = BoundingBox::default();
        b.add(0, 0).unwrap();
        b.add(60, 10).unwrap();
        assert!(b.add(1_048_575, 16_383).is_err());
        assert_eq!(b.area(), 61 * 11);
    }

    #[test]
    fn sniffs() {
        assert_eq!(sniff(b""), Magic::Empty);
        assert_eq!(sniff(b"PK\x03\x04rest"), Magic::Zip);
        assert_eq!(sniff(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0]), Magic::Ole);
        assert_eq!(sniff(b"<html><body><table>"), Magic::Html);
        assert_eq!(sniff(b"No.,goal"), Magic::Other);
    }
}
