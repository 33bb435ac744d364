//! Next year's sheets from this year's (`goalsheet template --from LAST.xlsx`).
//!
//! Each spring a division starts its new sheet from last year's: the goals, indicators, plan
//! references and initiatives mostly continue; targets are set anew, and everything of the
//! evaluation (results, grades, narratives, dates) starts empty. Doing this by hand is where
//! last year's `Ｒ６目標` header or a stale result survives into the new sheet, so it is one
//! pure transform of the model, [`next_year`], written by the ordinary writer.
//!
//! Carried over: department, division, policy indicators, No., goal, indicator, plan ref,
//! initiative, summary. Emptied: created and evaluated dates, result, grade, status, policy.
//! The target starts with last year's result as its reference line, in the city's form
//! (`（R6：318件）`), so the division only puts the new number in front of it; a result that is
//! not a quantity (`推進`) gives no reference line. The year follows the new fiscal year
//! everywhere (年度, `Ｒ７目標`, `Ｒ７結果`).
//! Where a value came from (cells, merges) and cells outside the layout (remarks beside the
//! table) belong to last year's workbook and are not carried; nor are a department file's
//! generated sheets (集計, 一覧, 検証結果).

use crate::grammar::quantity::{parse_quantity, Parsed};
use crate::grammar::year::{parse_fiscal_year, FiscalYear};
use crate::layout::{self, ColumnLabel};
use crate::model::{Document, Entry, Indicator, Sheet};
use unicode_normalization::UnicodeNormalization;

/// Next year's document: one sheet per sheet of `doc`, for fiscal year `year`.
pub fn next_year(doc: &Document, year: FiscalYear) -> Document {
    Document {
        source: None,
        sheets: doc.sheets.iter().map(|s| next_sheet(s, year)).collect(),
        other_sheets: Vec::new(),
    }
}

/// One sheet for `year`, see the module documentation for what is kept.
pub fn next_sheet(sheet: &Sheet, year: FiscalYear) -> Sheet {
    let reiwa = year.reiwa();
    // The year the results are of: the sheet's own, else the one before the new year.
    let last = parse_fiscal_year(&sheet.fiscal_year).map_or(reiwa - 1, |y| y.reiwa());
    Sheet {
        sheet: String::new(),
        fiscal_year: layout::fiscal_year_text(reiwa),
        created: String::new(),
        evaluated: String::new(),
        department: sheet.department.clone(),
        division: sheet.division.clone(),
        policy_indicators: sheet.policy_indicators.clone(),
        target_label: layout::column_label(ColumnLabel::Target, Some(reiwa)),
        result_label: layout::column_label(ColumnLabel::Result, Some(reiwa)),
        entries: sheet.entries.iter().map(|e| next_entry(e, last)).collect(),
        ..Sheet::default()
    }
}

fn next_entry(entry: &Entry, last_reiwa: i32) -> Entry {
    Entry {
        no: entry.no.clone(),
        goal: entry.goal.clone(),
        grade: String::new(),
        indicators: entry
            .indicators
            .iter()
            .map(|i| Indicator {
                name: i.name.clone(),
                plan_ref: i.plan_ref.clone(),
                initiative: i.initiative.clone(),
                summary: i.summary.clone(),
                target: reference_line(&i.result, last_reiwa),
                ..Indicator::default()
            })
            .collect(),
        ..Entry::default()
    }
}

/// Last year's result as the reference line of a new target: `318件` of 令和6 →
/// `（R6：318件）`. Only the result's own line (its annotations stay behind), in half-width
/// digits (`１回` → `（R6：1回）`); empty when the result is not a quantity.
pub fn reference_line(result: &str, reiwa: i32) -> String {
    if !matches!(parse_quantity(result), Parsed::Numeric(_)) {
        return String::new();
    }
    let main = result.trim().lines().next().unwrap_or_default().trim();
    format!("（R{reiwa}：{}）", main.nfkc().collect::<String>())
}

/// The year a document is for: the fiscal year its sheets name (the latest, if they differ);
/// `None` when no sheet names a year that reads.
pub fn document_year(doc: &Document) -> Option<FiscalYear> {
    doc.sheets.iter().filter_map(|s| parse_fiscal_year(&s.fiscal_year)).max()
}

/// The file next year's document is saved under when none is named: `<division>_令和7年度.xlsx`
/// for one division, `<department>_令和7年度.xlsx` for several.
pub fn default_file_name(next: &Document, year: FiscalYear) -> String {
    match next.sheets.as_slice() {
        [one] => file_name(&one.division, year),
        sheets => file_name(sheets.first().map(|s| s.department.as_str()).unwrap_or_default(), year),
    }
}

/// The file a division's sheet is saved under: `<division>_令和7年度.xlsx`, with the
/// characters Windows forbids in file names made full-width.
pub fn file_name(division: &str, year: FiscalYear) -> String {
    let clean: String = division
        .trim()
        .chars()
        .filter(|c| !c.is_control())
        .map(|c| match c {
            '\\' => '＼',
            '/' => '／',
            ':' => '：',
            '*' => '＊',
            '?' => '？',
            '"' => '”',
            '<' => '＜',
            '>' => '＞',
            '|' => '｜',
            c => c,
        })
        .collect();
    let stem = clean.trim_end_matches(['.', ' ']);
    let stem = if stem.is_empty() { layout::TITLE } else { stem };
    format!("{stem}_{}.xlsx", layout::fiscal_year_text(year.reiwa()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_lines_are_in_the_citys_form() {
        assert_eq!(reference_line("318件", 6), "（R6：318件）");
        assert_eq!(reference_line("１回", 6), "（R6：1回）");
        assert_eq!(reference_line("105回\n（100％）", 6), "（R6：105回）");
        assert_eq!(reference_line("1,512件", 6), "（R6：1,512件）");
        assert_eq!(reference_line("推進", 6), "");
        assert_eq!(reference_line("", 6), "");
    }

    #[test]
    fn file_names_are_valid_on_windows() {
        let y = FiscalYear { start: 2025 };
        assert_eq!(file_name("市民協働課", y), "市民協働課_令和7年度.xlsx");
        assert_eq!(file_name("総務課[本庁]/窓口:*?", y), "総務課[本庁]／窓口：＊？_令和7年度.xlsx");
        assert_eq!(file_name(" ", y), "組織目標管理シート_令和7年度.xlsx");
    }
}
