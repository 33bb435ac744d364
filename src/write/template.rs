//! The blank official sheet (`goalsheet template`).
//!
//! A template is just a [`Sheet`] with a fiscal year, optional department and division, and
//! N blank entries of one row each, written by the same [`write_sheet`] as every other sheet:
//! the template and the filled sheets cannot drift apart. [`form`] then makes it a form to fill
//! in (also for next year's sheets, [`forms_bytes`]): input messages showing the accepted forms
//! on 作成日, 評価日, 目標 and 結果, labels locked by protecting the sheet without a password
//! (value cells are unlocked, rows can be inserted and resized), and for blank rows a height
//! that can be written in by hand when printed.

use super::{new_workbook, sheet_name, write_sheet, Placed, Styles};
use crate::error::{Error, ErrorKind, Result};
use crate::grammar::date::{format_date, DateStyle};
use crate::grammar::year::{parse_fiscal_year, FiscalYear};
use crate::lang::Msg;
use crate::layout::{self, ColumnLabel};
use crate::model::{Document, Entry, Field, Indicator, Sheet};
use rust_xlsxwriter::{DataValidation, ProtectionOptions, Worksheet};
use std::collections::HashSet;

/// Height of a blank entry row of a printed form (points): about 21 mm, three handwritten
/// lines.
pub const HANDWRITING_ROW_HEIGHT: f64 = 60.0;

/// The most entries a template may have.
pub const MAX_TEMPLATE_ENTRIES: usize = 1000;

/// What a template is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateOptions {
    /// The fiscal year (`年度`, and the year of `Ｒ６目標` / `Ｒ６結果`).
    pub year: FiscalYear,
    /// 組織名（部）, may be empty.
    pub department: String,
    /// 組織名（準部・課・機関名）, may be empty; also names the worksheet.
    pub division: String,
    /// Number of blank entries (one row each), 1 to [`MAX_TEMPLATE_ENTRIES`].
    pub entries: usize,
}

impl TemplateOptions {
    /// The sheet the template shows.
    pub fn sheet(&self) -> Sheet {
        let reiwa = self.year.reiwa();
        Sheet {
            fiscal_year: layout::fiscal_year_text(reiwa),
            department: self.department.clone(),
            division: self.division.clone(),
            target_label: layout::column_label(ColumnLabel::Target, Some(reiwa)),
            result_label: layout::column_label(ColumnLabel::Result, Some(reiwa)),
            entries: (1..=self.entries)
                .map(|no| Entry { no: no.to_string(), indicators: vec![Indicator::default()], ..Entry::default() })
                .collect(),
            ..Sheet::default()
        }
    }

    /// The file name a template is saved under by default: `組織目標管理シート_令和8年度.xlsx`.
    pub fn default_file_name(&self) -> String {
        format!("{}_{}.xlsx", layout::TITLE, layout::fiscal_year_text(self.year.reiwa()))
    }
}

/// A blank official sheet as .xlsx bytes: header values, N blank entries numbered 1…N, the
/// legend, era date formats on the empty 作成日 / 評価日, a ○ △ × list on 評価, and the
/// form's input messages and protection ([`form`]).
pub fn template_bytes(options: &TemplateOptions) -> Result<Vec<u8>> {
    if options.entries == 0 || options.entries > MAX_TEMPLATE_ENTRIES {
        return Err(Error::new(ErrorKind::Usage {
            detail: Msg::new(
                format!("取組の数は 1 から {MAX_TEMPLATE_ENTRIES} までで指定してください（指定: {}）", options.entries),
                format!("the number of entries must be 1 to {MAX_TEMPLATE_ENTRIES} (given: {})", options.entries),
            ),
        }));
    }
    if options.year.reiwa() < 1 || options.year.start > 9998 {
        return Err(Error::new(ErrorKind::Usage {
            detail: Msg::new(
                format!("年度は令和元年度（2019年度）以降で指定してください（指定: {}年度）", options.year.start),
                format!("the fiscal year must be 令和元年度 (2019) or later (given: {})", options.year.start),
            ),
        }));
    }
    let sheet = options.sheet();
    let mut wb = new_workbook()?;
    let mut used = HashSet::new();
    let source = if options.division.trim().is_empty() { layout::TITLE } else { options.division.as_str() };
    let name = sheet_name(source, &mut used);
    let ws = wb.add_worksheet();
    ws.set_name(&name)?;
    let placed = write_sheet(ws, &sheet, &Styles::new())?;
    form(ws, &sheet, &placed)?;
    Ok(wb.save_to_buffer()?)
}

/// Every sheet of `doc` as a form to fill in ([`form`]), one worksheet each, named after its
/// division: next year's sheets (`template --from`).
pub fn forms_bytes(doc: &Document) -> Result<Vec<u8>> {
    let mut wb = new_workbook()?;
    let styles = Styles::new();
    let mut used = HashSet::new();
    for sheet in &doc.sheets {
        let source = if sheet.division.trim().is_empty() { layout::TITLE } else { sheet.division.as_str() };
        let name = sheet_name(source, &mut used);
        let ws = wb.add_worksheet();
        ws.set_name(&name).map_err(|e| Error::from(e).in_sheet(&name))?;
        let placed = write_sheet(ws, sheet, &styles).map_err(|e| e.in_sheet(&name))?;
        form(ws, sheet, &placed).map_err(|e| e.in_sheet(&name))?;
    }
    Ok(wb.save_to_buffer()?)
}

/// Makes a written sheet a form: input messages on 作成日, 評価日, 目標 and 結果 showing the
/// forms `check` accepts (dates of the sheet's own year), the sheet protected without a
/// password (labels locked, value cells unlocked; rows may be inserted and resized), and
/// entry rows whose values are still blank made high enough to write in by hand.
pub fn form(ws: &mut Worksheet, sheet: &Sheet, placed: &Placed) -> Result<()> {
    let year = parse_fiscal_year(&sheet.fiscal_year).unwrap_or(FiscalYear { start: 2024 });
    let forms = |d: chrono::NaiveDate| {
        [DateStyle::EraShort, DateStyle::EraLong, DateStyle::Western].map(|s| format_date(d, s)).join("、")
    };
    let (first, last) = (year.first_day(), year.last_day());
    let reiwa = year.reiwa();
    let inputs: [(Field, &str, String); 4] = [
        (
            Field::Created,
            "作成日の入力",
            format!(
                "例: {}\n{}（{}〜{}）の日付を、上の書き方のどれかで入力します。",
                forms(first),
                layout::fiscal_year_text(reiwa),
                format_date(first, DateStyle::Western),
                format_date(last, DateStyle::Western)
            ),
        ),
        (
            Field::Evaluated,
            "評価日の入力",
            format!("例: {}\n作成日より後、年度末の翌月ごろまでの日付を入力します。", forms(last)),
        ),
        (
            Field::Target,
            "目標の入力",
            format!(
                "数値と単位で入力します。例: 300件、80%、4.6以上、0件以下\n前年度の実績は改行して括弧で添えます: 300件（R{}：290件）\n数値で表せない目標は文章で（例: 推進）。",
                reiwa - 1
            ),
        ),
        (
            Field::Result,
            "結果の入力",
            "目標と同じ単位で入力します。例: 318件、77.7%、4.7\n文章の目標には文章で（例: 推進）。".to_string(),
        ),
    ];
    let last_row = placed.legend_row.saturating_sub(1);
    for (field, title, message) in inputs {
        let dv = DataValidation::new().allow_any_value().set_input_title(title)?.set_input_message(message)?;
        match (placed.header.get(&field), layout::column_of(field)) {
            (Some(cell), _) => {
                let c = u16::try_from(cell.col)
                    .map_err(|_| Error::from(rust_xlsxwriter::XlsxError::RowColumnLimitError))?;
                ws.add_data_validation(cell.row, c, cell.row, c, &dv)?;
            }
            (None, Some(column)) => {
                let c = u16::try_from(column.col)
                    .map_err(|_| Error::from(rust_xlsxwriter::XlsxError::RowColumnLimitError))?;
                ws.add_data_validation(layout::FIRST_DATA_ROW, c, last_row, c, &dv)?;
            }
            (None, None) => {}
        }
    }
    for (e, entry) in sheet.entries.iter().enumerate() {
        let blank = entry.goal.trim().is_empty() && entry.indicators.iter().all(|i| i.name.trim().is_empty());
        if let (true, Some(&(top, bottom))) = (blank, placed.entry_rows.get(e)) {
            for row in top..=bottom {
                ws.set_row_height(row, HANDWRITING_ROW_HEIGHT)?;
            }
        }
    }
    let options = ProtectionOptions {
        format_columns: true,
        format_rows: true,
        insert_rows: true,
        delete_rows: true,
        ..ProtectionOptions::default()
    };
    ws.protect_with_options(&options);
    Ok(())
}
