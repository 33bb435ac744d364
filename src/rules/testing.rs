//! Documents built in code for the rules' unit tests.

use crate::finding::Finding;
use crate::model::{Document, Entry, Indicator, Sheet};
use crate::rules::{check_document, CheckOptions};

/// One sheet, one entry, one indicator with `target` and `result`. With a result, the sheet
/// is fully evaluated (grade ○); without one, it is a complete plan.
pub fn doc_one(target: &str, result: &str) -> Document {
    doc_entry("○", &[(target, result)])
}

/// One sheet with one entry graded `grade`, one indicator per (target, result).
pub fn doc_entry(grade: &str, rows: &[(&str, &str)]) -> Document {
    let evaluated = rows.iter().any(|(_, r)| !r.is_empty());
    let indicators = rows
        .iter()
        .enumerate()
        .map(|(i, (t, r))| Indicator {
            name: format!("指標{}", i + 1),
            plan_ref: "政策1-1-①".into(),
            target: t.to_string(),
            result: r.to_string(),
            initiative: "事業".into(),
            summary: "概要".into(),
            status: if evaluated { "実施しました。".into() } else { String::new() },
            policy: if evaluated { "継続します。".into() } else { String::new() },
            ..Default::default()
        })
        .collect();
    let entry = Entry {
        no: "1".into(),
        goal: "目標".into(),
        grade: if evaluated { grade.into() } else { String::new() },
        indicators,
        ..Default::default()
    };
    Document {
        source: Some("課.xlsx".into()),
        sheets: vec![Sheet {
            sheet: "課".into(),
            fiscal_year: "令和6年度".into(),
            created: "R6.4.1".into(),
            evaluated: if evaluated { "R7.3.31".into() } else { String::new() },
            department: "市民生活部".into(),
            division: "市民生活課".into(),
            entries: vec![entry],
            ..Default::default()
        }],
        ..Default::default()
    }
}

/// A planned sheet whose entries carry these No. values.
pub fn doc_nos(nos: &[&str]) -> Document {
    let mut d = doc_one("80%", "");
    let proto = d.sheets[0].entries[0].clone();
    d.sheets[0].entries = nos.iter().map(|n| Entry { no: n.to_string(), ..proto.clone() }).collect();
    d
}

/// The findings of one rule.
pub fn findings_of(d: &Document, code: &str) -> Vec<Finding> {
    check_document(d, &CheckOptions::default()).into_iter().filter(|f| f.code == code).collect()
}

/// The fields one rule fires on.
pub fn codes_at(d: &Document, code: &str) -> Vec<String> {
    codes_at_with(d, code, &CheckOptions::default())
}

pub fn codes_at_with(d: &Document, code: &str, opts: &CheckOptions) -> Vec<String> {
    check_document(d, opts).into_iter().filter(|f| f.code == code).map(|f| f.location.field.key().to_string()).collect()
}

/// The seed: six real division sheets of 市民生活部, 令和6年度.
pub fn seed() -> Document {
    serde_json::from_str(include_str!("../../tests/data/shimin-seikatsu-r6.json")).unwrap_or_default()
}

/// A cell holding a value (not text) shown through `format`: a number or a date's serial.
pub fn value_cell(kind: crate::model::CellKind, number: f64, format: Option<&str>) -> crate::model::TypedCell {
    crate::model::TypedCell { kind, number: Some(number), format: format.map(Into::into), formula: None, stale: false }
}
