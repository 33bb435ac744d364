//! Applying fixes: the one place where findings' [`Fix`](crate::finding::Fix) data changes a [`Document`].
//!
//! Rules only propose edits. This module applies those whose applicability is allowed (safe by
//! default, unsafe only when asked), checks that each edit still finds the text it expects (so
//! two fixes of the same cell never stack), and repeats checking and fixing until nothing is
//! left to fix, so that fixing a fixed document changes nothing.
//!
//! One change is not a rule's edit: a header date the workbook held as text (`R6.5.15` typed
//! into 作成日) is written back as a date cell in the same era format. The value's text does not
//! change, only the cell's type, so it is logged here ([`DATE_CELL_CODE`]) from
//! [`Sheet::text_dates`](crate::model::Sheet::text_dates), which the reader fills.
//!
//! [`workbook`] turns the result into the corrected workbook: the official layout with the
//! fixed values, the remaining findings marked on their cells, a change log (修正履歴), the
//! remaining findings (検証結果), and every value of the input outside the layout kept.

pub mod carry;
pub mod log;
pub mod output;
pub mod patch;
pub mod workbook;

use crate::address::CellRef;
use crate::finding::{Applicability, Finding, Location};
use crate::grammar::date::{format_date, parse_date};
use crate::lang::{Lang, Msg};
use crate::model::{Document, Field};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// The code logged for a text date written back as a date cell (not a rule: the value itself
/// is right, only the cell type changes).
pub const DATE_CELL_CODE: &str = crate::rules::date::date_as_text::RULE.code;

/// Which fixes to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FixOptions {
    /// Also apply fixes that change what the sheet says (`--unsafe-fixes`).
    pub unsafe_fixes: bool,
}

impl FixOptions {
    fn allows(self, a: Applicability) -> bool {
        match a {
            Applicability::Safe => true,
            Applicability::Unsafe => self.unsafe_fixes,
        }
    }
}

/// One change made to the document, for the change log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppliedEdit {
    pub code: &'static str,
    pub location: Location,
    /// The cell the value was read from, if it came from a workbook.
    pub cell: Option<CellRef>,
    pub before: String,
    pub after: String,
    pub applicability: Applicability,
    /// What the fix did.
    pub message: Msg,
    /// The value stays as it is but becomes a date cell (`after` is the date as the cell shows it).
    pub to_date_cell: bool,
}

impl AppliedEdit {
    /// What the cell holds after the change, for people: the text, or `日付セル R6.5.15`.
    pub fn after_text(&self, lang: Lang) -> String {
        if self.to_date_cell {
            format!("{} {}", lang.pick("日付セル", "date cell"), self.after)
        } else {
            self.after.clone()
        }
    }

    /// `安全` / `要確認` (safe / unsafe).
    pub fn applicability_text(&self, lang: Lang) -> &'static str {
        applicability_text(self.applicability, lang)
    }
}

/// `安全` / `要確認` (safe / unsafe).
pub fn applicability_text(a: Applicability, lang: Lang) -> &'static str {
    match a {
        Applicability::Safe => lang.pick("安全", "safe"),
        Applicability::Unsafe => lang.pick("要確認", "unsafe"),
    }
}

/// Why a cell is not edited even though a fix for it is allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Hold {
    /// The cell holds a formula: its value is computed, a fix would replace the formula.
    Formula,
    /// The cell holds a number, date, boolean or error value: the text the rules read is its
    /// number format's rendering, so replacing it with text would lose the value.
    NotText,
    /// The value is written in its label's cell (`作成日：R6.4.1`): writing the value would
    /// remove the label.
    InLabelCell,
    /// A date typed as text stays text: the workbook has the most cell formats Excel shows
    /// ([`patch::MOST_CELL_FORMATS`]) and none showing a date, so a date cell would show a number.
    NoDateFormat,
    /// The value has no cell of its own in the sheet (its column's label is gone, say): the
    /// corrected workbook is the division's own, so there is nowhere to write the fix.
    NoCell,
    /// The cell's number format adds text to its value (`"結果："@`) or hides it (`;;;`): the
    /// value read is not what the cell holds, and the fix would not show as written.
    TextFormat,
    /// The cell's text is the colour of its background: the fix would not show.
    Invisible,
    /// The cell is read as more than one field (merged across their columns: 取組名称 and 概要
    /// in one cell): a fix to one field's value would change the others'.
    SharedCell,
}

impl Hold {
    /// What the change log, the note and the console say.
    pub fn message(self) -> Msg {
        match self {
            Hold::Formula => Msg::new(
                "数式のセルなので自動では修正していません。数式か参照先を確認してください",
                "not fixed: the cell holds a formula; check the formula or the cells it refers to",
            ),
            Hold::NotText => Msg::new(
                "数値や日付のセルで、表示は表示形式によるものなので自動では修正していません。セルの表示形式を確認してください",
                "not fixed: the cell holds a number or date shown through its number format; check the cell's format",
            ),
            Hold::InLabelCell => Msg::new(
                "項目名と同じセルに書かれた値なので自動では修正していません。セルの値を直してください",
                "not fixed: the value is written in its label's cell; correct it in that cell",
            ),
            Hold::NoDateFormat => Msg::new(
                "ブックのセルの書式の数が Excel の上限（64,000）に達していて日付の表示形式がないため、日付セルにしていません",
                "not made a date cell: the workbook has the most cell formats Excel shows (64,000) and none for dates",
            ),
            Hold::Invisible => Msg::new(
                "セルの文字の色が背景と同じ（か見分けられないほど近い色）で、書いても見えないため、自動では修正していません。文字の色を確認してください",
                "not fixed: the cell's text is the colour of its background, so the value would not show; check the cell's font colour",
            ),
            Hold::TextFormat => Msg::new(
                "セルの表示形式が値に文字を付け足す（または値を隠す）ため、自動では修正していません。セルの値と表示形式を確認してください",
                "not fixed: the cell's number format adds text to its value or hides it; check the cell's value and format",
            ),
            Hold::SharedCell => Msg::new(
                "ひとつのセル（結合セル）が複数の項目を兼ねているため、自動では修正していません。項目ごとにセルを分けて書いてください",
                "not fixed: one cell (merged) holds several fields' values, and a fix to one would change the others; give each field its own cell",
            ),
            Hold::NoCell => Msg::new(
                "シートにこの値を書くセルがない（列の項目名がないなど）ため、自動では修正していません。シートに書き入れてください",
                "not fixed: the sheet has no cell for this value (its column has no label, say); write it in the sheet",
            ),
        }
    }
}

/// A fix that was allowed but not made, because of what its cell holds.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct HeldFix {
    pub code: &'static str,
    pub location: Location,
    pub cell: Option<CellRef>,
    pub hold: Hold,
}

/// The result of fixing.
#[derive(Debug, Clone)]
pub struct Fixed {
    pub document: Document,
    /// Every change, in the order made.
    pub applied: Vec<AppliedEdit>,
    /// Findings that remain after fixing.
    pub remaining: Vec<Finding>,
    /// Fixes not made because of what their cell holds (their findings stay in `remaining`).
    pub held: Vec<HeldFix>,
    /// Fixes not made because this run had changed [`FIX_TEXT_BUDGET`] of text already (their
    /// findings stay in `remaining`).
    pub over_budget: usize,
    /// The fixed cells could not be coloured: the workbook has the most cell formats Excel
    /// shows (set by [`FixedFile::into_bytes`]).
    pub unhighlighted: bool,
}

impl Fixed {
    /// What the console and the browser page say when fixes were left for [`FIX_TEXT_BUDGET`].
    pub fn over_budget_message(&self) -> Option<Msg> {
        let (n, mib) = (self.over_budget, FIX_TEXT_BUDGET >> 20);
        (n > 0).then(|| {
            Msg::new(
                format!("1回で変える文字の量の上限（{mib} MiB）に達したため、{n} 件は修正していません（指摘は検証結果に残しています）"),
                format!("{n} fixes not made: this run reached its limit of {mib} MiB of changed text (their findings stay in 検証結果)"),
            )
        })
    }

    /// What the console and the browser page say when the fixed cells are not coloured.
    pub fn unhighlighted_message(&self) -> Option<Msg> {
        self.unhighlighted.then(|| Msg::new(log::unhighlighted(Lang::Ja), log::unhighlighted(Lang::En)))
    }

    /// What the console and the browser page say when the fixed workbook is a department file
    /// written by `goalsheet merge`: its 集計 and 一覧 are figures and copies made from the
    /// division sheets, which the fixes change but do not remake.
    pub fn department_file_message(&self) -> Option<Msg> {
        (!self.applied.is_empty() && crate::merge::is_department_file(&self.document)).then(|| {
            Msg::new(
                "部のファイル（goalsheet merge で作成）です。集計と一覧はこの修正では更新されません。各課のブックを修正してから統合し直してください",
                "this is a department file written by goalsheet merge: its 集計 and 一覧 are not updated by these fixes; fix the divisions' workbooks and merge them again",
            )
        })
    }
}

/// The most text one run changes in a document: the text before and after of every edit.
/// A real sheet changes a few kilobytes; tens of thousands of edits of long narratives, each
/// held several times over (the edit, its note, its log row and their XML), took `fix` past
/// 256 MB on a workbook of 300 KB. The fixes beyond are not made; their findings remain.
pub const FIX_TEXT_BUDGET: usize = 8 << 20;

/// How many check-and-fix rounds at most (a fix can enable another, e.g. trimming spaces
/// around a full-width digit). Three is more than any rule chain needs.
const MAX_ROUNDS: usize = 3;

/// Applies every allowed fix that `check` proposes, re-checking until nothing is left to fix.
/// A value whose cell holds a formula, or a number or date shown through its format, is left
/// alone ([`typed_holds`]).
pub fn fix_document(doc: &Document, opts: FixOptions, check: impl Fn(&Document) -> Vec<Finding>) -> Fixed {
    let holds = typed_holds(doc);
    fix_document_holding(doc, opts, check, |l, _| holds.get(l).copied())
}

/// Marks the fixes of `findings` that `fix` would hold rather than make in the file `file`,
/// read as `doc` ([`Fix::held`](crate::finding::Fix::held)), so that `check` calls fixable
/// only what `fix` makes, and says why the others are not. It goes by what the reading shows:
/// a value computed by a formula or shown through a number format ([`typed_holds`]) and, in a
/// workbook patched in place, a value written in its label's cell, with no cell of its own or
/// in its background's colour.
/// (A cell an array formula computes, and an empty cell's look, are known only to the patch.)
pub fn mark_held(doc: &Document, file: &str, findings: &mut [Finding]) {
    if findings.iter().all(|f| f.fix.is_none()) {
        return;
    }
    let typed = typed_holds(doc);
    let in_place = patch::can_patch(file);
    let shared: Vec<HashSet<CellRef>> = doc.sheets.iter().enumerate().map(|(i, s)| shared_cells(s, i)).collect();
    // In the order `fix` asks: the value's place, what its cell holds, how the cell shows it.
    let hold = |l: &Location| {
        let sheet = doc.sheets.get(l.sheet_index)?;
        let cell = l.cell(doc);
        let shared = shared.get(l.sheet_index)?;
        let place = in_place.then(|| held_in_place(&sheet.in_label_cell, shared, l.field, cell)).flatten();
        let shows = |cells: &[CellRef], hold| (in_place && cell.is_some_and(|c| cells.contains(&c))).then_some(hold);
        place
            .or_else(|| typed.get(l).copied())
            .or_else(|| shows(&sheet.text_formatted, Hold::TextFormat))
            .or_else(|| {
                let hidden = cell.is_some_and(|c| sheet.hidden_by_format.iter().any(|h| h.cell == c));
                (in_place && hidden).then_some(Hold::TextFormat)
            })
            .or_else(|| shows(&sheet.invisible, Hold::Invisible))
    };
    for fix in findings.iter_mut().filter_map(|f| f.fix.as_mut()) {
        let held = fix.edits.iter().filter(|e| e.before != e.after).find_map(|e| hold(&e.location));
        fix.held = held.map(Hold::message);
    }
}

/// What a workbook patched in place holds before its cell is looked at: a value written in
/// its label's cell (`in_label`: the sheet's such fields), whose writing would remove the
/// label, and a value with no cell, where a fix applied to the model only would be listed as
/// made, not be there, and be made again by every later fix.
fn held_in_place(in_label: &[Field], shared: &HashSet<CellRef>, field: Field, cell: Option<CellRef>) -> Option<Hold> {
    if in_label.contains(&field) {
        return Some(Hold::InLabelCell);
    }
    match cell {
        None => Some(Hold::NoCell),
        Some(c) => shared.contains(&c).then_some(Hold::SharedCell),
    }
}

/// The cells of a sheet read as more than one field (merged across their columns), which
/// [`held_in_place`] holds.
fn shared_cells(sheet: &crate::model::Sheet, index: usize) -> HashSet<CellRef> {
    let mut first: HashMap<CellRef, Field> = HashMap::new();
    let mut shared = HashSet::new();
    for (location, cell) in Location::read_from_cells(sheet, index) {
        if *first.entry(cell).or_insert(location.field) != location.field {
            shared.insert(cell);
        }
    }
    shared
}

/// The fixes a document's own reading says to hold, for a file rewritten rather than patched
/// (.xls, .ods, CSV, JSON: there is no package to ask): a value computed by a formula (a fix
/// would replace the formula with text) and a number, date, boolean or error (its text is the
/// format's rendering; a fix would turn the value into text), as the patch holds them.
pub fn typed_holds(doc: &Document) -> HashMap<Location, Hold> {
    let hold = |t: &crate::model::TypedCell| if t.formula.is_some() { Hold::Formula } else { Hold::NotText };
    let mut holds = HashMap::new();
    for (s, sheet) in doc.sheets.iter().enumerate() {
        holds.extend(sheet.typed.at.iter().map(|(f, t)| (Location::sheet(s, *f), hold(t))));
        for (e, entry) in sheet.entries.iter().enumerate() {
            holds.extend(entry.typed.at.iter().map(|(f, t)| (Location::entry(s, e, *f), hold(t))));
            for (i, ind) in entry.indicators.iter().enumerate() {
                holds.extend(ind.typed.at.iter().map(|(f, t)| (Location::indicator(s, e, i, *f), hold(t))));
            }
        }
    }
    holds
}

/// [`fix_document`], leaving alone the cells `hold` says must not be edited (for a workbook:
/// [`patch::Patcher::holds`]). Their fixes are listed in [`Fixed::held`] and their findings remain.
pub fn fix_document_holding(
    doc: &Document,
    opts: FixOptions,
    check: impl Fn(&Document) -> Vec<Finding>,
    hold: impl Fn(&Location, Option<CellRef>) -> Option<Hold>,
) -> Fixed {
    fix_owned(doc.clone(), opts, check, hold)
}

/// [`fix_document_holding`] on a document the caller no longer needs (no copy).
fn fix_owned(
    document: Document,
    opts: FixOptions,
    check: impl Fn(&Document) -> Vec<Finding>,
    hold: impl Fn(&Location, Option<CellRef>) -> Option<Hold>,
) -> Fixed {
    fix_within(document, opts, check, hold, FIX_TEXT_BUDGET, true)
}

/// [`fix_owned`] changing at most `budget` bytes of text (see [`FIX_TEXT_BUDGET`]).
fn fix_within(
    mut document: Document,
    opts: FixOptions,
    check: impl Fn(&Document) -> Vec<Finding>,
    hold: impl Fn(&Location, Option<CellRef>) -> Option<Hold>,
    mut budget: usize,
    dates_fit: bool,
) -> Fixed {
    let mut applied = Vec::new();
    let mut held = Vec::new();
    // What `held` holds, to find a repeat in one look (a crafted sheet has tens of thousands).
    let mut held_seen = HashSet::new();
    let mut remaining = check(&document);
    for _ in 0..MAX_ROUNDS {
        let round =
            apply_fixes_holding(&mut document, &remaining, opts, &hold, (&mut held, &mut held_seen), &mut budget);
        if round.is_empty() {
            break;
        }
        applied.extend(round);
        // The old findings let go before the new ones are made (tens of megabytes each when a
        // sheet has tens of thousands).
        drop(std::mem::take(&mut remaining));
        remaining = check(&document);
    }
    if dates_fit {
        applied.extend(date_cells(&mut document, &hold));
    } else {
        // Said once for each date left as text, with its finding (GS408), which remains.
        for f in remaining.iter().filter(|f| f.code == DATE_CELL_CODE) {
            let cell = f.location.cell(&document);
            let h = HeldFix { code: f.code, location: f.location.clone(), cell, hold: Hold::NoDateFormat };
            if held_seen.insert(h.clone()) {
                held.push(h);
            }
        }
    }
    // Dates made date cells are no longer text (GS408 reported them before).
    remaining.retain(|f| {
        f.code != DATE_CELL_CODE
            || document.sheets.get(f.location.sheet_index).is_some_and(|s| s.text_dates.contains(&f.location.field))
    });
    // A fix held in one round may have been made moot by another fix later.
    if !held.is_empty() {
        let flagged: HashSet<(&str, &Location)> = remaining.iter().map(|f| (f.code, &f.location)).collect();
        held.retain(|h: &HeldFix| flagged.contains(&(h.code, &h.location)));
    }
    // What the budget left: every allowed fix still proposed and not held.
    let over_budget = if budget == 0 {
        let held_at: HashSet<(&str, &Location)> = held.iter().map(|h| (h.code, &h.location)).collect();
        remaining
            .iter()
            .filter(|f| f.fix.as_ref().is_some_and(|x| opts.allows(x.applicability) && !x.edits.is_empty()))
            .filter(|f| !held_at.contains(&(f.code, &f.location)))
            .count()
    } else {
        0
    };
    Fixed { document, applied, remaining, held, over_budget, unhighlighted: false }
}

/// Logs the header dates held as text that parse, which the writer turns into date cells,
/// and clears them from [`Sheet::text_dates`](crate::model::Sheet::text_dates) (they are date
/// cells from now on). Dates that do not parse stay text, and stay listed.
fn date_cells(doc: &mut Document, hold: &impl Fn(&Location, Option<CellRef>) -> Option<Hold>) -> Vec<AppliedEdit> {
    let mut applied = Vec::new();
    for (i, sheet) in doc.sheets.iter_mut().enumerate() {
        let fields = std::mem::take(&mut sheet.text_dates);
        for field in fields {
            let text = sheet.field(field).unwrap_or_default();
            // A date computed by a formula as text stays what the formula makes.
            let held = hold(&Location::sheet(i, field), sheet.cells.get(field)).is_some();
            let (Ok(parsed), false) = (parse_date(text), held) else {
                sheet.text_dates.push(field);
                continue;
            };
            let shown = format_date(parsed.date, parsed.style);
            applied.push(AppliedEdit {
                code: DATE_CELL_CODE,
                location: Location::sheet(i, field),
                cell: sheet.cells.get(field),
                before: text.to_string(),
                after: shown.clone(),
                applicability: Applicability::Safe,
                message: Msg::new(
                    format!("文字で入力された日付「{}」を日付セル（{shown}）にしました", text.trim()),
                    format!("wrote the date typed as text “{}” as a date cell ({shown})", text.trim()),
                ),
                to_date_cell: true,
            });
        }
    }
    applied
}

/// Applies the allowed fixes of `findings` once, in order. An edit whose `before` no longer
/// matches the current value (because an earlier fix changed that cell) is skipped, and so is
/// the rest of its fix: a fix is applied whole or not at all.
pub fn apply_fixes(doc: &mut Document, findings: &[Finding], opts: FixOptions) -> Vec<AppliedEdit> {
    let mut budget = FIX_TEXT_BUDGET;
    apply_fixes_holding(doc, findings, opts, &|_, _| None, (&mut Vec::new(), &mut HashSet::new()), &mut budget)
}

/// [`apply_fixes`], skipping whole any fix with an edit on a cell `hold` refuses (recorded in
/// `held` once).
fn apply_fixes_holding(
    doc: &mut Document,
    findings: &[Finding],
    opts: FixOptions,
    hold: &impl Fn(&Location, Option<CellRef>) -> Option<Hold>,
    (held, held_seen): (&mut Vec<HeldFix>, &mut HashSet<HeldFix>),
    budget: &mut usize,
) -> Vec<AppliedEdit> {
    let mut applied = Vec::new();
    for finding in findings {
        let Some(fix) = &finding.fix else { continue };
        if !opts.allows(fix.applicability) {
            continue;
        }
        let all_match = fix.edits.iter().all(|e| e.location.value(doc) == Some(e.before.as_str()));
        if !all_match || fix.edits.is_empty() {
            continue;
        }
        let refused = fix.edits.iter().filter(|e| e.before != e.after).find_map(|e| {
            let cell = e.location.cell(doc);
            hold(&e.location, cell).map(|h| (cell, h))
        });
        if let Some((cell, hold)) = refused {
            // Listed under the finding's location, with the cell that refused the edit.
            let h = HeldFix { code: finding.code, location: finding.location.clone(), cell, hold };
            if held_seen.insert(h.clone()) {
                held.push(h);
            }
            continue;
        }
        // Past the budget (set to 0), no fix is made: the first ones in reading order are.
        let cost: usize = fix.edits.iter().map(|e| e.before.len() + e.after.len()).sum();
        if cost > *budget {
            *budget = 0;
            continue;
        }
        *budget -= cost;
        for edit in &fix.edits {
            if edit.before == edit.after {
                continue;
            }
            let cell = edit.location.cell(doc);
            // The fields a merged cell is read into hold its text too: the same cell, one edit.
            for other in edit.location.others_sharing_its_cell(doc) {
                if other.value(doc) == Some(edit.before.as_str()) {
                    other.clear_typed(doc);
                    if let Some(v) = other.value_mut(doc) {
                        *v = edit.after.clone();
                    }
                }
            }
            // The new text no longer shows the typed value behind the old one.
            edit.location.clear_typed(doc);
            // The struck-through part of the cell follows its characters, as the patch's runs do.
            if let (Some(c), Some(sheet)) = (cell, doc.sheets.get_mut(edit.location.sheet_index)) {
                sheet.struck.retain_mut(|s| {
                    if s.cell != c {
                        return true;
                    }
                    match carry::struck_after(&s.text, &edit.before, &edit.after) {
                        Some(text) => {
                            s.text = text;
                            true
                        }
                        None => false,
                    }
                });
            }
            if let Some(v) = edit.location.value_mut(doc) {
                *v = edit.after.clone();
                applied.push(AppliedEdit {
                    code: finding.code,
                    location: edit.location.clone(),
                    cell,
                    before: edit.before.clone(),
                    after: edit.after.clone(),
                    applicability: fix.applicability,
                    message: fix.message.clone(),
                    to_date_cell: false,
                });
            }
        }
    }
    applied
}

/// A file fixed as `goalsheet fix` fixes it, before anything is written: an .xlsx/.xlsm is
/// patched in place (everything the layout does not know survives), anything else is rewritten
/// in the official layout. Shared by the CLI and the browser page so both write the same bytes.
pub struct FixedFile<'a> {
    pub fixed: Fixed,
    patcher: Option<patch::Patcher<'a>>,
}

/// Reads the input `path` (its `bytes`, its name shown as `file`) as [`fix_file`] needs it: a
/// workbook that will be patched only as far as the patch looks at it
/// ([`Purpose::Patch`](crate::read::Purpose::Patch): every cell the rules do not look at stays
/// in the package as it is), anything else (rewritten in the official layout with every value
/// it holds) whole.
///
/// With the document come the parts the reader inflated, which the patch then does not inflate
/// again ([`fix_file_with`]).
pub fn read_for_fix(
    path: &std::path::Path,
    bytes: &[u8],
    file: &str,
) -> crate::Result<(Document, crate::read::xlsx_fast::Inflated)> {
    use crate::read::{read_loaded_keeping, Purpose};
    let patched = is_patched(bytes, file);
    let mut parts = crate::read::xlsx_fast::Inflated::default();
    let purpose = if patched { Purpose::Patch } else { Purpose::Everything };
    let doc = read_loaded_keeping(path, bytes, purpose, patched.then_some(&mut parts))?;
    Ok((doc, parts))
}

/// Whether `bytes` (the input `file`) is patched in place (an .xlsx/.xlsm package), rather
/// than rewritten in the official layout: decided once for the read and the fix.
fn is_patched(bytes: &[u8], file: &str) -> bool {
    use crate::read::guard::{sniff, Magic};
    patch::can_patch(file) && sniff(bytes) == Magic::Zip
}

/// Fixes `doc`, read from `bytes` (the input `file`, by its name).
pub fn fix_file<'a>(
    bytes: &'a [u8],
    doc: Document,
    file: &str,
    opts: FixOptions,
    check: impl Fn(&Document) -> Vec<Finding>,
) -> crate::Result<FixedFile<'a>> {
    fix_file_with(bytes, doc, crate::read::xlsx_fast::Inflated::default(), file, opts, check)
}

/// [`fix_file`] with the parts of `bytes` the reader already inflated ([`read_for_fix`]).
pub fn fix_file_with<'a>(
    bytes: &'a [u8],
    doc: Document,
    parts: crate::read::xlsx_fast::Inflated,
    file: &str,
    opts: FixOptions,
    check: impl Fn(&Document) -> Vec<Finding>,
) -> crate::Result<FixedFile<'a>> {
    if is_patched(bytes, file) {
        let patcher = std::cell::RefCell::new(patch::Patcher::open_with(bytes, parts)?);
        // A sheet is read for what its cells hold only when a fix asks (most sheets get none).
        let sheets: Vec<String> = doc.sheets.iter().map(|s| s.sheet.clone()).collect();
        let in_label: Vec<Vec<Field>> = doc.sheets.iter().map(|s| s.in_label_cell.clone()).collect();
        let shared: Vec<HashSet<CellRef>> = doc.sheets.iter().enumerate().map(|(i, s)| shared_cells(s, i)).collect();
        let failed = std::cell::RefCell::new(None);
        let hold = |l: &Location, c: Option<CellRef>| {
            let in_label = in_label.get(l.sheet_index).map_or(&[][..], Vec::as_slice);
            let none = HashSet::new();
            let shared = shared.get(l.sheet_index).unwrap_or(&none);
            if let Some(hold) = held_in_place(in_label, shared, l.field, c) {
                return Some(hold);
            }
            let (sheet, cell) = (sheets.get(l.sheet_index)?, c?);
            patcher.borrow_mut().hold(sheet, cell).unwrap_or_else(|e| {
                failed.borrow_mut().get_or_insert(e);
                None
            })
        };
        let dates_fit = patcher.borrow_mut().dates_fit()?;
        let fixed = fix_within(doc, opts, check, hold, FIX_TEXT_BUDGET, dates_fit);
        if let Some(e) = failed.into_inner() {
            return Err(e);
        }
        Ok(FixedFile { fixed, patcher: Some(patcher.into_inner()) })
    } else {
        let holds = typed_holds(&doc);
        let mut fixed = fix_owned(doc, opts, &check, |l, _| holds.get(l).copied());
        if let Some(found) = found_as_rewritten(file, &fixed, &check) {
            fixed.remaining = found;
        }
        Ok(FixedFile { fixed, patcher: None })
    }
}

/// What a check of the corrected workbook finds, for an input rewritten in the official
/// layout (.xls, .ods, CSV, JSON). The writer does not carry all a file can hold (hidden rows
/// and columns, text in its background's colour, one value merged over two fields), so the
/// findings that remain, which 検証結果 lists and the console counts, are those of the workbook
/// as written, as a check of it (and a fix of it) finds them. `None` when it does not read
/// back in the same shape: then the findings of the document as read stand.
fn found_as_rewritten(file: &str, fixed: &Fixed, check: impl Fn(&Document) -> Vec<Finding>) -> Option<Vec<Finding>> {
    let written = workbook::corrected_workbook(file, fixed, Lang::Ja).ok()?;
    let mut back = crate::read::read_bytes(&written.bytes, "corrected.xlsx").ok()?;
    let shape = |d: &Document| -> Vec<Vec<usize>> {
        d.sheets.iter().map(|s| s.entries.iter().map(|e| e.indicators.len()).collect()).collect()
    };
    if shape(&back) != shape(&fixed.document) {
        return None;
    }
    back.source.clone_from(&fixed.document.source);
    Some(check(&back))
}

impl FixedFile<'_> {
    /// Whether the input is patched in place (else rewritten).
    pub fn is_patched(&self) -> bool {
        self.patcher.is_some()
    }

    /// The corrected workbook's bytes, and the fix.
    pub fn into_bytes(self, file: &str, lang: Lang) -> crate::Result<(Fixed, Vec<u8>)> {
        let mut fixed = self.fixed;
        let bytes = match self.patcher {
            Some(p) => {
                let patched = p.patch(&fixed, file, lang)?;
                fixed.unhighlighted = patched.unhighlighted;
                patched.bytes
            }
            None => workbook::corrected_workbook(file, &fixed, lang)?.bytes,
        };
        Ok((fixed, bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Edit, Fix, Severity};
    use crate::model::{Entry, Field, Sheet};

    fn doc_with_grade(g: &str) -> Document {
        Document {
            sheets: vec![Sheet {
                entries: vec![Entry { no: "1".into(), grade: g.into(), ..Default::default() }],
                ..Default::default()
            }],
            ..Default::default()
        }
    }

    /// A test finding at `loc` whose fix replaces `before` with `after`.
    fn finding_with_fix(loc: Location, before: &str, after: &str, applicability: Applicability) -> Finding {
        Finding {
            code: "TEST",
            severity: Severity::Warning,
            message: Msg::new("m", "m"),
            help: None,
            location: loc.clone(),
            span: None,
            label: None,
            related: vec![],
            fix: Some(Fix {
                held: None,
                applicability,
                message: Msg::new("直す", "fix"),
                edits: vec![Edit { location: loc, before: before.into(), after: after.into() }],
            }),
        }
    }

    fn grade_finding(doc: &Document, after: &str, applicability: Applicability) -> Vec<Finding> {
        let loc = Location::entry(0, 0, Field::Grade);
        let before = loc.value(doc).unwrap_or_default().to_string();
        if before == after {
            return vec![];
        }
        vec![finding_with_fix(loc, &before, after, applicability)]
    }

    #[test]
    fn safe_fix_applies_and_is_idempotent() {
        let doc = doc_with_grade("〇");
        let fixed = fix_document(&doc, FixOptions::default(), |d| grade_finding(d, "○", Applicability::Safe));
        assert_eq!(fixed.document.sheets[0].entries[0].grade, "○");
        assert_eq!(fixed.applied.len(), 1);
        assert_eq!(fixed.applied[0].before, "〇");
        let again =
            fix_document(&fixed.document, FixOptions::default(), |d| grade_finding(d, "○", Applicability::Safe));
        assert!(again.applied.is_empty());
        assert_eq!(again.document, fixed.document);
    }

    #[test]
    fn unsafe_fix_needs_the_flag() {
        let doc = doc_with_grade("○");
        let check = |d: &Document| grade_finding(d, "×", Applicability::Unsafe);
        let fixed = fix_document(&doc, FixOptions::default(), check);
        assert_eq!(fixed.document.sheets[0].entries[0].grade, "○");
        assert!(fixed.applied.is_empty());
        assert_eq!(fixed.remaining.len(), 1);
        let fixed = fix_document(&doc, FixOptions { unsafe_fixes: true }, check);
        assert_eq!(fixed.document.sheets[0].entries[0].grade, "×");
    }

    #[test]
    fn text_dates_become_date_cells_once() {
        let mut doc = doc_with_grade("○");
        doc.sheets[0].created = "令和6年5月15日".into();
        doc.sheets[0].evaluated = "R7.3.3x".into();
        doc.sheets[0].text_dates = vec![Field::Created, Field::Evaluated];
        let fixed = fix_document(&doc, FixOptions::default(), |_| vec![]);
        assert_eq!(fixed.applied.len(), 1, "{:?}", fixed.applied);
        let e = &fixed.applied[0];
        assert_eq!((e.code, e.location.field, e.before.as_str()), (DATE_CELL_CODE, Field::Created, "令和6年5月15日"));
        assert_eq!(e.after_text(Lang::Ja), "日付セル 令和6年5月15日");
        assert_eq!(e.applicability, Applicability::Safe);
        // The text is unchanged; the unparsable date stays a text date.
        assert_eq!(fixed.document.sheets[0].created, "令和6年5月15日");
        assert_eq!(fixed.document.sheets[0].text_dates, vec![Field::Evaluated]);
        let again = fix_document(&fixed.document, FixOptions::default(), |_| vec![]);
        assert!(again.applied.is_empty());
    }

    #[test]
    fn stale_edit_is_skipped() {
        let mut doc = doc_with_grade("〇");
        let mut findings = grade_finding(&doc, "○", Applicability::Safe);
        findings.extend(grade_finding(&doc, "×", Applicability::Safe));
        let applied = apply_fixes(&mut doc, &findings, FixOptions::default());
        assert_eq!(applied.len(), 1);
        assert_eq!(doc.sheets[0].entries[0].grade, "○");
    }

    #[test]
    fn tens_of_thousands_of_held_fixes_are_listed_once_each() {
        // Every entry's grade has a safe fix, and every grade cell holds a formula: each fix is
        // held, listed once, and noted on its cell. A list searched for each repeat took
        // (5·10⁴)² / 2 comparisons per round.
        let n = 50_000;
        let entries = (0..n).map(|i| {
            let mut e = Entry { no: (i + 1).to_string(), grade: "〇".into(), ..Default::default() };
            e.cells.set(Field::Grade, CellRef::new(10 + i as u32, 9));
            e
        });
        let doc =
            Document { sheets: vec![Sheet { entries: entries.collect(), ..Default::default() }], ..Default::default() };
        let check = |d: &Document| -> Vec<Finding> {
            (0..d.sheets[0].entries.len())
                .map(|i| finding_with_fix(Location::entry(0, i, Field::Grade), "〇", "○", Applicability::Safe))
                .collect()
        };
        let fixed = fix_owned(doc, FixOptions::default(), check, |_, _| Some(Hold::Formula));
        assert!(fixed.applied.is_empty());
        assert_eq!((fixed.held.len(), fixed.remaining.len()), (n, n));
        let place = log::InPlace(&fixed.document);
        let marks = log::marks(&fixed, 0, &place, Lang::En);
        assert_eq!(marks.len(), n);
        assert!(marks.values().all(|m| m.lines.len() == 2 && !m.changed), "the finding and why its fix was held");
    }

    #[test]
    fn fixes_past_the_text_budget_are_left_as_findings() {
        // Ten grades to fix, each costing 6 bytes ("〇" before, "○" after): a budget of 40
        // makes the first six, in order; a run on the result makes the rest.
        let entries = (0..10).map(|i| Entry { no: (i + 1).to_string(), grade: "〇".into(), ..Default::default() });
        let doc =
            Document { sheets: vec![Sheet { entries: entries.collect(), ..Default::default() }], ..Default::default() };
        let check = |d: &Document| -> Vec<Finding> {
            (0..d.sheets[0].entries.len())
                .filter(|&i| d.sheets[0].entries[i].grade == "〇")
                .map(|i| finding_with_fix(Location::entry(0, i, Field::Grade), "〇", "○", Applicability::Safe))
                .collect()
        };
        let first = fix_within(doc, FixOptions::default(), check, |_, _| None, 40, true);
        let grades: Vec<&str> = first.document.sheets[0].entries.iter().map(|e| e.grade.as_str()).collect();
        assert_eq!(grades, ["○", "○", "○", "○", "○", "○", "〇", "〇", "〇", "〇"]);
        assert_eq!((first.applied.len(), first.remaining.len(), first.over_budget), (6, 4, 4));
        let second = fix_within(first.document, FixOptions::default(), check, |_, _| None, 40, true);
        assert_eq!((second.applied.len(), second.remaining.len(), second.over_budget), (4, 0, 0));
        // Within the budget nothing is said.
        let third = fix_within(doc_with_grade("〇"), FixOptions::default(), check, |_, _| None, 40, true);
        assert_eq!((third.applied.len(), third.over_budget), (1, 0));
    }
}
