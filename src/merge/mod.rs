//! `goalsheet merge`: the department file (部の集約ファイル).
//!
//! The department office collects one workbook per division for one fiscal year and merges
//! them into one workbook: a summary per division (集計, with a stacked chart of the grades),
//! one flat table of every indicator (一覧, one value per cell, for filtering and pivoting),
//! every division's sheet in the official layout (with its values outside the layout at their
//! address, or on 元の位置の値 where the layout writes), and every finding (検証結果).
//!
//! Merging is two steps, both pure: [`merge_documents`] validates the inputs (one department,
//! one fiscal year, each division once) and builds the [`Department`] model with each
//! division's counts and findings; [`department_bytes`] writes it. Inputs that disagree are
//! refused ([`ErrorKind::Conflict`], naming the files) unless [`MergeOptions::force`] is set,
//! in which case the decision is recorded in [`Department::notes`] and shown on 集計:
//!
//! - the same division twice: the first in input order is kept, the others are left out
//!   (sheets of another fiscal year are told apart first: last year's sheet of a division kept
//!   beside this year's is refused as another year's, not as the division twice);
//! - departments or fiscal years that disagree: `--department` / `--year` when given, else the
//!   one most division sheets say (ties: the first in input order). The division sheets keep
//!   what they say; only the department file's title follows the decision.
//!
//! A department file is valid input again: its division sheets are read like any others, and
//! its generated sheets (集計, 一覧, 検証結果: not goal sheets, so they arrive in
//! [`Document::other_sheets`]) are left out and made afresh; what its 元の位置の値 listed for
//! a division sheet taken from it is listed again ([`Division::earlier_moved`]). A division given both in its own
//! file and in a department file (an office folder holding the submissions and the last
//! merge's department file, as `samples/` does) is taken from its own file, with a note: the
//! department file's sheet is the last merge's copy of it, not a second sheet of the division.
//! Likewise a workbook given together with its corrected copy (`fix` without --out-dir writes
//! `課.corrected.xlsx` beside `課.xlsx`) is taken from the copy, with a note: fixing a folder
//! and merging it is the office's ordinary way. So a folder that `check` finds clean (it
//! leaves department files and corrected originals out of its comparison) merges clean.
//!
//! Grades are counted by meaning: `〇` (and every other variant with one clear meaning, see
//! [`crate::grammar::grade`]) counts as the grade it stands for; a grade nobody can read counts
//! as neither (column 評価不明), so that it is visible rather than silently dropped.

mod summary;
mod table;
mod workbook;

pub use workbook::{department_bytes, LIST_SHEET, SUMMARY_SHEET};

use crate::address::CellRef;
use crate::error::{Error, ErrorKind, Result};
use crate::finding::{Finding, Severity};
use crate::grammar::grade::{parse_grade_in, Grade, GradeCell, Legend};
use crate::grammar::year::{parse_fiscal_year, FiscalYear};
use crate::lang::Msg;
use crate::layout;
use crate::model::{Document, Field, Sheet};
use crate::rules::{check_document, CheckOptions};
use std::collections::{HashMap, HashSet};
use std::path::Path;
use unicode_normalization::UnicodeNormalization;

/// How to merge.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergeOptions {
    /// The department's name (`--department`): the title of the department file. Inputs
    /// that say otherwise are a conflict unless `force`.
    pub department: Option<String>,
    /// The fiscal year (`--year`). Inputs of another year are a conflict unless `force`.
    pub year: Option<FiscalYear>,
    /// Merge even when inputs disagree; the decision is recorded in [`Department::notes`].
    pub force: bool,
    /// How each division is checked for the findings columns and 検証結果.
    pub check: CheckOptions,
}

/// The merged department: what the department file shows.
#[derive(Debug, Clone, Default)]
pub struct Department {
    /// 組織名（部）.
    pub name: String,
    /// The fiscal year, when known.
    pub year: Option<FiscalYear>,
    /// The divisions, in input order.
    pub divisions: Vec<Division>,
    /// What `--force` decided, and anything else the reader of the file must know.
    pub notes: Vec<Msg>,
}

/// One division of the department.
#[derive(Debug, Clone, Default)]
pub struct Division {
    /// The division's goal sheet, as read.
    pub sheet: Sheet,
    /// The file it came from.
    pub source: Option<String>,
    /// What `check` finds in it, without their fixes, spans, labels and related places (the
    /// department file shows none of them); locations point into a document holding just this
    /// sheet ([`Division::document`]).
    pub findings: Vec<Finding>,
    /// Its counts.
    pub counts: Counts,
    /// Taken from a department file: the values that file's 元の位置の値 listed for this
    /// sheet (cell in the division's own workbook, text), listed again.
    pub earlier_moved: Vec<(CellRef, String)>,
}

impl Division {
    /// The division as a document of its own (the one its findings point into).
    pub fn document(&self) -> Document {
        Document { source: self.source.clone(), sheets: vec![self.sheet.clone()], other_sheets: Vec::new() }
    }

    /// The division's name, or the worksheet's when the sheet names none.
    pub fn name(&self) -> &str {
        if self.sheet.division.trim().is_empty() {
            &self.sheet.sheet
        } else {
            &self.sheet.division
        }
    }
}

/// What 集計 shows for a division (or, summed, for the department).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Goals (entries, one per No.); the grades below count goals too.
    pub entries: usize,
    /// Indicators (取組指標) over all entries.
    pub indicators: usize,
    /// Main initiatives (主な取組), as [`crate::flat::initiatives`] counts them.
    pub initiatives: usize,
    /// Entries graded ○ (or a clear variant such as 〇).
    pub achieved: usize,
    /// Entries graded △.
    pub partly: usize,
    /// Entries graded ×.
    pub not_achieved: usize,
    /// Entries with an empty 評価.
    pub ungraded: usize,
    /// Entries whose 評価 holds something that is not a grade.
    pub unknown: usize,
    /// Findings of severity error.
    pub errors: usize,
    /// Findings of severity warning.
    pub warnings: usize,
}

impl Counts {
    /// Counts a sheet's entries, indicators and grades, and the findings.
    pub fn of(sheet: &Sheet, findings: &[Finding]) -> Counts {
        let mut c = Counts { entries: sheet.entries.len(), indicators: sheet.indicator_count(), ..Counts::default() };
        let legend = Legend::parse(&sheet.legend);
        for e in &sheet.entries {
            c.initiatives += crate::flat::initiatives(e);
            match parse_grade_in(&e.grade, legend.as_ref()) {
                GradeCell::Empty => c.ungraded += 1,
                GradeCell::Unknown => c.unknown += 1,
                cell => match cell.grade() {
                    Some(Grade::Achieved) => c.achieved += 1,
                    Some(Grade::Partly) => c.partly += 1,
                    Some(Grade::NotAchieved) => c.not_achieved += 1,
                    None => c.unknown += 1,
                },
            }
        }
        c.errors = findings.iter().filter(|f| f.severity == Severity::Error).count();
        c.warnings = findings.iter().filter(|f| f.severity == Severity::Warning).count();
        c
    }

    /// Entries graded ○, △ or ×.
    pub fn graded(&self) -> usize {
        self.achieved + self.partly + self.not_achieved
    }

    /// ○ / graded, from 0 to 1; `None` when nothing is graded yet.
    pub fn share_achieved(&self) -> Option<f64> {
        match self.graded() {
            0 => None,
            n => Some(self.achieved as f64 / n as f64),
        }
    }

    fn add(&mut self, o: &Counts) {
        self.entries += o.entries;
        self.indicators += o.indicators;
        self.initiatives += o.initiatives;
        self.achieved += o.achieved;
        self.partly += o.partly;
        self.not_achieved += o.not_achieved;
        self.ungraded += o.ungraded;
        self.unknown += o.unknown;
        self.errors += o.errors;
        self.warnings += o.warnings;
    }
}

impl Department {
    /// The sum over all divisions.
    pub fn totals(&self) -> Counts {
        let mut t = Counts::default();
        for d in &self.divisions {
            t.add(&d.counts);
        }
        t
    }

    /// `令和6年度`, or empty when the year is not known.
    pub fn year_text(&self) -> String {
        self.year.map(|y| layout::fiscal_year_text(y.reiwa())).unwrap_or_default()
    }

    /// Every division sheet as one document (in department-file order).
    pub fn document(&self) -> Document {
        Document {
            source: None,
            sheets: self.divisions.iter().map(|d| d.sheet.clone()).collect(),
            other_sheets: Vec::new(),
        }
    }
}

/// One input sheet with the file it came from.
struct Input {
    sheet: Sheet,
    source: Option<String>,
    /// Read from a department file (merge's own output, with 集計 and 一覧): a copy of a
    /// division's sheet from the last merge, which the division's own file replaces.
    from_department_file: bool,
    /// From a department file: what its 元の位置の値 listed for this sheet.
    earlier_moved: Vec<(CellRef, String)>,
}

impl Input {
    /// `file › sheet` (or what is known of it), the file as given (two folders may hold files
    /// of the same name).
    fn origin(&self) -> String {
        origin(&self.sheet, self.source.as_deref())
    }
}

fn origin(sheet: &Sheet, source: Option<&str>) -> String {
    let file = source.unwrap_or_default();
    match (file.is_empty(), sheet.sheet.is_empty()) {
        (false, false) => format!("{file} › {}", sheet.sheet),
        (false, true) => file.to_string(),
        (true, false) => sheet.sheet.clone(),
        (true, true) => sheet.division.clone(),
    }
}

/// The last component of a path as given (`samples/市民協働課.xlsx` → `市民協働課.xlsx`).
pub(crate) fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// Names compared as a person would: NFKC (full-width and half-width alike), no whitespace.
pub(crate) fn same_name_key(s: &str) -> String {
    s.nfkc().filter(|c| !c.is_whitespace()).collect()
}

/// Most divisions in one department file (a department has a few dozen).
pub const MAX_DIVISIONS: usize = 1_000;

/// Refuses, before anything is written, a department file that goalsheet could not read back:
/// more divisions than [`MAX_DIVISIONS`], or more sheets, entries and indicators, or more cell
/// text, than the reader takes ([`crate::read::guard`]). The text counts twice and more: every
/// value is on its division's sheet and again on 一覧, where the year, department, division and
/// goal are repeated on each indicator's row.
pub fn check_readable(dept: &Department) -> Result<()> {
    use crate::read::guard;
    let divisions = dept.divisions.len();
    if divisions > MAX_DIVISIONS {
        return Err(too_many_divisions(divisions));
    }
    let sheets = divisions + 3;
    let items: usize =
        sheets + dept.divisions.iter().map(|d| d.sheet.entries.len() + d.sheet.indicator_count()).sum::<usize>();
    if items > guard::MAX_ITEMS {
        return Err(guard::too_large(
            Msg::new(format!("取組と指標が合わせて {items} 件"), format!("{items} sheets, entries and indicators")),
            Msg::new(format!("合わせて {} 件", guard::MAX_ITEMS), format!("{} in all", guard::MAX_ITEMS)),
        ));
    }
    let text: usize = dept.divisions.iter().map(|d| text_bytes(&d.sheet) + list_bytes(dept, &d.sheet)).sum();
    if text > guard::MAX_TEXT_BYTES {
        return Err(guard::too_large(
            Msg::new(
                format!("部のファイルの文字 {}", guard::mib(text as u64)),
                format!("{} of text in the department file", guard::mib(text as u64)),
            ),
            guard::mib(guard::MAX_TEXT_BYTES as u64),
        ));
    }
    Ok(())
}

/// The documents read for one merge, kept as they arrive with only what merge uses of them,
/// within a bound on the text they hold together: a few megabytes of files can hold gigabytes
/// of text (one long shared string in every cell of a sheet), and merge keeps every file it
/// reads until the department file is written.
#[derive(Debug, Default)]
pub struct Gathered {
    pub docs: Vec<Document>,
    /// Bytes of text the documents kept hold.
    held: usize,
    /// Past the bound: the documents that arrive are read no further.
    full: bool,
}

impl Gathered {
    /// Keeps `doc` without what merge leaves out (the cells of sheets other than goal sheets
    /// and 元の位置の値, which are read again only by their names); the refusal when the text
    /// of the documents kept passes the bound of a department file's text (said once).
    pub fn add(&mut self, mut doc: Document) -> Option<Error> {
        use crate::write::table::MOVED_SHEET_NAME;
        if self.full {
            return None;
        }
        for raw in doc.other_sheets.iter_mut().filter(|s| s.name != MOVED_SHEET_NAME) {
            raw.cells = Vec::new();
        }
        self.held = self.held.saturating_add(held_bytes(&doc));
        if self.held > crate::read::guard::MAX_TEXT_BYTES {
            self.full = true;
            self.docs = Vec::new();
            let limit = crate::read::guard::mib(crate::read::guard::MAX_TEXT_BYTES as u64);
            return Some(Error::new(ErrorKind::TooLarge {
                detail: Msg::new(
                    format!("統合するファイルの文字が、このファイルまでで合わせて {limit} 超。部のファイルに入る文字の上限です"),
                    format!("the files to merge hold more than {limit} of text with this file, the most a department file holds"),
                ),
            }));
        }
        self.docs.push(doc);
        None
    }
}

/// Bytes of text a document read for merge holds: its sheets' values, remarks, notes and
/// struck text, and its other sheets' cells.
fn held_bytes(doc: &Document) -> usize {
    let sheets: usize = doc
        .sheets
        .iter()
        .map(|s| {
            text_bytes(s)
                + s.notes.iter().map(|n| n.text.len()).sum::<usize>()
                + s.struck.iter().map(|x| x.text.len()).sum::<usize>()
        })
        .sum();
    let others: usize = doc.other_sheets.iter().flat_map(|s| s.cells.iter()).map(|c| c.text.len()).sum();
    sheets + others
}

/// More division files than one department file holds: said before any is read.
pub fn too_many_divisions(n: usize) -> Error {
    Error::new(ErrorKind::TooLarge {
        detail: Msg::new(
            format!("課が {n} あります。1つの部のファイルにまとめられるのは {MAX_DIVISIONS} 課までです"),
            format!("{n} divisions; one department file holds at most {MAX_DIVISIONS}"),
        ),
    })
}

/// Bytes of text a sheet gives 一覧 (an upper bound: a value's parts count whole).
fn list_bytes(dept: &Department, sheet: &Sheet) -> usize {
    let head = sheet.fiscal_year.len() + dept.name.len() + sheet.division.len();
    let mut n = 0;
    for e in &sheet.entries {
        let entry = head + e.no.len() + e.goal.len() + e.grade.len();
        n += entry; // an entry without indicators still has a row
        for i in &e.indicators {
            n += entry + 2 * (i.target.len() + i.result.len()) + i.name.len() + i.plan_ref.len();
        }
    }
    n
}

/// Bytes of text in a sheet's values.
fn text_bytes(sheet: &Sheet) -> usize {
    let fields = |get: &dyn Fn(Field) -> Option<usize>| Field::ALL.iter().filter_map(|f| get(*f)).sum::<usize>();
    let mut n = fields(&|f| sheet.field(f).map(str::len));
    for e in &sheet.entries {
        n += fields(&|f| e.field(f).map(str::len));
        for i in &e.indicators {
            n += fields(&|f| i.field(f).map(str::len));
        }
    }
    n + sheet.extras.iter().map(|x| x.text.len()).sum::<usize>()
}

/// Merges the goal sheets of `inputs` (in order) into a department.
///
/// Every goal sheet of every document is a division; documents' other sheets (a department
/// file's 集計, 一覧, 検証結果) are left out. Refuses with [`ErrorKind::Conflict`] when the
/// inputs disagree on the department or the fiscal year, or hold a division twice, unless
/// `opts.force` (see the module documentation for what wins).
pub fn merge_documents(inputs: Vec<Document>, opts: &MergeOptions) -> Result<Department> {
    let mut notes = Vec::new();
    let all: Vec<Input> = take_corrected_copies(inputs, &mut notes)
        .into_iter()
        .flat_map(|doc| {
            let from_department_file = is_department_file(&doc);
            let mut moved = if from_department_file { moved_values(&doc) } else { Vec::new() };
            let source = doc.source;
            doc.sheets.into_iter().map(move |sheet| {
                // Each row of 元の位置の値 names the division's sheet in that department file.
                let (mine, rest) =
                    std::mem::take(&mut moved).into_iter().partition(|(name, _, _)| *name == sheet.sheet);
                moved = rest;
                let earlier_moved = mine.into_iter().map(|(_, cell, text)| (cell, text)).collect();
                Input { sheet, source: source.clone(), from_department_file, earlier_moved }
            })
        })
        .collect();
    if all.is_empty() {
        return Err(Error::new(ErrorKind::Usage {
            detail: Msg::new(
                "統合する組織目標管理シートがありません。課のファイルかフォルダを指定してください",
                "nothing to merge: give the divisions' files or a folder holding them",
            ),
        }));
    }
    // A department file's copy of a division given in its own file too is no second sheet.
    let all = replace_department_copies(all, &mut notes);
    // The year first: last year's sheet of a division (a reference copy kept in the workbook,
    // or last year's file left in the folder) is another year's sheet, not a second sheet of
    // the division, and is named as such.
    let year = decide_year(&all, opts, &mut notes)?;
    let kept = drop_duplicates(all, opts.force, &mut notes)?;
    let name = decide_department(&kept, opts, &mut notes)?;
    let divisions = kept
        .into_iter()
        .map(|input| {
            let doc = Document { source: input.source.clone(), sheets: vec![input.sheet], other_sheets: Vec::new() };
            let mut findings = check_document(&doc, &opts.check);
            // The department file shows a finding's place, code, message and help: its fix (the
            // cell's text twice over) and the rest are let go, for a division of tens of
            // thousands of findings.
            for f in &mut findings {
                (f.fix, f.related, f.label, f.span) = (None, Vec::new(), None, None);
            }
            let sheet = doc.sheets.into_iter().next().unwrap_or_default();
            let counts = Counts::of(&sheet, &findings);
            Division { sheet, source: input.source, findings, counts, earlier_moved: input.earlier_moved }
        })
        .collect();
    Ok(Department { name, year, divisions, notes })
}

fn conflict(ja: String, en: String) -> Error {
    Error::new(ErrorKind::Conflict { detail: Msg::new(ja, en) })
}

/// Which of `sources` (the files of one run, as given) have their corrected copy among them:
/// `fix` without --out-dir wrote `課.corrected.xlsx` beside `課.xlsx`, and the folder now holds
/// both. The copy is the division's sheet as corrected; the original is not a second one.
pub fn corrected_originals(sources: &[Option<&str>]) -> Vec<Option<usize>> {
    let at: HashMap<&Path, usize> =
        sources.iter().enumerate().filter_map(|(i, s)| Some((Path::new((*s)?), i))).collect();
    sources
        .iter()
        .map(|s| {
            let original = Path::new((*s)?);
            let copy = original.with_file_name(crate::fix::output::corrected_file_name(original));
            at.get(copy.as_path()).copied().filter(|_| copy.as_path() != original)
        })
        .collect()
}

/// Leaves out each document whose corrected copy is among the inputs, with a note naming both
/// (see [`corrected_originals`]).
fn take_corrected_copies(inputs: Vec<Document>, notes: &mut Vec<Msg>) -> Vec<Document> {
    let sources: Vec<Option<&str>> = inputs.iter().map(|d| d.source.as_deref()).collect();
    let copies = corrected_originals(&sources);
    if copies.iter().all(Option::is_none) {
        return inputs;
    }
    let copy_names: Vec<Option<String>> = copies.iter().map(|c| c.and_then(|c| inputs[c].source.clone())).collect();
    let mut kept = Vec::with_capacity(inputs.len());
    let mut taken = Vec::new();
    for (doc, copy) in inputs.into_iter().zip(copy_names) {
        match copy {
            Some(copy) => taken.push((doc.source.unwrap_or_default(), copy)),
            None => kept.push(doc),
        }
    }
    let list = |sep: &str, word: &str| {
        taken.iter().map(|(original, copy)| format!("{original}{word}{copy}")).collect::<Vec<_>>().join(sep)
    };
    notes.push(Msg::new(
        format!(
            "修正したブックがあるファイルは、元のファイルの代わりに修正したブックから取り込みました（{}）",
            list("、", " → ")
        ),
        format!("files with a corrected copy beside them were read from the copy instead ({})", list(", ", " → ")),
    ));
    kept
}

/// A workbook saved after `fix` wrote its corrected copy beside it: merge would take the copy
/// (see [`corrected_originals`]), which lacks what was edited since. `files` are the run's
/// files as given with their modification times (milliseconds since 1970; `None` when
/// unknown). The refusal names both and says what to do.
pub fn stale_corrected_copy(files: &[(&str, Option<u128>)]) -> Option<Error> {
    let sources: Vec<Option<&str>> = files.iter().map(|(name, _)| Some(*name)).collect();
    corrected_originals(&sources).into_iter().enumerate().find_map(|(i, copy)| {
        let ((original, saved), (copy, written)) = (files[i], files[copy?]);
        (saved? > written?).then(|| {
            conflict(
                format!(
                    "{original} は、修正したブック {copy} を書き出した後で保存されています。統合では修正したブックを使うため、その後の変更が入りません。修正し直す（コマンドでは fix --force）か、修正したブックを除いてください"
                ),
                format!(
                    "{original} was saved after its corrected copy {copy} was written: merge takes the copy, which lacks those changes; fix it again (on the command line, fix --force) or leave the copy out"
                ),
            )
        })
    })
}

/// The same division twice: refused, or (forced) the first kept.
fn drop_duplicates(all: Vec<Input>, force: bool, notes: &mut Vec<Msg>) -> Result<Vec<Input>> {
    let mut kept: Vec<Input> = Vec::new();
    // Each division's key → its index in `kept` (each name is normalised once: a department
    // of a thousand divisions would otherwise compare a million pairs).
    let mut first_of: HashMap<String, usize> = HashMap::new();
    // (kept division, origins left out), and each key's index in it
    let mut dups: Vec<(String, String, Vec<String>)> = Vec::new();
    let mut dup_of: HashMap<String, usize> = HashMap::new();
    // A workbook holding one division on two sheets (a copy kept, perhaps hidden).
    let mut same_book: Option<String> = None;
    for input in all {
        let key = same_name_key(&input.sheet.division);
        let first = if key.is_empty() { None } else { first_of.get(&key).copied() };
        if let (Some(first), None) = (first, &same_book) {
            if input.source.is_some() && kept[first].source == input.source {
                same_book = input.source.clone();
            }
        }
        match first {
            Some(first) => match dup_of.get(&key) {
                Some(&d) => dups[d].2.push(input.origin()),
                None => {
                    dup_of.insert(key, dups.len());
                    dups.push((kept[first].sheet.division.clone(), kept[first].origin(), vec![input.origin()]));
                }
            },
            None => {
                if !key.is_empty() {
                    first_of.insert(key, kept.len());
                }
                kept.push(input);
            }
        }
    }
    if dups.is_empty() {
        return Ok(kept);
    }
    if !force {
        let ja: Vec<String> = dups
            .iter()
            .map(|(n, first, others)| format!("「{n}」が {first} と {} にあります", others.join("、")))
            .collect();
        let en: Vec<String> =
            dups.iter().map(|(n, first, others)| format!("“{n}” is in {first} and in {}", others.join(", "))).collect();
        let advice = same_book.map(|file| {
                Msg::new(
                    format!("{file} には同じ課のシートが2枚あります。提出するシートだけを残し、もう一方をブックから削除してください（見えないときは、非表示のシートです。シート見出しを右クリックして［再表示］）"),
                    format!("{file} holds the division on two sheets: keep the sheet to submit and delete the other from the workbook (if you cannot see it, it is hidden: right-click a sheet tab → Unhide)"),
                )
        });
        let (copy_ja, copy_en) = match &advice {
            Some(advice) => (format!("。{}", advice.ja), format!("; {}", advice.en)),
            None => Default::default(),
        };
        return Err(conflict(
            format!(
                "同じ課のシートが複数あります: {}。どちらか一方だけを指定してください（--force を付けると、先に指定した方を使います）{copy_ja}",
                ja.join("。")
            ),
            format!(
                "the same division appears more than once: {}; give only one of them (with --force the first one given is used){copy_en}",
                en.join("; ")
            ),
        ));
    }
    for (n, first, others) in dups {
        notes.push(Msg::new(
            format!(
                "「{n}」が重複していたため {first} を使い、{} は取り込みませんでした（--force）",
                others.join("、")
            ),
            format!("“{n}” appeared more than once: used {first}, left out {} (--force)", others.join(", ")),
        ));
    }
    Ok(kept)
}

/// The rows of a department file's 元の位置の値 (sheet in that file, cell, value): a merge
/// again lists them again for the divisions it takes from that file.
fn moved_values(doc: &Document) -> Vec<(String, CellRef, String)> {
    use crate::write::table::{MOVED_HEADERS, MOVED_HEADERS_EN, MOVED_SHEET_NAME};
    let Some(raw) = doc.other_sheets.iter().find(|s| s.name == MOVED_SHEET_NAME) else { return Vec::new() };
    let rows = crate::fix::workbook::table_rows(raw, &[&MOVED_HEADERS, &MOVED_HEADERS_EN]).unwrap_or_default();
    rows.into_iter()
        .filter_map(|row| {
            let [sheet, cell, text] = <[String; 3]>::try_from(row).ok()?;
            Some((sheet, CellRef::parse(&cell)?, text))
        })
        .collect()
}

/// Whether `doc` is a department file written by `goalsheet merge` (it has 集計 and 一覧).
pub fn is_department_file(doc: &Document) -> bool {
    let has = |name: &str| doc.other_sheets.iter().any(|s| s.name == name);
    has(SUMMARY_SHEET) && has(LIST_SHEET)
}

/// Leaves out each division sheet of a department file whose division also comes in a file of
/// its own, with a note naming both: an office folder holds the submissions and the last
/// merge's department file (as `samples/` does), and merging it again takes each division from
/// its own, perhaps newer, file. Divisions only the department file holds come from it.
fn replace_department_copies(all: Vec<Input>, notes: &mut Vec<Msg>) -> Vec<Input> {
    if all.iter().all(|i| !i.from_department_file) {
        return all;
    }
    // A division's own sheet of the same fiscal year (a stale file of last year replaces nothing).
    let key = |s: &Sheet| (same_name_key(&s.division), year_key(s).map(|(k, _)| k));
    let own: HashSet<(String, Option<String>)> = all
        .iter()
        .filter(|i| !i.from_department_file && !same_name_key(&i.sheet.division).is_empty())
        .map(|i| key(&i.sheet))
        .collect();
    let mut kept = Vec::with_capacity(all.len());
    // Per department file (as given): the divisions left out of it.
    let mut replaced: Vec<(String, Vec<String>)> = Vec::new();
    for input in all {
        if !(input.from_department_file && own.contains(&key(&input.sheet))) {
            kept.push(input);
            continue;
        }
        let file = input.source.clone().unwrap_or_default();
        let division = input.sheet.division.trim().to_string();
        match replaced.iter_mut().find(|(f, _)| *f == file) {
            Some((_, divisions)) => divisions.push(division),
            None => replaced.push((file, vec![division])),
        }
    }
    for (file, divisions) in replaced {
        let n = divisions.len();
        notes.push(Msg::new(
            format!(
                "部のファイル {file} にある前回の統合の写し {n} 課（{}）は使わず、各課のファイルから取り込みました",
                divisions.join("、")
            ),
            format!(
                "{n} division(s) ({}) were taken from their own files, not from the last merge's copies in the department file {file}",
                divisions.join(", ")
            ),
        ));
    }
    kept
}

/// Groups inputs by a key; returns (key, first value as written, origins) in first-seen order.
fn groups(kept: &[Input], value: impl Fn(&Sheet) -> Option<(String, String)>) -> Vec<(String, String, Vec<String>)> {
    group_by(kept.iter().map(|i| (&i.sheet, i.origin())), value)
}

/// Groups items by their sheet's key: (key, first value as written, the items) in first-seen
/// order; sheets without a key are left out.
fn group_by<'s, T>(
    items: impl Iterator<Item = (&'s Sheet, T)>,
    value: impl Fn(&Sheet) -> Option<(String, String)>,
) -> Vec<(String, String, Vec<T>)> {
    let mut out: Vec<(String, String, Vec<T>)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for (sheet, item) in items {
        let Some((key, shown)) = value(sheet) else { continue };
        match index.get(&key) {
            Some(&g) => out[g].2.push(item),
            None => {
                index.insert(key.clone(), out.len());
                out.push((key, shown, vec![item]));
            }
        }
    }
    out
}

/// The group most sheets are in (ties: the first seen).
fn majority<T>(groups: &[(String, String, Vec<T>)]) -> Option<&(String, String, Vec<T>)> {
    let mut best: Option<&(String, String, Vec<T>)> = None;
    for g in groups {
        if best.is_none_or(|b| g.2.len() > b.2.len()) {
            best = Some(g);
        }
    }
    best
}

/// A sheet's department as merge compares it: (key, as written).
fn department_key(s: &Sheet) -> Option<(String, String)> {
    let key = same_name_key(&s.department);
    (!key.is_empty()).then(|| (key, s.department.trim().to_string()))
}

/// A sheet's fiscal year as merge compares it: (key, as shown).
fn year_key(s: &Sheet) -> Option<(String, String)> {
    let text = s.fiscal_year.trim();
    if text.is_empty() {
        return None;
    }
    Some(match parse_fiscal_year(text) {
        Some(y) => (y.start.to_string(), layout::fiscal_year_text(y.reiwa())),
        // A year that does not read is compared as written (check reports it).
        None => (same_name_key(text), text.to_string()),
    })
}

/// Why [`merge_documents`] would refuse a sheet (see [`disagreements`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Disagreement {
    /// The sheet names another department than most sheets (`expected`, as written).
    Department { expected: String },
    /// The sheet is of another fiscal year than most sheets (`expected`, as shown).
    FiscalYear { expected: String },
    /// The division is already in an earlier sheet (`first`: its file › sheet), of the file
    /// `first_file` (as given).
    Division { first: String, first_file: Option<String> },
}

/// What [`merge_documents`] would refuse in these sheets (given in input order, with the file
/// each came from) without `--force`, `--department` or `--year`: for each sheet at fault, its
/// index and why. The same keys and the same choices as merge's: the year most sheets name
/// (ties: the first) is the expected one; among the sheets of that year (or of none), a
/// division's later occurrences are the duplicates; among the rest, the department most sheets
/// name is the expected one.
pub fn disagreements(sheets: &[(&Sheet, Option<&str>)]) -> Vec<(usize, Disagreement)> {
    let mut out = Vec::new();
    let years = group_by(sheets.iter().enumerate().map(|(i, (s, _))| (*s, i)), year_key);
    let mut other_year = vec![false; sheets.len()];
    if years.len() > 1 {
        if let Some((key, shown, _)) = majority(&years) {
            for (k, _, at) in &years {
                if k != key {
                    for &i in at {
                        other_year[i] = true;
                        out.push((i, Disagreement::FiscalYear { expected: shown.clone() }));
                    }
                }
            }
        }
    }
    let mut kept: Vec<usize> = Vec::new();
    let mut first_of: HashMap<String, usize> = HashMap::new();
    for (i, (sheet, _)) in sheets.iter().enumerate() {
        if other_year[i] {
            continue;
        }
        let key = same_name_key(&sheet.division);
        if key.is_empty() {
            kept.push(i);
            continue;
        }
        match first_of.get(&key) {
            Some(&first) => {
                let (first_sheet, source) = sheets[first];
                let first_file = source.map(str::to_string);
                out.push((i, Disagreement::Division { first: origin(first_sheet, source), first_file }));
            }
            None => {
                first_of.insert(key, i);
                kept.push(i);
            }
        }
    }
    let departments = group_by(kept.iter().map(|&i| (sheets[i].0, i)), department_key);
    if departments.len() > 1 {
        if let Some((key, shown, _)) = majority(&departments) {
            for (k, _, at) in &departments {
                if k != key {
                    out.extend(at.iter().map(|&i| (i, Disagreement::Department { expected: shown.clone() })));
                }
            }
        }
    }
    out.sort_by_key(|(i, _)| *i);
    out
}

fn describe(groups: &[(String, String, Vec<String>)], ja: bool) -> String {
    groups
        .iter()
        .map(|(_, shown, origins)| {
            if ja {
                format!("「{shown}」（{}）", origins.join("、"))
            } else {
                format!("“{shown}” ({})", origins.join(", "))
            }
        })
        .collect::<Vec<_>>()
        .join(if ja { "、" } else { "; " })
}

fn decide_department(kept: &[Input], opts: &MergeOptions, notes: &mut Vec<Msg>) -> Result<String> {
    let gs = groups(kept, department_key);
    let wanted = opts.department.as_deref().map(str::trim).filter(|d| !d.is_empty());
    let agree = match wanted {
        Some(w) => gs.iter().all(|(k, _, _)| *k == same_name_key(w)),
        None => gs.len() <= 1,
    };
    let chosen = match wanted {
        Some(w) => w.to_string(),
        None => majority(&gs).map(|g| g.1.clone()).unwrap_or_default(),
    };
    if agree {
        return Ok(chosen);
    }
    if !opts.force {
        let (ja, en) = match wanted {
            Some(w) => (
                format!("--department「{w}」と違う部のシートがあります: {}。", describe(&gs, true)),
                format!("sheets of another department than --department “{w}”: {}.", describe(&gs, false)),
            ),
            None => (
                format!("部の名前が一致しません: {}。", describe(&gs, true)),
                format!("the inputs name different departments: {}.", describe(&gs, false)),
            ),
        };
        return Err(conflict(
            format!("{ja}同じ部のシートだけを指定してください（名前の書き間違いなら元のシートを直してください。そのまま統合するには --force を付けます）"),
            format!("{en} Give only one department's sheets (correct the sheet if the name is mistyped, or add --force to merge anyway)"),
        ));
    }
    let why = if wanted.is_some() {
        ("--department の指定", "as --department says")
    } else {
        ("最も多いシートの記載", "as most sheets say")
    };
    notes.push(Msg::new(
        format!("部の名前が一致しないため「{chosen}」としました（{}、--force）: {}", why.0, describe(&gs, true)),
        format!(
            "the inputs name different departments; used “{chosen}” ({}, --force): {}",
            why.1,
            describe(&gs, false)
        ),
    ));
    Ok(chosen)
}

fn decide_year(kept: &[Input], opts: &MergeOptions, notes: &mut Vec<Msg>) -> Result<Option<FiscalYear>> {
    let gs = groups(kept, year_key);
    let parsed = |g: &(String, String, Vec<String>)| g.0.parse::<i32>().ok().map(|start| FiscalYear { start });
    let agree = match opts.year {
        Some(y) => gs.iter().all(|g| parsed(g) == Some(y)),
        None => gs.len() <= 1,
    };
    let chosen = match opts.year {
        Some(y) => Some(y),
        None => majority(&gs).and_then(parsed),
    };
    if agree {
        return Ok(chosen);
    }
    if !opts.force {
        let (ja, en) = match opts.year {
            Some(y) => {
                let t = layout::fiscal_year_text(y.reiwa());
                (
                    format!("--year（{t}）と違う年度のシートがあります: {}。", describe(&gs, true)),
                    format!("sheets of another fiscal year than --year ({t}): {}.", describe(&gs, false)),
                )
            }
            None => (
                format!("年度が一致しません: {}。", describe(&gs, true)),
                format!("the inputs are of different fiscal years: {}.", describe(&gs, false)),
            ),
        };
        return Err(conflict(
            format!("{ja}同じ年度のシートだけを指定してください（年度の書き間違いなら元のシートを直してください。そのまま統合するには --force を付けます）"),
            format!("{en} Give only one year's sheets (correct the sheet if the year is mistyped, or add --force to merge anyway)"),
        ));
    }
    let shown = chosen.map(|y| layout::fiscal_year_text(y.reiwa())).unwrap_or_default();
    let why = if opts.year.is_some() {
        ("--year の指定", "as --year says")
    } else {
        ("最も多いシートの記載", "as most sheets say")
    };
    notes.push(Msg::new(
        format!("年度が一致しないため「{shown}」としました（{}、--force）: {}", why.0, describe(&gs, true)),
        format!(
            "the inputs are of different fiscal years; used “{shown}” ({}, --force): {}",
            why.1,
            describe(&gs, false)
        ),
    ));
    Ok(chosen)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(dept: &str, div: &str, year: &str) -> Sheet {
        Sheet { department: dept.into(), division: div.into(), fiscal_year: year.into(), ..Sheet::default() }
    }

    fn doc(file: &str, sheets: Vec<Sheet>) -> Document {
        Document { source: Some(file.into()), sheets, other_sheets: Vec::new() }
    }

    /// Merge keeps every file it reads: the cells of sheets it leaves out are let go as each
    /// arrives (a sheet of pasted data held hundreds of megabytes across a folder), and past
    /// the bound on a department file's text the files are refused, said once.
    #[test]
    fn what_merge_keeps_of_the_files_it_reads_is_bounded() {
        use crate::model::{RawCell, RawSheet};
        let text = "x".repeat(30_000);
        let cell = |r: u32| RawCell { cell: CellRef::new(r, 13), text: text.clone(), typed: None };
        let mut gathered = Gathered::default();
        let mut with_data = doc("a.xlsx", vec![sheet("市民生活部", "A課", "令和6年度")]);
        with_data.other_sheets.push(RawSheet { name: "データ".into(), cells: (0..1000).map(cell).collect() });
        assert!(gathered.add(with_data).is_none(), "30 MB of another sheet's cells, let go");
        assert!(gathered.docs[0].other_sheets[0].cells.is_empty());
        assert_eq!(gathered.docs[0].other_sheets[0].name, "データ", "its name kept");
        let beside = |file: &str| {
            let mut d = doc(file, vec![sheet("市民生活部", file, "令和6年度")]);
            d.sheets[0].extras = (0..300).map(cell).collect(); // 9 MB beside the table
            d
        };
        assert!(gathered.add(beside("b.xlsx")).is_none() && gathered.add(beside("c.xlsx")).is_none());
        let refused = gathered.add(beside("d.xlsx")).expect("27 MB held");
        let said = refused.render(crate::Lang::En);
        assert!(said.contains("more than 24.0 MiB of text"), "{said}");
        assert!(gathered.docs.is_empty(), "nothing more is held");
        assert!(gathered.add(beside("e.xlsx")).is_none(), "said once");
    }

    #[test]
    fn full_width_year_and_spacing_are_the_same() {
        let d = merge_documents(
            vec![
                doc("a.xlsx", vec![sheet("市民生活部", "A課", "令和6年度")]),
                doc("b.xlsx", vec![sheet("市民生活部 ", "B課", "令和６年度")]),
            ],
            &MergeOptions::default(),
        )
        .unwrap();
        assert_eq!((d.name.as_str(), d.year_text().as_str()), ("市民生活部", "令和6年度"));
        assert!(d.notes.is_empty());
    }

    /// Last year's sheet of a division beside this year's is refused as another year's sheet
    /// (naming it), not as the division twice; forced, this year's sheet is the one merged.
    #[test]
    fn last_years_sheet_of_a_division_is_another_year() {
        let mut a = doc("a.xlsx", vec![sheet("市民生活部", "A課", "令和6年度")]);
        let mut last = sheet("市民生活部", "A課", "令和5年度");
        last.sheet = "R5（参考）".into();
        a.sheets.push(last);
        let inputs = vec![a, doc("b.xlsx", vec![sheet("市民生活部", "B課", "令和6年度")])];
        let e = merge_documents(inputs.clone(), &MergeOptions::default()).unwrap_err();
        let ErrorKind::Conflict { detail } = &e.kind else { panic!("{e}") };
        assert!(detail.ja.contains("年度が一致しません") && detail.ja.contains("R5（参考）"), "{}", detail.ja);
        let d = merge_documents(inputs, &MergeOptions { force: true, ..MergeOptions::default() }).unwrap();
        assert_eq!(d.divisions.len(), 2);
        assert_eq!(d.divisions[0].sheet.fiscal_year, "令和6年度");
    }

    #[test]
    fn majority_wins_when_forced() {
        let inputs = vec![
            doc("a.xlsx", vec![sheet("総務部", "A課", "令和6年度")]),
            doc("b.xlsx", vec![sheet("市民生活部", "B課", "令和6年度")]),
            doc("c.xlsx", vec![sheet("市民生活部", "C課", "令和5年度")]),
        ];
        let e = merge_documents(inputs.clone(), &MergeOptions::default()).unwrap_err();
        assert!(matches!(e.kind, ErrorKind::Conflict { .. }));
        let d = merge_documents(inputs, &MergeOptions { force: true, ..MergeOptions::default() }).unwrap();
        assert_eq!(d.name, "市民生活部");
        assert_eq!(d.year, Some(FiscalYear { start: 2024 }));
        assert_eq!(d.notes.len(), 2);
        assert_eq!(d.divisions.len(), 3, "a forced merge keeps every division");
    }

    #[test]
    fn grades_count_by_meaning() {
        let mut s = sheet("部", "課", "令和6年度");
        for g in ["○", "〇", "△", "×", "x", "", "済"] {
            s.entries.push(crate::model::Entry { grade: g.into(), ..Default::default() });
        }
        let c = Counts::of(&s, &[]);
        assert_eq!((c.achieved, c.partly, c.not_achieved, c.ungraded, c.unknown), (2, 1, 2, 1, 1));
        assert_eq!(c.share_achieved(), Some(0.4));
        assert_eq!(Counts::default().share_achieved(), None);
    }
}
