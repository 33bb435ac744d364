//! The official layout of the 組織目標管理シート, defined once.
//!
//! Both the writer (templates, corrected and merged workbooks) and the reader (which finds the
//! same labels in drifted real workbooks) take every label, position, merge, width and style
//! from here; neither has a cell address of its own. Positions are zero-based
//! ([`CellRef::new(0, 0)`] is `A1`). See `shared/DOMAIN.md`, "The official layout".
//!
//! Every label is a [`Wording`]: the text the template writes, by fiscal year (a label the city
//! renames keeps its former text for earlier years), and the other texts the reader accepts.
//! The reader accepts every wording of every year, so last year's workbooks read clean after a
//! rename; the writer writes the wording of the sheet's year. The CSV reader, the messages of
//! the rules ([`field_name`]) and the year-column words ([`TARGET_WORDS`], [`RESULT_WORDS`])
//! come from here too. [`OFFICIAL`] gathers the labels for the reader, and tests build
//! variants of it. CONTRIBUTING.md says how to change the layout for a new year.

use crate::address::{CellRange, CellRef};
use crate::model::Field;

/// How a label reads, by fiscal year, and what else the reader accepts for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wording {
    /// `(first fiscal year in 令和, text)`, oldest first: the text written for a sheet of that
    /// year and later (until the next entry). The last entry is the current wording.
    pub by_year: &'static [(i32, &'static str)],
    /// Other texts read as this label and never written (drifted typing, shorter forms).
    pub variants: &'static [&'static str],
}

impl Wording {
    /// The text written for a sheet of 令和 `reiwa`; the current wording when the year is
    /// unknown or before the first entry.
    pub fn text(&self, reiwa: Option<i32>) -> &'static str {
        let current = self.by_year.last().map_or("", |(_, t)| *t);
        let Some(y) = reiwa else { return current };
        self.by_year.iter().rev().find(|(since, _)| *since <= y).map_or(current, |(_, t)| *t)
    }

    /// The current wording (what a sheet of an unknown year gets, and what messages say).
    pub fn current(&self) -> &'static str {
        self.text(None)
    }

    /// Every text the reader accepts: the wordings of all years, then the variants.
    pub fn accepted(&self) -> impl Iterator<Item = &'static str> {
        self.by_year.iter().map(|(_, t)| *t).chain(self.variants.iter().copied())
    }
}

/// A label that has read the same since 令和元年.
const fn always(text: &'static [(i32, &'static str)]) -> Wording {
    Wording { by_year: text, variants: &[] }
}

/// The sheet's title, A1:F1.
pub const TITLE: &str = "組織目標管理シート";
/// Where the title goes.
pub const TITLE_RANGE: CellRange = range(0, 0, 0, 5);

/// The legend written in the row after the table.
pub const LEGEND: &str = "○：達成　△：一部未達成　×：未達成";
/// Column of the legend (A).
pub const LEGEND_COL: u32 = 0;
/// Last column of the legend's merged area (F).
pub const LEGEND_LAST_COL: u32 = 5;

/// The one font of every cell, as Japanese Excel installs have it.
pub const FONT_NAME: &str = "ＭＳ Ｐゴシック";
/// Body font size in points.
pub const FONT_SIZE: f64 = 10.0;
/// Title font size in points.
pub const TITLE_FONT_SIZE: f64 = 16.0;

/// Number format of 作成日 / 評価日 in the template: the Japanese era, `R6.5.15`.
pub const DATE_FORMAT_SHORT: &str = "[$-411]ge.m.d";
/// The long era form, `令和6年5月15日`, used when the source wrote dates that way.
pub const DATE_FORMAT_LONG: &str = "[$-411]ggge\"年\"m\"月\"d\"日\"";

/// Number format of dates written in Western style, `2024/5/15`.
pub const DATE_FORMAT_WESTERN: &str = "yyyy/m/d";

/// Fill of label cells (header labels and the table header): light gray, visible in print.
pub const LABEL_FILL_RGB: u32 = 0xD9D9D9;
/// Fill of a cell a tool changed or wants looked at (fix): light yellow.
pub const HIGHLIGHT_FILL_RGB: u32 = 0xFFF2CC;
/// Fill of input cells: white.
pub const INPUT_FILL_RGB: u32 = 0xFFFFFF;

/// Height of the title row (row 1) in points.
pub const TITLE_ROW_HEIGHT: f64 = 27.0;
/// Height of the spacer row between the header block and the table (row 5) in points.
pub const SPACER_ROW_HEIGHT: f64 = 9.0;
/// Smallest height of any other row in points.
pub const MIN_ROW_HEIGHT: f64 = 18.0;
/// Height of one line of wrapped body text in points. Generous on purpose: Japanese fonts
/// other than ＭＳ Ｐゴシック (LibreOffice's substitutes) have taller lines, and a cut-off
/// narrative is worse than a little white space.
pub const LINE_HEIGHT: f64 = 14.5;
/// Room above and below the text of a wrapped cell, in points.
pub const ROW_PADDING: f64 = 5.0;
/// Pixels of one full-width (CJK) character of the 10-point body font at 96 dpi.
pub const WIDE_CHAR_PX: f64 = 13.4;
/// Pixels of one half-width character (digits, Latin, half-width kana) of the body font.
pub const NARROW_CHAR_PX: f64 = 7.0;
/// Pixels of one unit of column width (the body font's widest digit); see
/// [`DEFAULT_COL_WIDTH_PX`].
pub const COL_UNIT_PX: f64 = 7.0;
/// Pixels Excel adds to every column (`width × 7 + 5`).
pub const COL_PADDING_PX: f64 = 5.0;
/// Pixels of a cell's width that text cannot use (margins on both sides).
pub const CELL_MARGIN_PX: f64 = 6.0;
/// Allowance for Japanese line breaking: a line may not start with `、。）」`, so a line
/// often ends a character early. Text widths are multiplied by this.
pub const LINE_BREAK_SLACK: f64 = 1.06;

/// Default row height (pixels) and column width (pixels) of the workbook's default format, as
/// Excel has them for a 10-point ＭＳ Ｐゴシック.
pub const DEFAULT_ROW_HEIGHT_PX: u32 = 16;
/// See [`DEFAULT_ROW_HEIGHT_PX`].
pub const DEFAULT_COL_WIDTH_PX: u32 = 64;

/// Excel's paper size code for A4.
pub const PAPER_A4: u8 = 9;

/// Grade symbols allowed in 評価 (the legend's).
pub const GRADES: [&str; 3] = ["○", "△", "×"];

/// A header field: its label cell(s) and its value cell(s).
#[derive(Debug, Clone, Copy)]
pub struct HeaderField {
    pub field: Field,
    pub label: Wording,
    /// What messages call the field (the label without decorations such as `（参考）`).
    pub name: &'static str,
    pub label_range: CellRange,
    pub value_range: CellRange,
    /// Value is a date (作成日, 評価日).
    pub is_date: bool,
    /// Value is long text that wraps (政策指標).
    pub wrap: bool,
}

/// The header block above the table.
pub const HEADER_FIELDS: [HeaderField; 6] = [
    HeaderField {
        field: Field::FiscalYear,
        label: always(&[(1, "年度")]),
        name: "年度",
        label_range: range(0, 6, 0, 6),
        value_range: range(0, 7, 0, 7),
        is_date: false,
        wrap: false,
    },
    HeaderField {
        field: Field::Created,
        label: always(&[(1, "作成日")]),
        name: "作成日",
        label_range: range(0, 8, 0, 8),
        value_range: range(0, 9, 0, 9),
        is_date: true,
        wrap: false,
    },
    HeaderField {
        field: Field::Evaluated,
        label: always(&[(1, "評価日")]),
        name: "評価日",
        label_range: range(1, 8, 1, 8),
        value_range: range(1, 9, 1, 9),
        is_date: true,
        wrap: false,
    },
    HeaderField {
        field: Field::Department,
        label: Wording {
            by_year: &[(1, "組織名（部）")], variants: &["組織名（部局）", "部名", "部局名"]
        },
        name: "組織名（部）",
        label_range: range(2, 0, 2, 0),
        value_range: range(2, 1, 2, 2),
        is_date: false,
        wrap: false,
    },
    HeaderField {
        field: Field::Division,
        label: Wording {
            by_year: &[(1, "組織名（準部・課・機関名）")],
            variants: &["組織名（課）", "組織名（課・機関名）", "組織名（課等）", "課名", "課・機関名", "所属名"],
        },
        name: "組織名（準部・課・機関名）",
        label_range: range(2, 3, 2, 3),
        value_range: range(2, 4, 2, 5),
        is_date: false,
        wrap: false,
    },
    HeaderField {
        field: Field::PolicyIndicators,
        label: Wording {
            by_year: &[(1, "（参考）関連する総合計画における政策指標")],
            variants: &["関連する総合計画における政策指標"],
        },
        name: "関連する総合計画における政策指標",
        label_range: range(3, 0, 3, 1),
        value_range: range(3, 2, 3, 10),
        is_date: false,
        wrap: true,
    },
];

/// First row of the table header (row 6).
pub const TABLE_HEADER_ROW: u32 = 5;
/// Second row of the table header (row 7).
pub const TABLE_SUBHEADER_ROW: u32 = 6;
/// First row of entries (row 8).
pub const FIRST_DATA_ROW: u32 = 7;
/// Number of columns of the sheet (A–K).
pub const COLUMN_COUNT: u32 = 11;

/// A group label of the first table header row, spanning columns (and rows where it has no
/// sub-labels).
#[derive(Debug, Clone, Copy)]
pub struct GroupLabel {
    pub label: Wording,
    pub range: CellRange,
}

/// Row 6 of the table header.
pub const GROUP_LABELS: [GroupLabel; 7] = [
    GroupLabel { label: always(&[(1, "No.")]), range: range(5, 0, 6, 0) },
    GroupLabel { label: always(&[(1, "組織目標")]), range: range(5, 1, 6, 1) },
    GroupLabel { label: always(&[(1, "指標")]), range: range(5, 2, 5, 5) },
    GroupLabel { label: always(&[(1, "主な取組（事業）")]), range: range(5, 6, 5, 7) },
    GroupLabel { label: always(&[(1, "評価")]), range: range(5, 8, 6, 8) },
    GroupLabel { label: always(&[(1, "目標達成状況")]), range: range(5, 9, 6, 9) },
    GroupLabel { label: always(&[(1, "今後の方針")]), range: range(5, 10, 6, 10) },
];

/// How a column's header reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnLabel {
    /// A label that does not name the year.
    Fixed(Wording),
    /// `Ｒ６目標`: the year, then [`TARGET_WORDS`].
    Target,
    /// `Ｒ６結果`: the year, then [`RESULT_WORDS`].
    Result,
}

/// The words after the year in the target column's header (`Ｒ６目標`). Read after any year
/// prefix [`strip_year_prefix`] accepts; `目標値` is read without a year as well.
pub const TARGET_WORDS: YearWords = YearWords {
    field: Field::Target,
    words: Wording { by_year: &[(1, "目標")], variants: &["目標値"] },
    alone: &["目標値"],
};

/// The words after the year in the result column's header (`Ｒ６結果`, also `Ｒ６実績`).
pub const RESULT_WORDS: YearWords = YearWords {
    field: Field::Result,
    words: Wording { by_year: &[(1, "結果")], variants: &["実績", "結果値", "実績値"] },
    alone: &["結果値", "実績値"],
};

/// The header words of a column whose label starts with the fiscal year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearWords {
    pub field: Field,
    /// What follows the year.
    pub words: Wording,
    /// Texts read as this column without any year before them.
    pub alone: &'static [&'static str],
}

/// The year-column words of a layout, normalized once by a reader with its own normalization
/// (NFKC, lower case, no white space, and whatever else it drops).
#[derive(Debug, Clone)]
pub struct YearColumns {
    with_year: Vec<(String, Field)>,
    alone: Vec<(String, Field)>,
}

impl YearColumns {
    pub fn new(layout: &Layout, normalize: impl Fn(&str) -> String) -> YearColumns {
        let mut with_year = Vec::new();
        let mut alone = Vec::new();
        for w in [layout.target_words, layout.result_words] {
            with_year.extend(w.words.accepted().map(|t| (normalize(t), w.field)));
            alone.extend(w.alone.iter().map(|t| (normalize(t), w.field)));
        }
        YearColumns { with_year, alone }
    }

    /// The field a normalized header names: a year, then a year word (`r6目標`, `令和6年度実績`,
    /// `r〇結果`), or a word read without a year (`目標値`).
    pub fn field(&self, norm: &str) -> Option<Field> {
        let rest = strip_year_prefix(norm);
        let found = |list: &[(String, Field)], s: &str| list.iter().find(|(w, _)| w == s).map(|(_, f)| *f);
        if rest.len() < norm.len() {
            if let Some(f) = found(&self.with_year, rest) {
                return Some(f);
            }
        }
        // The year after the word, in brackets (`目標(r6)`, `実績値(令和6年度)`): other forms
        // write it so, and a column not found lost every value in it.
        if let Some(word) = word_before_bracketed_year(norm) {
            if let Some(f) = found(&self.with_year, word) {
                return Some(f);
            }
            if let Some(f) = found(&self.alone, word) {
                return Some(f);
            }
        }
        found(&self.alone, norm)
    }
}

/// The word of a normalized header that ends with a year in brackets (`目標(r6)` → `目標`):
/// the brackets hold a year and nothing else (`r6`, `令和6年度`, `2024年度`, `r〇`).
fn word_before_bracketed_year(norm: &str) -> Option<&str> {
    let (word, year) = split_bracketed_end(norm)?;
    let has_number = year.chars().any(|c| c.is_ascii_digit() || matches!(c, '〇' | '○' | '元'));
    (has_number && strip_year_prefix(year).is_empty()).then_some(word)
}

/// A normalized label that ends with something in brackets (`評価(○・△・×)`, `目標[r6]`):
/// what comes before them (not empty) and what they hold. NFKC has made `（）［］` ASCII.
pub fn split_bracketed_end(norm: &str) -> Option<(&str, &str)> {
    let inside = norm.strip_suffix(')').or_else(|| norm.strip_suffix(']'))?;
    let open = inside.rfind(['(', '['])?;
    let (before, held) = (&inside[..open], &inside[open + 1..]);
    (!before.is_empty()).then_some((before, held))
}

/// Whether a sheet's name marks the form's example (`記入例`, `記載例 (2)`, `【記入例】`, `例`):
/// templates come with one, filled in with a placeholder division (`○○課`), and divisions
/// keep it beside their own sheet.
pub fn is_example_sheet_name(name: &str) -> bool {
    let t = name.trim();
    EXAMPLE_WORDS.iter().any(|m| t.contains(m)) || ["例", "(例)", "（例）", "【例】"].contains(&t)
}

/// What the form's example is called, on its sheet's tab or in the No. of its row.
pub const EXAMPLE_WORDS: [&str; 4] = ["記入例", "記載例", "入力例", "作成例"];

/// `norm` without the year a year-column header starts with: `r6`, `令和6年度`, `令和元年度`,
/// `2024年度`, and the template's blank year `r〇` (`norm` normalized: NFKC, lower case, no
/// white space). Unchanged when it starts with no year.
pub fn strip_year_prefix(norm: &str) -> &str {
    let s = norm.trim_start_matches('r');
    let s = strip_all(s, "令和").trim_start_matches(|c: char| c.is_ascii_digit() || c == '〇' || c == '○' || c == '元');
    strip_all(s, "年度")
}

/// The characters a header [`strip_year_prefix`] shortens, or one of the year words, can
/// start with (a reader's prefilter).
pub const YEAR_LABEL_FIRST_CHARS: [char; 19] =
    ['r', '令', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '〇', '○', '元', '年', '目', '結', '実'];

/// `s` without any number of leading `prefix` (what `trim_start_matches` does, without
/// building a substring searcher for every cell).
fn strip_all<'s>(mut s: &'s str, prefix: &str) -> &'s str {
    while let Some(rest) = s.strip_prefix(prefix) {
        s = rest;
    }
    s
}

/// How values of a column are merged over the rows of one entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Merge {
    /// One value per entry, merged down over all its rows (No., 組織目標, 評価).
    Entry,
    /// Per row, merged where consecutive rows of an entry share the value.
    WhereShared,
    /// Per row, never merged.
    Never,
}

/// One column of the table.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub col: u32,
    pub field: Field,
    /// The label that names this column (row 7 for grouped columns, else row 6).
    pub label: ColumnLabel,
    pub merge: Merge,
    /// Width in Excel character units.
    pub width: f64,
    /// Centered (short values) rather than left-aligned wrapped text.
    pub centered: bool,
}

/// The table's columns, A–K.
pub const COLUMNS: [Column; 11] = [
    Column {
        col: 0,
        field: Field::No,
        label: ColumnLabel::Fixed(Wording { by_year: &[(1, "No.")], variants: &["番号", "No", "NO."] }),
        merge: Merge::Entry,
        width: 4.5,
        centered: true,
    },
    Column {
        col: 1,
        field: Field::Goal,
        label: ColumnLabel::Fixed(Wording { by_year: &[(1, "組織目標")], variants: &["組織の目標"] }),
        merge: Merge::Entry,
        width: 28.0,
        centered: false,
    },
    Column {
        col: 2,
        field: Field::Name,
        label: ColumnLabel::Fixed(Wording {
            by_year: &[(1, "取組指標")],
            variants: &["指標名", "成果指標", "評価指標"],
        }),
        merge: Merge::Never,
        width: 18.0,
        centered: false,
    },
    Column {
        col: 3,
        field: Field::PlanRef,
        label: ColumnLabel::Fixed(Wording {
            by_year: &[(1, "総合計画（実施計画）上の位置づけ")],
            variants: &["総合計画上の位置づけ", "実施計画上の位置づけ", "総合計画の位置づけ"],
        }),
        merge: Merge::Never,
        width: 12.0,
        centered: true,
    },
    Column {
        col: 4,
        field: Field::Target,
        label: ColumnLabel::Target,
        merge: Merge::Never,
        width: 14.0,
        centered: true,
    },
    Column {
        col: 5,
        field: Field::Result,
        label: ColumnLabel::Result,
        merge: Merge::Never,
        width: 14.0,
        centered: true,
    },
    Column {
        col: 6,
        field: Field::Initiative,
        label: ColumnLabel::Fixed(Wording {
            by_year: &[(1, "取組名称（事業名）")],
            variants: &["取組名称", "取組名", "事業名称"],
        }),
        merge: Merge::WhereShared,
        width: 18.0,
        centered: false,
    },
    Column {
        col: 7,
        field: Field::Summary,
        label: ColumnLabel::Fixed(Wording {
            by_year: &[(1, "概要")],
            variants: &["事業概要", "取組概要", "取組内容", "事業内容"],
        }),
        merge: Merge::WhereShared,
        width: 30.0,
        centered: false,
    },
    Column {
        col: 8,
        field: Field::Grade,
        label: ColumnLabel::Fixed(Wording { by_year: &[(1, "評価")], variants: &["評価結果", "自己評価"] }),
        merge: Merge::Entry,
        width: 5.5,
        centered: true,
    },
    Column {
        col: 9,
        field: Field::Status,
        label: ColumnLabel::Fixed(Wording {
            by_year: &[(1, "目標達成状況")],
            variants: &["達成状況", "目標の達成状況"],
        }),
        merge: Merge::WhereShared,
        width: 30.0,
        centered: false,
    },
    Column {
        col: 10,
        field: Field::Policy,
        label: ColumnLabel::Fixed(Wording {
            by_year: &[(1, "今後の方針")],
            variants: &["今後の方向性", "今後の取組", "今後の対応"],
        }),
        merge: Merge::WhereShared,
        width: 28.0,
        centered: false,
    },
];

/// Where a column's own label sits: row 7 for the columns under a group label of row 6
/// (指標, 主な取組（事業）), else row 6 (the top-left of a label merged over rows 6–7).
pub fn column_label_cell(column: &Column) -> CellRef {
    let sub = CellRef::new(TABLE_SUBHEADER_ROW, column.col);
    let merged_over_both = GROUP_LABELS.iter().any(|g| {
        g.range.contains(sub) && g.range.start.row == TABLE_HEADER_ROW && g.range.end.row == TABLE_SUBHEADER_ROW
    });
    if merged_over_both {
        CellRef::new(TABLE_HEADER_ROW, column.col)
    } else {
        sub
    }
}

/// The column that holds `field`, if it is a table field.
pub fn column_of(field: Field) -> Option<&'static Column> {
    COLUMNS.iter().find(|c| c.field == field)
}

/// The header field spec for `field`, if it is a header field.
pub fn header_field(field: Field) -> Option<&'static HeaderField> {
    HEADER_FIELDS.iter().find(|h| h.field == field)
}

/// The text of a column header for a sheet of 令和 `reiwa` (`Ｒ６目標` for 6), in that year's
/// wording.
pub fn column_label(label: ColumnLabel, reiwa: Option<i32>) -> String {
    let year = || reiwa.map(fullwidth_number).unwrap_or_else(|| "〇".to_string());
    match label {
        ColumnLabel::Fixed(w) => w.text(reiwa).to_string(),
        ColumnLabel::Target => format!("Ｒ{}{}", year(), TARGET_WORDS.words.text(reiwa)),
        ColumnLabel::Result => format!("Ｒ{}{}", year(), RESULT_WORDS.words.text(reiwa)),
    }
}

/// What messages call a field: the current wording of its label (`目標` for the year columns,
/// whose headers carry a year).
pub fn field_name(field: Field) -> Option<&'static str> {
    if let Some(h) = header_field(field) {
        return Some(h.name);
    }
    match column_of(field)?.label {
        ColumnLabel::Fixed(w) => Some(w.current()),
        ColumnLabel::Target => Some(TARGET_WORDS.words.current()),
        ColumnLabel::Result => Some(RESULT_WORDS.words.current()),
    }
}

/// The labels the reader looks for, gathered: [`OFFICIAL`] is the layout of this crate; a test
/// builds another (a label renamed for a future year) and reads with it.
#[derive(Debug, Clone, Copy)]
pub struct Layout {
    pub title: &'static str,
    pub header_fields: [HeaderField; HEADER_FIELDS.len()],
    pub group_labels: [GroupLabel; GROUP_LABELS.len()],
    pub columns: [Column; COLUMNS.len()],
    pub target_words: YearWords,
    pub result_words: YearWords,
}

/// The official layout (a static, so that readers can tell it by address and cache its
/// normalized labels).
pub static OFFICIAL: Layout = Layout {
    title: TITLE,
    header_fields: HEADER_FIELDS,
    group_labels: GROUP_LABELS,
    columns: COLUMNS,
    target_words: TARGET_WORDS,
    result_words: RESULT_WORDS,
};

impl Layout {
    /// Every text accepted as a fixed table label, with its column's field or its group's index.
    pub fn table_labels(&self) -> impl Iterator<Item = (&'static str, TableLabel)> + '_ {
        let columns = self.columns.iter().flat_map(|c| match c.label {
            ColumnLabel::Fixed(w) => Some(w.accepted().map(move |t| (t, TableLabel::Column(c.field)))),
            _ => None,
        });
        let groups = self
            .group_labels
            .iter()
            .enumerate()
            .map(|(i, g)| g.label.accepted().map(move |t| (t, TableLabel::Group(i))));
        columns.flatten().chain(groups.flatten())
    }

    /// Every text accepted as a header field's label, with its field.
    pub fn header_labels(&self) -> impl Iterator<Item = (&'static str, Field)> + '_ {
        self.header_fields.iter().flat_map(|h| h.label.accepted().chain([h.name]).map(move |t| (t, h.field)))
    }
}

/// What a table label names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TableLabel {
    /// A column's own label.
    Column(Field),
    /// A group label spanning sub-columns (`指標`, `主な取組（事業）`), by index in
    /// [`GROUP_LABELS`].
    Group(usize),
}

/// `令和6年度` for 6.
pub fn fiscal_year_text(reiwa: i32) -> String {
    if reiwa == 1 {
        "令和元年度".to_string()
    } else {
        format!("令和{reiwa}年度")
    }
}

/// The 令和 year of the fiscal year starting in April of `gregorian`.
pub fn reiwa_of(gregorian: i32) -> i32 {
    gregorian - 2018
}

/// Full-width digits, as the city writes years in headers (`６`, `１０`).
pub fn fullwidth_number(n: i32) -> String {
    n.to_string()
        .chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c),
            '-' => '－',
            _ => c,
        })
        .collect()
}

const fn range(r0: u32, c0: u32, r1: u32, c1: u32) -> CellRange {
    CellRange::new(CellRef::new(r0, c0), CellRef::new(r1, c1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_field_has_one_column_in_order() {
        for (i, c) in COLUMNS.iter().enumerate() {
            assert_eq!(c.col as usize, i);
        }
        let mut fields: Vec<_> = COLUMNS.iter().map(|c| c.field).collect();
        fields.dedup();
        assert_eq!(fields.len(), COLUMNS.len());
    }

    #[test]
    fn year_labels_follow_the_year() {
        assert_eq!(column_label(ColumnLabel::Target, Some(6)), "Ｒ６目標");
        assert_eq!(column_label(ColumnLabel::Result, Some(10)), "Ｒ１０結果");
        assert_eq!(fiscal_year_text(7), "令和7年度");
        assert_eq!(reiwa_of(2024), 6);
    }

    #[test]
    fn header_positions_match_domain() {
        let at = |f| header_field(f).unwrap().value_range.to_string();
        assert_eq!(at(Field::FiscalYear), "H1");
        assert_eq!(at(Field::Created), "J1");
        assert_eq!(at(Field::Evaluated), "J2");
        assert_eq!(at(Field::Department), "B3:C3");
        assert_eq!(at(Field::Division), "E3:F3");
        assert_eq!(at(Field::PolicyIndicators), "C4:K4");
        assert_eq!(TITLE_RANGE.to_string(), "A1:F1");
    }

    #[test]
    fn column_labels_sit_in_row_7_only_under_a_group() {
        let at = |f| column_label_cell(column_of(f).unwrap()).to_string();
        assert_eq!(at(Field::No), "A6");
        assert_eq!(at(Field::Target), "E7");
        assert_eq!(at(Field::Summary), "H7");
        assert_eq!(at(Field::Grade), "I6");
        assert_eq!(at(Field::Policy), "K6");
    }
}
