//! Every cell format of the official sheet, built once from one base format.
//!
//! rust_xlsxwriter gives each `Format::new()` Calibri, even after `set_default_format`; a
//! Japanese form with one Calibri cell looks wrong in print and in Excel's font box. So every
//! format here is `base().clone().set_…`, and the base carries the layout's one font with the
//! Japanese charset and family that Excel itself writes.

use crate::grammar::date::DateStyle;
use crate::layout;
use crate::model::Field;
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Note};

/// The formats of a sheet in the official layout. Build once per workbook with
/// [`Styles::new`] and share between sheets.
#[derive(Debug, Clone)]
pub struct Styles {
    /// The workbook's default format: the layout font, nothing else.
    pub base: Format,
    /// The title, A1:F1.
    pub title: Format,
    /// Label cells: gray, bold, centered, bordered, wrapped.
    pub label: Format,
    /// Short header values (年度, 組織名): bordered, vertically centered.
    pub header_value: Format,
    /// Long header values (政策指標): wrapped, top-aligned.
    pub header_value_wrap: Format,
    /// Table cells holding long text: wrapped, top-aligned.
    pub cell_text: Format,
    /// Table cells holding short values (No., 目標, 結果, 評価): wrapped, centered.
    pub cell_center: Format,
    /// 作成日 / 評価日 as `R6.5.15`.
    pub date_short: Format,
    /// 作成日 / 評価日 as `令和6年5月15日`.
    pub date_long: Format,
    /// 作成日 / 評価日 as `2024/5/15`.
    pub date_western: Format,
    /// The legend below the table: no border.
    pub legend: Format,
    /// Cells of sheets kept verbatim (not goal sheets).
    pub raw: Format,
}

impl Default for Styles {
    fn default() -> Self {
        Styles::new()
    }
}

impl Styles {
    /// The formats of the official layout.
    pub fn new() -> Styles {
        let base = base_format();
        // Input cells are unlocked: a form whose sheet is protected (templates) keeps its
        // labels and lets every value be typed. Unprotected sheets ignore the flag.
        let boxed = base
            .clone()
            .set_border(FormatBorder::Thin)
            .set_text_wrap()
            .set_unlocked()
            .set_background_color(Color::RGB(layout::INPUT_FILL_RGB));
        let label = base
            .clone()
            .set_bold()
            .set_border(FormatBorder::Thin)
            .set_text_wrap()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
            .set_background_color(Color::RGB(layout::LABEL_FILL_RGB));
        let header_value = boxed.clone().set_align(FormatAlign::Left).set_align(FormatAlign::VerticalCenter);
        let header_value_wrap = boxed.clone().set_align(FormatAlign::Left).set_align(FormatAlign::Top);
        let cell_text = boxed.clone().set_align(FormatAlign::Left).set_align(FormatAlign::Top);
        let cell_center = boxed.clone().set_align(FormatAlign::Center).set_align(FormatAlign::VerticalCenter);
        let date = boxed.clone().set_align(FormatAlign::Center).set_align(FormatAlign::VerticalCenter);
        Styles {
            title: base
                .clone()
                .set_bold()
                .set_font_size(layout::TITLE_FONT_SIZE)
                .set_align(FormatAlign::Left)
                .set_align(FormatAlign::VerticalCenter),
            label,
            header_value,
            header_value_wrap,
            cell_text,
            cell_center,
            date_short: date.clone().set_num_format(layout::DATE_FORMAT_SHORT),
            date_long: date.clone().set_num_format(layout::DATE_FORMAT_LONG),
            date_western: date.set_num_format(layout::DATE_FORMAT_WESTERN),
            legend: base.clone().set_align(FormatAlign::Left).set_align(FormatAlign::VerticalCenter),
            raw: base.clone().set_text_wrap().set_align(FormatAlign::Top),
            base,
        }
    }

    /// The format [`super::write_sheet`] gives a field's value cell (dates: the short era
    /// format; a date typed in another style gets [`Styles::date`] of that style).
    pub fn for_field(&self, field: Field) -> &Format {
        if let Some(h) = layout::header_field(field) {
            return if h.is_date {
                &self.date_short
            } else if h.wrap {
                &self.header_value_wrap
            } else {
                &self.header_value
            };
        }
        match layout::column_of(field) {
            Some(c) if c.centered => &self.cell_center,
            Some(_) => &self.cell_text,
            None => &self.label,
        }
    }

    /// `format` with the highlight fill, for cells a tool changed or wants looked at.
    pub fn highlight(format: &Format) -> Format {
        format.clone().set_background_color(Color::RGB(layout::HIGHLIGHT_FILL_RGB))
    }

    /// A cell note in the layout font, without the bold author prefix rust_xlsxwriter adds
    /// by default, its text cut to what a note holds ([`super::fit_note`]).
    pub fn note(text: &str) -> Note {
        Note::new(super::fit_note(text))
            .add_author_prefix(false)
            .set_font_name(layout::FONT_NAME)
            .set_font_size(layout::FONT_SIZE)
            .set_font_family(3)
            .set_width(320)
            .set_height(120)
    }

    /// The date format that writes a date back the way it was typed.
    pub fn date(&self, style: DateStyle) -> &Format {
        match style {
            DateStyle::EraShort => &self.date_short,
            DateStyle::EraLong => &self.date_long,
            DateStyle::Western => &self.date_western,
        }
    }
}

/// The layout font with the charset (128, Shift_JIS) and family (3, modern) Excel writes for
/// Japanese fonts.
pub fn base_format() -> Format {
    Format::new()
        .set_font_name(layout::FONT_NAME)
        .set_font_size(layout::FONT_SIZE)
        .set_font_charset(128)
        .set_font_family(3)
}
