//! The six real sheets of the seed (市民生活部, 令和6年度): exactly the true defects are
//! reported, and none of the look-alikes that are correct; and how the report reads (human in
//! both languages, short, JSON), as snapshots.

use goalsheet::address::CellRef;
use goalsheet::finding::{Applicability, Severity};
use goalsheet::lang::Lang;
use goalsheet::layout;
use goalsheet::model::Field;
use goalsheet::render::{self, human::HumanOptions, Checked, FileResult};
use goalsheet::rules::{check_document, CheckOptions, Stage};
use goalsheet::Document;
use std::collections::BTreeSet;

fn seed() -> Document {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/shimin-seikatsu-r6.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The seed as if read from a workbook in the official layout: every value gets its cell
/// (one row per indicator from row 8), the sheets their names and the `Ｒ６目標` headers.
fn seed_with_cells() -> Document {
    let mut d = seed();
    d.source = Some("市民生活部.xlsx".into());
    for s in &mut d.sheets {
        s.sheet = s.division.clone();
        s.target_label = "Ｒ６目標".into();
        s.result_label = "Ｒ６結果".into();
        for h in layout::HEADER_FIELDS {
            s.cells.set(h.field, h.value_range.start);
        }
        let mut row = layout::FIRST_DATA_ROW;
        for e in &mut s.entries {
            for f in [Field::No, Field::Goal, Field::Grade] {
                e.cells.set(f, CellRef::new(row, layout::column_of(f).unwrap().col));
            }
            for ind in &mut e.indicators {
                for f in Field::INDICATOR {
                    ind.cells.set(f, CellRef::new(row, layout::column_of(f).unwrap().col));
                }
                row += 1;
            }
        }
    }
    d
}

fn found(d: &Document) -> BTreeSet<(String, String, String, Option<String>)> {
    check_document(d, &CheckOptions::default())
        .into_iter()
        .map(|f| {
            let s = &d.sheets[f.location.sheet_index];
            let no = f.location.entry.map(|e| s.entries[e].no.clone());
            (f.code.to_string(), s.division.clone(), f.location.field.key().to_string(), no)
        })
        .collect()
}

#[test]
fn seed_reports_exactly_the_true_defects() {
    let want: BTreeSet<(String, String, String, Option<String>)> = [
        // 〇 (U+3007) typed for ○, both entries of 広聴相談課.
        ("GS301", "広聴相談課", "grade", "1"),
        ("GS301", "広聴相談課", "grade", "2"),
        // Full-width digits.
        ("GS204", "市民生活課", "result", "4"),
        ("GS204", "男女共同参画課", "target", "5"),
        ("GS204", "男女共同参画課", "result", "5"),
        // Result 10, narrative 「9件の業務改善を実施しました」.
        ("GS502", "パスポートセンター", "status", "2"),
        // 「「防災」.
        ("GS602", "市民協働課", "status", "4"),
    ]
    .into_iter()
    .map(|(c, d, f, n)| (c.to_string(), d.to_string(), f.to_string(), Some(n.to_string())))
    .collect();
    assert_eq!(found(&seed()), want);
    assert_eq!(found(&seed_with_cells()), want, "provenance does not change what is found");
}

#[test]
fn seed_has_no_error_and_its_fixes_are_safe() {
    let d = seed();
    let all = check_document(&d, &CheckOptions::default());
    assert!(all.iter().all(|f| f.severity != Severity::Error), "{all:#?}");
    let fixes: Vec<(String, String)> = all
        .iter()
        .filter_map(|f| f.fix.as_ref())
        .inspect(|x| assert_eq!(x.applicability, Applicability::Safe))
        .flat_map(|x| x.edits.iter().map(|e| (e.before.clone(), e.after.clone())))
        .collect();
    assert_eq!(
        fixes,
        [("１回", "1回"), ("０件", "0件"), ("２件", "2件"), ("〇", "○"), ("〇", "○")]
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .to_vec()
    );
}

#[test]
fn seed_as_a_plan_only_asks_for_nothing_more() {
    // Forcing the plan stage must not invent findings; forcing evaluation on an evaluated
    // sheet changes nothing either.
    let d = seed();
    let plan = check_document(&d, &CheckOptions { stage: Some(Stage::Plan) });
    let eval = check_document(&d, &CheckOptions { stage: Some(Stage::Evaluation) });
    assert_eq!(plan, eval);
}

#[test]
fn findings_are_in_reading_order() {
    let d = seed_with_cells();
    let f = check_document(&d, &CheckOptions::default());
    let keys: Vec<_> =
        f.iter().map(|x| (x.location.sheet_index, x.location.cell(&d).map(|c| (c.row, c.col)), x.code)).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}

fn results(d: Document) -> Vec<FileResult> {
    let findings = check_document(&d, &CheckOptions::default());
    let file = d.source.clone().unwrap_or_default();
    vec![FileResult { file, outcome: Ok(Checked { document: d, findings }) }]
}

#[test]
fn human_report_in_japanese() {
    let text = render::human::render(&results(seed_with_cells()), Lang::Ja, HumanOptions::default());
    assert!(text.contains("市民生活部.xlsx › 広聴相談課!I8 評価"), "{text}");
    assert!(!text.contains('\u{1b}'), "no colour codes when not asked");
    insta::assert_snapshot!("seed_human_ja", text);
}

#[test]
fn human_report_in_english() {
    let text = render::human::render(&results(seed_with_cells()), Lang::En, HumanOptions::default());
    insta::assert_snapshot!("seed_human_en", text);
}

#[test]
fn human_report_without_cells_names_the_entry() {
    let mut d = seed();
    d.source = Some("shimin-seikatsu-r6.json".into());
    let text = render::human::render(&results(d), Lang::Ja, HumanOptions::default());
    assert!(text.contains("shimin-seikatsu-r6.json › パスポートセンター › No.2 目標達成状況"), "{text}");
}

#[test]
fn short_report() {
    let text = render::short::render(&results(seed_with_cells()), Lang::En);
    insta::assert_snapshot!("seed_short_en", text);
}

#[test]
fn json_report() {
    let text = render::json::render(&results(seed_with_cells()), Lang::Ja);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["summary"]["warnings"], 7);
    assert_eq!(v["summary"]["fixable"], 5);
    insta::assert_json_snapshot!("seed_json_ja", v);
}
