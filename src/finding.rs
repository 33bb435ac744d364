//! Findings: what a rule reports, where, and how it could be fixed.
//!
//! A finding points into the model (sheet, entry, indicator, field), carries the cell the value
//! came from when it was read from a workbook, and optionally a byte span inside the cell's
//! text. A fix is data: a list of cell edits with an applicability. Fixes are applied in one
//! place ([`crate::fix`]); rules never change the model.

use crate::address::CellRef;
use crate::lang::Msg;
use crate::model::{Document, Field, Level, Sheet};
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; never fails a run.
    Info,
    /// Probably wrong; fails a run with `--deny warnings`.
    Warning,
    /// Wrong; the sheet must be corrected.
    Error,
}

/// Whether a fix can be applied without a person looking at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Keeps the meaning of what was written (〇 → ○, `１回` → `1回`). Applied by default.
    Safe,
    /// Changes what the sheet says (a recomputed grade). Applied only with `--unsafe-fixes`.
    Unsafe,
}

/// Where in a [`Document`] a value lives.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Location {
    /// Index into [`Document::sheets`].
    pub sheet_index: usize,
    /// Index into the sheet's entries, for entry and indicator fields.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entry: Option<usize>,
    /// Index into the entry's indicators, for indicator fields.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub indicator: Option<usize>,
    pub field: Field,
}

impl Location {
    pub fn sheet(sheet_index: usize, field: Field) -> Location {
        Location { sheet_index, entry: None, indicator: None, field }
    }
    pub fn entry(sheet_index: usize, entry: usize, field: Field) -> Location {
        Location { sheet_index, entry: Some(entry), indicator: None, field }
    }
    pub fn indicator(sheet_index: usize, entry: usize, indicator: usize, field: Field) -> Location {
        Location { sheet_index, entry: Some(entry), indicator: Some(indicator), field }
    }

    /// Every value of `sheet` (the document's sheet `sheet_index`) read from a cell, with the
    /// cell: the header's, then each entry's and its indicators', in reading order.
    pub fn read_from_cells(sheet: &Sheet, sheet_index: usize) -> impl Iterator<Item = (Location, CellRef)> + '_ {
        let header = sheet.cells.at.iter().map(move |(f, c)| (Location::sheet(sheet_index, *f), *c));
        let table = sheet.entries.iter().enumerate().flat_map(move |(e, entry)| {
            let own = entry.cells.at.iter().map(move |(f, c)| (Location::entry(sheet_index, e, *f), *c));
            let indicators = entry.indicators.iter().enumerate().flat_map(move |(i, ind)| {
                ind.cells.at.iter().map(move |(f, c)| (Location::indicator(sheet_index, e, i, *f), *c))
            });
            own.chain(indicators)
        });
        header.chain(table)
    }

    /// The value's text, if the location exists in `doc`.
    pub fn value<'a>(&self, doc: &'a Document) -> Option<&'a str> {
        self.value_in(doc.sheets.get(self.sheet_index)?)
    }

    /// The value's text in `sheet` (the location's sheet), if the location exists there.
    pub fn value_in<'a>(&self, sheet: &'a Sheet) -> Option<&'a str> {
        match self.field.level() {
            Level::Sheet => sheet.field(self.field),
            Level::Entry => sheet.entries.get(self.entry?)?.field(self.field),
            Level::Indicator => sheet.entries.get(self.entry?)?.indicators.get(self.indicator?)?.field(self.field),
        }
    }

    /// Mutable access to the value's text.
    pub fn value_mut<'a>(&self, doc: &'a mut Document) -> Option<&'a mut String> {
        let sheet = doc.sheets.get_mut(self.sheet_index)?;
        match self.field.level() {
            Level::Sheet => sheet.field_mut(self.field),
            Level::Entry => sheet.entries.get_mut(self.entry?)?.field_mut(self.field),
            Level::Indicator => {
                sheet.entries.get_mut(self.entry?)?.indicators.get_mut(self.indicator?)?.field_mut(self.field)
            }
        }
    }

    /// What the value's cell holds when it is not plain text (a number, date, formula …).
    pub fn typed<'a>(&self, doc: &'a Document) -> Option<&'a crate::model::TypedCell> {
        self.typed_in(doc.sheets.get(self.sheet_index)?)
    }

    /// [`Location::typed`] in `sheet` (the location's sheet).
    pub fn typed_in<'a>(&self, sheet: &'a Sheet) -> Option<&'a crate::model::TypedCell> {
        match self.field.level() {
            Level::Sheet => sheet.typed.get(self.field),
            Level::Entry => sheet.entries.get(self.entry?)?.typed.get(self.field),
            Level::Indicator => sheet.entries.get(self.entry?)?.indicators.get(self.indicator?)?.typed.get(self.field),
        }
    }

    /// Forgets what the value's cell held beyond its text (its text is being changed).
    pub fn clear_typed(&self, doc: &mut Document) {
        let Some(sheet) = doc.sheets.get_mut(self.sheet_index) else { return };
        let typed = match self.field.level() {
            Level::Sheet => Some(&mut sheet.typed),
            Level::Entry => self.entry.and_then(|e| sheet.entries.get_mut(e)).map(|e| &mut e.typed),
            Level::Indicator => self
                .entry
                .and_then(|e| sheet.entries.get_mut(e))
                .and_then(|e| e.indicators.get_mut(self.indicator?))
                .map(|i| &mut i.typed),
        };
        if let Some(t) = typed {
            t.clear(self.field);
        }
    }

    /// The cell the value was read from, if it was read from a workbook.
    pub fn cell(&self, doc: &Document) -> Option<CellRef> {
        let sheet = doc.sheets.get(self.sheet_index)?;
        match self.field.level() {
            Level::Sheet => sheet.cells.get(self.field),
            Level::Entry => sheet.entries.get(self.entry?)?.cells.get(self.field),
            Level::Indicator => sheet.entries.get(self.entry?)?.indicators.get(self.indicator?)?.cells.get(self.field),
        }
    }

    /// The merged area the value's cell belongs to, if it was merged.
    pub fn merged(&self, doc: &Document) -> Option<crate::address::CellRange> {
        let sheet = doc.sheets.get(self.sheet_index)?;
        match self.field.level() {
            Level::Sheet => sheet.merged.get(self.field),
            Level::Entry => sheet.entries.get(self.entry?)?.merged.get(self.field),
            Level::Indicator => sheet.entries.get(self.entry?)?.indicators.get(self.indicator?)?.merged.get(self.field),
        }
    }

    /// The other fields that show this field's cell: a cell merged over several indicator
    /// rows, or over the columns of two fields, whose value the reader gives each of them. They
    /// are changed together with it. Only a merged value has any; they are in its entry (or
    /// among the header fields), in the indicators next to its own: a merged area covers rows
    /// one after another, and the indicators are in row order.
    pub fn others_sharing_its_cell(&self, doc: &Document) -> Vec<Location> {
        let (Some(sheet), Some(_), Some(cell)) = (doc.sheets.get(self.sheet_index), self.merged(doc), self.cell(doc))
        else {
            return Vec::new();
        };
        let entry = self.entry.and_then(|e| Some((e, sheet.entries.get(e)?)));
        let at = |cells: &crate::model::Cells| {
            cells.at.iter().filter(move |(_, c)| **c == cell).map(|(f, _)| *f).collect::<Vec<Field>>()
        };
        let mut out = Vec::new();
        match entry {
            None => out.extend(at(&sheet.cells).into_iter().map(|f| Location::sheet(self.sheet_index, f))),
            Some((e, entry)) => {
                out.extend(at(&entry.cells).into_iter().map(|f| Location::entry(self.sheet_index, e, f)));
                // From its own indicator (the first, for an entry field) outwards, while the
                // indicators show the cell.
                let from = self.indicator.unwrap_or(0);
                let mut near = |i: usize| {
                    let fields = entry.indicators.get(i).map(|ind| at(&ind.cells)).unwrap_or_default();
                    let found = !fields.is_empty();
                    out.extend(fields.into_iter().map(|f| Location::indicator(self.sheet_index, e, i, f)));
                    found
                };
                near(from);
                for i in (0..from).rev() {
                    if !near(i) {
                        break;
                    }
                }
                for i in from + 1..entry.indicators.len() {
                    if !near(i) {
                        break;
                    }
                }
            }
        }
        out.retain(|l| l != self);
        out
    }
}

/// One cell edit: replace `before` with `after` at `location`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edit {
    pub location: Location,
    pub before: String,
    pub after: String,
}

/// A proposed correction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fix {
    pub applicability: Applicability,
    /// What the fix does, e.g. 「〇」を「○」に置き換える.
    pub message: Msg,
    pub edits: Vec<Edit>,
    /// Why `fix` will not make it, when the file's reading already says (the cell holds a
    /// formula, say: [`crate::fix::mark_held`]): shown with the fix, not counted as fixable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub held: Option<Msg>,
}

/// Another place a finding refers to (the target, when the finding is on the result).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Related {
    pub location: Location,
    pub label: Msg,
}

/// One thing a rule found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The rule's stable code.
    pub code: &'static str,
    pub severity: Severity,
    pub message: Msg,
    /// What to write instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<Msg>,
    pub location: Location,
    /// Byte span inside the value's text that the finding is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<Range<usize>>,
    /// What the label under the span says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<Msg>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
}
