//! The blank official sheet (`goalsheet template`).
//!
//! A template is just a [`Sheet`] with a fiscal year, optional department and division, and
//! N blank entries of one row each, written by the same [`write_sheet`] as every other sheet:
//! the template and the filled sheets cannot drift apart.

use super::{new_workbook, sheet_name, write_sheet, Styles};
use crate::error::{Error, ErrorKind, Result};
use crate::grammar::year::FiscalYear;
use crate::lang::Msg;
use crate::layout::{self, ColumnLabel};
use crate::model::{Entry, Indicator, Sheet};
use std::collections::HashSet;

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
            entries: vec![Entry { indicators: vec![Indicator::default()], ..Entry::default() }; self.entries],
            ..Sheet::default()
        }
    }

    /// The file name a template is saved under by default: `組織目標管理シート_令和8年度.xlsx`.
    pub fn default_file_name(&self) -> String {
        format!("{}_{}.xlsx", layout::TITLE, layout::fiscal_year_text(self.year.reiwa()))
    }
}

/// A blank official sheet as .xlsx bytes: header values, N blank entries, the legend, era
/// date formats on the empty 作成日 / 評価日, and a ○ △ × list on 評価.
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
    write_sheet(ws, &sheet, &Styles::new())?;
    Ok(wb.save_to_buffer()?)
}
