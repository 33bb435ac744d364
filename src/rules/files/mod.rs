//! GS8xx: the files of one `check` run together, so that a folder that checks clean merges
//! clean. What [`crate::merge::merge_documents`] would refuse (another department, another
//! fiscal year, the same division twice) is found by [`crate::merge::disagreements`], the
//! same keys and choices merge uses, and reported at the sheet's cell.
//!
//! A department file written by `goalsheet merge` (it has the sheets 集計 and 一覧) is the
//! merge's output, not a submission: its division sheets repeat the divisions it was made
//! from, so it is left out of the comparison (each of its sheets is still checked on its own).
//! Otherwise an office folder holding the submissions and last run's department file, like
//! `samples/`, would report every division twice.

pub mod duplicate_division;
pub mod other_department;
pub mod other_fiscal_year;

use crate::finding::Finding;
use crate::merge::{disagreements, Disagreement};
use crate::model::Document;
use crate::rules::{Check, RULES};

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
    let sheets: Vec<(usize, usize)> = docs
        .iter()
        .enumerate()
        .filter(|(_, doc)| !is_department_file(doc))
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

/// Whether `doc` is a department file written by `goalsheet merge` (it has 集計 and 一覧).
pub fn is_department_file(doc: &Document) -> bool {
    let has = |name: &str| doc.other_sheets.iter().any(|s| s.name == name);
    has(crate::merge::SUMMARY_SHEET) && has(crate::merge::LIST_SHEET)
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
}
