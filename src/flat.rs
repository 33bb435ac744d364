//! The flat table: one row per indicator, shared by the department file's 一覧 and the CSV.
//!
//! Follows the national rules for machine-readable tables (機械判読可能なデータの表記方法):
//! one value per cell and one spelling per value. Where the sheet's own spelling varies, the
//! table holds the normalised value and keeps what was written in a column of its own, filled
//! only where the two differ:
//!
//! - 年度 as `令和6年度` (`令和６年度`, `R6年度` and `2024年度` all read as it);
//! - 作成日 / 評価日 as ISO dates (`R6.4.1` → `2024-04-01`);
//! - 評価 as ○ △ × (`〇` → `○`, `達成` → `○`);
//! - 目標 / 結果 as written (they carry annotations such as `（R5：290件）`), with the main
//!   number and its unit in two columns of their own (`300件` → 300, `件`).
//!
//! A value the grammar cannot read stays as written in the main column (the original column
//! stays empty): nothing is guessed. Every parse goes through [`crate::grammar`].

use crate::grammar::date::parse_date;
use crate::grammar::grade::parse_grade_in;
use crate::grammar::quantity::{parse_quantity, Parsed};
use crate::grammar::year::parse_fiscal_year;
use crate::layout;
use crate::model::{Entry, Field, Indicator, Sheet};
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// What one column of the flat table holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    /// The field, normalised where the field has one spelling ([`normalised`]).
    Field(Field),
    /// What was written, where it differs from the normalised value.
    Original(Field),
    /// The main number of a target or result.
    Number(Field),
    /// The unit of that number.
    Unit(Field),
    /// The indicator's place within its entry (1, 2 …): with 目標番号 it is the row's key,
    /// and counting the rows where it is 1 counts goals, as 集計 does.
    IndicatorNo,
}

/// One column: what it holds, its header in the CSV (read back by that name), its header in
/// 一覧 (never an official label of the sheet, so 一覧 is not taken for a goal sheet when a
/// department file is read again), and its width in 一覧.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub value: Value,
    pub csv: &'static str,
    pub list: &'static str,
    pub width: f64,
}

const fn col(value: Value, csv: &'static str, list: &'static str, width: f64) -> Column {
    Column { value, csv, list, width }
}

/// The columns, in order.
pub const COLUMNS: [Column; 26] = [
    col(Value::Field(Field::Department), "部", "部", 11.0),
    col(Value::Field(Field::Division), "課", "課", 14.0),
    col(Value::Field(Field::No), "No.", "目標番号", 5.0),
    col(Value::IndicatorNo, "指標番号", "指標番号", 5.0),
    col(Value::Field(Field::FiscalYear), "年度", "年度", 10.0),
    col(Value::Original(Field::FiscalYear), "年度（記載どおり）", "年度（記載どおり）", 10.0),
    col(Value::Field(Field::Created), "作成日", "作成年月日", 10.5),
    col(Value::Original(Field::Created), "作成日（記載どおり）", "作成日（記載どおり）", 10.0),
    col(Value::Field(Field::Evaluated), "評価日", "評価年月日", 10.5),
    col(Value::Original(Field::Evaluated), "評価日（記載どおり）", "評価日（記載どおり）", 10.0),
    col(Value::Field(Field::Goal), "組織目標", "組織目標の内容", 30.0),
    col(Value::Field(Field::Name), "指標", "取組指標名", 24.0),
    col(Value::Field(Field::PlanRef), "位置づけ", "計画上の位置づけ", 11.0),
    col(Value::Field(Field::Target), "目標", "目標値（記載どおり）", 16.0),
    col(Value::Number(Field::Target), "目標（数値）", "目標値（数値）", 9.0),
    col(Value::Unit(Field::Target), "目標（単位）", "目標値（単位）", 7.0),
    col(Value::Field(Field::Result), "結果", "結果（記載どおり）", 16.0),
    col(Value::Number(Field::Result), "結果（数値）", "結果（数値）", 9.0),
    col(Value::Unit(Field::Result), "結果（単位）", "結果（単位）", 7.0),
    col(Value::Field(Field::Initiative), "取組名称", "事業名", 22.0),
    col(Value::Field(Field::Summary), "概要", "事業の概要", 30.0),
    col(Value::Field(Field::Grade), "評価", "評価（記号）", 6.0),
    col(Value::Original(Field::Grade), "評価（記載どおり）", "評価（記載どおり）", 8.0),
    col(Value::Field(Field::Status), "目標達成状況", "達成状況の説明", 40.0),
    col(Value::Field(Field::Policy), "今後の方針", "今後の取組方針", 36.0),
    col(Value::Field(Field::PolicyIndicators), "政策指標", "関連する政策指標", 30.0),
];

/// A value in its one spelling, with what was written when that differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normal {
    pub value: String,
    pub original: Option<String>,
}

impl Normal {
    fn of(written: &str, normal: Option<String>) -> Normal {
        match normal {
            Some(n) if n != written => Normal { value: n, original: Some(written.to_string()) },
            Some(n) => Normal { value: n, original: None },
            None => Normal { value: written.to_string(), original: None },
        }
    }
}

/// The fields that have one spelling in the table.
pub fn is_normalised(field: Field) -> bool {
    matches!(field, Field::FiscalYear | Field::Created | Field::Evaluated | Field::Grade)
}

/// A field's value in its one spelling: years as `令和6年度`, dates as ISO, grades as ○△×;
/// any other field (or a value the grammar cannot read) as written.
pub fn normalised(field: Field, written: &str) -> Normal {
    let normal = match field {
        Field::FiscalYear => parse_fiscal_year(written).map(|y| layout::fiscal_year_text(y.reiwa())),
        Field::Created | Field::Evaluated => date(written).map(|d| d.to_string()),
        Field::Grade => parse_grade_in(written, None).grade().map(|g| g.symbol().to_string()),
        _ => None,
    };
    Normal::of(written, normal)
}

/// The date a 作成日 / 評価日 holds, if it reads as one.
pub fn date(written: &str) -> Option<NaiveDate> {
    parse_date(written).ok().map(|p| p.date)
}

/// The main number and unit of a target or result, when it is a quantity (`300件\n（R5：290件）`
/// → 300, `件`; `△0.52%` → -0.52, `%`; a number without unit has an empty unit).
pub fn number_and_unit(written: &str) -> Option<(Decimal, String)> {
    let Parsed::Numeric(q) = parse_quantity(written) else { return None };
    Some((q.main.value.normalize(), q.main.unit.clone().unwrap_or_default()))
}

/// One row: a sheet, and an entry and indicator of it (none for a sheet without entries or an
/// entry without indicators, which still get a row so that nothing is lost).
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    pub sheet: &'a Sheet,
    pub entry: Option<(usize, &'a Entry)>,
    pub indicator: Option<(usize, &'a Indicator)>,
}

impl<'a> Row<'a> {
    /// The text of `field` as written in this row's sheet, entry or indicator.
    pub fn written(&self, field: Field) -> &'a str {
        use crate::model::Level;
        let found = match field.level() {
            Level::Sheet => self.sheet.field(field),
            Level::Entry => self.entry.and_then(|(_, e)| e.field(field)),
            Level::Indicator => self.indicator.and_then(|(_, i)| i.shown(field)),
        };
        found.unwrap_or_default()
    }

    /// Whether this is the first row of its entry (or a row without an entry).
    pub fn first_of_entry(&self) -> bool {
        self.indicator.is_none_or(|(i, _)| i == 0)
    }

    /// The cell text of `value` (numbers as plain decimals, `-0.52`).
    pub fn text(&self, value: Value) -> String {
        match value {
            Value::Field(f) if is_normalised(f) => normalised(f, self.written(f)).value,
            Value::Field(f) => self.written(f).to_string(),
            Value::Original(f) => normalised(f, self.written(f)).original.unwrap_or_default(),
            Value::Number(f) => number_and_unit(self.written(f)).map(|(n, _)| n.to_string()).unwrap_or_default(),
            Value::Unit(f) => number_and_unit(self.written(f)).map(|(_, u)| u).unwrap_or_default(),
            Value::IndicatorNo => self.indicator.map(|(i, _)| (i + 1).to_string()).unwrap_or_default(),
        }
    }
}

/// The rows of a sheet: one per indicator, one for an entry without indicators, one for a
/// sheet without entries.
pub fn rows(sheet: &Sheet) -> Vec<Row<'_>> {
    let mut rows = Vec::new();
    if sheet.entries.is_empty() {
        rows.push(Row { sheet, entry: None, indicator: None });
    }
    for (e, entry) in sheet.entries.iter().enumerate() {
        if entry.indicators.is_empty() {
            rows.push(Row { sheet, entry: Some((e, entry)), indicator: None });
        }
        for (i, ind) in entry.indicators.iter().enumerate() {
            rows.push(Row { sheet, entry: Some((e, entry)), indicator: Some((i, ind)) });
        }
    }
    rows
}

/// How many main initiatives (主な取組) an entry names: each distinct 取組名称 of its
/// indicators (rows sharing one merged cell count once), and within one, each `・` item.
pub fn initiatives(entry: &Entry) -> usize {
    let mut count = 0;
    let mut previous: Option<&str> = None;
    for ind in &entry.indicators {
        let text = ind.initiative.trim();
        if text.is_empty() || previous == Some(text) {
            continue;
        }
        previous = Some(text);
        let bullets = text.lines().filter(|l| l.trim_start().starts_with(['・', '･', '●', '◆', '■'])).count();
        count += bullets.max(1);
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_spelling_per_value_and_the_original_where_it_differs() {
        let n = normalised(Field::FiscalYear, "令和６年度");
        assert_eq!((n.value.as_str(), n.original.as_deref()), ("令和6年度", Some("令和６年度")));
        assert_eq!(normalised(Field::FiscalYear, "令和6年度").original, None);
        let d = normalised(Field::Created, "R6.4.1");
        assert_eq!((d.value.as_str(), d.original.as_deref()), ("2024-04-01", Some("R6.4.1")));
        assert_eq!(normalised(Field::Grade, "〇").value, "○");
        assert_eq!(normalised(Field::Grade, "〇").original.as_deref(), Some("〇"));
        assert_eq!(normalised(Field::Grade, "△（一部未達成）").value, "△");
        // Unreadable: kept as written, no original column.
        assert_eq!(normalised(Field::Created, "5月頃"), Normal { value: "5月頃".into(), original: None });
        assert_eq!(normalised(Field::Grade, "済"), Normal { value: "済".into(), original: None });
    }

    #[test]
    fn numbers_and_units_come_from_the_grammar() {
        let n = |t: &str| number_and_unit(t).map(|(n, u)| (n.to_string(), u));
        assert_eq!(n("300件\n（R5：290件）"), Some(("300".into(), "件".into())));
        assert_eq!(n("△0.52%\n(R6:87.63%)"), Some(("-0.52".into(), "%".into())));
        assert_eq!(n("１，７００件"), Some(("1700".into(), "件".into())));
        assert_eq!(n("4.6以上"), Some(("4.6".into(), "".into())));
        assert_eq!(n("95.0%"), Some(("95".into(), "%".into())));
        assert_eq!(n("推進"), None);
    }

    #[test]
    fn initiatives_count_items_and_shared_cells_once() {
        let entry = |names: &[&str]| Entry {
            indicators: names.iter().map(|n| Indicator { initiative: n.to_string(), ..Indicator::default() }).collect(),
            ..Entry::default()
        };
        assert_eq!(initiatives(&entry(&["市政世論調査の実施", "広聴事業の実施"])), 2);
        assert_eq!(initiatives(&entry(&["民事相談", "民事相談"])), 1);
        assert_eq!(initiatives(&entry(&["・地域力UPチャレンジ事業\n・まちづくりパートナーシップ事業"])), 2);
        assert_eq!(initiatives(&entry(&["・特色ある区づくり予算\n（区自治協議会提案事業）\n・区自治協"])), 2);
        assert_eq!(initiatives(&entry(&["", ""])), 0);
    }
}
