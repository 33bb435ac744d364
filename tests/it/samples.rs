//! The six division sheets of the seed, written in the official layout: checked-in samples
//! stay up to date, and every value lands at its cell.

use crate::common::*;
use calamine::{Data, Reader};
use goalsheet::address::{CellRange, CellRef};
use goalsheet::grammar::date::parse_date;
use goalsheet::grammar::year::parse_fiscal_year;
use goalsheet::layout::{self, Merge};
use goalsheet::write::{new_workbook, workbook_bytes, write_sheet, Styles};
use goalsheet::{Document, Field, Sheet};
use std::collections::BTreeSet;

fn seed() -> Document {
    let text = std::fs::read_to_string(repo("tests/data/shimin-seikatsu-r6.json")).expect("seed json");
    serde_json::from_str(&text).expect("seed is a Document")
}

fn one(sheet: &Sheet) -> Document {
    Document { sheets: vec![sheet.clone()], ..Document::default() }
}

#[test]
fn checked_in_samples_are_what_the_writer_writes() {
    reproducible();
    let problems: Vec<String> = seed()
        .sheets
        .iter()
        .filter_map(|s| {
            let bytes = workbook_bytes(&one(s)).expect("write");
            let path = repo(&format!("samples/{}.xlsx", s.division));
            compare_artifact(&path, &bytes, "GOALSHEET_BLESS=1 cargo test --test samples")
        })
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn same_document_gives_the_same_bytes() {
    reproducible();
    let doc = seed();
    assert_eq!(workbook_bytes(&doc).unwrap(), workbook_bytes(&doc).unwrap());
}

/// Where the layout puts each indicator value: (entry, indicator, field) → the cell holding
/// it, or `None` where it continues a merged value above.
fn expected_cells(sheet: &Sheet) -> Vec<(usize, usize, Field, CellRef, bool)> {
    let mut out = Vec::new();
    let mut row = layout::FIRST_DATA_ROW;
    for (e, entry) in sheet.entries.iter().enumerate() {
        for (i, ind) in entry.indicators.iter().enumerate() {
            for c in &layout::COLUMNS {
                let continued = match c.merge {
                    Merge::Entry => i > 0,
                    Merge::WhereShared => {
                        i > 0 && !ind.field(c.field).unwrap_or_default().is_empty() && {
                            let prev = &entry.indicators[i - 1];
                            prev.field(c.field) == ind.field(c.field)
                        }
                    }
                    Merge::Never => false,
                };
                out.push((e, i, c.field, CellRef::new(row + i as u32, c.col), continued));
            }
        }
        row += entry.indicators.len().max(1) as u32;
    }
    out
}

fn value(sheet: &Sheet, e: usize, i: usize, f: Field) -> String {
    let entry = &sheet.entries[e];
    entry.field(f).or_else(|| entry.indicators[i].field(f)).unwrap_or_default().to_string()
}

#[test]
fn every_seed_value_is_at_its_cell() {
    let doc = seed();
    assert_eq!(doc.sheets.iter().map(|s| s.indicator_count()).sum::<usize>(), 28);
    let mut checked_indicators = 0;
    for sheet in &doc.sheets {
        let bytes = workbook_bytes(&one(sheet)).unwrap();
        let mut book = open(&bytes);
        assert_eq!(book.sheet_names(), vec![sheet.division.clone()]);
        let range = book.worksheet_range(&sheet.division).unwrap();
        for h in &layout::HEADER_FIELDS {
            let text = sheet.field(h.field).unwrap();
            let cell = h.value_range.start;
            match (h.is_date, parse_date(text)) {
                (true, Ok(parsed)) => {
                    let Data::DateTime(d) = at(&range, cell) else { panic!("{cell}: not a date cell") };
                    let serial = (parsed.date - chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap()).num_days();
                    assert_eq!(d.as_f64(), serial as f64, "{}", sheet.division);
                }
                _ => assert_eq!(text_at(&range, cell), text, "{} {:?}", sheet.division, h.field),
            }
        }
        for (e, i, f, cell, continued) in expected_cells(sheet) {
            let want = value(sheet, e, i, f);
            let got = at(&range, cell);
            if continued {
                assert_eq!(got, Data::Empty, "{} {cell} continues a merge", sheet.division);
            } else if f == Field::No && want.parse::<u32>().is_ok() {
                assert_eq!(got, Data::Float(want.parse::<f64>().unwrap()), "{} {cell}", sheet.division);
            } else {
                assert_eq!(text_at(&range, cell), want, "{} {cell} ({f})", sheet.division);
            }
            if f == Field::Name {
                checked_indicators += 1;
            }
        }
        let legend_row = layout::FIRST_DATA_ROW + sheet.indicator_count() as u32;
        assert_eq!(text_at(&range, CellRef::new(legend_row, layout::LEGEND_COL)), layout::LEGEND);
    }
    assert_eq!(checked_indicators, 28);
}

#[test]
fn labels_follow_the_fiscal_year() {
    let doc = seed();
    for sheet in &doc.sheets {
        let bytes = workbook_bytes(&one(sheet)).unwrap();
        let mut book = open(&bytes);
        let range = book.worksheet_range(&sheet.division).unwrap();
        assert!(parse_fiscal_year(&sheet.fiscal_year).is_some());
        assert_labels(&range, "Ｒ６目標", "Ｒ６結果");
    }
}

#[test]
fn merges_are_where_the_layout_puts_them() {
    let doc = seed();
    for sheet in &doc.sheets {
        let bytes = workbook_bytes(&one(sheet)).unwrap();
        let mut book = open(&bytes);
        let mut want = fixed_merges();
        // Ranges of values merged down: start where a value is not continued, extend while it is.
        let cells = expected_cells(sheet);
        for &(e, i, f, cell, continued) in &cells {
            if continued {
                continue;
            }
            let mut end = cell;
            while cells
                .iter()
                .any(|&(e2, _, f2, c2, cont2)| e2 == e && f2 == f && cont2 && c2 == CellRef::new(end.row + 1, end.col))
            {
                end.row += 1;
            }
            if end != cell {
                want.insert(CellRange::new(cell, end).to_string());
            }
            let _ = i;
        }
        want.insert(legend_merge(layout::FIRST_DATA_ROW + sheet.indicator_count() as u32));
        assert_eq!(merges(&mut book, &sheet.division), want, "{}", sheet.division);
    }
    // 広聴相談課 No.2 has three indicators: No., goal and grade are merged over them.
    let kouchou = doc.sheets.iter().find(|s| s.division == "広聴相談課").unwrap();
    let bytes = workbook_bytes(&one(kouchou)).unwrap();
    let got = merges(&mut open(&bytes), "広聴相談課");
    let first = layout::FIRST_DATA_ROW + kouchou.entries[0].indicators.len() as u32 + 1;
    for col in ["A", "B", "I"] {
        assert!(got.contains(&format!("{col}{first}:{col}{}", first + 2)), "{col}{first} in {got:?}");
    }
}

#[test]
fn placed_records_where_every_value_went() {
    let doc = seed();
    let styles = Styles::new();
    for sheet in &doc.sheets {
        let mut wb = new_workbook().unwrap();
        let placed = write_sheet(wb.add_worksheet(), sheet, &styles).unwrap();
        for (e, i, f, cell, continued) in expected_cells(sheet) {
            let got = placed.indicator_cell(e, i, f).unwrap();
            if continued {
                assert!(got.row < cell.row && got.col == cell.col, "{f} {cell}: {got}");
            } else {
                assert_eq!(got, cell, "{} {f}", sheet.division);
            }
        }
        for h in &layout::HEADER_FIELDS {
            assert_eq!(placed.header_cell(h.field), Some(h.value_range.start));
        }
        assert_eq!(placed.header_cell(Field::TargetLabel).unwrap().to_string(), "E7");
        let legend_row = layout::FIRST_DATA_ROW + sheet.indicator_count() as u32;
        assert_eq!((placed.legend_row, placed.next_free_row), (legend_row, legend_row + 1));
    }
}

#[test]
fn dates_carry_the_era_format_and_one_font_everywhere() {
    let doc = seed();
    for sheet in &doc.sheets {
        let bytes = workbook_bytes(&one(sheet)).unwrap();
        let mut book = open(&bytes);
        let styles = book.worksheet_style(&sheet.division).unwrap();
        for f in [Field::Created, Field::Evaluated] {
            let cell = layout::header_field(f).unwrap().value_range.start;
            let format = styles.get((cell.row, cell.col)).and_then(|s| s.number_format.as_ref());
            assert_eq!(format.map(|n| n.format_code.as_str()), Some(layout::DATE_FORMAT_SHORT), "{cell}");
        }
        assert_one_japanese_font(&bytes);
    }
}

#[test]
fn a_whole_department_gets_one_sheet_per_division() {
    let doc = seed();
    let bytes = workbook_bytes(&doc).unwrap();
    let book = open(&bytes);
    let names: BTreeSet<String> = book.sheet_names().into_iter().collect();
    let divisions: BTreeSet<String> = doc.sheets.iter().map(|s| s.division.clone()).collect();
    assert_eq!(names, divisions);
}

#[test]
fn placed_cells_can_be_highlighted_and_annotated_in_the_layout_font() {
    let doc = seed();
    let sheet = &doc.sheets[0];
    let styles = Styles::new();
    let mut wb = new_workbook().unwrap();
    let ws = wb.add_worksheet();
    ws.set_name(&sheet.division).unwrap();
    let placed = write_sheet(ws, sheet, &styles).unwrap();
    let cell = placed.indicator_cell(0, 0, Field::Result).unwrap();
    let format = Styles::highlight(styles.for_field(Field::Result));
    ws.write_string_with_format(cell.row, cell.col as u16, "△0.52%", &format).unwrap();
    ws.insert_note(cell.row, cell.col as u16, &Styles::note("全角の「％」を半角にしました")).unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    // rust_xlsxwriter registers Tahoma for the (invisible) comment style; cells keep one font.
    assert!(!part(&bytes, "xl/styles.xml").contains("Calibri"));
    let vml = part(&bytes, "xl/drawings/vmlDrawing1.vml");
    let comments = part(&bytes, "xl/comments1.xml");
    assert!(
        !vml.contains("Calibri") && !comments.contains("Calibri") && comments.contains(layout::FONT_NAME),
        "note font: {comments}"
    );
    let mut book = open(&bytes);
    let style = book.worksheet_style(&sheet.division).unwrap();
    let fill = style.get((cell.row, cell.col)).and_then(|s| s.fill.clone());
    assert!(format!("{fill:?}").contains("242"), "highlight fill FFF2CC at {cell}: {fill:?}");
}

#[test]
fn dates_keep_their_style_and_odd_values_stay_text() {
    let mut sheet = seed().sheets[0].clone();
    sheet.created = "令和6年5月15日".into();
    sheet.evaluated = "2025/3/31".into();
    sheet.entries[0].no = "１".into();
    sheet.entries[1].no = "2".into();
    let bytes = workbook_bytes(&one(&sheet)).unwrap();
    let mut book = open(&bytes);
    let styles = book.worksheet_style(&sheet.division).unwrap();
    let range = book.worksheet_range(&sheet.division).unwrap();
    let created = layout::header_field(Field::Created).unwrap().value_range.start;
    let evaluated = layout::header_field(Field::Evaluated).unwrap().value_range.start;
    let code = |c: CellRef| styles.get((c.row, c.col)).and_then(|s| s.number_format.clone()).map(|n| n.format_code);
    assert_eq!(code(created).as_deref(), Some(layout::DATE_FORMAT_LONG));
    assert_eq!(code(evaluated).as_deref(), Some(layout::DATE_FORMAT_WESTERN));
    assert!(matches!(at(&range, created), Data::DateTime(_)));
    assert!(matches!(at(&range, evaluated), Data::DateTime(_)));
    let no = layout::column_of(Field::No).unwrap().col;
    assert_eq!(at(&range, CellRef::new(layout::FIRST_DATA_ROW, no)), Data::String("１".into()));
    assert_eq!(at(&range, CellRef::new(layout::FIRST_DATA_ROW + 1, no)), Data::Float(2.0));

    sheet.created = "5月頃".into();
    let bytes = workbook_bytes(&one(&sheet)).unwrap();
    let range = open(&bytes).worksheet_range(&sheet.division).unwrap();
    assert_eq!(at(&range, created), Data::String("5月頃".into()), "an unreadable date is kept as typed");
}

#[test]
fn year_headers_fall_back_to_what_was_found() {
    let mut sheet = seed().sheets[0].clone();
    sheet.fiscal_year = "年度不明".into();
    sheet.target_label = "R5目標".into();
    sheet.result_label = "R5結果".into();
    let bytes = workbook_bytes(&one(&sheet)).unwrap();
    let range = open(&bytes).worksheet_range(&sheet.division).unwrap();
    assert_labels(&range, "R5目標", "R5結果");
    // A readable year wins over a stale header.
    sheet.fiscal_year = "令和7年度".into();
    let bytes = workbook_bytes(&one(&sheet)).unwrap();
    let range = open(&bytes).worksheet_range(&sheet.division).unwrap();
    assert_labels(&range, "Ｒ７目標", "Ｒ７結果");
}
