//! The reader finds every field by its label: the official layout and each drift real
//! workbooks show must give the same model, with provenance pointing at the cells as they are.

use crate::common;

use crate::common::fixtures::{goal_sheet_xlsx, sample, Drift, Spec};
use goalsheet::layout;
use goalsheet::model::{Field, Sheet};
use goalsheet::read::read_bytes;

fn read(spec: &Spec, d: &Drift) -> Sheet {
    let doc = read_bytes(&goal_sheet_xlsx(spec, d), "課.xlsx").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(doc.source.as_deref(), Some("課.xlsx"));
    assert_eq!(doc.sheets.len(), 1, "one goal sheet");
    doc.sheets.into_iter().next().unwrap()
}

/// Values and counts equal the spec; header and table provenance follow the drift.
/// `spec` written in the layout `d`, with `edit` made to the sheet, read back.
fn read_edited(spec: &Spec, d: &Drift, edit: impl FnOnce(&mut rust_xlsxwriter::Worksheet)) -> goalsheet::Document {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    common::fixtures::write_goal_sheet(ws, spec, d);
    edit(ws);
    read_bytes(&wb.save_to_buffer().unwrap(), "課.xlsx").unwrap_or_else(|e| panic!("{e}"))
}

fn assert_model(s: &Sheet, spec: &Spec, d: &Drift) {
    assert_eq!(s.sheet, spec.name);
    for h in &layout::HEADER_FIELDS {
        assert_eq!(s.field(h.field), Some(spec.header(h.field)), "{:?}", h.field);
    }
    assert_eq!(s.entries.len(), spec.entries.len());
    assert_eq!(s.indicator_count(), spec.indicator_count());
    for (i, (e, want)) in s.entries.iter().zip(&spec.entries).enumerate() {
        assert_eq!(e.no, want.no);
        assert_eq!(e.goal, want.goal);
        assert_eq!(e.grade, want.grade);
        assert_eq!(e.indicators.len(), want.inds.len(), "entry {}", want.no);
        let first = Drift::entry_row(spec, i);
        assert_eq!(e.cells.get(Field::No).map(|c| c.to_string()), Some(d.a1(first, 0)));
        assert_eq!(e.cells.get(Field::Grade).map(|c| c.to_string()), Some(d.a1(first, 8)));
        for (k, (ind, w)) in e.indicators.iter().zip(&want.inds).enumerate() {
            for f in Field::INDICATOR {
                assert_eq!(ind.field(f), Some(w.get(f)), "entry {} indicator {k} {f}", want.no);
            }
            let row = first + k as u32;
            assert_eq!(ind.cells.get(Field::Target).map(|c| c.to_string()), Some(d.a1(row, 4)));
            assert_eq!(ind.cells.get(Field::Result).map(|c| c.to_string()), Some(d.a1(row, 5)));
        }
    }
    // Everything on the sheet is part of the model.
    assert!(s.extras.is_empty(), "unexpected extras: {:?}", s.extras);
}

#[test]
fn official_layout() {
    let spec = sample();
    let d = Drift::default();
    let s = read(&spec, &d);
    assert_model(&s, &spec, &d);
    // Header provenance as in the layout.
    assert_eq!(s.cells.get(Field::FiscalYear).unwrap().to_string(), "H1");
    assert_eq!(s.cells.get(Field::Division).unwrap().to_string(), "E3");
    assert_eq!(s.merged.get(Field::Division).unwrap().to_string(), "E3:F3");
    assert_eq!(s.merged.get(Field::PolicyIndicators).unwrap().to_string(), "C4:K4");
    assert_eq!(s.target_label, "Ｒ６目標");
    assert_eq!(s.result_label, "Ｒ６結果");
    assert_eq!(s.cells.get(Field::TargetLabel).unwrap().to_string(), "E7");
    // Entry 1 at row 8, target E8; entry 2 spans rows 9–11 with A/B/I merged down.
    let e1 = &s.entries[0];
    assert_eq!(e1.indicators[0].cells.get(Field::Target).unwrap().to_string(), "E8");
    let e2 = &s.entries[1];
    assert_eq!(e2.merged.get(Field::Goal).unwrap().to_string(), "B9:B11");
    assert_eq!(e2.merged.get(Field::Grade).unwrap().to_string(), "I9:I11");
    // G9:G10 share "・市民相談" but G11 differs: the builder merges only fully shared columns.
    assert_eq!(e2.indicators[1].initiative, "・市民相談");
    // Status shared by all three rows → merged J9:J11, every indicator sees it.
    for ind in &e2.indicators {
        assert_eq!(ind.merged.get(Field::Status).unwrap().to_string(), "J9:J11");
        assert_eq!(ind.cells.get(Field::Status).unwrap().to_string(), "J9");
    }
    // Line breaks kept verbatim.
    assert_eq!(e2.indicators[0].target, "300件\n（R5：290件）");
}

#[test]
fn rows_inserted_above() {
    let spec = sample();
    let d = Drift { rows_above: 3, ..Drift::default() };
    let s = read(&spec, &d);
    assert_model(&s, &spec, &d);
    assert_eq!(s.entries[0].indicators[0].cells.get(Field::Target).unwrap().to_string(), "E11");
    assert_eq!(s.cells.get(Field::FiscalYear).unwrap().to_string(), "H4");
}

#[test]
fn whole_sheet_shifted_right() {
    let spec = sample();
    let d = Drift { shift_right: 2, rows_above: 1, ..Drift::default() };
    let s = read(&spec, &d);
    assert_model(&s, &spec, &d);
    assert_eq!(s.entries[0].indicators[0].cells.get(Field::Target).unwrap().to_string(), "G9");
    assert_eq!(s.merged.get(Field::PolicyIndicators).unwrap().to_string(), "E5:M5");
}

#[test]
fn blank_column_inside_table() {
    let spec = sample();
    // A blank column between 総合計画 (D) and Ｒ６目標: targets move to F.
    let d = Drift { blank_col_after: Some(3), ..Drift::default() };
    let s = read(&spec, &d);
    assert_model(&s, &spec, &d);
    assert_eq!(s.entries[0].indicators[0].cells.get(Field::Target).unwrap().to_string(), "F8");
    assert_eq!(s.entries[0].cells.get(Field::Grade).unwrap().to_string(), "J8");
}

#[test]
fn labels_broken_over_lines() {
    let spec = sample();
    let d = Drift { broken_labels: true, ..Drift::default() };
    let s = read(&spec, &d);
    assert_model(&s, &spec, &d);
    assert_eq!(s.entries[1].indicators[2].plan_ref, "行財3-2-②");
}

#[test]
fn halfwidth_year_labels() {
    let spec = sample();
    let d = Drift { halfwidth_year: true, ..Drift::default() };
    let s = read(&spec, &d);
    assert_model(&s, &spec, &d);
    assert_eq!(s.target_label, "R6目標");
    assert_eq!(s.result_label, "R6結果");
}

#[test]
fn continuation_rows_left_unmerged() {
    let spec = sample();
    let d = Drift { unmerged: true, ..Drift::default() };
    let s = read(&spec, &d);
    assert_model(&s, &spec, &d);
    let e2 = &s.entries[1];
    assert!(e2.merged.get(Field::Goal).is_none());
    assert_eq!(e2.indicators[2].status, "計318件の相談に対応しました。");
    assert_eq!(e2.indicators[2].cells.get(Field::Status).unwrap().to_string(), "J11");
}

#[test]
fn header_value_one_cell_after_its_area() {
    let spec = sample();
    // 組織名（準部・課・機関名）: value area E3:F3 left empty, value typed in G3.
    let d = Drift { value_after_area: Some(Field::Division), ..Drift::default() };
    let s = read(&spec, &d);
    assert_model(&s, &spec, &d);
    assert_eq!(s.cells.get(Field::Division).unwrap().to_string(), "G3");
    assert!(s.merged.get(Field::Division).is_none());
}

#[test]
fn header_value_hidden_in_label_area() {
    let spec = sample();
    // 政策指標: label area A4:B4 merged, value typed in B4, C4:K4 empty.
    let d = Drift { value_in_label: Some(Field::PolicyIndicators), ..Drift::default() };
    let s = read(&spec, &d);
    assert_model(&s, &spec, &d);
    assert_eq!(s.cells.get(Field::PolicyIndicators).unwrap().to_string(), "B4");
}

#[test]
fn all_drifts_together() {
    let spec = sample();
    let d = Drift::all();
    let s = read(&spec, &d);
    assert_model(&s, &spec, &d);
}

#[test]
fn table_ends_at_blank_row_without_legend_and_keeps_cells_below() {
    let spec = sample();
    let d = Drift { no_legend: true, ..Drift::default() };
    // Two rows after the table (one blank row between): a note. Also a remark beside the table.
    let last = Drift::entry_row(&spec, spec.entries.len());
    let doc = read_edited(&spec, &d, |ws| {
        ws.write_string(last + 1, 1, "※ 数値は速報値").unwrap();
        ws.write_string(8, 12, "確認済").unwrap();
    });
    let s = &doc.sheets[0];
    assert_eq!(s.entries.len(), 3);
    assert_eq!(s.indicator_count(), 6);
    let extras: Vec<String> = s.extras.iter().map(|x| format!("{}={}", x.cell, x.text)).collect();
    assert_eq!(extras, vec!["M9=確認済".to_string(), format!("B{}=※ 数値は速報値", last + 2)]);
}

/// Blank spacer rows a division put between two entries do not end the table: the entries
/// below them were left out before, silently (check found nothing there, merge lost them).
#[test]
fn entries_below_a_spacer_row_are_read() {
    let full = sample();
    // (blank rows before the third entry, blank rows between its two indicators)
    for (gap, inner) in [(1u32, 0u32), (2, 0), (0, 1)] {
        let mut spec = full.clone();
        let third = spec.entries.pop().unwrap();
        let d = Drift { unmerged: true, no_legend: true, ..Drift::default() };
        let doc = read_edited(&spec, &d, |ws| {
            let first = Drift::entry_row(&spec, spec.entries.len()) + gap;
            let columns = [
                (2, Field::Name),
                (3, Field::PlanRef),
                (4, Field::Target),
                (5, Field::Result),
                (6, Field::Initiative),
                (7, Field::Summary),
                (9, Field::Status),
                (10, Field::Policy),
            ];
            for (k, ind) in third.inds.iter().enumerate() {
                let r = first + k as u32 + if k > 0 { inner } else { 0 };
                if k == 0 {
                    ws.write_string(r, 0, third.no).unwrap();
                    ws.write_string(r, 1, third.goal).unwrap();
                    ws.write_string(r, 8, third.grade).unwrap();
                }
                for (c, f) in columns {
                    if !ind.get(f).is_empty() {
                        ws.write_string(r, c, ind.get(f)).unwrap();
                    }
                }
            }
            ws.write_string(first + third.inds.len() as u32 + inner, 0, layout::LEGEND).unwrap();
        });
        let s = &doc.sheets[0];
        assert_eq!((s.entries.len(), s.indicator_count()), (3, full.indicator_count()), "{gap}, {inner} blank rows");
        assert_eq!(s.entries[2].no, third.no);
        assert_eq!(s.entries[2].indicators[0].target, third.inds[0].target);
        assert!(s.extras.is_empty(), "{:?}", s.extras);
    }
    // A second table's header row below a blank row is no indicator: the table ends.
    let spec = full;
    let d = Drift { no_legend: true, ..Drift::default() };
    let doc = read_edited(&spec, &d, |ws| {
        let below = Drift::entry_row(&spec, spec.entries.len()) + 1;
        ws.write_string(below, 2, "取組指標").unwrap();
        ws.write_string(below, 4, "Ｒ６目標").unwrap();
    });
    assert_eq!(doc.sheets[0].indicator_count(), spec.indicator_count());
    assert_eq!(doc.sheets[0].extras.len(), 2);
}

/// Other forms name the header fields otherwise (`組織名（課）`, `課名`, `部名`): the values are
/// read all the same, not reported as missing.
#[test]
fn header_labels_of_other_forms_are_read() {
    let spec = sample();
    for (department, division) in [("部名", "課名"), ("組織名（部局）", "組織名（課）"), ("組織名（部）", "所属名")]
    {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        common::fixtures::write_goal_sheet(ws, &spec, &Drift::default());
        ws.write_string(2, 0, department).unwrap();
        ws.write_string(2, 3, division).unwrap();
        let doc = read_bytes(&wb.save_to_buffer().unwrap(), "課.xlsx").unwrap();
        let s = &doc.sheets[0];
        assert_eq!((s.department.as_str(), s.division.as_str()), (spec.department, spec.division), "{division}");
    }
}

/// Other forms label the table's columns otherwise (`番号`, `指標名`, `取組名称`, `達成状況`,
/// `今後の方向性` …): every column is read, none reported blank row by row.
#[test]
fn column_labels_of_other_forms_are_read() {
    let spec = sample();
    let d = Drift::default();
    let doc = read_edited(&spec, &d, |ws| {
        let relabel = [
            (5, 0, "番号"),
            (5, 1, "組織の目標"),
            (6, 2, "指標名"),
            (6, 3, "総合計画上の位置づけ"),
            (6, 6, "取組名称"),
            (6, 7, "事業概要"),
            (5, 8, "評価結果"),
            (5, 9, "達成状況"),
            (5, 10, "今後の方向性"),
        ];
        for (row, col, label) in relabel {
            ws.write_string(row, col, label).unwrap();
        }
    });
    assert_model(&doc.sheets[0], &spec, &d);
}

/// A header value written in its label's cell after a colon (`作成日：R6.4.1`, `年度: 令和6年度`),
/// as Japanese documents often head a page: the value was read as missing (GS101/GS102 "empty")
/// and the department file lost it. It is read from there, and the field is marked so that
/// `fix` never writes into that cell (the label would go).
#[test]
fn a_header_value_in_its_label_cell_after_a_colon_is_read() {
    let spec = sample();
    let d = Drift::default();
    let doc = read_edited(&spec, &d, |ws| {
        for (row, col, text) in [(0, 6, "年度: 令和6年度"), (0, 8, "作成日：R6.4.1"), (1, 8, "評価日：令和7年3月31日")]
        {
            ws.write_string(row, col, text).unwrap();
            ws.clear_cell(row, col + 1);
        }
    });
    let s = &doc.sheets[0];
    assert_eq!(
        (s.fiscal_year.as_str(), s.created.as_str(), s.evaluated.as_str()),
        ("令和6年度", "R6.4.1", "令和7年3月31日")
    );
    assert_eq!(s.in_label_cell, vec![Field::FiscalYear, Field::Created, Field::Evaluated]);
    assert_eq!(s.cells.get(Field::Created).map(|c| c.to_string()).as_deref(), Some("I1"), "the label's own cell");
    let findings = goalsheet::rules::check_document(&doc, &Default::default());
    let header: Vec<_> = findings.iter().filter(|f| f.location.entry.is_none()).map(|f| f.code).collect();
    assert!(header.is_empty(), "{header:?}");

    // A label with a colon and its value in the next cell, as usual (`作成日：` | `R6.4.1`):
    // the label was not found, and every header field was "empty".
    let doc = read_edited(&spec, &d, |ws| {
        for (row, col, text) in [(0, 6, "年度："), (0, 8, "作成日："), (1, 8, "評価日:")] {
            ws.write_string(row, col, text).unwrap();
        }
    });
    assert_model(&doc.sheets[0], &spec, &d);
    assert!(doc.sheets[0].in_label_cell.is_empty());
}

/// Column labels with a note in brackets after them, as forms annotate their headers
/// (`評価（○・△・×）`, `目標達成状況（評価の理由）`, `今後の方針\n（改善策）`): the column was not
/// found and every value in it was "empty" (GS102 on each entry) and lost to merge.
#[test]
fn column_labels_with_a_note_in_brackets_are_read() {
    let spec = sample();
    let d = Drift::default();
    let doc = read_edited(&spec, &d, |ws| {
        for (row, col, label) in
            [(5, 8, "評価（○・△・×）"), (5, 9, "目標達成状況（評価の理由）"), (5, 10, "今後の方針\n（改善策）")]
        {
            ws.write_string(row, col, label).unwrap();
        }
    });
    assert_model(&doc.sheets[0], &spec, &d);
}

/// The form's example sheet (`記入例`), filled in with a placeholder division, kept beside the
/// division's own sheet as templates come: it was read as a second goal sheet, and merge
/// counted `○○課` as a division of the department. It is another sheet now, unless no other
/// sheet is a goal sheet (the division wrote into the example).
#[test]
fn the_forms_example_sheet_is_no_submission() {
    let spec = sample();
    let d = Drift::default();
    let example = |wb: &mut rust_xlsxwriter::Workbook| {
        let ws = wb.add_worksheet();
        common::fixtures::write_goal_sheet(ws, &spec, &d);
        ws.set_name("記入例").unwrap();
    };
    let mut wb = rust_xlsxwriter::Workbook::new();
    example(&mut wb);
    common::fixtures::write_goal_sheet(wb.add_worksheet(), &spec, &d);
    let doc = read_bytes(&wb.save_to_buffer().unwrap(), "課.xlsx").unwrap();
    let goal: Vec<&str> = doc.sheets.iter().map(|s| s.sheet.as_str()).collect();
    assert_eq!(goal, vec![spec.name]);
    assert!(doc.other_sheets.iter().any(|s| s.name == "記入例" && !s.cells.is_empty()), "kept, whole");
    let dept = goalsheet::merge::merge_documents(vec![doc], &Default::default()).unwrap();
    assert_eq!(dept.divisions.len(), 1);

    let mut wb = rust_xlsxwriter::Workbook::new();
    example(&mut wb);
    let doc = read_bytes(&wb.save_to_buffer().unwrap(), "課.xlsx").unwrap();
    assert_eq!(doc.sheets.len(), 1, "the only goal sheet is read, whatever its name");
    assert_eq!(doc.sheets[0].entries.len(), spec.entries.len());
}

/// Last year's sheet kept in the workbook, hidden, as divisions copy a sheet forward each year:
/// it was read as a second goal sheet, so `check` reported an error on a sheet the division
/// cannot see (another fiscal year, or the same division twice) and `merge` refused the file.
/// A hidden sheet is another sheet now while a shown one is a goal sheet; a workbook whose only
/// goal sheet is hidden is still read.
#[test]
fn a_hidden_sheet_beside_a_shown_one_is_no_submission() {
    let spec = sample();
    let d = Drift::default();
    let hidden = |wb: &mut rust_xlsxwriter::Workbook| {
        let ws = wb.add_worksheet();
        common::fixtures::write_goal_sheet(ws, &spec, &d);
        ws.set_name("R5").unwrap();
        ws.write_string(0, 7, "令和５年度").unwrap();
        ws.set_hidden(true);
    };
    let mut wb = rust_xlsxwriter::Workbook::new();
    common::fixtures::write_goal_sheet(wb.add_worksheet(), &spec, &d);
    hidden(&mut wb);
    let doc = read_bytes(&wb.save_to_buffer().unwrap(), "課.xlsx").unwrap();
    let goal: Vec<&str> = doc.sheets.iter().map(|s| s.sheet.as_str()).collect();
    assert_eq!(goal, vec![spec.name]);
    assert!(doc.other_sheets.iter().any(|s| s.name == "R5" && !s.cells.is_empty()), "kept, whole");
    let across = goalsheet::rules::files::check_across(&[goalsheet::rules::files::FileHeaders::of("課.xlsx", &doc)]);
    assert!(across.is_empty(), "{across:?}");
    let dept = goalsheet::merge::merge_documents(vec![doc], &Default::default()).unwrap();
    assert_eq!(dept.divisions.len(), 1);

    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet().set_name("メモ").unwrap().write_string(0, 0, "提出前に確認").unwrap();
    hidden(&mut wb);
    let doc = read_bytes(&wb.save_to_buffer().unwrap(), "課.xlsx").unwrap();
    let goal: Vec<&str> = doc.sheets.iter().map(|s| s.sheet.as_str()).collect();
    assert_eq!(goal, vec!["R5"], "the only goal sheet is read, hidden or not");
    assert_eq!(doc.sheets[0].fiscal_year, "令和５年度");

    // The same in LibreOffice's .xls and .ods (scripts/hidden-fixtures.py).
    for ext in ["xls", "ods"] {
        let file = format!("tests/data/hidden/広聴相談課-hidden-r5.{ext}");
        let doc = read_bytes(&std::fs::read(common::repo(&file)).unwrap(), &file).unwrap();
        let goal: Vec<&str> = doc.sheets.iter().map(|s| s.sheet.as_str()).collect();
        assert_eq!(goal, vec!["広聴相談課"], "{ext}");
        assert!(doc.other_sheets.iter().any(|s| s.name == "R5"), "{ext}");
    }
}

/// The year after the word in the target and result headers, as other forms write them
/// (`目標（R6）`, `実績値（令和6年度）`, `目標値［R6］`): the columns were not found, every
/// target and result was reported empty and the department file lost them. A bracket that
/// holds no year (`目標（案）`) names no year column.
#[test]
fn year_column_headers_with_the_year_in_brackets_are_read() {
    let spec = sample();
    let d = Drift::default();
    for (target, result) in
        [("目標（R6）", "結果（R6）"), ("目標値(令和6年度)", "実績値(令和6年度)"), ("目標値［Ｒ６］", "実績［Ｒ６］")]
    {
        let doc = read_edited(&spec, &d, |ws| {
            ws.write_string(6, 4, target).unwrap();
            ws.write_string(6, 5, result).unwrap();
        });
        assert_model(&doc.sheets[0], &spec, &d);
        let findings = goalsheet::rules::check_document(&doc, &Default::default());
        // (GS408: the fixture's dates are text, as in every drift test.)
        let codes: Vec<_> = findings
            .iter()
            .map(|f| f.code)
            .filter(|c| c.starts_with("GS10") || c.starts_with("GS40") && *c != "GS408")
            .collect();
        assert!(codes.is_empty(), "{target}: {codes:?}");
    }
    let doc = read_edited(&spec, &d, |ws| {
        ws.write_string(6, 4, "目標（案）").unwrap();
    });
    assert!(doc.sheets[0].entries.iter().all(|e| e.indicators.iter().all(|i| i.target.is_empty())));
}

/// A note right under the table (no blank row between), in column A or B, ends the table: it
/// is a cell outside the layout, not an entry whose No. is not a number and whose fields are
/// all empty; a legend below it is still found.
#[test]
fn a_note_right_under_the_table_ends_it() {
    let spec = sample();
    for (col, note, legend_below) in [(0, "※数値は令和7年3月末時点のものです。", true), (1, "（注）速報値", false)]
    {
        let d = Drift { no_legend: true, ..Drift::default() };
        let doc = read_edited(&spec, &d, |ws| {
            let last = Drift::entry_row(&spec, spec.entries.len());
            ws.write_string(last, col, note).unwrap();
            if legend_below {
                ws.write_string(last + 1, 0, "◎：予定以上 ○：予定どおり △：やや遅れ").unwrap();
            }
        });
        let s = &doc.sheets[0];
        assert_eq!((s.entries.len(), s.indicator_count()), (3, 6), "{note}");
        let extras: Vec<&str> = s.extras.iter().map(|x| x.text.as_str()).collect();
        assert_eq!(extras, vec![note]);
        assert_eq!(s.legend.is_empty(), !legend_below, "{note}");
        let findings = goalsheet::rules::check_document(&doc, &Default::default());
        assert!(findings.iter().all(|f| f.location.entry != Some(3)), "no fourth entry: {findings:?}");
    }
}

/// The legend row is captured into the model, in the official layout and in another
/// government's form, also a blank row below the table; it is not an extra cell.
#[test]
fn the_legend_row_is_captured() {
    let spec = sample();
    assert_eq!(read(&spec, &Drift::default()).legend, "", "the official legend means what no legend means");
    for (gap, legend) in [(0, "◎：予定以上 ○：予定どおり △：やや遅れ"), (2, "★★★《達成!》 ★★《概ね達成》 ★《未達成》")]
    {
        let d = Drift { no_legend: true, ..Drift::default() };
        let doc = read_edited(&spec, &d, |ws| {
            let last = Drift::entry_row(&spec, spec.entries.len());
            ws.write_string(last + gap, 0, legend).unwrap();
        });
        let s = &doc.sheets[0];
        assert_eq!(s.legend, legend);
        assert_eq!(s.entries.len(), 3);
        assert!(s.extras.is_empty(), "{:?}", s.extras);
        let json = serde_json::to_value(s).unwrap();
        assert_eq!(json["legend"], legend);
    }
    // What goalsheet writes keeps the sheet's own legend.
    let mut doc = read_bytes(&goal_sheet_xlsx(&spec, &Drift::default()), "課.xlsx").unwrap();
    doc.sheets[0].legend = "◎：予定以上 ○：予定どおり △：やや遅れ".into();
    let back = read_bytes(&goalsheet::write::workbook_bytes(&doc).unwrap(), "課.xlsx").unwrap();
    assert_eq!(back.sheets[0].legend, doc.sheets[0].legend);
    let none = read(&spec, &Drift { no_legend: true, ..Drift::default() });
    assert_eq!(none.legend, "");
    assert!(serde_json::to_value(&none).unwrap().get("legend").is_none(), "serialised only when present");
}

#[test]
fn every_goal_sheet_of_a_department_file_and_summary_sheets_kept() {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let summary = wb.add_worksheet();
    summary.set_name("集計").unwrap();
    summary.write_string(0, 0, "課").unwrap();
    summary.write_string(1, 0, "広聴相談課").unwrap();
    summary.write_number(1, 1, 3).unwrap();
    let a = sample();
    let mut b = sample();
    b.name = "市民協働課";
    b.division = "市民協働課";
    b.entries.truncate(2);
    common::fixtures::write_goal_sheet(wb.add_worksheet(), &a, &Drift::default());
    common::fixtures::write_goal_sheet(wb.add_worksheet(), &b, &Drift { rows_above: 1, ..Drift::default() });
    let doc = read_bytes(&wb.save_to_buffer().unwrap(), "市民生活部.xlsx").unwrap();
    assert_eq!(doc.sheets.iter().map(|s| s.sheet.as_str()).collect::<Vec<_>>(), ["広聴相談課", "市民協働課"]);
    assert_eq!(doc.sheets[1].division, "市民協働課");
    assert_eq!(doc.sheets[1].entries.len(), 2);
    assert_eq!(doc.other_sheets.len(), 1);
    let raw = &doc.other_sheets[0];
    assert_eq!(raw.name, "集計");
    let cells: Vec<String> = raw.cells.iter().map(|c| format!("{}={}", c.cell, c.text)).collect();
    assert_eq!(cells, ["A1=課", "A2=広聴相談課", "B2=3"]);
}

#[test]
fn a_merged_no_area_starts_an_entry_even_when_empty() {
    let mut spec = sample();
    spec.entries[1].no = "";
    // Merged (official): A9:A11 is a new No. area, so entry 2 stands on its own.
    let s = read(&spec, &Drift::default());
    assert_eq!(s.entries.len(), 3);
    assert_eq!(s.entries[1].no, "");
    assert_eq!(s.entries[1].merged.get(Field::No).unwrap().to_string(), "A9:A11");
    assert_eq!(s.entries[1].indicators.len(), 3);
    // Unmerged: a blank No. whose row has a goal of its own, different from the entry above,
    // starts a new entry without a number (rows with a blank goal continue it).
    let d = Drift { unmerged: true, ..Drift::default() };
    let doc = read_bytes(&goal_sheet_xlsx(&spec, &d), "課.xlsx").unwrap();
    let s = &doc.sheets[0];
    assert_eq!(s.entries.len(), 3);
    assert_eq!(s.entries[0].indicators.len(), 1);
    assert_eq!((s.entries[1].no.as_str(), s.entries[1].goal.as_str()), ("", "相談体制を充実させます。"));
    assert_eq!(s.entries[1].grade, "△");
    assert_eq!(s.entries[1].indicators.len(), 3);
    assert!(s.extras.is_empty(), "{:?}", s.extras);
}

#[test]
fn dates_typed_as_text_are_recorded() {
    // The fixture types every header value as text, 作成日 and 評価日 included.
    let s = read(&sample(), &Drift::default());
    assert_eq!(s.text_dates, vec![Field::Created, Field::Evaluated]);
}

#[test]
fn date_cells_are_not_text_dates() {
    let seed: goalsheet::Document =
        serde_json::from_str(&std::fs::read_to_string(common::repo("tests/data/shimin-seikatsu-r6.json")).unwrap())
            .unwrap();
    let bytes = goalsheet::write::workbook_bytes(&seed).unwrap();
    let doc = read_bytes(&bytes, "seed.xlsx").unwrap();
    assert!(doc.sheets.iter().all(|s| s.text_dates.is_empty()));
}

#[test]
fn blank_no_with_another_goal_is_a_new_entry() {
    use goalsheet::model::{Document, Entry, Indicator};
    let entry = |no: &str, goal: &str, name: &str| Entry {
        no: no.into(),
        goal: goal.into(),
        indicators: vec![Indicator { name: name.into(), target: "1回".into(), ..Default::default() }],
        ..Default::default()
    };
    let doc = Document {
        sheets: vec![Sheet {
            fiscal_year: "令和6年度".into(),
            division: "課".into(),
            entries: vec![entry("1", "目標A", "指標A"), entry("", "目標B", "指標B"), entry("3", "目標C", "指標C")],
            ..Default::default()
        }],
        ..Default::default()
    };
    let bytes = goalsheet::write::workbook_bytes(&doc).unwrap();
    let s = &read_bytes(&bytes, "x.xlsx").unwrap().sheets[0];
    let got: Vec<(&str, &str)> = s.entries.iter().map(|e| (e.no.as_str(), e.goal.as_str())).collect();
    assert_eq!(got, vec![("1", "目標A"), ("", "目標B"), ("3", "目標C")]);
    assert!(s.extras.is_empty(), "{:?}", s.extras);
}

/// A row of the table hidden in Excel (an indicator dropped but kept out of sight, or hidden by
/// mistake), or a column, was read, checked and merged like any other while nobody reviewing
/// the sheet saw it. GS106 names each now, at its first value; rows and columns hidden outside
/// the table are not.
#[test]
fn a_hidden_row_of_the_table_is_reported() {
    let spec = sample();
    let d = Drift::default();
    let first = Drift::entry_row(&spec, 0);
    let doc = read_edited(&spec, &d, |ws| {
        ws.set_row_hidden(first + 1).unwrap();
        ws.set_row_hidden(first + 40).unwrap();
        ws.set_column_hidden(4).unwrap(); // E, the targets
        ws.set_column_hidden(20).unwrap(); // U, empty
    });
    assert_eq!(doc.sheets[0].hidden_rows, vec![first + 2], "as Excel numbers rows, the table's only");
    assert_eq!(doc.sheets[0].hidden_columns, vec!["E".to_string()]);
    let findings = goalsheet::rules::check_document(&doc, &Default::default());
    let hidden: Vec<_> = findings.iter().filter(|f| f.code == "GS106").collect();
    assert_eq!(hidden.len(), 2, "{hidden:?}");
    let said = |prefix: &str| hidden.iter().find(|f| f.message.en.starts_with(prefix)).copied();
    // Each at a value of that row, of that column.
    let row = said(&format!("row {} is hidden", first + 2)).expect("the row");
    assert_eq!(row.location.cell(&doc).expect("a cell").row, first + 1);
    let column = said("column E is hidden").expect("the column");
    assert_eq!(column.location.cell(&doc).expect("a cell").col, 4);
}

/// A value written in its background's colour (white on white: a figure kept for reference
/// but hidden) was read, checked and merged while nobody reviewing the sheet saw it. GS704
/// names each such value; white text on a dark fill, and white text outside the table's
/// values (a helper list beside it), are not reported.
#[test]
fn a_value_in_its_background_colour_is_reported() {
    use rust_xlsxwriter::{Color, Format, FormatPattern};
    let spec = sample();
    let d = Drift::default();
    let first = Drift::entry_row(&spec, 0);
    let result = spec.entries[0].inds[0].get(Field::Result);
    let goal = spec.entries[0].goal;
    let doc = read_edited(&spec, &d, |ws| {
        let white = Format::new().set_font_color(Color::White);
        ws.write_string_with_format(first, 5, result, &white).unwrap();
        let on_fill = Format::new()
            .set_font_color(Color::RGB(0xDDEEFF))
            .set_background_color(Color::RGB(0xDDEEFF))
            .set_pattern(FormatPattern::Solid);
        ws.write_string_with_format(first, 1, goal, &on_fill).unwrap();
        let on_dark = Format::new().set_font_color(Color::White).set_background_color(Color::Navy);
        ws.write_string_with_format(first, 0, spec.entries[0].no, &on_dark).unwrap();
        ws.write_string_with_format(first, 20, "○,△,×", &white).unwrap();
    });
    let at = |r: u32, c: u32| goalsheet::address::CellRef::new(r, c);
    assert_eq!(doc.sheets[0].invisible, vec![at(first, 1), at(first, 5)], "the table's values only");
    let findings = goalsheet::rules::check_document(&doc, &Default::default());
    let found: Vec<Field> = findings.iter().filter(|f| f.code == "GS704").map(|f| f.location.field).collect();
    assert_eq!(found, vec![Field::Goal, Field::Result]);
}

/// 見え消し: a correction shown by striking the old text through and writing the new beside
/// it. The struck text was read as part of the value (the grade checked against the old
/// target; the department file showing both without the line). GS705 names it, pointing at
/// the struck part; a whole cell struck through (a dropped indicator's row) is named too.
#[test]
fn struck_through_text_is_reported() {
    use rust_xlsxwriter::Format;
    let spec = sample();
    let d = Drift::default();
    let first = Drift::entry_row(&spec, 0);
    let target = spec.entries[0].inds[0].get(Field::Target);
    let result = spec.entries[0].inds[0].get(Field::Result);
    let doc = read_edited(&spec, &d, |ws| {
        let struck = Format::new().set_font_strikethrough();
        let plain = Format::new();
        ws.write_rich_string(first, 4, &[(&struck, "999件"), (&plain, " "), (&plain, target)]).unwrap();
        ws.write_string_with_format(first, 5, result, &struck).unwrap();
    });
    let at = |r: u32, c: u32| goalsheet::address::CellRef::new(r, c);
    let struck: Vec<_> = doc.sheets[0].struck.iter().map(|s| (s.cell, s.text.as_str())).collect();
    assert_eq!(struck, vec![(at(first, 4), "999件"), (at(first, 5), result)]);
    let target_read = &doc.sheets[0].entries[0].indicators[0].target;
    assert_eq!(target_read, &format!("999件 {target}"), "read as Excel shows it, line aside");
    let findings = goalsheet::rules::check_document(&doc, &Default::default());
    let found: Vec<_> = findings.iter().filter(|f| f.code == "GS705").collect();
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!((found[0].location.field, found[0].span.clone()), (Field::Target, Some(0.."999件".len())));
    assert_eq!((found[1].location.field, found[1].span.clone()), (Field::Result, None));
}

/// A rich text's runs say what is struck through, not the cell's font: LibreOffice gives the
/// cell the first run's font (struck) and each run its own properties.
#[test]
fn a_rich_texts_runs_decide_what_is_struck_not_the_cells_font() {
    use rust_xlsxwriter::Format;
    let spec = sample();
    let first = Drift::entry_row(&spec, 0);
    let target = spec.entries[0].inds[0].get(Field::Target);
    let doc = read_edited(&spec, &Drift::default(), |ws| {
        let struck = Format::new().set_font_strikethrough();
        let plain = Format::new().set_font_size(11);
        ws.write_rich_string_with_format(first, 4, &[(&struck, "999件"), (&plain, " "), (&plain, target)], &struck)
            .unwrap();
    });
    let struck: Vec<_> = doc.sheets[0].struck.iter().map(|s| s.text.as_str()).collect();
    assert_eq!(struck, ["999件"]);
}
