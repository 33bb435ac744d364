//! The corrected workbook, built from documents in memory (the seed and hand-made drift):
//! each fix before → after, the change log, the remaining findings marked on their cells,
//! nothing of the input lost, unsafe fixes only when asked, and the same bytes every time.

use crate::common::{open, part, reproducible};
use calamine::{Data, Reader};
use goalsheet::address::CellRef;
use goalsheet::finding::Applicability;
use goalsheet::fix::workbook::{
    corrected_workbook, CHANGES_HEADERS, CHANGES_HEADERS_EN, CHANGES_SHEET_NAME, ERROR_FILL_RGB, MOVED_SHEET_NAME,
    WARNING_FILL_RGB,
};
use goalsheet::fix::{fix_document, FixOptions, Fixed, DATE_CELL_CODE};
use goalsheet::model::{Document, Field, RawCell, RawSheet};
use goalsheet::rules::{check_document, CheckOptions};
use goalsheet::write::findings_sheet::FINDINGS_SHEET_NAME;
use goalsheet::Lang;

fn seed() -> Document {
    serde_json::from_str(include_str!("../data/shimin-seikatsu-r6.json")).expect("seed parses")
}

fn fix(doc: &Document, unsafe_fixes: bool) -> Fixed {
    fix_document(doc, FixOptions { unsafe_fixes }, |d| check_document(d, &CheckOptions::default()))
}

fn sheet_rows(bytes: &[u8], name: &str) -> Vec<Vec<String>> {
    let mut book = open(bytes);
    let range = book.worksheet_range(name).unwrap_or_else(|e| panic!("sheet {name}: {e}"));
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let mut rows = vec![];
    for (r, row) in range.rows().enumerate() {
        let mut out = vec![String::new(); c0 as usize];
        out.extend(row.iter().map(text));
        while rows.len() < r0 as usize + r {
            rows.push(vec![]);
        }
        rows.push(out);
    }
    rows
}

/// 修正履歴 from its header row on (the colour legend above it left out).
fn log_table(bytes: &[u8]) -> Vec<Vec<String>> {
    let rows = sheet_rows(bytes, CHANGES_SHEET_NAME);
    let is_header = |r: &Vec<String>| {
        r.starts_with(&CHANGES_HEADERS.map(String::from)) || r.starts_with(&CHANGES_HEADERS_EN.map(String::from))
    };
    let header = rows.iter().position(is_header).expect("header row");
    rows[header..].to_vec()
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 => format!("{f:.0}"),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Empty => String::new(),
        other => format!("{other:?}"),
    }
}

fn cell(bytes: &[u8], sheet: &str, c: CellRef) -> Data {
    let mut book = open(bytes);
    let range = book.worksheet_range(sheet).expect("sheet");
    range.get_value((c.row, c.col)).cloned().unwrap_or(Data::Empty)
}

/// The seed sheet of one division.
fn division(doc: &Document, name: &str) -> usize {
    doc.sheets.iter().position(|s| s.division == name).expect("division in seed")
}

#[test]
fn safe_fixes_of_the_seed_before_and_after() {
    let doc = seed();
    let fixed = fix(&doc, false);
    let kocho = division(&doc, "広聴相談課");
    let seikatsu = division(&doc, "市民生活課");
    let danjo = division(&doc, "男女共同参画課");
    // Grade variants 〇 → ○.
    assert_eq!(doc.sheets[kocho].entries[0].grade, "〇");
    assert_eq!(fixed.document.sheets[kocho].entries[0].grade, "○");
    assert_eq!(fixed.document.sheets[kocho].entries[1].grade, "○");
    // Full-width digits in quantities → half-width.
    assert_eq!(fixed.document.sheets[seikatsu].entries[3].indicators[0].result, "1回");
    assert_eq!(fixed.document.sheets[danjo].entries[4].indicators[0].target, "0件");
    assert_eq!(fixed.document.sheets[danjo].entries[4].indicators[0].result, "2件");
    // Every change is logged with its before and after, and all of them are safe.
    let grade = fixed
        .applied
        .iter()
        .find(|e| e.location.sheet_index == kocho && e.location.field == Field::Grade)
        .expect("grade change logged");
    assert_eq!((grade.before.as_str(), grade.after.as_str()), ("〇", "○"));
    assert!(fixed.applied.iter().all(|e| e.applicability == Applicability::Safe));
    // Nothing is left to fix safely.
    let again = fix(&fixed.document, false);
    assert!(again.applied.is_empty(), "second run changed {:?}", again.applied);
    assert_eq!(again.document, fixed.document);
    assert!(check_document(&fixed.document, &CheckOptions::default())
        .iter()
        .all(|f| f.fix.as_ref().is_none_or(|x| x.applicability == Applicability::Unsafe)));
}

#[test]
fn whitespace_and_blank_no_are_fixed() {
    let mut doc = seed();
    let s = division(&doc, "市民生活課");
    doc.sheets[s].entries[1].goal = format!("  {}\n", doc.sheets[s].entries[1].goal);
    doc.sheets[s].entries[2].no = String::new();
    let fixed = fix(&doc, false);
    assert_eq!(fixed.document.sheets[s].entries[1].goal, seed().sheets[s].entries[1].goal);
    assert_eq!(fixed.document.sheets[s].entries[2].no, "3");
    let codes: Vec<_> =
        fixed.applied.iter().filter(|e| e.location.sheet_index == s).map(|e| e.location.field).collect();
    assert!(codes.contains(&Field::Goal) && codes.contains(&Field::No), "{codes:?}");
}

#[test]
fn unsafe_grade_recompute_only_with_the_flag() {
    let mut doc = seed();
    let s = division(&doc, "市民生活課");
    // 80% → 77.7% is missed: ○ contradicts it.
    doc.sheets[s].entries[0].grade = "○".into();
    let safe = fix(&doc, false);
    assert_eq!(safe.document.sheets[s].entries[0].grade, "○", "unsafe fix ran without the flag");
    assert!(safe.applied.iter().all(|e| e.applicability == Applicability::Safe));
    assert!(safe.remaining.iter().any(|f| f.location.sheet_index == s && f.location.field == Field::Grade));
    let with = fix(&doc, true);
    assert_eq!(with.document.sheets[s].entries[0].grade, "×");
    let e = with.applied.iter().find(|e| e.applicability == Applicability::Unsafe).expect("unsafe change logged");
    assert_eq!((e.before.as_str(), e.after.as_str()), ("○", "×"));
    let bytes = corrected_workbook("a.xlsx", &with, Lang::Ja).unwrap().bytes;
    let log = log_table(&bytes);
    assert!(log
        .iter()
        .any(|r| r.get(5).map(String::as_str) == Some("○") && r.get(7).map(String::as_str) == Some("★要確認")));
    // The unsafe change is coloured apart from the safe ones, and its note says so.
    // Cells by entry and column (the seed came from JSON and has no cells of its own).
    struct ByEntry;
    impl goalsheet::fix::log::Place for ByEntry {
        fn sheet_name(&self, _: usize) -> String {
            String::new()
        }
        fn cell(&self, l: &goalsheet::finding::Location, _: Option<CellRef>) -> Option<CellRef> {
            let col = goalsheet::layout::column_of(l.field).map_or(20, |c| c.col);
            Some(CellRef::new(l.entry.unwrap_or(0) as u32 * 10 + l.indicator.unwrap_or(0) as u32, col))
        }
    }
    let marks = goalsheet::fix::log::marks(&with, s, &ByEntry, Lang::Ja);
    let m = marks.values().find(|m| m.unsafe_change).expect("the recomputed grade is marked");
    assert_eq!(m.fill(), Some(goalsheet::fix::log::UNSAFE_CHANGE_FILL_RGB));
    assert!(m.text().contains("【★要確認の修正 GS303】"), "{}", m.text());
    assert!(marks
        .values()
        .filter(|m| m.changed && !m.unsafe_change && m.severity.is_none())
        .all(|m| m.fill() == Some(goalsheet::fix::log::CHANGED_FILL_RGB)));
}

/// 修正履歴 as a clerk reads it: look-alikes named, rows in sheet order, codes that
/// `goalsheet rule` explains; notes on what remains carry the figures and the help.
#[test]
fn change_log_and_notes_read_for_a_clerk() {
    use goalsheet::fix::log;
    let mut doc = seed();
    doc.sheets[0].text_dates = vec![Field::Created];
    let fixed = fix(&doc, false);
    let bytes = corrected_workbook("a.xlsx", &fixed, Lang::Ja).unwrap().bytes;
    let rows = log_table(&bytes);
    let body = &rows[1..];
    assert!(body.iter().any(|r| r[8].contains("「〇」（漢数字のゼロ）を「○」（丸）に")), "{body:?}");
    for r in body {
        assert!(goalsheet::rules::rule(&r[4]).is_some(), "code {} is a rule", r[4]);
    }
    // Sheet order: by sheet, then row, then column.
    let cell = |a1: &str| -> (u32, u32) {
        let letters: String = a1.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
        let col = letters.chars().fold(0, |n, c| n * 26 + (c as u32 - 'A' as u32 + 1));
        (a1[letters.len()..].parse().unwrap_or(0), col)
    };
    for w in body.windows(2).filter(|w| w[0][1] == w[1][1] && !w[0][2].is_empty() && !w[1][2].is_empty()) {
        assert!(cell(&w[0][2]) <= cell(&w[1][2]), "rows in sheet order: {:?} then {:?}", w[0], w[1]);
    }
    // A remaining finding's note names the figures (103校 → 99校) and what to do.
    let mut wrong = seed();
    let k = wrong.sheets.iter().position(|s| s.division == "広聴相談課").unwrap();
    wrong.sheets[k].entries[3].grade = "○".into();
    let left = fix(&wrong, false);
    let f = left.remaining.iter().find(|f| f.location.sheet_index == k && f.code == "GS303").expect("GS303 remains");
    let line = log::finding_line(&left.document, f, Lang::Ja);
    assert!(line.contains("103校") && line.contains("99校") && line.contains("\n→ "), "{line}");
    // The console counts fixes by the rule's short name in the run's language.
    let ja = log::applied_by_kind(&fixed, Lang::Ja);
    assert!(ja.contains("GS408 日付セル 1件") && !ja.contains("date-as-text"), "{ja}");
    let en = log::applied_by_kind(&fixed, Lang::En);
    assert!(en.contains("GS408 date cells: 1") && !en.contains("日付"), "{en}");
}

#[test]
fn change_log_and_findings_sheets() {
    let doc = seed();
    let fixed = fix(&doc, false);
    let corrected = corrected_workbook("市民生活部.xlsx", &fixed, Lang::Ja).unwrap();
    let bytes = &corrected.bytes;
    let log = log_table(bytes);
    assert_eq!(log[0], CHANGES_HEADERS.map(String::from).to_vec());
    assert_eq!(log.len() - 1, fixed.applied.len());
    // Each row names the sheet and cell of the corrected workbook, where the new value is.
    for row in &log[1..] {
        let at = CellRef::parse(&row[2]).expect("cell");
        let after = text(&cell(bytes, &row[1], at));
        assert_eq!(after, row[6], "{row:?}");
        assert_eq!(row[7], "安全");
    }
    let findings = sheet_rows(bytes, FINDINGS_SHEET_NAME);
    assert_eq!(findings.len() - 1, fixed.remaining.len());
    // English messages, English headers: one language per run.
    let en = corrected_workbook("市民生活部.xlsx", &fixed, Lang::En).unwrap().bytes;
    let log_en = log_table(&en);
    assert_eq!(log_en[0], CHANGES_HEADERS_EN.map(String::from).to_vec());
    assert_eq!(log_en[1][7], "safe");
}

#[test]
fn remaining_findings_are_filled_by_severity_and_noted() {
    let mut doc = seed();
    let s = division(&doc, "市民生活課");
    doc.sheets[s].entries[0].grade = "○".into(); // contradicted grade: an error
    doc.sheets[s].entries[1].grade = "？".into(); // unknown grade
    let fixed = fix(&doc, false);
    let severities: Vec<_> = fixed.remaining.iter().map(|f| f.severity).collect();
    assert!(severities.contains(&goalsheet::finding::Severity::Error), "{severities:?}");
    let bytes = corrected_workbook("a.xlsx", &fixed, Lang::Ja).unwrap().bytes;
    let styles = part(&bytes, "xl/styles.xml");
    assert!(styles.contains(&format!("{ERROR_FILL_RGB:06X}")), "no error fill");
    // The seed's GS502 / GS602 stay as warnings: they get their own, different fill.
    assert!(fixed.remaining.iter().any(|f| f.severity == goalsheet::finding::Severity::Warning));
    assert_ne!(ERROR_FILL_RGB, WARNING_FILL_RGB, "errors and warnings look different");
    assert!(styles.contains(&format!("{WARNING_FILL_RGB:06X}")), "no warning fill");
    assert!(!styles.contains("Calibri"), "highlight lost the layout font");
    // Notes hold the messages of the remaining findings.
    let notes: String = (1..=6)
        .filter_map(|n| std::panic::catch_unwind(|| part(&bytes, &format!("xl/comments{n}.xml"))).ok())
        .collect();
    let grade_findings: Vec<_> =
        fixed.remaining.iter().filter(|f| f.location.sheet_index == s && f.location.field == Field::Grade).collect();
    assert!(grade_findings.len() >= 2, "{grade_findings:?}");
    for f in grade_findings {
        assert!(notes.contains(&xml_escape(&f.message.ja)), "note lacks {}", f.message.ja);
    }
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[test]
fn fullwidth_percent_and_comma_are_made_halfwidth() {
    let mut doc = seed();
    let s = division(&doc, "市民生活課");
    doc.sheets[s].entries[0].indicators[0].result = "77.7％".into();
    doc.sheets[s].entries[2].indicators[0].target = "1，700件".into();
    let fixed = fix(&doc, false);
    assert_eq!(fixed.document.sheets[s].entries[0].indicators[0].result, "77.7%");
    assert_eq!(fixed.document.sheets[s].entries[2].indicators[0].target, "1,700件");
    let logged: Vec<(&str, &str)> = fixed
        .applied
        .iter()
        .filter(|e| e.code == "GS204" && e.location.sheet_index == s)
        .map(|e| (e.before.as_str(), e.after.as_str()))
        .collect();
    assert!(logged.contains(&("77.7％", "77.7%")) && logged.contains(&("1，700件", "1,700件")), "{logged:?}");
    // The result beside it, `105回（100％）`, is written as Japanese is and stays.
    assert_eq!(fixed.document.sheets[s].entries[2].indicators[0].result, "105回\n（100％）");
}

#[test]
fn text_dates_are_logged_and_written_as_date_cells() {
    let mut doc = seed();
    doc.sheets[0].created = "令和6年5月15日".into();
    doc.sheets[0].text_dates = vec![Field::Created];
    let fixed = fix(&doc, false);
    let e = fixed.applied.iter().find(|e| e.code == DATE_CELL_CODE).expect("logged");
    assert_eq!(e.before, "令和6年5月15日");
    let corrected = corrected_workbook("a.xlsx", &fixed, Lang::Ja).unwrap();
    let w = &corrected.written[0];
    let at = w.placed.header_cell(Field::Created).expect("placed");
    assert!(matches!(cell(&corrected.bytes, &w.name, at), Data::DateTime(_)), "not a date cell");
    let log = log_table(&corrected.bytes);
    assert!(log.iter().any(|r| r[4] == DATE_CELL_CODE && r[6] == "日付セル 令和6年5月15日"), "{log:?}");
}

#[test]
fn values_outside_the_layout_are_kept_in_place_or_moved() {
    let mut doc = seed();
    doc.sheets.truncate(1);
    doc.sheets[0].sheet = "R6".into();
    let beside = RawCell { cell: CellRef::parse("M9").unwrap(), text: "備考：要確認".into(), typed: None };
    let below = RawCell { cell: CellRef::parse("B60").unwrap(), text: "※数値は速報値".into(), typed: None };
    let clash = RawCell { cell: CellRef::parse("A1").unwrap(), text: "提出用".into(), typed: None };
    doc.sheets[0].extras = vec![clash.clone(), beside.clone(), below.clone()];
    doc.other_sheets.push(RawSheet {
        name: "メモ".into(),
        cells: vec![RawCell { cell: CellRef::new(2, 1), text: "連絡先 内線123".into(), typed: None }],
    });
    let fixed = fix(&doc, false);
    let corrected = corrected_workbook("a.xlsx", &fixed, Lang::Ja).unwrap();
    let bytes = &corrected.bytes;
    let name = &corrected.written[0].name;
    assert_eq!(name, "R6");
    assert_eq!(text(&cell(bytes, name, beside.cell)), beside.text);
    assert_eq!(text(&cell(bytes, name, below.cell)), below.text);
    assert_eq!(text(&cell(bytes, "メモ", CellRef::new(2, 1))), "連絡先 内線123");
    let moved = sheet_rows(bytes, MOVED_SHEET_NAME);
    assert_eq!(moved[1], ["R6", "A1", "提出用"]);
    // Sheet order: goal sheet, other sheets, moved values, change log, findings.
    let book = open(bytes);
    assert_eq!(book.sheet_names(), ["R6", "メモ", MOVED_SHEET_NAME, CHANGES_SHEET_NAME, FINDINGS_SHEET_NAME]);
}

#[test]
fn same_input_same_bytes() {
    reproducible();
    let fixed = fix(&seed(), false);
    let a = corrected_workbook("a.xlsx", &fixed, Lang::Ja).unwrap().bytes;
    let b = corrected_workbook("a.xlsx", &fixed, Lang::Ja).unwrap().bytes;
    assert_eq!(a, b);
}

#[test]
fn an_earlier_change_log_is_continued_and_findings_regenerated() {
    let doc = seed();
    let fixed = fix(&doc, false);
    let first = corrected_workbook("a.xlsx", &fixed, Lang::Ja).unwrap();
    // What a reader gives back for our own sheets: verbatim other sheets.
    let raw = |name: &str| {
        let rows = sheet_rows(&first.bytes, name);
        let mut cells = vec![];
        for (r, row) in rows.iter().enumerate() {
            for (c, t) in row.iter().enumerate() {
                if !t.is_empty() {
                    cells.push(RawCell { cell: CellRef::new(r as u32, c as u32), text: t.clone(), typed: None });
                }
            }
        }
        RawSheet { name: name.into(), cells }
    };
    let mut again = fixed.document.clone();
    again.other_sheets = vec![raw(CHANGES_SHEET_NAME), raw(FINDINGS_SHEET_NAME)];
    let second = fix(&again, false);
    assert!(second.applied.is_empty());
    let out = corrected_workbook("a.xlsx", &second, Lang::Ja).unwrap();
    assert_eq!(sheet_rows(&out.bytes, CHANGES_SHEET_NAME), sheet_rows(&first.bytes, CHANGES_SHEET_NAME));
    assert_eq!(sheet_rows(&out.bytes, FINDINGS_SHEET_NAME), sheet_rows(&first.bytes, FINDINGS_SHEET_NAME));
    let names = open(&out.bytes).sheet_names();
    assert_eq!(names.iter().filter(|n| n.starts_with(CHANGES_SHEET_NAME)).count(), 1, "{names:?}");
}

/// 修正履歴 of a rewritten workbook explains its colours above the table (in the run's
/// language), and an unsafe change's row has the fill of the cell it changed and of the legend
/// line that names it; safe rows keep the table's own fill.
#[test]
fn the_change_log_explains_its_colours_and_colours_unsafe_rows() {
    use crate::common::cell_fill;
    use goalsheet::fix::log::{self, FlaggedLook, CHANGED_FILL_RGB, UNSAFE_CHANGE_FILL_RGB};
    let mut doc = seed();
    let s = division(&doc, "市民生活課");
    doc.sheets[s].entries[0].grade = "○".into(); // 80% → 77.7%: recomputed only with the flag
    let fixed = fix(&doc, true);
    for lang in [Lang::Ja, Lang::En] {
        let bytes = corrected_workbook("a.ods", &fixed, lang).unwrap().bytes;
        let rows = sheet_rows(&bytes, CHANGES_SHEET_NAME);
        let a1 = |r: usize, c: u32| CellRef::new(r as u32, c).to_string();
        let fill = |r: usize, c: u32| cell_fill(&bytes, CHANGES_SHEET_NAME, &a1(r, c));
        assert_eq!(rows[0][0], log::legend_title(lang));
        let legend = log::legend(FlaggedLook::Filled, lang);
        for (r, line) in (1..).zip(&legend) {
            assert_eq!(rows[r][..2], [line.label.to_string(), line.text.to_string()]);
            if let Some(rgb) = line.fill {
                assert_eq!(fill(r, 0), Some(rgb), "{lang:?} swatch {}", line.label);
            }
        }
        for rgb in [CHANGED_FILL_RGB, UNSAFE_CHANGE_FILL_RGB, ERROR_FILL_RGB, WARNING_FILL_RGB] {
            assert!(legend.iter().any(|l| l.fill == Some(rgb)), "{rgb:06X} explained");
        }
        let unsafe_line = (1..).zip(&legend).find(|(_, l)| l.fill == Some(UNSAFE_CHANGE_FILL_RGB)).unwrap().0;
        let swatch = fill(unsafe_line, 0);
        let headers = goalsheet::fix::log::changes_headers(lang).map(String::from);
        let header = rows.iter().position(|r| r.starts_with(&headers)).expect("the headers in the run's language");
        let mut unsafe_rows = 0;
        for (r, row) in rows.iter().enumerate().skip(header + 1) {
            if row[7].starts_with('★') {
                unsafe_rows += 1;
                assert_eq!((fill(r, 0), fill(r, 8)), (swatch, swatch), "{lang:?} unsafe row {r}");
                assert_eq!(cell_fill(&bytes, &row[1], &row[2]), swatch, "the changed cell {}", row[2]);
            } else if !row[2].is_empty() {
                assert_ne!(fill(r, 0), swatch, "{lang:?} safe row {r}");
            }
        }
        assert_eq!(unsafe_rows, 1, "{lang:?}");
    }
}
