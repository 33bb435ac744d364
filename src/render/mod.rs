//! Rendering check results for people and programs: [`human`] (miette diagnostics that point
//! inside the cell text), [`short`] (one grep-friendly line per finding) and [`json`] (a
//! stable schema, documented in `docs/check-json.md`).
//!
//! Pure functions returning `String`: the library never prints; the binary does.

pub mod human;
pub mod json;
pub mod short;

use crate::address::CellRef;
use crate::error::Error;
use crate::finding::{Finding, Location, Severity};
use crate::grammar::year::parse_fiscal_year;
use crate::lang::{Lang, Msg};
use crate::layout::{self, ColumnLabel};
use crate::model::{Document, Field};

/// What checking one input gave.
#[derive(Debug)]
pub struct FileResult {
    /// The file as given on the command line (or found in a folder).
    pub file: String,
    /// The document and its findings, or why the file could not be read.
    pub outcome: Result<Checked, Error>,
}

/// A document that was read and checked.
#[derive(Debug, Clone)]
pub struct Checked {
    pub document: Document,
    pub findings: Vec<Finding>,
}

/// Counts over a whole run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// Inputs given (read or not).
    pub files: usize,
    /// Inputs that could not be read.
    pub unreadable: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Findings that carry a fix `goalsheet fix` applies by default (safe fixes).
    pub fixable: usize,
    /// Findings that carry a fix applied only with `--unsafe-fixes`.
    pub unsafe_fixable: usize,
}

/// One file's counts added to the run's (batches count file by file).
impl std::ops::AddAssign<&Summary> for Summary {
    fn add_assign(&mut self, one: &Summary) {
        self.files += one.files;
        self.unreadable += one.unreadable;
        self.errors += one.errors;
        self.warnings += one.warnings;
        self.infos += one.infos;
        self.fixable += one.fixable;
        self.unsafe_fixable += one.unsafe_fixable;
    }
}

impl Summary {
    pub fn of(results: &[FileResult]) -> Summary {
        let mut s = Summary { files: results.len(), ..Summary::default() };
        for r in results {
            match &r.outcome {
                Err(_) => s.unreadable += 1,
                Ok(c) => {
                    for f in &c.findings {
                        match f.severity {
                            Severity::Error => s.errors += 1,
                            Severity::Warning => s.warnings += 1,
                            Severity::Info => s.infos += 1,
                        }
                        // A fix `fix` would hold is shown, not counted ([`crate::fix::mark_held`]).
                        match f.fix.as_ref().filter(|x| x.held.is_none()).map(|x| x.applicability) {
                            Some(crate::finding::Applicability::Safe) => s.fixable += 1,
                            Some(crate::finding::Applicability::Unsafe) => s.unsafe_fixable += 1,
                            None => {}
                        }
                    }
                }
            }
        }
        s
    }

    /// The one summary line of a run.
    pub fn line(&self, lang: Lang) -> String {
        let mut ja = format!("{} ファイルを検査: エラー {} 件、警告 {} 件", self.files, self.errors, self.warnings);
        let mut en = format!(
            "checked {} file{}: {} error{}, {} warning{}",
            self.files,
            plural(self.files),
            self.errors,
            plural(self.errors),
            self.warnings,
            plural(self.warnings)
        );
        if self.infos > 0 {
            ja.push_str(&format!("、情報 {} 件", self.infos));
            en.push_str(&format!(", {} info", self.infos));
        }
        if self.fixable > 0 {
            ja.push_str(&format!("（うち {} 件は goalsheet fix で自動修正できます）", self.fixable));
            en.push_str(&format!(" ({} fixable with `goalsheet fix`)", self.fixable));
        }
        if self.unreadable > 0 {
            ja.push_str(&format!("。{} ファイルは読み込めませんでした", self.unreadable));
            en.push_str(&format!("; {} file{} could not be read", self.unreadable, plural(self.unreadable)));
        }
        Msg::new(ja, en).get(lang).to_string()
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The severity as a word.
pub fn severity_word(s: Severity, lang: Lang) -> &'static str {
    match s {
        Severity::Error => lang.pick("エラー", "error"),
        Severity::Warning => lang.pick("警告", "warning"),
        Severity::Info => lang.pick("情報", "info"),
    }
}

/// The name a sheet is shown by: the worksheet's name, else the division, else its number.
pub fn sheet_name(doc: &Document, index: usize) -> String {
    match doc.sheets.get(index) {
        Some(s) if !s.sheet.is_empty() => s.sheet.clone(),
        Some(s) if !s.division.trim().is_empty() => s.division.trim().to_string(),
        _ => format!("#{}", index + 1),
    }
}

/// What people call a field on this sheet: the `Ｒ６目標` / `Ｒ６結果` headers follow the year.
pub fn field_name(doc: &Document, loc: &Location, lang: Lang) -> String {
    let f = loc.field;
    if lang == Lang::Ja && matches!(f, Field::Target | Field::Result) {
        let sheet = doc.sheets.get(loc.sheet_index);
        let found = sheet.map(|s| if f == Field::Target { &s.target_label } else { &s.result_label });
        if let Some(l) = found.filter(|l| !l.trim().is_empty()) {
            return l.trim().replace('\n', "");
        }
        let reiwa = sheet.and_then(|s| parse_fiscal_year(&s.fiscal_year)).map(|y| y.reiwa());
        return layout::column_label(if f == Field::Target { ColumnLabel::Target } else { ColumnLabel::Result }, reiwa);
    }
    lang.pick(f.label_ja(), f.label_en()).to_string()
}

/// Where a location is, for people: the cell when known (`F12`), else the entry's No. and the
/// indicator's position (`No.2 (2/3)`).
pub fn place(doc: &Document, loc: &Location) -> Place {
    let cell = loc.cell(doc);
    let mut path = String::new();
    if cell.is_none() {
        if let (Some(sheet), Some(e)) = (doc.sheets.get(loc.sheet_index), loc.entry) {
            let entry = sheet.entries.get(e);
            let no = entry
                .map(|x| x.no.trim().to_string())
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| format!("#{}", e + 1));
            path.push_str(&format!("No.{no}"));
            if let (Some(i), Some(entry)) = (loc.indicator, entry) {
                if entry.indicators.len() > 1 {
                    path.push_str(&format!(" ({}/{})", i + 1, entry.indicators.len()));
                }
            }
        }
    }
    Place { cell, path }
}

/// A location as shown: a cell, or a path into the model when the value came from JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub cell: Option<CellRef>,
    /// `No.2 (2/3)` when there is no cell; empty for header fields without a cell.
    pub path: String,
}
