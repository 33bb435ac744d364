//! The domain model: one 組織目標管理シート and what it holds.
//!
//! Values are kept as the text a person sees in the cell (`80%`, `R6.5.15`, `１回`), never
//! pre-parsed: the rules must see exactly what was typed, and the writer must be able to put it
//! back unchanged. Parsing into quantities, dates and grades happens later, in
//! [`crate::grammar`], in one place per grammar.
//!
//! Every value read from a workbook also records where it came from: the sheet, the cell and,
//! when the value sat in a merged area, that area. The file is recorded once, on the
//! [`Document`]. The field names and nesting follow the seed transcription
//! (`shared/seed/shimin-seikatsu-r6.json`), so that JSON reads as a [`Document`] directly.

use crate::address::{CellRange, CellRef};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

/// Every field of a sheet, by its JSON name. Used to key provenance maps and findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    // Header fields (sheet level).
    FiscalYear,
    Created,
    Evaluated,
    Department,
    Division,
    PolicyIndicators,
    /// The `Ｒ６目標` table header, whose year must agree with the fiscal year.
    TargetLabel,
    /// The `Ｒ６結果` table header.
    ResultLabel,
    // Entry level.
    No,
    Goal,
    Grade,
    // Indicator level.
    Name,
    PlanRef,
    Target,
    Result,
    Initiative,
    Summary,
    Status,
    Policy,
}

/// At which level of the model a field lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Sheet,
    Entry,
    Indicator,
}

impl Field {
    pub const ALL: [Field; 19] = [
        Field::FiscalYear,
        Field::Created,
        Field::Evaluated,
        Field::Department,
        Field::Division,
        Field::PolicyIndicators,
        Field::TargetLabel,
        Field::ResultLabel,
        Field::No,
        Field::Goal,
        Field::Grade,
        Field::Name,
        Field::PlanRef,
        Field::Target,
        Field::Result,
        Field::Initiative,
        Field::Summary,
        Field::Status,
        Field::Policy,
    ];

    /// The fields of one indicator row, in column order.
    pub const INDICATOR: [Field; 8] = [
        Field::Name,
        Field::PlanRef,
        Field::Target,
        Field::Result,
        Field::Initiative,
        Field::Summary,
        Field::Status,
        Field::Policy,
    ];

    /// The JSON name (`fiscal_year`, `target` …).
    pub fn key(self) -> &'static str {
        match self {
            Field::FiscalYear => "fiscal_year",
            Field::Created => "created",
            Field::Evaluated => "evaluated",
            Field::Department => "department",
            Field::Division => "division",
            Field::PolicyIndicators => "policy_indicators",
            Field::TargetLabel => "target_label",
            Field::ResultLabel => "result_label",
            Field::No => "no",
            Field::Goal => "goal",
            Field::Grade => "grade",
            Field::Name => "name",
            Field::PlanRef => "plan_ref",
            Field::Target => "target",
            Field::Result => "result",
            Field::Initiative => "initiative",
            Field::Summary => "summary",
            Field::Status => "status",
            Field::Policy => "policy",
        }
    }

    pub fn level(self) -> Level {
        match self {
            Field::FiscalYear
            | Field::Created
            | Field::Evaluated
            | Field::Department
            | Field::Division
            | Field::PolicyIndicators
            | Field::TargetLabel
            | Field::ResultLabel => Level::Sheet,
            Field::No | Field::Goal | Field::Grade => Level::Entry,
            _ => Level::Indicator,
        }
    }

    /// What a Japanese user calls the field: the current wording of its label in
    /// [`crate::layout`] (`目標` for the `Ｒ６目標` column).
    pub fn label_ja(self) -> &'static str {
        match self {
            Field::TargetLabel => "目標（見出し）",
            Field::ResultLabel => "結果（見出し）",
            f => crate::layout::field_name(f).unwrap_or_default(),
        }
    }

    /// The English name of the field.
    pub fn label_en(self) -> &'static str {
        match self {
            Field::FiscalYear => "fiscal year",
            Field::Created => "date created",
            Field::Evaluated => "date evaluated",
            Field::Department => "department",
            Field::Division => "division",
            Field::PolicyIndicators => "policy indicators",
            Field::TargetLabel => "target header",
            Field::ResultLabel => "result header",
            Field::No => "No.",
            Field::Goal => "goal",
            Field::Grade => "grade",
            Field::Name => "indicator",
            Field::PlanRef => "plan reference",
            Field::Target => "target",
            Field::Result => "result",
            Field::Initiative => "initiative",
            Field::Summary => "summary",
            Field::Status => "achievement status",
            Field::Policy => "policy going forward",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// Where each field's value was found: field → top-left cell, and, for values that sat in a
/// merged area, field → that area. Empty for values that did not come from a workbook.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Cells {
    pub at: BTreeMap<Field, CellRef>,
}

/// Merged areas the values of [`Cells`] came from (only fields whose cell was merged).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Merged {
    pub at: BTreeMap<Field, CellRange>,
}

impl Cells {
    pub fn is_empty(&self) -> bool {
        self.at.is_empty()
    }
    pub fn get(&self, f: Field) -> Option<CellRef> {
        self.at.get(&f).copied()
    }
    pub fn set(&mut self, f: Field, c: CellRef) {
        self.at.insert(f, c);
    }

    /// Whether field `f`'s cell is that of an earlier field, merged over both their columns
    /// (取組名称 and 概要 written as one G12:H12): the text is the earlier field's, shown once.
    pub fn covered_by_earlier(&self, merged: &Merged, f: Field) -> bool {
        merged.get(f).is_some_and(|area| area.start.col != area.end.col)
            && self.get(f).is_some_and(|cell| self.at.range(..f).any(|(_, c)| *c == cell))
    }
}

impl Merged {
    pub fn is_empty(&self) -> bool {
        self.at.is_empty()
    }
    pub fn get(&self, f: Field) -> Option<CellRange> {
        self.at.get(&f).copied()
    }
    pub fn set(&mut self, f: Field, r: CellRange) {
        self.at.insert(f, r);
    }
}

/// What kind of value a cell holds, as the workbook stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CellKind {
    /// Text (only recorded for a formula whose result is text: plain text needs no record).
    Text,
    Number,
    Date,
    Boolean,
    /// An error value such as `#DIV/0!` (its display text is the error).
    Error,
    /// A formula without a cached value: nothing to show until Excel computes it.
    Empty,
}

/// A cell as the workbook holds it, beyond the text it displays: recorded for every cell that
/// is not plain text (numbers, dates, booleans, errors, formulas), so that writers can put a
/// number back as a number with its format and a formula as a formula. Rules keep reading the
/// display text; this says what lies behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TypedCell {
    pub kind: CellKind,
    /// The number stored: a number, a date's serial in the 1900 date system, 1 or 0 for a
    /// boolean.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<f64>,
    /// The number format code (`0.0%`, `#,##0"件"`, `[$-411]ge.m.d`); `None` for General or
    /// when the format is unknown. Shared between the cells of a workbook that use it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<Arc<str>>,
    /// The formula, without its leading `=`, as the workbook stores it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formula: Option<String>,
    /// The cached value is the placeholder a generator leaves when it asks Excel to recalculate
    /// on load (`fullCalcOnLoad`: cached `0` or empty text), not the formula's value.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub stale: bool,
}

impl TypedCell {
    /// A formula whose value is not known: no cached value, or a stale placeholder.
    pub fn lacks_value(&self) -> bool {
        self.formula.is_some() && (self.kind == CellKind::Empty || self.stale)
    }
}

/// The typed cells behind a level's fields ([`TypedCell`]), field → cell; only fields whose
/// cell is not plain text.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Typed {
    pub at: BTreeMap<Field, TypedCell>,
}

impl Typed {
    pub fn is_empty(&self) -> bool {
        self.at.is_empty()
    }
    pub fn get(&self, f: Field) -> Option<&TypedCell> {
        self.at.get(&f)
    }
    pub fn set(&mut self, f: Field, t: TypedCell) {
        self.at.insert(f, t);
    }
    /// Forgets a field's typed cell: its text was changed and no longer shows that value.
    pub fn clear(&mut self, f: Field) {
        self.at.remove(&f);
    }
}

/// A workbook (or JSON/CSV file) as goalsheet understands it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// The file it was read from, as given on the command line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Every goal sheet found, in workbook order.
    pub sheets: Vec<Sheet>,
    /// Sheets of the workbook that are not goal sheets, kept so that nothing is lost.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_sheets: Vec<RawSheet>,
}

/// One 組織目標管理シート.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Sheet {
    /// The worksheet's name in its workbook (empty when not read from a workbook).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sheet: String,
    #[serde(default)]
    pub fiscal_year: String,
    #[serde(default)]
    pub created: String,
    #[serde(default)]
    pub evaluated: String,
    #[serde(default)]
    pub department: String,
    #[serde(default)]
    pub division: String,
    #[serde(default)]
    pub policy_indicators: String,
    /// The table's `Ｒ６目標` header as found (empty when not read from a workbook).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub target_label: String,
    /// The table's `Ｒ６結果` header as found.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub result_label: String,
    #[serde(default)]
    pub entries: Vec<Entry>,
    /// The sheet's own legend row as found (`◎：予定以上 ○：予定どおり △：やや遅れ`): it
    /// defines the grades, see [`crate::grammar::grade::Legend`]. Empty when the sheet has
    /// none or has the official `○：達成　△：一部未達成　×：未達成`, which means the same.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub legend: String,
    #[serde(default, skip_serializing_if = "Cells::is_empty")]
    pub cells: Cells,
    #[serde(default, skip_serializing_if = "Merged::is_empty")]
    pub merged: Merged,
    #[serde(default, skip_serializing_if = "Typed::is_empty")]
    pub typed: Typed,
    /// Non-empty cells of the worksheet that are not part of the official layout (a remark
    /// beside the table, notes below the legend …), kept verbatim with their address.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extras: Vec<RawCell>,
    /// The notes (Excel's メモ) on the worksheet's cells, by the address they were on: a
    /// division's explanation of a figure travels with the sheet into the department file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<CellText>,
    /// The rows of the table that are hidden in the worksheet, as Excel numbers them (from 1):
    /// what they hold is read, checked and merged, but nobody looking at the sheet sees it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hidden_rows: Vec<u32>,
    /// The columns of the table that are hidden in the worksheet, as Excel names them (`D`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hidden_columns: Vec<String>,
    /// The cells of the sheet's values whose text is the colour of their background (white on
    /// white): read, checked and merged, but nobody looking at the sheet sees them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub invisible: Vec<CellRef>,
    /// Text struck through in the cells of the sheet's values (見え消し: a correction shown
    /// with the old text left visible), which is read as part of the value all the same.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub struck: Vec<CellText>,
    /// The cells of the sheet's values that hold a value their number format shows as nothing
    /// (`;;;`): read as they show, empty; `text` is what they hold.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hidden_by_format: Vec<CellText>,
    /// The cells of the sheet's values holding text their number format shows otherwise
    /// (`"結果："@` adds 結果： to it): read as they show; `fix` does not write them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub text_formatted: Vec<CellRef>,
    /// Every `Ｒn目標` / `Ｒn結果` header of the table with its cell, when there are several
    /// (last year's pair shown beside this year's); the pair of the fiscal year is the target
    /// and result, the others' cells are extras.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub year_labels: Vec<RawCell>,
    /// Header dates (作成日, 評価日) that the workbook held as text rather than as date cells;
    /// `fix` writes them as date cells and says so in its change log.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub text_dates: Vec<Field>,
    /// Header fields whose value is written in the label's own cell, after a colon
    /// (`作成日：R6.4.1`): read from there, and never written back by `fix` (the label would go).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub in_label_cell: Vec<Field>,
}

impl Sheet {
    /// The text of a sheet-level field.
    pub fn field(&self, f: Field) -> Option<&str> {
        Some(match f {
            Field::FiscalYear => &self.fiscal_year,
            Field::Created => &self.created,
            Field::Evaluated => &self.evaluated,
            Field::Department => &self.department,
            Field::Division => &self.division,
            Field::PolicyIndicators => &self.policy_indicators,
            Field::TargetLabel => &self.target_label,
            Field::ResultLabel => &self.result_label,
            _ => return None,
        })
    }

    /// Mutable access to a sheet-level field.
    pub fn field_mut(&mut self, f: Field) -> Option<&mut String> {
        Some(match f {
            Field::FiscalYear => &mut self.fiscal_year,
            Field::Created => &mut self.created,
            Field::Evaluated => &mut self.evaluated,
            Field::Department => &mut self.department,
            Field::Division => &mut self.division,
            Field::PolicyIndicators => &mut self.policy_indicators,
            Field::TargetLabel => &mut self.target_label,
            Field::ResultLabel => &mut self.result_label,
            _ => return None,
        })
    }

    /// Number of indicators over all entries.
    pub fn indicator_count(&self) -> usize {
        self.entries.iter().map(|e| e.indicators.len()).sum()
    }
}

/// One numbered goal of a sheet, with its grade and one or more indicators.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// The `No.` cell's text. JSON carries a plain number as a number (as the seed does).
    #[serde(serialize_with = "no_ser", deserialize_with = "no_de", default)]
    pub no: String,
    #[serde(default)]
    pub goal: String,
    #[serde(default)]
    pub grade: String,
    #[serde(default)]
    pub indicators: Vec<Indicator>,
    #[serde(default, skip_serializing_if = "Cells::is_empty")]
    pub cells: Cells,
    #[serde(default, skip_serializing_if = "Merged::is_empty")]
    pub merged: Merged,
    #[serde(default, skip_serializing_if = "Typed::is_empty")]
    pub typed: Typed,
}

impl Entry {
    /// Whether indicator `i`'s field `f` is the cell of the row above: a cell merged over
    /// several indicator rows, whose value the reader gives each row. It is one value, read
    /// (and fixed) once, at its first row.
    pub fn repeats_above(&self, i: usize, f: Field) -> bool {
        let cell = |j: usize| self.indicators.get(j).and_then(|ind| ind.cells.get(f));
        let merged = self.indicators.get(i).is_some_and(|ind| ind.merged.get(f).is_some());
        i > 0 && merged && cell(i).is_some() && cell(i) == cell(i - 1)
    }

    pub fn field(&self, f: Field) -> Option<&str> {
        Some(match f {
            Field::No => &self.no,
            Field::Goal => &self.goal,
            Field::Grade => &self.grade,
            _ => return None,
        })
    }

    pub fn field_mut(&mut self, f: Field) -> Option<&mut String> {
        Some(match f {
            Field::No => &mut self.no,
            Field::Goal => &mut self.goal,
            Field::Grade => &mut self.grade,
            _ => return None,
        })
    }
}

/// One indicator row of an entry.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub plan_ref: String,
    #[serde(default)]
    pub target: String,
    #[serde(default)]
    pub result: String,
    #[serde(default)]
    pub initiative: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub policy: String,
    #[serde(default, skip_serializing_if = "Cells::is_empty")]
    pub cells: Cells,
    #[serde(default, skip_serializing_if = "Merged::is_empty")]
    pub merged: Merged,
    #[serde(default, skip_serializing_if = "Typed::is_empty")]
    pub typed: Typed,
}

impl Indicator {
    /// [`Indicator::field`] as a table of one value per cell shows it: empty where the field's
    /// cell is an earlier field's ([`Cells::covered_by_earlier`]).
    pub fn shown(&self, f: Field) -> Option<&str> {
        if self.cells.covered_by_earlier(&self.merged, f) {
            return self.field(f).map(|_| "");
        }
        self.field(f)
    }

    pub fn field(&self, f: Field) -> Option<&str> {
        Some(match f {
            Field::Name => &self.name,
            Field::PlanRef => &self.plan_ref,
            Field::Target => &self.target,
            Field::Result => &self.result,
            Field::Initiative => &self.initiative,
            Field::Summary => &self.summary,
            Field::Status => &self.status,
            Field::Policy => &self.policy,
            _ => return None,
        })
    }

    pub fn field_mut(&mut self, f: Field) -> Option<&mut String> {
        Some(match f {
            Field::Name => &mut self.name,
            Field::PlanRef => &mut self.plan_ref,
            Field::Target => &mut self.target,
            Field::Result => &mut self.result,
            Field::Initiative => &mut self.initiative,
            Field::Summary => &mut self.summary,
            Field::Status => &mut self.status,
            Field::Policy => &mut self.policy,
            _ => return None,
        })
    }
}

/// A text about one cell of a worksheet, by its address there: a note on it
/// ([`Sheet::notes`]), its struck-through text ([`Sheet::struck`]: the cell's whole text when
/// its font strikes it), or the value its number format hides ([`Sheet::hidden_by_format`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CellText {
    pub cell: CellRef,
    pub text: String,
}

/// A cell outside the official layout, kept verbatim.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RawCell {
    pub cell: CellRef,
    pub text: String,
    /// What the cell holds when it is not plain text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub typed: Option<TypedCell>,
}

/// A worksheet that is not a goal sheet, kept verbatim.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RawSheet {
    pub name: String,
    #[serde(default)]
    pub cells: Vec<RawCell>,
}

fn no_ser<S: Serializer>(no: &str, s: S) -> Result<S::Ok, S::Error> {
    match no.parse::<u64>() {
        Ok(n) if n.to_string() == no => s.serialize_u64(n),
        _ => s.serialize_str(no),
    }
}

fn no_de<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum NoRepr {
        Int(u64),
        Float(f64),
        Text(String),
        Null(()),
    }
    Ok(match NoRepr::deserialize(d)? {
        NoRepr::Int(n) => n.to_string(),
        NoRepr::Float(f) => f.to_string(),
        NoRepr::Text(s) => s,
        NoRepr::Null(()) => String::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_serializes_as_number_when_plain() {
        let e = Entry { no: "3".into(), ..Default::default() };
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["no"], serde_json::json!(3));
        let e = Entry { no: "３".into(), ..Default::default() };
        assert_eq!(serde_json::to_value(&e).unwrap()["no"], serde_json::json!("３"));
        let back: Entry = serde_json::from_value(serde_json::json!({"no": 7})).unwrap();
        assert_eq!(back.no, "7");
    }

    #[test]
    fn cells_serialize_as_field_to_a1() {
        let mut ind = Indicator::default();
        ind.cells.set(Field::Target, CellRef::new(7, 4));
        let v = serde_json::to_value(&ind).unwrap();
        assert_eq!(v["cells"]["target"], "E8");
        let back: Indicator = serde_json::from_value(v).unwrap();
        assert_eq!(back.cells.get(Field::Target), Some(CellRef::new(7, 4)));
    }

    #[test]
    fn every_field_reachable_at_its_level() {
        let (s, e, i) = (Sheet::default(), Entry::default(), Indicator::default());
        for f in Field::ALL {
            let found = match f.level() {
                Level::Sheet => s.field(f).is_some(),
                Level::Entry => e.field(f).is_some(),
                Level::Indicator => i.field(f).is_some(),
            };
            assert!(found, "{f}");
        }
    }
}
