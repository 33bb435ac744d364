//! `goalsheet fix` on real files: the six samples and drifted copies of them (rows inserted
//! above, a remark beside the table, a note below the legend, a date typed as text, an extra
//! sheet). The corrected workbook is the input patched: every non-empty input cell is still at
//! its address, with the fixed value (per its change log) or as it was; nothing moves. Fixing
//! a corrected workbook changes nothing, not one byte.

use crate::common::{self, patch_bytes};

use calamine::{open_workbook_auto, Data, Reader};
use goalsheet::address::CellRef;
use goalsheet::finding::Applicability;
use goalsheet::fix::workbook::CHANGES_SHEET_NAME;
use goalsheet::fix::DATE_CELL_CODE;
use goalsheet::grammar::date::{parse_date, to_excel_serial};
use goalsheet::layout;
use goalsheet::read::read_path;
use goalsheet::rules::{check_document, CheckOptions};
use rust_xlsxwriter::{Format, Workbook};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn samples() -> Vec<PathBuf> {
    common::division_samples()
}

/// Every non-empty cell of a workbook: (sheet, cell) → value.
fn cells(path: &Path) -> BTreeMap<(String, CellRef), Data> {
    let mut book = open_workbook_auto(path).expect("opens");
    let mut out = BTreeMap::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).expect("sheet");
        for (r, c, v) in range.used_cells() {
            let (r0, c0) = range.start().unwrap_or((0, 0));
            let empty = matches!(v, Data::Empty) || matches!(v, Data::String(s) if s.trim().is_empty());
            if !empty {
                out.insert((name.clone(), CellRef::new(r0 + r as u32, c0 + c as u32)), v.clone());
            }
        }
    }
    out
}

/// How a value is compared: text as is, numbers as written, dates by their day.
fn key(v: &Data) -> String {
    match v {
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 => format!("{f:.0}"),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::DateTime(d) => format!("date:{}", d.as_f64().floor()),
        other => format!("{other:?}"),
    }
}

fn date_key(text: &str) -> Option<String> {
    let d = parse_date(text).ok()?;
    Some(format!("date:{}", to_excel_serial(d.date)?))
}

/// Labels of the template (title, field labels, legend): the corrected workbook writes them
/// in their official wording, so a drifted label is not a lost value.
fn is_label(text: &str) -> bool {
    let norm: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let mut labels: BTreeSet<String> = BTreeSet::from([layout::TITLE.to_string(), layout::LEGEND.to_string()]);
    labels.extend(layout::HEADER_FIELDS.iter().map(|h| h.label.current().to_string()));
    labels.extend(layout::GROUP_LABELS.iter().map(|g| g.label.current().to_string()));
    for c in &layout::COLUMNS {
        labels.insert(layout::column_label(c.label, Some(6)));
    }
    let labels: BTreeSet<String> = labels.iter().map(|l| l.chars().filter(|c| !c.is_whitespace()).collect()).collect();
    labels.contains(&norm) || norm.ends_with("目標") && norm.len() <= 12 || norm.ends_with("結果") && norm.len() <= 12
}

/// Fixes `input` into `output` and checks that every input cell is still at its address,
/// with its fixed value or as it was.
fn fix_and_check_nothing_lost(input: &Path, output: &Path) {
    let (fixed, patched) = patch_bytes(&std::fs::read(input).unwrap(), "in.xlsx");
    std::fs::write(output, &patched.bytes).expect("write");
    let doc = &fixed.document;
    let before = cells(input);
    let after = cells(output);
    // The change log: (sheet, original cell) → (code, before, after).
    let changes: BTreeMap<(String, String), (String, String, String)> = fixed
        .applied
        .iter()
        .map(|e| {
            let sheet = doc.sheets[e.location.sheet_index].sheet.clone();
            (
                (sheet, e.cell.map(|c| c.to_string()).unwrap_or_default()),
                (e.code.to_string(), e.before.clone(), e.after.clone()),
            )
        })
        .collect();
    let mut lost = vec![];
    for ((sheet, cell), v) in &before {
        let k = key(v);
        let expected = match changes.get(&(sheet.clone(), cell.to_string())) {
            Some((code, _, after)) if code == DATE_CELL_CODE => date_key(after).unwrap_or(k.clone()),
            Some((_, before, after)) if *before == k || before.trim() == k.trim() => after.clone(),
            _ => k.clone(),
        };
        let found = after.get(&(sheet.clone(), *cell)).map(key);
        if found.as_deref() != Some(expected.as_str()) {
            lost.push(format!("{sheet}!{cell}: {expected:?}, found {found:?}"));
        }
    }
    assert!(lost.is_empty(), "{}: lost or moved {lost:#?}", input.display());
}

#[test]
fn nothing_is_lost_from_the_samples() {
    let dir = tempfile::tempdir().unwrap();
    for s in samples() {
        let out = dir.path().join(s.file_name().unwrap());
        fix_and_check_nothing_lost(&s, &out);
    }
}

/// A drifted copy of a sample: `shift` rows inserted above, a remark beside the table, a note
/// below the legend, 作成日 typed as text, and an extra sheet.
fn drifted(sample: &Path, out: &Path, shift: u32) {
    let mut book = open_workbook_auto(sample).expect("sample opens");
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).expect("sheet");
    let merges = match &mut book {
        calamine::Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(&name).expect("merges"),
        _ => vec![],
    };
    let mut wb = Workbook::new();
    let font = Format::new().set_font_name(layout::FONT_NAME);
    let date = font.clone().set_num_format(layout::DATE_FORMAT_SHORT);
    let ws = wb.add_worksheet();
    ws.set_name(&name).unwrap();
    ws.write_string_with_format(0, 0, "【提出用】令和6年度", &font).unwrap();
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let mut last_row = 0;
    for m in &merges {
        ws.merge_range(m.start.0 + shift, m.start.1 as u16, m.end.0 + shift, m.end.1 as u16, "", &font).unwrap();
    }
    for (r, c, v) in range.used_cells() {
        let (row, col) = (r0 + r as u32 + shift, (c0 as usize + c) as u16);
        last_row = last_row.max(row);
        match v {
            Data::String(s) => ws.write_string_with_format(row, col, s, &font).map(|_| ()),
            Data::Float(f) => ws.write_number_with_format(row, col, *f, &font).map(|_| ()),
            Data::DateTime(d) => ws.write_number_with_format(row, col, d.as_f64(), &date).map(|_| ()),
            _ => Ok(()),
        }
        .unwrap();
    }
    // 作成日 typed as text (評価日 stays a date cell).
    let created = CellRef::parse("J1").unwrap();
    ws.write_string_with_format(created.row + shift, created.col as u16, "R6.5.15", &font).unwrap();
    ws.write_string_with_format(9 + shift, 12, "備考：数値は速報値", &font).unwrap();
    ws.write_string_with_format(last_row + 2, 1, "※この表は課内で確認済み", &font).unwrap();
    let other = wb.add_worksheet();
    other.set_name("連絡先").unwrap();
    other.write_string(1, 1, "担当 内線1234").unwrap();
    wb.save(out).unwrap();
}

#[test]
fn nothing_is_lost_from_drifted_workbooks() {
    let dir = tempfile::tempdir().unwrap();
    for (i, s) in samples().iter().enumerate() {
        let input = dir.path().join(format!("drift{i}.xlsx"));
        drifted(s, &input, 3);
        let doc = read_path(&input).unwrap_or_else(|e| panic!("{}: {e}", input.display()));
        assert_eq!(doc.sheets.len(), 1, "{}", s.display());
        fix_and_check_nothing_lost(&input, &dir.path().join(format!("drift{i}.corrected.xlsx")));
    }
}

#[test]
fn fixing_a_corrected_workbook_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    for (i, s) in samples().iter().enumerate() {
        let input = dir.path().join(format!("d{i}.xlsx"));
        drifted(s, &input, 2);
        let (fixed, once) = patch_bytes(&std::fs::read(&input).unwrap(), "d.xlsx");
        assert!(!once.unchanged && !fixed.applied.is_empty(), "{}: the date typed as text is fixed", s.display());

        let (fixed2, twice) = patch_bytes(&once.bytes, "d.corrected.xlsx");
        assert!(fixed2.applied.is_empty(), "{}: second run changed {:#?}", s.display(), fixed2.applied);
        // `check` on the corrected workbook: nothing left that a safe fix would change.
        let fixable: Vec<_> = check_document(&fixed2.document, &CheckOptions::default())
            .into_iter()
            .filter(|f| f.fix.as_ref().is_some_and(|x| x.applicability == Applicability::Safe))
            .collect();
        assert!(fixable.is_empty(), "{}: fixable findings remain: {fixable:#?}", s.display());
        // Nothing to change: the very same bytes (notes, fills, both logs kept as they were).
        assert!(twice.unchanged, "{}: the second run changed a part", s.display());
        assert_eq!(twice.bytes, once.bytes, "{}", s.display());
        let path = dir.path().join(format!("d{i}.corrected.xlsx"));
        std::fs::write(&path, &twice.bytes).unwrap();
        let log = cells(&path).into_iter().filter(|((sh, _), _)| sh == CHANGES_SHEET_NAME).count();
        assert!(log > 9, "change log kept: {log} cells");
    }
}

/// Every drift the reader handles (tests/common/fixtures.rs), one at a time and all together:
/// nothing of the input is lost in the corrected workbook.
#[test]
fn nothing_is_lost_under_every_fixture_drift() {
    use common::fixtures::{goal_sheet_xlsx, sample, Drift};
    use goalsheet::model::Field;
    let all = Drift::all();
    let drifts = [
        Drift::default(),
        Drift { rows_above: 3, ..Drift::default() },
        Drift { shift_right: 2, rows_above: 1, ..Drift::default() },
        Drift { blank_col_after: Some(3), ..Drift::default() },
        Drift { broken_labels: true, ..Drift::default() },
        Drift { halfwidth_year: true, ..Drift::default() },
        Drift { unmerged: true, ..Drift::default() },
        Drift { value_after_area: Some(Field::Division), ..Drift::default() },
        Drift { value_in_label: Some(Field::PolicyIndicators), ..Drift::default() },
        Drift { no_legend: true, ..Drift::default() },
        all,
    ];
    let dir = tempfile::tempdir().unwrap();
    for (i, d) in drifts.iter().enumerate() {
        let input = dir.path().join(format!("fixture{i}.xlsx"));
        std::fs::write(&input, goal_sheet_xlsx(&sample(), d)).unwrap();
        fix_and_check_nothing_lost(&input, &dir.path().join(format!("fixture{i}.corrected.xlsx")));
    }
}
