//! Whatever people type, checking and rendering never panic, and every span a finding reports
//! lies inside its value on character boundaries.

use goalsheet::lang::Lang;
use goalsheet::model::{Document, Entry, Indicator, Sheet};
use goalsheet::render::{self, human::HumanOptions, Checked, FileResult};
use goalsheet::rules::{check_document, CheckOptions, Stage};
use proptest::prelude::*;

/// Text made of the characters sheets are made of, plus anything.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9０-９,.，．%％件回校点以上以下未満超△▲○〇△×x達成 \u{3000}\n（）()「」R令和年度月日:：-]{0,12}",
        any::<String>(),
        Just(String::new()),
    ]
}

fn doc() -> impl Strategy<Value = Document> {
    let ind = (cell(), cell(), cell(), cell()).prop_map(|(target, result, status, name)| Indicator {
        target,
        result,
        status,
        name,
        ..Default::default()
    });
    let entry = (cell(), cell(), prop::collection::vec(ind, 0..3)).prop_map(|(no, grade, indicators)| Entry {
        no,
        grade,
        indicators,
        ..Default::default()
    });
    (cell(), cell(), cell(), cell(), prop::collection::vec(entry, 0..4)).prop_map(
        |(fiscal_year, created, evaluated, target_label, entries)| Document {
            source: Some("x.xlsx".into()),
            sheets: vec![Sheet { fiscal_year, created, evaluated, target_label, entries, ..Default::default() }],
            ..Default::default()
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn never_panics_and_spans_are_sound(d in doc(), eval in any::<bool>()) {
        let opts = CheckOptions { stage: eval.then_some(Stage::Evaluation) };
        let findings = check_document(&d, &opts);
        for f in &findings {
            let value = f.location.value(&d).unwrap_or_default();
            if let Some(s) = &f.span {
                prop_assert!(s.start <= s.end && s.end <= value.len(), "{} {:?} in {:?}", f.code, s, value);
                prop_assert!(value.is_char_boundary(s.start) && value.is_char_boundary(s.end), "{} {:?}", f.code, s);
            }
            if let Some(fix) = &f.fix {
                for e in &fix.edits {
                    prop_assert_eq!(Some(e.before.as_str()), e.location.value(&d));
                }
            }
        }
        let results = vec![FileResult { file: "x.xlsx".into(), outcome: Ok(Checked { document: d, findings }) }];
        for lang in [Lang::Ja, Lang::En] {
            let _ = render::human::render(&results, lang, HumanOptions::default());
            let _ = render::short::render(&results, lang);
            let _ = render::json::render(&results, lang);
        }
    }
}
