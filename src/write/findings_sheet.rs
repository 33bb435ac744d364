//! The 検証結果 sheet: every finding of one or more files as a flat table.
//!
//! Both `fix` (what remains after fixing) and `merge` (the open findings of every division in a
//! department file) append it to the workbooks they write, so it is written in one place. Its
//! headers are Japanese, like the rest of the official workbook; the messages follow the
//! language the user chose. When the sheets were written into the same workbook, each finding
//! names the cell of the written sheet (found through [`Placed`]), so the user can go there;
//! otherwise the cell it was read from.

use super::sheet::{lines_needed, Placed};
use super::styles::Styles;
use crate::address::CellRef;
use crate::error::Result;
use crate::finding::{Finding, Location, Severity};
use crate::lang::Lang;
use crate::layout;
use crate::model::{Document, Level};
use rust_xlsxwriter::Worksheet;

/// The name of the sheet (Japanese, as in the official workbook).
pub const FINDINGS_SHEET_NAME: &str = "検証結果";

/// The column headers of the sheet, in the run's language. A later `fix` recognises the sheet
/// by either set, so a workbook fixed in one language can be fixed again in the other.
pub const FINDINGS_HEADERS: [&str; 8] = ["ファイル", "シート", "セル", "項目", "重大度", "コード", "内容", "対処"];
/// [`FINDINGS_HEADERS`] in English.
pub const FINDINGS_HEADERS_EN: [&str; 8] =
    ["File", "Sheet", "Cell", "Field", "Severity", "Code", "Message", "What to do"];

/// The findings sheet's headers in `lang`.
pub fn findings_headers(lang: Lang) -> [&'static str; 8] {
    match lang {
        Lang::Ja => FINDINGS_HEADERS,
        Lang::En => FINDINGS_HEADERS_EN,
    }
}

/// Widths of the columns, in Excel character units.
const WIDTHS: [f64; 8] = [22.0, 18.0, 7.0, 16.0, 8.0, 8.0, 50.0, 44.0];

/// One sheet of a document as written into the workbook that gets the 検証結果 sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenSheet {
    /// The worksheet's name in the written workbook.
    pub name: String,
    /// Where [`super::write_sheet`] put each value.
    pub placed: Placed,
}

/// One file's findings.
#[derive(Debug, Clone, Copy)]
pub struct FileFindings<'a> {
    /// The file's name as the user knows it (shown in the ファイル column).
    pub file: &'a str,
    /// The document the findings are about (for sheet names, fields and cells).
    pub doc: &'a Document,
    pub findings: &'a [Finding],
    /// For each sheet of `doc` (same index), where it was written in this workbook. Empty when
    /// the sheets were not written: cells are then given as they were read.
    pub written: &'a [WrittenSheet],
}

/// The cell a location's value was written to, according to `placed`.
pub fn placed_cell(placed: &Placed, location: &Location) -> Option<CellRef> {
    match location.field.level() {
        Level::Sheet => placed.header_cell(location.field),
        Level::Entry => placed.entry_cell(location.entry?, location.field),
        Level::Indicator => placed.indicator_cell(location.entry?, location.indicator?, location.field),
    }
}

/// What the 重大度 column says.
pub fn severity_text(severity: Severity, lang: Lang) -> &'static str {
    match severity {
        Severity::Error => lang.pick("エラー", "error"),
        Severity::Warning => lang.pick("警告", "warning"),
        Severity::Info => lang.pick("情報", "info"),
    }
}

/// One row of the sheet, as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingRow {
    pub file: String,
    pub sheet: String,
    /// A1 address, empty when unknown.
    pub cell: String,
    pub field: String,
    pub severity: String,
    pub code: String,
    pub message: String,
    pub help: String,
}

impl FindingRow {
    fn columns(&self) -> [&str; 8] {
        [&self.file, &self.sheet, &self.cell, &self.field, &self.severity, &self.code, &self.message, &self.help]
    }
}

/// The rows [`write_findings_sheet`] writes, in order (files in the order given, findings in
/// their order).
pub fn findings_rows(files: &[FileFindings<'_>], lang: Lang) -> Vec<FindingRow> {
    findings_rows_up_to(files, lang, usize::MAX)
}

/// The first `limit` of [`findings_rows`].
fn findings_rows_up_to(files: &[FileFindings<'_>], lang: Lang, limit: usize) -> Vec<FindingRow> {
    let mut rows = Vec::new();
    for f in files {
        for finding in f.findings {
            if rows.len() == limit {
                return rows;
            }
            let loc = &finding.location;
            let written = f.written.get(loc.sheet_index);
            let sheet = f.doc.sheets.get(loc.sheet_index);
            let sheet_name = match (written, sheet) {
                (Some(w), _) => w.name.clone(),
                (None, Some(s)) if !s.sheet.is_empty() => s.sheet.clone(),
                (None, Some(s)) => s.division.clone(),
                (None, None) => String::new(),
            };
            let cell = match written {
                Some(w) => placed_cell(&w.placed, loc),
                None => loc.cell(f.doc),
            };
            rows.push(FindingRow {
                file: f.file.to_string(),
                sheet: sheet_name,
                cell: cell.map(|c| c.to_string()).unwrap_or_default(),
                field: lang.pick(loc.field.label_ja(), loc.field.label_en()).to_string(),
                severity: severity_text(finding.severity, lang).to_string(),
                code: finding.code.to_string(),
                message: finding.message.get(lang).to_string(),
                help: finding.help.as_ref().map(|h| h.get(lang).to_string()).unwrap_or_default(),
            });
        }
    }
    rows
}

/// The most finding rows 検証結果 lists: far beyond what anyone reads, and the writer holds
/// every cell until it saves (a goal of 9,900 indicators with 79,000 findings took `merge` to
/// 355 MiB, 163 of them this sheet). [`write_findings_sheet`] says how many more there are.
pub const MAX_FINDING_ROWS: usize = 10_000;

/// Writes the 検証結果 table into `ws` (name the worksheet [`FINDINGS_SHEET_NAME`] yourself):
/// a header row ([`FINDINGS_HEADERS`]) with a filter, then one row per finding, at most
/// [`MAX_FINDING_ROWS`] of them, and a row saying how many more there are. Without any
/// finding, one row says so. Returns the number of finding rows.
pub fn write_findings_sheet(
    ws: &mut Worksheet,
    files: &[FileFindings<'_>],
    lang: Lang,
    styles: &Styles,
) -> Result<usize> {
    write_findings_sheet_up_to(ws, files, lang, styles, MAX_FINDING_ROWS)
}

fn write_findings_sheet_up_to(
    ws: &mut Worksheet,
    files: &[FileFindings<'_>],
    lang: Lang,
    styles: &Styles,
    limit: usize,
) -> Result<usize> {
    let rows = findings_rows_up_to(files, lang, limit);
    let total: usize = files.iter().map(|f| f.findings.len()).sum();
    write_finding_rows(ws, &rows, total, lang, styles)
}

/// Writes 検証結果 of `rows`, the first of `total` findings (a line says how many more there
/// are), and returns how many rows it wrote: [`write_findings_sheet`] for rows already made
/// (`fix` adds to "what to do" why it did not fix a finding it could have).
pub fn write_finding_rows(
    ws: &mut Worksheet,
    rows: &[FindingRow],
    total: usize,
    lang: Lang,
    styles: &Styles,
) -> Result<usize> {
    for (c, width) in (0u16..).zip(WIDTHS) {
        ws.set_column_width(c, width)?;
    }
    for (c, h) in (0u16..).zip(findings_headers(lang)) {
        ws.write_string_with_format(0, c, h, &styles.label)?;
    }
    ws.set_row_height(0, layout::MIN_ROW_HEIGHT)?;
    // Printed like the goal sheets: A4 landscape, one page wide, the header on every page.
    ws.set_paper_size(layout::PAPER_A4);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    if rows.is_empty() {
        let none = lang.pick("残っている指摘はありません。", "No findings remain.");
        ws.write_string_with_format(1, 0, none, &styles.cell_text)?;
        return Ok(0);
    }
    let mut r: u32 = 1;
    for row in rows {
        let mut lines = 1;
        for ((c, text), width) in (0u16..).zip(row.columns()).zip(WIDTHS) {
            if text.is_empty() {
                ws.write_blank(r, c, &styles.cell_text)?;
            } else {
                ws.write_string_with_format(r, c, crate::write::fit_cell(text), &styles.cell_text)?;
            }
            lines = lines.max(lines_needed(text, width));
        }
        let height = f64::from(lines) * layout::LINE_HEIGHT + layout::ROW_PADDING;
        ws.set_row_height(r, height.clamp(layout::MIN_ROW_HEIGHT, 409.0))?;
        r += 1;
    }
    ws.autofilter(0, 0, r - 1, 7)?;
    ws.set_freeze_panes(1, 0)?;
    if total > rows.len() {
        let more = total - rows.len();
        let text = match lang {
            Lang::Ja => format!(
                "ほかに {more} 件の指摘があります（この表は最初の {} 件までです）。すべての指摘は、各課のファイルの検査で確認してください。",
                rows.len()
            ),
            Lang::En => format!(
                "{more} more findings are not listed (this table holds the first {}); checking the divisions' files lists them all.",
                rows.len()
            ),
        };
        ws.write_string_with_format(r, 0, &text, &styles.cell_text)?;
    }
    Ok(rows.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Location;
    use crate::lang::Msg;
    use crate::model::{Entry, Field, Indicator, Sheet};
    use calamine::{Data, Reader, Xlsx};
    use std::io::Cursor;

    fn doc() -> Document {
        let mut sheet =
            Sheet { sheet: "元のシート".into(), division: "広聴相談課".into(), ..Default::default() };
        let mut entry = Entry { no: "1".into(), grade: "〇".into(), ..Default::default() };
        entry.cells.set(Field::Grade, CellRef::new(9, 8));
        entry.indicators.push(Indicator::default());
        sheet.entries.push(entry);
        Document { sheets: vec![sheet], ..Default::default() }
    }

    fn finding(sev: Severity) -> Finding {
        Finding {
            code: "GS301",
            severity: sev,
            message: Msg::new("評価が〇です", "grade is 〇"),
            help: Some(Msg::new("○にしてください", "use ○")),
            location: Location::entry(0, 0, Field::Grade),
            span: None,
            label: None,
            related: vec![],
            fix: None,
        }
    }

    fn read_back(bytes: Vec<u8>) -> Vec<Vec<String>> {
        let mut book = Xlsx::new(Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range(FINDINGS_SHEET_NAME).unwrap();
        range
            .rows()
            .map(|r| r.iter().map(|d| if let Data::String(s) = d { s.clone() } else { String::new() }).collect())
            .collect()
    }

    fn write(files: &[FileFindings<'_>], lang: Lang) -> Vec<u8> {
        let mut wb = crate::write::new_workbook().unwrap();
        let ws = wb.add_worksheet();
        ws.set_name(FINDINGS_SHEET_NAME).unwrap();
        write_findings_sheet(ws, files, lang, &Styles::new()).unwrap();
        wb.save_to_buffer().unwrap()
    }

    #[test]
    fn cells_point_into_the_written_sheet_when_known() {
        let d = doc();
        let fs = [finding(Severity::Error)];
        let mut placed = Placed::default();
        placed.entries.insert((0, Field::Grade), CellRef::new(7, 8));
        let written = [WrittenSheet { name: "広聴相談課".into(), placed }];
        let rows =
            read_back(write(&[FileFindings { file: "a.xlsx", doc: &d, findings: &fs, written: &written }], Lang::Ja));
        assert_eq!(rows[0], FINDINGS_HEADERS.map(String::from).to_vec());
        assert_eq!(
            rows[1],
            ["a.xlsx", "広聴相談課", "I8", "評価", "エラー", "GS301", "評価が〇です", "○にしてください"]
        );
        // Without the written sheets: the cell and sheet as read, messages in English.
        let rows = read_back(write(&[FileFindings { file: "a.xlsx", doc: &d, findings: &fs, written: &[] }], Lang::En));
        assert_eq!(rows[0], FINDINGS_HEADERS_EN.map(String::from).to_vec(), "one language per run");
        assert_eq!(rows[1], ["a.xlsx", "元のシート", "I10", "grade", "error", "GS301", "grade is 〇", "use ○"]);
    }

    #[test]
    fn several_files_in_order_and_an_empty_list_says_so() {
        let d = doc();
        let (a, b) = ([finding(Severity::Warning)], [finding(Severity::Error), finding(Severity::Info)]);
        let files = [
            FileFindings { file: "a.xlsx", doc: &d, findings: &a, written: &[] },
            FileFindings { file: "b.xlsx", doc: &d, findings: &b, written: &[] },
        ];
        let rows = findings_rows(&files, Lang::Ja);
        let got: Vec<_> = rows.iter().map(|r| (r.file.as_str(), r.severity.as_str())).collect();
        assert_eq!(got, [("a.xlsx", "警告"), ("b.xlsx", "エラー"), ("b.xlsx", "情報")]);
        let rows = read_back(write(&[FileFindings { file: "a.xlsx", doc: &d, findings: &[], written: &[] }], Lang::Ja));
        assert_eq!(rows.len(), 2);
        assert!(rows[1][0].contains("ありません"));
    }

    /// Past the limit, the rows stop and one more says how many are not listed.
    #[test]
    fn rows_past_the_limit_are_counted_not_listed() {
        let d = doc();
        let (a, b) = (
            [finding(Severity::Warning), finding(Severity::Error)],
            std::array::from_fn::<_, 3, _>(|_| finding(Severity::Info)),
        );
        let files = [
            FileFindings { file: "a.xlsx", doc: &d, findings: &a, written: &[] },
            FileFindings { file: "b.xlsx", doc: &d, findings: &b, written: &[] },
        ];
        let mut wb = crate::write::new_workbook().unwrap();
        let ws = wb.add_worksheet();
        ws.set_name(FINDINGS_SHEET_NAME).unwrap();
        assert_eq!(write_findings_sheet_up_to(ws, &files, Lang::Ja, &Styles::new(), 3).unwrap(), 3);
        let rows = read_back(wb.save_to_buffer().unwrap());
        assert_eq!(rows.len(), 1 + 3 + 1, "{rows:?}");
        assert_eq!((rows[3][0].as_str(), rows[3][4].as_str()), ("b.xlsx", "情報"));
        assert!(rows[4][0].starts_with("ほかに 2 件の指摘があります（この表は最初の 3 件までです）"), "{}", rows[4][0]);
        // At the limit exactly, nothing more is said.
        let rows = read_back(write(&files[..1], Lang::Ja));
        assert_eq!(rows.len(), 3);
    }
}
