//! 集計: one row per division, a totals row, what `--force` decided, and a stacked column chart
//! of ○ △ × per division.
//!
//! Division rows hold plain numbers; the totals row holds `SUM` formulas with their results
//! cached, so the file reads correctly in tools that do not recalculate (calamine, pandas)
//! and stays right in Excel if someone corrects a count by hand. 達成率 is ○ ÷ (○＋△＋×), a
//! number with a percent format (blank while nothing is graded).

use super::{file_name, Counts, Department};
use crate::address::CellRef;
use crate::error::Result;
use crate::lang::Lang;
use crate::layout;
use crate::write::Styles;
use rust_xlsxwriter::{
    Chart, ChartFont, ChartFormat, ChartLegendPosition, ChartSolidFill, ChartType, Color, Format, FormatAlign,
    FormatBorder, Formula, Url, Worksheet,
};

/// The header row of the table (zero-based).
pub(super) const HEADER_ROW: u32 = 3;

/// The columns of the table: header text and width. What each count counts is in its name:
/// goals (No.) with their grades right beside them, then indicators and main initiatives.
const COLUMNS: [(&str, f64); 13] = [
    ("課", 24.0),
    ("目標数（No.）", 9.0),
    ("○ 達成", 8.0),
    ("△ 一部未達成", 10.0),
    ("× 未達成", 8.0),
    ("未評価", 8.0),
    ("評価不明", 8.0),
    ("達成率", 8.0),
    ("指標数", 8.0),
    ("主な取組数", 9.0),
    ("エラー", 8.0),
    ("警告", 8.0),
    ("元のファイル", 30.0),
];

/// Column of the first grade count (○).
const COL_ACHIEVED: u16 = 2;
const COL_SHARE: u16 = 7;
const COL_FILE: u16 = 12;

struct Formats {
    title: Format,
    text: Format,
    number: Format,
    percent: Format,
    link: Format,
    total_label: Format,
    total_number: Format,
    total_percent: Format,
    note: Format,
    note_label: Format,
}

impl Formats {
    fn new(styles: &Styles) -> Formats {
        let cell = styles.base.clone().set_border(FormatBorder::Thin).set_align(FormatAlign::VerticalCenter);
        let number = cell.clone().set_align(FormatAlign::Right);
        let total = number.clone().set_bold().set_background_color(Color::RGB(layout::LABEL_FILL_RGB));
        Formats {
            title: styles.base.clone().set_bold().set_font_size(14.0),
            text: cell.clone().set_text_wrap(),
            percent: number.clone().set_num_format("0.0%"),
            link: cell
                .clone()
                .set_font_color(Color::RGB(0x0563C1))
                .set_underline(rust_xlsxwriter::FormatUnderline::Single),
            total_label: cell.clone().set_bold().set_background_color(Color::RGB(layout::LABEL_FILL_RGB)),
            total_percent: total.clone().set_num_format("0.0%"),
            total_number: total,
            number,
            note: styles.base.clone().set_align(FormatAlign::Left),
            note_label: styles.base.clone().set_bold(),
        }
    }
}

/// The title: `市民生活部　令和6年度　組織目標 集計`.
pub(super) fn title(dept: &Department) -> String {
    let mut parts: Vec<String> = Vec::new();
    if !dept.name.trim().is_empty() {
        parts.push(dept.name.trim().to_string());
    }
    let year = dept.year_text();
    if !year.is_empty() {
        parts.push(year);
    }
    parts.push("組織目標 集計".to_string());
    parts.join("\u{3000}")
}

/// Writes 集計 into `ws` (named `sheet`); `names` are the division sheets' names.
pub(super) fn write_summary(
    ws: &mut Worksheet,
    sheet: &str,
    dept: &Department,
    names: &[String],
    styles: &Styles,
    lang: Lang,
) -> Result<()> {
    let f = Formats::new(styles);
    ws.write_string_with_format(0, 0, title(dept), &f.title)?;
    ws.set_row_height(0, 24)?;
    ws.write_string_with_format(
        1,
        0,
        lang.pick(
            "各課の組織目標管理シートから goalsheet merge で作成しました。数値を直すときは各課のシートを直し、作り直してください。",
            "Made by goalsheet merge from the divisions' goal sheets. To correct a figure, correct the division's sheet and merge again.",
        ),
        &f.note,
    )?;
    for (c, (label, width)) in COLUMNS.iter().enumerate() {
        let c = c as u16;
        ws.set_column_width(c, *width)?;
        ws.write_string_with_format(HEADER_ROW, c, *label, &styles.label)?;
    }
    ws.set_row_height(HEADER_ROW, 30)?;
    let first = HEADER_ROW + 1;
    let mut row = first;
    for (d, name) in dept.divisions.iter().zip(names) {
        let link = Url::new(format!("internal:'{}'!A1", name.replace('\'', "''"))).set_text(d.name());
        ws.write_url_with_format(row, 0, link, &f.link)?;
        counts_row(ws, row, &d.counts, &f)?;
        let file = d.source.as_deref().map(file_name).unwrap_or_default();
        ws.write_string_with_format(row, COL_FILE, file, &f.text)?;
        ws.set_row_height(row, 20)?;
        row += 1;
    }
    let last = row.saturating_sub(1);
    // Totals.
    let totals = dept.totals();
    ws.write_string_with_format(row, 0, "合計", &f.total_label)?;
    let values = values(&totals);
    for (i, v) in values.iter().enumerate() {
        let c = col_of_value(i);
        let formula = if dept.divisions.is_empty() {
            Formula::new("=0").set_result("0")
        } else {
            let letter = CellRef::new(0, u32::from(c)).to_string().trim_end_matches('1').to_string();
            Formula::new(format!("=SUM({letter}{}:{letter}{})", first + 1, last + 1)).set_result(v.to_string())
        };
        ws.write_formula_with_format(row, c, formula, &f.total_number)?;
    }
    let r1 = row + 1;
    let share = Formula::new(format!("=IF(SUM(C{r1}:E{r1})=0,\"\",C{r1}/SUM(C{r1}:E{r1}))"))
        .set_result(totals.share_achieved().map(|s| s.to_string()).unwrap_or_default());
    ws.write_formula_with_format(row, COL_SHARE, share, &f.total_percent)?;
    ws.write_blank(row, COL_FILE, &f.total_label)?;
    ws.set_row_height(row, 20)?;
    // How grades were counted, and what --force decided.
    row += 2;
    ws.write_string_with_format(
        row,
        0,
        lang.pick(
            "数え方: 評価は目標（No.）ごとに1つで、「〇」など意味がはっきりした書き方は該当する評価として数えています。達成率 = ○ ÷（○＋△＋×）。指標数は取組指標の数、主な取組数は取組名称（事業名）の数（「・」で並べたものは1つずつ）。エラー・警告は goalsheet check の結果です（検証結果シート）。",
            "How things are counted: one grade per goal (No.), counted by meaning (〇 counts as ○). Share achieved = ○ ÷ (○ + △ + ×). Indicators are the 取組指標; main initiatives are the 取組名称 (each “・” item counts). Errors and warnings are what goalsheet check finds (sheet 検証結果).",
        ),
        &f.note,
    )?;
    if !dept.notes.is_empty() {
        row += 1;
        ws.write_string_with_format(row, 0, lang.pick("統合メモ", "Merge notes"), &f.note_label)?;
        for n in &dept.notes {
            row += 1;
            ws.write_string_with_format(row, 0, n.get(lang), &f.note)?;
        }
    }
    chart(ws, sheet, dept, first, last, row + 2)?;
    ws.set_freeze_panes(first, 1)?;
    ws.set_paper_size(layout::PAPER_A4);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    Ok(())
}

/// The numbers of a row, columns B–G then I–L.
fn values(c: &Counts) -> [usize; 10] {
    [
        c.entries,
        c.achieved,
        c.partly,
        c.not_achieved,
        c.ungraded,
        c.unknown,
        c.indicators,
        c.initiatives,
        c.errors,
        c.warnings,
    ]
}

fn col_of_value(i: usize) -> u16 {
    // B..G are 1..6; 指標数 and what follows come after 達成率.
    let i = i as u16;
    if i < 6 {
        i + 1
    } else {
        i + 2
    }
}

fn counts_row(ws: &mut Worksheet, row: u32, c: &Counts, f: &Formats) -> Result<()> {
    for (i, v) in values(c).iter().enumerate() {
        ws.write_number_with_format(row, col_of_value(i), *v as f64, &f.number)?;
    }
    match c.share_achieved() {
        Some(s) => ws.write_number_with_format(row, COL_SHARE, s, &f.percent)?,
        None => ws.write_blank(row, COL_SHARE, &f.percent)?,
    };
    Ok(())
}

/// A stacked column per division: ○ at the bottom, then △, then ×.
fn chart(ws: &mut Worksheet, sheet: &str, dept: &Department, first: u32, last: u32, at_row: u32) -> Result<()> {
    if dept.divisions.is_empty() {
        return Ok(());
    }
    let mut font = ChartFont::new();
    font.set_name(layout::FONT_NAME);
    let mut bold = font.clone();
    bold.set_bold();
    let mut chart = Chart::new(ChartType::ColumnStacked);
    let colors = [0x4E79A7, 0xF2B447, 0xD9534F];
    for (k, color) in colors.iter().enumerate() {
        let c = COL_ACHIEVED + k as u16;
        chart
            .add_series()
            .set_name((sheet, HEADER_ROW, c))
            .set_categories((sheet, first, 0, last, 0))
            .set_values((sheet, first, c, last, c))
            .set_format(ChartFormat::new().set_solid_fill(ChartSolidFill::new().set_color(Color::RGB(*color))))
            .set_gap(60);
    }
    chart.title().set_name("課別の評価（目標数）").set_font(&bold);
    chart.x_axis().set_font(&font);
    chart.y_axis().set_font(&font).set_name("目標数（No.）").set_name_font(&font);
    // Whole goals: a step of 1 while the columns are short enough to show it.
    if dept.divisions.iter().all(|d| d.counts.graded() <= 12) {
        chart.y_axis().set_major_unit(1);
    }
    chart.legend().set_position(ChartLegendPosition::Bottom).set_font(&font);
    chart.set_width(760).set_height(360);
    ws.insert_chart(at_row, 0, &chart)?;
    Ok(())
}
