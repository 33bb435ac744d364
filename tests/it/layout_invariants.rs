//! What must hold of the layout whatever its constants say, stated as tests rather than left to
//! the blessed sample bytes: every column inside the print area, the highlighting and the
//! table; every merge inside the layout; every label found again by the reader.

use crate::common::{self, part, repo};
use goalsheet::address::{CellRange, CellRef};
use goalsheet::layout::{self, ColumnLabel};
use goalsheet::model::{Document, Field, Sheet};
use goalsheet::read::read_bytes;
use goalsheet::write::{new_workbook, workbook_bytes, write_sheet, Placed, Styles};

/// The columns the layout spans: 0 to [`layout::COLUMN_COUNT`] - 1.
fn inside(c: CellRef) -> bool {
    c.col < layout::COLUMN_COUNT
}

fn sample() -> Document {
    let p = repo("samples/広聴相談課.xlsx");
    read_bytes(&std::fs::read(&p).expect("sample"), &p.to_string_lossy()).expect("reads")
}

fn placed(sheet: &Sheet) -> Placed {
    let mut wb = new_workbook().expect("workbook");
    write_sheet(wb.add_worksheet(), sheet, &Styles::new()).expect("writes")
}

/// Every range the layout defines, with what it is.
fn layout_ranges() -> Vec<(String, CellRange)> {
    let mut all = vec![("title".to_string(), layout::TITLE_RANGE)];
    for h in &layout::HEADER_FIELDS {
        all.push((format!("{} label", h.field), h.label_range));
        all.push((format!("{} value", h.field), h.value_range));
    }
    for g in &layout::GROUP_LABELS {
        all.push((g.label.current().to_string(), g.range));
    }
    let legend = CellRange::new(
        CellRef::new(layout::FIRST_DATA_ROW, layout::LEGEND_COL),
        CellRef::new(layout::FIRST_DATA_ROW, layout::LEGEND_LAST_COL),
    );
    all.push(("legend".to_string(), legend));
    all
}

#[test]
fn the_columns_are_the_sheet_width_in_order() {
    assert_eq!(layout::COLUMN_COUNT as usize, layout::COLUMNS.len(), "COLUMN_COUNT is the number of COLUMNS");
    for (i, c) in layout::COLUMNS.iter().enumerate() {
        assert_eq!(c.col as usize, i, "{} is column {i}", c.field);
        assert!(c.width > 0.0, "{} has a width", c.field);
    }
}

#[test]
fn every_range_of_the_layout_lies_inside_its_columns_and_above_the_table() {
    for (what, r) in layout_ranges() {
        assert!(r.start.row <= r.end.row && r.start.col <= r.end.col, "{what}: {r}");
        assert!(inside(r.end), "{what} ({r}) ends right of the last column");
        if what != "legend" {
            assert!(r.end.row < layout::FIRST_DATA_ROW, "{what} ({r}) reaches into the entries");
        }
    }
}

#[test]
fn no_two_ranges_of_the_layout_overlap() {
    let ranges = layout_ranges();
    let overlap = |a: CellRange, b: CellRange| {
        a.start.row <= b.end.row && b.start.row <= a.end.row && a.start.col <= b.end.col && b.start.col <= a.end.col
    };
    for (i, (wa, a)) in ranges.iter().enumerate() {
        for (wb, b) in &ranges[i + 1..] {
            if wa != "legend" && wb != "legend" {
                assert!(!overlap(*a, *b), "{wa} ({a}) overlaps {wb} ({b})");
            }
        }
    }
}

#[test]
fn every_column_has_one_label_cell_in_the_table_header() {
    // Under a group of row 6 (its label in row 7), or merged over rows 6–7 on its own.
    for c in &layout::COLUMNS {
        let cell = layout::column_label_cell(c);
        assert!((layout::TABLE_HEADER_ROW..=layout::TABLE_SUBHEADER_ROW).contains(&cell.row), "{}", c.field);
        let groups: Vec<_> = layout::GROUP_LABELS.iter().filter(|g| g.range.contains(cell)).collect();
        let sub = CellRef::new(layout::TABLE_SUBHEADER_ROW, c.col);
        let covering: Vec<_> = layout::GROUP_LABELS.iter().filter(|g| g.range.contains(sub)).collect();
        assert!(covering.len() <= 1, "{} is under more than one group", c.field);
        if cell.row == layout::TABLE_HEADER_ROW {
            assert_eq!(groups.len(), 1, "{}: its own label is a group merged over both rows", c.field);
        } else {
            let above = CellRef::new(layout::TABLE_HEADER_ROW, c.col);
            let over = layout::GROUP_LABELS.iter().filter(|g| g.range.contains(above)).count();
            assert_eq!(over, 1, "{}: a row-7 label needs a group above it in row 6", c.field);
        }
    }
    // And every group spans only columns of the table.
    for g in &layout::GROUP_LABELS {
        assert!(g.range.start.row == layout::TABLE_HEADER_ROW && inside(g.range.end), "{}", g.label.current());
    }
}

#[test]
fn every_label_has_a_wording_for_every_year_and_a_name_for_messages() {
    for f in Field::ALL {
        if matches!(f, Field::TargetLabel | Field::ResultLabel) {
            continue;
        }
        let name = layout::field_name(f).unwrap_or_else(|| panic!("{f} has no place in the layout"));
        assert!(!name.is_empty() && f.label_ja() == name, "{f}");
    }
    let l = &layout::OFFICIAL;
    let fixed = l.columns.iter().filter_map(|c| match c.label {
        ColumnLabel::Fixed(w) => Some(w),
        _ => None,
    });
    let all = fixed
        .chain(l.header_fields.iter().map(|h| h.label))
        .chain(l.group_labels.iter().map(|g| g.label))
        .chain([l.target_words.words, l.result_words.words]);
    for w in all {
        assert_eq!(w.by_year.first().map(|(y, _)| *y), Some(1), "{w:?} has a wording from 令和元年");
        assert!(w.by_year.windows(2).all(|p| p[0].0 < p[1].0), "{w:?}: years in order");
    }
}

#[test]
fn the_written_sheet_keeps_every_column_inside_the_print_area() {
    let doc = sample();
    let bytes = workbook_bytes(&doc).expect("writes");
    let workbook = part(&bytes, "xl/workbook.xml");
    let area = workbook
        .split("_xlnm.Print_Area")
        .nth(1)
        .and_then(|s| s.split('>').nth(1))
        .and_then(|s| s.split('<').next())
        .expect("a print area");
    let range = area.rsplit('!').next().expect("a range").replace('$', "");
    let last_col = range.split(':').nth(1).expect("A1:K9").trim_end_matches(|c: char| c.is_ascii_digit());
    let last = CellRef::parse(&format!("{last_col}1")).expect("a column");
    for c in &layout::COLUMNS {
        assert!(c.col <= last.col, "{} (column {}) is outside the print area {range}", c.field, c.col);
    }
    for (what, r) in layout_ranges() {
        assert!(r.end.col <= last.col, "{what} ({r}) is outside the print area {range}");
    }
    assert_eq!(last.col + 1, layout::COLUMN_COUNT, "the print area is the layout's width: {range}");
}

#[test]
fn every_written_cell_and_merge_is_inside_the_layout() {
    // fix highlights placed cells and writes extras only outside the layout: a placed cell
    // outside COLUMN_COUNT could be overwritten by an extra, and would be missed by the print.
    let doc = sample();
    let sheet = &doc.sheets[0];
    let placed = placed(sheet);
    let cells = placed.header.values().chain(placed.entries.values()).chain(placed.indicators.values());
    for c in cells {
        assert!(inside(*c) && c.row <= placed.legend_row, "{c} is outside the layout");
    }
    let fields_placed: std::collections::BTreeSet<Field> = placed.indicators.keys().map(|(_, _, f)| *f).collect();
    for c in &layout::COLUMNS {
        assert!(fields_placed.contains(&c.field), "{} is written for every indicator", c.field);
    }
    for m in &placed.merges {
        assert!(inside(m.end) && m.end.row <= placed.legend_row, "merge {m} is outside the layout");
    }
    let mut book = common::open(&workbook_bytes(&doc).expect("writes"));
    for m in common::merges(&mut book, &sheet.division) {
        let r = CellRange::parse(&m).expect("a range");
        assert!(inside(r.end) && r.end.row <= placed.legend_row, "merge {m} is outside the layout");
    }
}

#[test]
fn the_reader_finds_every_label_the_writer_writes() {
    let doc = sample();
    let written = workbook_bytes(&doc).expect("writes");
    let back = read_bytes(&written, "back.xlsx").expect("reads");
    let sheet = &back.sheets[0];
    assert!(sheet.extras.is_empty(), "every label is consumed by the reader: {:?}", sheet.extras);
    for h in &layout::HEADER_FIELDS {
        assert_eq!(sheet.cells.get(h.field), Some(h.value_range.start), "{}", h.field);
    }
    let target = layout::column_of(Field::Target).expect("target column");
    let result = layout::column_of(Field::Result).expect("result column");
    assert_eq!(sheet.cells.get(Field::TargetLabel), Some(layout::column_label_cell(target)));
    assert_eq!(sheet.cells.get(Field::ResultLabel), Some(layout::column_label_cell(result)));
    let indicator = &sheet.entries[0].indicators[0];
    let entry = &sheet.entries[0];
    for c in &layout::COLUMNS {
        let at = indicator.cells.get(c.field).or_else(|| entry.cells.get(c.field));
        let at = at.unwrap_or_else(|| panic!("{} was not read", c.field));
        assert_eq!((at.row, at.col), (layout::FIRST_DATA_ROW, c.col), "{} is read from its column", c.field);
    }
    assert_eq!(back.sheets[0].entries, doc.sheets[0].entries);
}
