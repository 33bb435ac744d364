//! The department file as .xlsx: 集計, 一覧, one sheet per division, 検証結果.

use super::summary::write_summary;
use super::table::write_table;
use super::Department;
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::write::findings_sheet::{write_findings_sheet, FileFindings, WrittenSheet, FINDINGS_SHEET_NAME};
use crate::write::table::{write_extras, write_moved_sheet, write_notes, MovedValue};
use crate::write::{new_workbook, sheet_name, write_sheet, Styles};
use std::collections::HashSet;

/// The summary sheet's name.
pub const SUMMARY_SHEET: &str = "集計";
/// The flat table's name.
pub const LIST_SHEET: &str = "一覧";
/// The findings sheet's name.
pub const FINDINGS_SHEET: &str = FINDINGS_SHEET_NAME;

/// The department file: 集計 (summary and chart), 一覧 (every indicator, one per row), each
/// division's sheet in the official layout (named after the division, made valid and unique),
/// then 検証結果. Notes and explanations are in `lang`; labels are the official Japanese
/// ones. The same department gives the same bytes.
pub fn department_bytes(dept: &Department, lang: Lang) -> Result<Vec<u8>> {
    let mut wb = new_workbook()?;
    let styles = Styles::new();
    let mut used: HashSet<String> = [SUMMARY_SHEET, LIST_SHEET, FINDINGS_SHEET].iter().map(|s| s.to_string()).collect();
    let names: Vec<String> = dept.divisions.iter().map(|d| sheet_name(d.name(), &mut used)).collect();

    let ws = wb.add_worksheet();
    ws.set_name(SUMMARY_SHEET)?;
    write_summary(ws, SUMMARY_SHEET, dept, &names, &styles, lang).map_err(|e| e.in_sheet(SUMMARY_SHEET))?;

    let ws = wb.add_worksheet();
    ws.set_name(LIST_SHEET)?;
    write_table(ws, dept, &styles).map_err(|e| e.in_sheet(LIST_SHEET))?;

    let mut written = Vec::new();
    // A division's values outside the layout (a remark beside the table, a note under it): at
    // their address, or on 元の位置の値 after the division sheets.
    let mut moved = Vec::new();
    for (d, name) in dept.divisions.iter().zip(&names) {
        let ws = wb.add_worksheet();
        ws.set_name(name).map_err(|e| Error::from(e).in_sheet(name))?;
        let placed = write_sheet(ws, &d.sheet, &styles).map_err(|e| e.in_sheet(name))?;
        let mut elsewhere = write_extras(ws, &d.sheet, &placed, &styles).map_err(|e| e.in_sheet(name))?;
        elsewhere.extend(write_notes(ws, &d.sheet, &placed, lang).map_err(|e| e.in_sheet(name))?);
        // Listed by the department file this division was taken from (a merge again).
        elsewhere.extend(d.earlier_moved.iter().map(|(cell, text)| MovedValue {
            sheet: String::new(),
            cell: *cell,
            text: text.clone(),
        }));
        // Named after the division's sheet in this workbook, as 検証結果 names it.
        moved.extend(elsewhere.into_iter().map(|m| MovedValue { sheet: name.clone(), ..m }));
        written.push([WrittenSheet { name: name.clone(), placed }]);
    }
    write_moved_sheet(&mut wb, &mut used, &moved, lang, &styles)?;

    // Each division's findings point into a document of its own; cells are given in the
    // division's sheet of this workbook, the file is the one it came from.
    let docs: Vec<_> = dept.divisions.iter().map(|d| d.document()).collect();
    let files: Vec<FileFindings<'_>> = dept
        .divisions
        .iter()
        .zip(&docs)
        .zip(&written)
        .map(|((d, doc), w)| FileFindings {
            file: d.source.as_deref().map(super::file_name).unwrap_or_default(),
            doc,
            findings: &d.findings,
            written: w,
        })
        .collect();
    let ws = wb.add_worksheet();
    ws.set_name(FINDINGS_SHEET)?;
    write_findings_sheet(ws, &files, lang, &styles).map_err(|e| e.in_sheet(FINDINGS_SHEET))?;
    Ok(wb.save_to_buffer()?)
}
