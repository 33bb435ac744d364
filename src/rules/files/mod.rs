//! GS8xx: the files of one `check` run together, so that a folder that checks clean merges
//! clean. What [`crate::merge::merge_documents`] would refuse (another department, another
//! fiscal year, the same division twice) is found by [`crate::merge::disagreements`], the
//! same keys and choices merge uses, and reported at the sheet's cell.
//!
//! A department file written by `goalsheet merge` (it has the sheets 集計 and 一覧) is the
//! merge's output, not a submission: its division sheets repeat the divisions it was made
//! from, so it is left out of the comparison (each of its sheets is still checked on its own).
//! Otherwise an office folder holding the submissions and last run's department file, like
//! `samples/`, would report every division twice. So is a workbook whose corrected copy
//! (`fix` without --out-dir) is checked with it: merge takes the copy in its place.

pub mod duplicate_division;
pub mod other_department;
pub mod other_fiscal_year;

use crate::finding::Finding;
use crate::merge::{corrected_originals, disagreements, is_department_file, Disagreement};
use crate::model::{Document, RawSheet, Sheet};
use crate::rules::{Check, RULES};
use serde::{Deserialize, Serialize};

/// What a cross-file rule sees.
pub struct FilesCtx<'a> {
    pub docs: &'a [Document],
    /// Every goal sheet of the run, in input order: (document, sheet index in it).
    pub sheets: Vec<(usize, usize)>,
    /// What merge would refuse, by index into `sheets`.
    pub disagreements: Vec<(usize, Disagreement)>,
}

impl FilesCtx<'_> {
    /// The sheet at `i` of [`FilesCtx::sheets`]: its document's index and its own index.
    pub fn at(&self, i: usize) -> Option<(usize, usize)> {
        self.sheets.get(i).copied()
    }
}

/// Runs the cross-file rules over the documents of one run (in input order): each finding
/// with the index of the document it belongs to, its location pointing into that document.
pub fn check_files(docs: &[Document]) -> Vec<(usize, Finding)> {
    let sources: Vec<Option<&str>> = docs.iter().map(|d| d.source.as_deref()).collect();
    let corrected = corrected_originals(&sources);
    let sheets: Vec<(usize, usize)> = docs
        .iter()
        .enumerate()
        .filter(|(d, doc)| !is_department_file(doc) && corrected[*d].is_none())
        .flat_map(|(d, doc)| (0..doc.sheets.len()).map(move |s| (d, s)))
        .collect();
    let refs: Vec<_> = sheets.iter().map(|&(d, s)| (&docs[d].sheets[s], docs[d].source.as_deref())).collect();
    let cx = FilesCtx { docs, disagreements: disagreements(&refs), sheets };
    let mut out = Vec::new();
    for rule in RULES {
        if let Check::Files(check) = rule.check {
            check(&cx, &mut out);
        }
    }
    out.sort_by_key(|(d, f)| (*d, f.location.sheet_index, f.code));
    out
}

/// What the cross-file rules keep of one file that was read: its sheets' header fields and
/// their cells, and the names of its other sheets (a department file is told by them). A run
/// keeps one per file, so the documents of a large batch are never all in memory at once; the
/// browser page hands them from its workers to the one that compares them (hence serde).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileHeaders {
    /// The file as the run names it (command line, folder walk, or the page's path).
    pub file: String,
    /// The document cut down to what the rules read and the renderers point at.
    pub document: Document,
}

impl FileHeaders {
    pub fn of(file: impl Into<String>, doc: &Document) -> FileHeaders {
        let sheets = doc
            .sheets
            .iter()
            .map(|s| Sheet {
                sheet: s.sheet.clone(),
                fiscal_year: s.fiscal_year.clone(),
                department: s.department.clone(),
                division: s.division.clone(),
                cells: s.cells.clone(),
                merged: s.merged.clone(),
                ..Sheet::default()
            })
            .collect();
        let other_sheets =
            doc.other_sheets.iter().map(|s| RawSheet { name: s.name.clone(), ..Default::default() }).collect();
        FileHeaders { file: file.into(), document: Document { source: doc.source.clone(), sheets, other_sheets } }
    }
}

/// Runs the cross-file rules over the files of one run (in input order): the findings of each
/// file together, as (index into `files`, findings), files in input order. This is what
/// `goalsheet check` reports after the files' own findings, and the browser page too.
pub fn check_across(files: &[FileHeaders]) -> Vec<(usize, Vec<Finding>)> {
    let docs: Vec<Document> = files.iter().map(|f| f.document.clone()).collect();
    let mut by_file: Vec<(usize, Vec<Finding>)> = Vec::new();
    for (d, finding) in check_files(&docs) {
        match by_file.last_mut() {
            Some((last, findings)) if *last == d => findings.push(finding),
            _ => by_file.push((d, vec![finding])),
        }
    }
    by_file
}

#[cfg(test)]
pub(crate) mod tests {
    use crate::model::Document;
    use crate::rules::testing::doc_one;

    /// A division's evaluated sheet of a department and year, read from `file`.
    pub fn division(file: &str, department: &str, year: &str, division: &str) -> Document {
        let mut d = doc_one("8件", "10件");
        d.source = Some(file.into());
        let s = &mut d.sheets[0];
        s.department = department.into();
        s.fiscal_year = year.into();
        s.division = division.into();
        d
    }

    /// The codes found, as (document index, code).
    pub fn codes(docs: &[Document]) -> Vec<(usize, &'static str)> {
        super::check_files(docs).into_iter().map(|(d, f)| (d, f.code)).collect()
    }

    #[test]
    fn agreeing_files_are_clean() {
        let docs = [
            division("a.xlsx", "市民生活部", "令和6年度", "A課"),
            division("b.xlsx", "市民生活部", "R6", "B課"),
            division("c.xlsx", "市民生活部", "令和６年度", "C課"),
        ];
        assert!(codes(&docs).is_empty());
        assert!(codes(&docs[..1]).is_empty());
    }

    fn department_file(divisions: &[&str]) -> Document {
        let mut d = division("部.xlsx", "市民生活部", "令和6年度", divisions[0]);
        let first = d.sheets[0].clone();
        d.sheets = divisions.iter().map(|&v| crate::model::Sheet { division: v.into(), ..first.clone() }).collect();
        for name in ["集計", "一覧"] {
            d.other_sheets.push(crate::model::RawSheet { name: name.into(), ..Default::default() });
        }
        d
    }

    #[test]
    fn a_department_file_beside_its_submissions_is_not_a_duplicate() {
        let docs = [
            division("a.xlsx", "市民生活部", "令和6年度", "A課"),
            division("b.xlsx", "市民生活部", "令和6年度", "B課"),
            department_file(&["A課", "B課"]),
        ];
        assert!(codes(&docs).is_empty(), "{:?}", codes(&docs));
        // Without its 集計 and 一覧 the same workbook is a submission repeating A課 and B課.
        let mut plain = docs.clone();
        plain[2].other_sheets.clear();
        assert_eq!(codes(&plain), vec![(2, "GS803"), (2, "GS803")]);
    }

    #[test]
    fn across_groups_each_files_findings_and_sees_what_the_whole_documents_show() {
        let mut twice = division("d.xlsx", "市民生活部", "令和6年度", "A課");
        twice.sheets.push(twice.sheets[0].clone());
        let docs = [
            division("a.xlsx", "市民生活部", "令和6年度", "A課"),
            division("b.xlsx", "総務部", "令和6年度", "B課"),
            division("c.xlsx", "市民生活部", "令和5年度", "C課"),
            twice,
        ];
        let files: Vec<super::FileHeaders> =
            docs.iter().map(|d| super::FileHeaders::of(d.source.clone().unwrap(), d)).collect();
        let across = super::check_across(&files);
        let codes: Vec<(usize, Vec<&str>)> =
            across.iter().map(|(d, f)| (*d, f.iter().map(|f| f.code).collect())).collect();
        assert_eq!(codes, vec![(1, vec!["GS801"]), (2, vec!["GS802"]), (3, vec!["GS803", "GS803"])]);
        // The cut-down documents give the same findings as the whole ones.
        let whole: Vec<_> =
            super::check_files(&docs).into_iter().map(|(d, f)| (d, f.code, f.location, f.message)).collect();
        let cut: Vec<_> = across
            .into_iter()
            .flat_map(|(d, fs)| fs.into_iter().map(move |f| (d, f.code, f.location, f.message)))
            .collect();
        assert_eq!(cut, whole);
        assert!(files[0].document.sheets[0].entries.is_empty() && !docs[0].sheets[0].entries.is_empty());
    }

    #[test]
    fn file_headers_survive_json_as_the_page_hands_them_between_workers() {
        let mut d = division("a.xlsx", "市民生活部", "令和6年度", "A課");
        d.other_sheets.push(crate::model::RawSheet { name: "集計".into(), ..Default::default() });
        d.sheets[0].cells.set(crate::model::Field::Division, crate::address::CellRef::parse("C3").unwrap());
        let h = super::FileHeaders::of("folder/a.xlsx", &d);
        let back: super::FileHeaders = serde_json::from_str(&serde_json::to_string(&h).unwrap()).unwrap();
        assert_eq!(back, h);
    }
}
