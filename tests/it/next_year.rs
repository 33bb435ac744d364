//! Next year's sheets from the seed: what is carried, what is emptied, the year advanced in
//! every header, and a department file as last year's file.

use crate::common::*;
use calamine::Reader;
use goalsheet::grammar::year::FiscalYear;
use goalsheet::layout;
use goalsheet::next_year::{document_year, next_year, reference_line};
use goalsheet::write::workbook_bytes;
use goalsheet::{Document, Field};

fn seed() -> Document {
    let text = std::fs::read_to_string(repo("tests/data/shimin-seikatsu-r6.json")).expect("seed json");
    serde_json::from_str(&text).expect("seed is a Document")
}

const CARRIED: [Field; 4] = [Field::Name, Field::PlanRef, Field::Initiative, Field::Summary];
const EMPTIED: [Field; 3] = [Field::Result, Field::Status, Field::Policy];

#[test]
fn plans_are_carried_and_evaluations_emptied() {
    let last = seed();
    let year = FiscalYear { start: 2025 };
    assert_eq!(document_year(&last).map(|y| y.start + 1), Some(year.start), "default: last year + 1");
    let next = next_year(&last, year);
    assert_eq!(next.sheets.len(), last.sheets.len());
    for (old, new) in last.sheets.iter().zip(&next.sheets) {
        assert_eq!(new.fiscal_year, "令和7年度");
        assert_eq!((new.created.as_str(), new.evaluated.as_str()), ("", ""));
        assert_eq!(
            (&new.department, &new.division, &new.policy_indicators),
            (&old.department, &old.division, &old.policy_indicators)
        );
        assert_eq!((new.target_label.as_str(), new.result_label.as_str()), ("Ｒ７目標", "Ｒ７結果"));
        assert_eq!(new.entries.len(), old.entries.len());
        for (oe, ne) in old.entries.iter().zip(&new.entries) {
            assert_eq!((&ne.no, &ne.goal), (&oe.no, &oe.goal));
            assert_eq!(ne.grade, "");
            assert_eq!(ne.indicators.len(), oe.indicators.len());
            for (oi, ni) in oe.indicators.iter().zip(&ne.indicators) {
                for f in CARRIED {
                    assert_eq!(ni.field(f), oi.field(f), "{f} is carried");
                }
                for f in EMPTIED {
                    assert_eq!(ni.field(f), Some(""), "{f} is emptied");
                }
                // The new target starts with last year's result as its reference line.
                assert_eq!(ni.target, reference_line(&oi.result, 6), "{}", oi.result);
            }
        }
    }
    // Something was there to empty, and the city's reference lines came out of it.
    assert!(last.sheets.iter().flat_map(|s| &s.entries).flat_map(|e| &e.indicators).any(|i| !i.result.is_empty()));
    let targets: Vec<&str> =
        next.sheets.iter().flat_map(|s| &s.entries).flat_map(|e| &e.indicators).map(|i| i.target.as_str()).collect();
    assert!(targets.contains(&"（R6：318件）") && targets.contains(&"（R6：1回）"), "{targets:?}");
    assert!(targets.contains(&""), "a qualitative result (推進) gives no reference line");
}

#[test]
fn the_written_sheet_says_the_new_year_everywhere() {
    let next = next_year(&seed(), FiscalYear { start: 2025 });
    let bytes = workbook_bytes(&next).unwrap();
    let mut book = open(&bytes);
    for sheet in &next.sheets {
        let range = book.worksheet_range(&sheet.division).unwrap();
        assert_labels(&range, "Ｒ７目標", "Ｒ７結果");
        let year_cell = layout::header_field(Field::FiscalYear).unwrap().value_range.start;
        assert_eq!(text_at(&range, year_cell), "令和7年度");
        let evaluated = layout::header_field(Field::Evaluated).unwrap().value_range.start;
        assert_eq!(text_at(&range, evaluated), "");
    }
}

#[test]
fn a_year_can_be_skipped_or_given() {
    let next = next_year(&seed(), FiscalYear::from_reiwa(10));
    assert!(next.sheets.iter().all(|s| s.fiscal_year == "令和10年度" && s.target_label == "Ｒ１０目標"));
}
