//! What a corrected workbook says about its fixes, in one place: the rows of 修正履歴 (change
//! log), the rows of 検証結果 (remaining findings), and the text and fill of the note on each
//! cell. Both the package patcher ([`super::patch`], .xlsx/.xlsm) and the rewritten workbook
//! ([`super::workbook`], .xls/.ods/CSV/JSON) take them from here, so the two always say the
//! same thing; only where a value sits differs, which the caller gives as a [`Place`].

use super::{AppliedEdit, Fixed, HeldFix};
use crate::address::CellRef;
use crate::finding::{Finding, Location, Severity};
use crate::lang::{Lang, Msg};
use crate::model::Field;
use crate::write::findings_sheet::{findings_rows, severity_text, FileFindings, FindingRow, WrittenSheet};
use std::collections::BTreeMap;

/// The change log sheet.
pub const CHANGES_SHEET_NAME: &str = "修正履歴";
/// Its column headers.
pub const CHANGES_HEADERS: [&str; 9] =
    ["ファイル", "シート", "セル", "元のセル", "コード", "修正前", "修正後", "区分", "修正内容"];
/// Widths of its columns, in Excel character units.
pub const CHANGES_WIDTHS: [f64; 9] = [22.0, 16.0, 7.0, 8.0, 10.0, 24.0, 24.0, 8.0, 44.0];

/// The code of a 修正履歴 row about the whole file (not one cell): the file was rewritten.
pub const REWRITTEN_CODE: &str = "rewritten";

/// Fill of cells with a remaining error (Excel's "bad" red).
pub const ERROR_FILL_RGB: u32 = 0xFFC7CE;
/// Fill of cells with a remaining warning (Excel's "neutral" yellow).
pub const WARNING_FILL_RGB: u32 = 0xFFEB9C;
/// Fill of cells `fix` changed and that have no remaining finding (Excel's "good" green).
pub const CHANGED_FILL_RGB: u32 = 0xC6EFCE;

/// The author of the notes `fix` writes.
pub const NOTE_AUTHOR: &str = "goalsheet";

/// One row of 修正履歴, as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeRow(pub [String; 9]);

/// Where the document's values are in the written workbook: the worksheet's name and the cell
/// for a location (`read` is the cell it was read from, if any).
pub trait Place {
    fn sheet_name(&self, sheet_index: usize) -> String;
    fn cell(&self, location: &Location, read: Option<CellRef>) -> Option<CellRef>;
}

/// The input's own sheets and cells (a patched workbook: nothing moves).
pub struct InPlace<'a>(pub &'a crate::model::Document);

impl Place for InPlace<'_> {
    fn sheet_name(&self, sheet_index: usize) -> String {
        self.0.sheets.get(sheet_index).map(|s| s.sheet.clone()).unwrap_or_default()
    }
    fn cell(&self, location: &Location, read: Option<CellRef>) -> Option<CellRef> {
        read.or_else(|| location.cell(self.0))
    }
}

/// The sheets as [`crate::write::write_sheet`] wrote them into a new workbook.
pub struct Rewritten<'a>(pub &'a [WrittenSheet]);

impl Place for Rewritten<'_> {
    fn sheet_name(&self, sheet_index: usize) -> String {
        self.0.get(sheet_index).map(|w| w.name.clone()).unwrap_or_default()
    }
    fn cell(&self, location: &Location, _read: Option<CellRef>) -> Option<CellRef> {
        let w = self.0.get(location.sheet_index)?;
        crate::write::findings_sheet::placed_cell(&w.placed, location)
    }
}

/// The rows of 修正履歴 for this run's changes.
pub fn change_rows(file: &str, fixed: &Fixed, place: &dyn Place, lang: Lang) -> Vec<ChangeRow> {
    fixed
        .applied
        .iter()
        .map(|e| {
            ChangeRow([
                file.to_string(),
                place.sheet_name(e.location.sheet_index),
                place.cell(&e.location, e.cell).map(|c| c.to_string()).unwrap_or_default(),
                e.cell.map(|c| c.to_string()).unwrap_or_default(),
                e.code.to_string(),
                e.before.clone(),
                e.after_text(lang),
                e.applicability_text(lang).to_string(),
                e.message.get(lang).to_string(),
            ])
        })
        .collect()
}

/// A 修正履歴 row about the whole file (`code` such as [`REWRITTEN_CODE`]).
pub fn file_row(file: &str, code: &str, message: &Msg, lang: Lang) -> ChangeRow {
    let mut row: [String; 9] = Default::default();
    row[0] = file.to_string();
    row[4] = code.to_string();
    row[8] = message.get(lang).to_string();
    ChangeRow(row)
}

/// What the console and 修正履歴 say when an .xls/.ods/CSV/JSON input was written as a new
/// .xlsx in the official layout: what was not carried over.
pub fn rewritten_message(extension: &str) -> Msg {
    let ext = extension.to_ascii_lowercase();
    let (lost_ja, lost_en) = match ext.as_str() {
        "csv" | "json" => ("", ""),
        _ => (
            "。元のブックの書式（列幅・フォント・色・罫線）、コメント、図形・画像、印刷設定、保護、非表示の行と列、名前の定義、数式は引き継いでいません",
            "; the input's formatting (column widths, fonts, colours, borders), comments, shapes and images, print settings, protection, hidden rows and columns, defined names and formulas were not carried over",
        ),
    };
    Msg::new(
        format!(".{ext} のブックは直接修正できないため、公式様式の .xlsx として書き直しました{lost_ja}"),
        format!(
            "a .{ext} file cannot be edited in place, so it was rewritten as an .xlsx in the official layout{lost_en}"
        ),
    )
}

/// The rows of 検証結果: every remaining finding; a finding whose fix was held says why in
/// its 対処 column.
pub fn finding_rows(file: &str, fixed: &Fixed, written: &[WrittenSheet], lang: Lang) -> Vec<FindingRow> {
    let files = [FileFindings { file, doc: &fixed.document, findings: &fixed.remaining, written }];
    let mut rows = findings_rows(&files, lang);
    for (row, f) in rows.iter_mut().zip(&fixed.remaining) {
        if let Some(h) = held_of(fixed, f) {
            let why = h.hold.message();
            row.help = if row.help.is_empty() {
                why.get(lang).to_string()
            } else {
                format!("{}（{}）", row.help, why.get(lang))
            };
        }
    }
    rows
}

fn held_of<'a>(fixed: &'a Fixed, f: &Finding) -> Option<&'a HeldFix> {
    fixed.held.iter().find(|h| h.code == f.code && h.location == f.location)
}

/// What one cell gets: a fill and a note.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Mark {
    /// The most severe remaining finding (warnings and errors only).
    pub severity: Option<Severity>,
    /// `fix` changed the cell.
    pub changed: bool,
    /// The field whose value the cell holds.
    pub field: Option<Field>,
    /// The note's lines, findings first, then changes.
    pub lines: Vec<String>,
}

impl Mark {
    /// The fill colour (RGB), if the cell gets one.
    pub fn fill(&self) -> Option<u32> {
        match self.severity {
            Some(Severity::Error) => Some(ERROR_FILL_RGB),
            Some(_) => Some(WARNING_FILL_RGB),
            None if self.changed => Some(CHANGED_FILL_RGB),
            None => None,
        }
    }

    /// The note's text.
    pub fn text(&self) -> String {
        self.lines.join("\n")
    }
}

/// The marks of one sheet's cells (keyed by the cell in the written workbook).
pub fn marks(fixed: &Fixed, sheet_index: usize, place: &dyn Place, lang: Lang) -> BTreeMap<CellRef, Mark> {
    let mut marks: BTreeMap<CellRef, Mark> = BTreeMap::new();
    for f in fixed.remaining.iter().filter(|f| f.location.sheet_index == sheet_index) {
        let Some(cell) = place.cell(&f.location, f.location.cell(&fixed.document)) else { continue };
        let m = marks.entry(cell).or_default();
        m.field = Some(f.location.field);
        if f.severity >= Severity::Warning {
            m.severity = m.severity.max(Some(f.severity));
        }
        m.lines.push(finding_line(f, lang));
        if let Some(h) = held_of(fixed, f) {
            m.lines.push(held_line(h, lang));
        }
    }
    for e in fixed.applied.iter().filter(|e| e.location.sheet_index == sheet_index) {
        let Some(cell) = place.cell(&e.location, e.cell) else { continue };
        let m = marks.entry(cell).or_default();
        m.field = Some(e.location.field);
        m.changed = true;
        m.lines.push(change_line(e, lang));
    }
    marks
}

/// A remaining finding in a note: `【警告 GS204】…`.
pub fn finding_line(f: &Finding, lang: Lang) -> String {
    let sev = severity_text(f.severity, lang);
    format!("【{sev} {}】{}", f.code, f.message.get(lang))
}

/// A change in a note: `【修正 GS204】… 修正前:「…」`.
pub fn change_line(e: &AppliedEdit, lang: Lang) -> String {
    let what = lang.pick("修正", "fixed");
    let before = lang.pick("修正前", "before");
    format!("【{what} {}】{} {before}:「{}」", e.code, e.message.get(lang), e.before)
}

/// A held fix in a note: `【未修正 GS204】数式のセルなので…`.
pub fn held_line(h: &HeldFix, lang: Lang) -> String {
    let what = lang.pick("未修正", "not fixed");
    format!("【{what} {}】{}", h.code, h.hold.message().get(lang))
}
