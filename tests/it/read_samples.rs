//! The checked-in samples (the seed's six division sheets as the writer lays them out) read
//! back into exactly the seed's content: nothing lost, nothing invented.

use crate::common;

use crate::common::repo;
use goalsheet::model::{Document, Field};
use goalsheet::read::read_path;

fn seed() -> Document {
    let text = std::fs::read_to_string(repo("tests/data/shimin-seikatsu-r6.json")).expect("seed json");
    serde_json::from_str(&text).expect("seed is a Document")
}

#[test]
fn samples_read_back_as_the_seed() {
    let seed = seed();
    let paths = common::division_samples();
    let (mut entries, mut indicators) = (0, 0);
    for p in &paths {
        let doc = read_path(p).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(doc.sheets.len(), 1, "{}", p.display());
        let got = &doc.sheets[0];
        let want = seed
            .sheets
            .iter()
            .find(|s| s.division == got.division)
            .unwrap_or_else(|| panic!("{}: division {:?} not in the seed", p.display(), got.division));
        for f in [
            Field::FiscalYear,
            Field::Created,
            Field::Evaluated,
            Field::Department,
            Field::Division,
            Field::PolicyIndicators,
        ] {
            assert_eq!(got.field(f), want.field(f), "{} {f}", got.division);
            assert!(got.cells.get(f).is_some(), "{} {f} has provenance", got.division);
        }
        assert_eq!(got.entries.len(), want.entries.len(), "{}", got.division);
        for (ge, we) in got.entries.iter().zip(&want.entries) {
            assert_eq!((&ge.no, &ge.goal, &ge.grade), (&we.no, &we.goal, &we.grade), "{}", got.division);
            assert_eq!(ge.indicators.len(), we.indicators.len(), "{} No.{}", got.division, we.no);
            for (gi, wi) in ge.indicators.iter().zip(&we.indicators) {
                for f in Field::INDICATOR {
                    assert_eq!(gi.field(f), wi.field(f), "{} No.{} {f}", got.division, we.no);
                }
            }
        }
        assert!(got.target_label.ends_with("目標"), "{}", got.target_label);
        assert!(got.extras.is_empty(), "{}: {:?}", got.division, got.extras);
        entries += got.entries.len();
        indicators += got.indicator_count();
    }
    assert_eq!((entries, indicators), (24, 28));
}
