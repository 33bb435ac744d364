//! What a corrected workbook says about its fixes, in one place: the rows of 修正履歴 (change
//! log), the rows of 検証結果 (remaining findings), and the text and fill of the note on each
//! cell. Both the package patcher ([`super::patch`], .xlsx/.xlsm) and the rewritten workbook
//! ([`super::workbook`], .xls/.ods/CSV/JSON) take them from here, so the two always say the
//! same thing; only where a value sits differs, which the caller gives as a [`Place`].

use super::{AppliedEdit, Fixed, HeldFix};
use crate::address::CellRef;
use crate::finding::{Applicability, Finding, Location, Severity};
use crate::lang::{Lang, Msg};
use crate::model::Field;
use crate::write::findings_sheet::{findings_rows, severity_text, FileFindings, FindingRow, WrittenSheet};
use std::collections::{BTreeMap, HashMap};

/// The change log sheet.
pub const CHANGES_SHEET_NAME: &str = "修正履歴";

/// Whether a sheet named `sheet` may be the one `fix` names `base` (修正履歴, 検証結果): `base`,
/// or `base (2)`, `base (3)` … as it is named when the workbook has a sheet `base` of its own
/// (a division keeping its own 修正履歴). Whether it is ours, its table's headers say.
pub fn may_be_own_sheet(sheet: &str, base: &str) -> bool {
    let Some(rest) = sheet.strip_prefix(base) else { return false };
    let number = rest.strip_prefix(" (").and_then(|r| r.strip_suffix(')'));
    rest.is_empty() || number.is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}
/// Its column headers, in the run's language; a later `fix` recognises the log by either set
/// (so a workbook fixed in one language can be fixed again in the other, its log continued).
pub const CHANGES_HEADERS: [&str; 9] =
    ["ファイル", "シート", "セル", "元のセル", "コード", "修正前", "修正後", "区分", "修正内容"];
/// [`CHANGES_HEADERS`] in English.
pub const CHANGES_HEADERS_EN: [&str; 9] =
    ["File", "Sheet", "Cell", "Original cell", "Code", "Before", "After", "Kind", "Change"];

/// The change log's headers in `lang`.
pub fn changes_headers(lang: Lang) -> [&'static str; 9] {
    match lang {
        Lang::Ja => CHANGES_HEADERS,
        Lang::En => CHANGES_HEADERS_EN,
    }
}
/// Widths of its columns, in Excel character units.
pub const CHANGES_WIDTHS: [f64; 9] = [22.0, 16.0, 7.0, 8.0, 10.0, 24.0, 24.0, 8.0, 44.0];

/// What starts the 区分 of an unsafe change's row (`★要確認`): the row is coloured like the cell.
pub const UNSAFE_MARK: char = '★';

/// Whether a 修正履歴 row (as written, or read back from an earlier run) is an unsafe change.
pub fn is_unsafe_row(row: &[String]) -> bool {
    row.get(7).is_some_and(|kind| kind.starts_with(UNSAFE_MARK))
}

/// The fill of a 修正履歴 row: an unsafe change's row has the colour of the cell it changed.
pub fn row_fill(row: &[String]) -> Option<u32> {
    is_unsafe_row(row).then_some(UNSAFE_CHANGE_FILL_RGB)
}

/// How a cell with a finding that `fix` did not fix looks in the corrected workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlaggedLook {
    /// The patched workbook: the cell keeps the division's own format; only a note is added.
    Kept,
    /// The rewritten workbook: the cell is filled by the severity of its finding.
    Filled,
}

pub use crate::write::table::LegendLine;

/// The legend's heading.
pub fn legend_title(lang: Lang) -> &'static str {
    lang.pick("色の意味", "What the colours mean")
}

/// Why the fixed cells have no colour: the workbook has the most cell formats Excel shows
/// ([`super::patch::MOST_CELL_FORMATS`]); said on the console, the page and 修正履歴.
pub fn unhighlighted(lang: Lang) -> &'static str {
    lang.pick(
        "このブックはセルの書式の数が Excel の上限（64,000）に達しているため、直したセルに色を付けていません。直したセルはメモと修正履歴で確かめてください",
        "this workbook already has the most cell formats Excel shows (64,000), so the fixed cells are not coloured: find them by their notes and in 修正履歴",
    )
}

/// The colour legend above the 修正履歴 table: every fill [`Mark::fill`] gives, and how a
/// flagged cell that was not fixed looks.
pub fn legend(look: FlaggedLook, lang: Lang) -> Vec<LegendLine> {
    let line = |fill, label: (&'static str, &'static str), text: (&'static str, &'static str)| LegendLine {
        fill,
        label: lang.pick(label.0, label.1),
        text: lang.pick(text.0, text.1),
    };
    let mut lines = vec![
        line(
            Some(CHANGED_FILL_RGB),
            ("緑：修正", "green: fixed"),
            (
                "goalsheet が直したセル（安全な修正）。メモに修正前の値があります。",
                "A cell goalsheet fixed (a safe fix); its note gives the value before.",
            ),
        ),
        line(
            Some(UNSAFE_CHANGE_FILL_RGB),
            ("橙：★要確認の修正", "orange: ★fix to review"),
            (
                "評価の再計算など、内容が変わる修正をしたセルと、この表のその行（区分 ★要確認）。正しいか必ず確かめてください。",
                "A cell whose content a fix changed (a recomputed grade, say), and its row in this table (★unsafe): check that it is right.",
            ),
        ),
    ];
    match look {
        FlaggedLook::Kept => lines.extend([
            line(
                Some(ERROR_FILL_RGB),
                ("赤：エラーが残る", "red: error remains"),
                ("直したが、まだエラーの指摘が残るセル。", "A cell fixed that still has an error."),
            ),
            line(
                Some(WARNING_FILL_RGB),
                ("黄：警告が残る", "yellow: warning remains"),
                ("直したが、まだ警告の指摘が残るセル。", "A cell fixed that still has a warning."),
            ),
            line(
                None,
                ("色なし：未修正", "no colour: not fixed"),
                (
                    "指摘があるが直していないセルは元の書式のままで、メモ（右上の赤い三角）が付きます。内容と対処は「検証結果」シートにあります。",
                    "A cell with a finding that was not fixed keeps its own format and gets a note (red corner mark); the 検証結果 sheet lists what and how to fix.",
                ),
            ),
        ]),
        FlaggedLook::Filled => lines.extend([
            line(
                Some(ERROR_FILL_RGB),
                ("赤：エラー", "red: error"),
                (
                    "エラーの指摘が残るセル（直したセルも直していないセルも）。メモと「検証結果」シートに内容と対処があります。",
                    "A cell that still has an error, fixed or not; its note and the 検証結果 sheet say what and how to fix.",
                ),
            ),
            line(
                Some(WARNING_FILL_RGB),
                ("黄：警告", "yellow: warning"),
                (
                    "警告の指摘が残るセル（直したセルも直していないセルも）。メモと「検証結果」シートに内容があります。",
                    "A cell that still has a warning, fixed or not; its note and the 検証結果 sheet say what.",
                ),
            ),
            line(
                None,
                ("色なし＋メモ：参考", "no colour + note: info"),
                (
                    "参考（情報）の指摘だけがあるセル。メモに内容があります。",
                    "A cell with only an informational finding; its note says what.",
                ),
            ),
        ]),
    }
    lines
}

/// The code of a 修正履歴 row about the whole file (not one cell): the file was rewritten.
pub const REWRITTEN_CODE: &str = "rewritten";

/// Fill of cells with a remaining error (Excel's "bad" red).
pub const ERROR_FILL_RGB: u32 = 0xFFC7CE;
/// Fill of cells with a remaining warning (Excel's "neutral" yellow).
pub const WARNING_FILL_RGB: u32 = 0xFFEB9C;
/// Fill of cells `fix` changed and that have no remaining finding (Excel's "good" green).
pub const CHANGED_FILL_RGB: u32 = 0xC6EFCE;
/// Fill of cells an unsafe fix changed (`--unsafe-fixes`, e.g. a grade recomputed): orange, so
/// the one change a clerk must review does not look like the safe ones.
pub const UNSAFE_CHANGE_FILL_RGB: u32 = 0xF8CBAD;

/// Characters that look alike in print and in ＭＳ Ｐゴシック, each with the name that tells them
/// apart: `「〇」（漢数字のゼロ）を「○」（丸）に`.
const LOOKALIKES: [(char, &str, &str); 14] = [
    ('〇', "漢数字のゼロ", "ideographic number zero"),
    ('○', "丸", "white circle"),
    ('◯', "大きな丸", "large circle"),
    ('⭕', "太い丸", "heavy circle"),
    ('◎', "二重丸", "bullseye"),
    ('×', "バツ", "multiplication sign"),
    ('✕', "バツ印", "multiplication x"),
    ('✖', "太いバツ印", "heavy multiplication x"),
    ('☓', "斜めの十字", "saltire"),
    ('ｘ', "全角のエックス", "full-width letter x"),
    ('x', "半角のエックス", "letter x"),
    ('X', "半角の大文字エックス", "capital letter X"),
    ('△', "三角", "white up-pointing triangle"),
    ('▲', "黒い三角", "black up-pointing triangle"),
];

/// The name that tells a quoted value apart from its look-alike, if it has one: a single
/// look-alike character, or text with full-width digits or spaces.
fn lookalike_name(quoted: &str, lang: Lang) -> Option<&'static str> {
    let mut chars = quoted.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        if let Some((_, ja, en)) = LOOKALIKES.iter().find(|(l, _, _)| *l == c) {
            return Some(lang.pick(ja, en));
        }
    }
    if quoted.chars().any(|c| ('０'..='９').contains(&c) || c == '，' || c == '．' || c == '％') {
        return Some(lang.pick("全角の数字", "full-width digits"));
    }
    if quoted.contains('\u{3000}') {
        return Some(lang.pick("全角スペースを含む", "with an ideographic space"));
    }
    None
}

/// `text` with every quoted look-alike named after its closing quote: `「〇」を「○」に` →
/// `「〇」（漢数字のゼロ）を「○」（丸）に`.
pub fn name_lookalikes(text: &str, lang: Lang) -> String {
    let (open, close) = match lang {
        Lang::Ja => ('「', '」'),
        Lang::En => ('“', '”'),
    };
    let mut out = String::with_capacity(text.len() + 32);
    let mut rest = text;
    while let Some(start) = rest.find(open) {
        let after_open = start + open.len_utf8();
        let Some(len) = rest[after_open..].find(close) else { break };
        let quoted = &rest[after_open..after_open + len];
        let end = after_open + len + close.len_utf8();
        out.push_str(&rest[..end]);
        if let Some(name) = lookalike_name(quoted, lang) {
            match lang {
                Lang::Ja => out.push_str(&format!("（{name}）")),
                Lang::En => out.push_str(&format!(" ({name})")),
            }
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The author of the notes `fix` writes.
pub const NOTE_AUTHOR: &str = "goalsheet";

/// One row of 修正履歴, as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeRow(pub [String; 9]);

/// Where the document's values are in the written workbook: the worksheet's name and the cell
/// for a location (`read` is the cell it was read from, if any).
pub trait Place {
    fn sheet_name(&self, sheet_index: usize) -> String;
    fn cell(&self, location: &Location, read: Option<CellRef>) -> Option<CellRef>;
}

/// The input's own sheets and cells (a patched workbook: nothing moves).
pub struct InPlace<'a>(pub &'a crate::model::Document);

impl Place for InPlace<'_> {
    fn sheet_name(&self, sheet_index: usize) -> String {
        self.0.sheets.get(sheet_index).map(|s| s.sheet.clone()).unwrap_or_default()
    }
    fn cell(&self, location: &Location, read: Option<CellRef>) -> Option<CellRef> {
        read.or_else(|| location.cell(self.0))
    }
}

/// The sheets as [`crate::write::write_sheet`] wrote them into a new workbook.
pub struct Rewritten<'a>(pub &'a [WrittenSheet]);

impl Place for Rewritten<'_> {
    fn sheet_name(&self, sheet_index: usize) -> String {
        self.0.get(sheet_index).map(|w| w.name.clone()).unwrap_or_default()
    }
    fn cell(&self, location: &Location, _read: Option<CellRef>) -> Option<CellRef> {
        let w = self.0.get(location.sheet_index)?;
        crate::write::findings_sheet::placed_cell(&w.placed, location)
    }
}

/// The rows of 修正履歴 for this run's changes, in the order of the sheet (sheet, then row,
/// then column), look-alike characters named, unsafe changes marked `★要確認`.
pub fn change_rows(file: &str, fixed: &Fixed, place: &dyn Place, lang: Lang) -> Vec<ChangeRow> {
    let mut rows: Vec<((usize, u32, u32, usize), ChangeRow)> = fixed
        .applied
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let cell = place.cell(&e.location, e.cell);
            let key = (e.location.sheet_index, cell.map_or(u32::MAX, |c| c.row), cell.map_or(u32::MAX, |c| c.col), i);
            let kind = match e.applicability {
                Applicability::Safe => e.applicability_text(lang).to_string(),
                Applicability::Unsafe => format!("{UNSAFE_MARK}{}", e.applicability_text(lang)),
            };
            let row = ChangeRow([
                file.to_string(),
                place.sheet_name(e.location.sheet_index),
                cell.map(|c| c.to_string()).unwrap_or_default(),
                e.cell.map(|c| c.to_string()).unwrap_or_default(),
                e.code.to_string(),
                // Quoted, not copied whole: a long cell's change would otherwise be there
                // twice more, past what the reader takes back (its cell-text budget).
                crate::write::quote(&e.before).into_owned(),
                crate::write::quote(&e.after_text(lang)).into_owned(),
                kind,
                name_lookalikes(e.message.get(lang), lang),
            ]);
            (key, row)
        })
        .collect();
    rows.sort_by_key(|(k, _)| *k);
    rows.into_iter().map(|(_, r)| r).collect()
}

/// What was fixed, by kind, for the console: `GS301 評価の記号 2件・GS408 日付セル 2件`
/// (with how many were unsafe). Kinds are the rules' short names in the run's language (the
/// code says which rule `goalsheet rule` explains), in order of first change.
pub fn applied_by_kind(fixed: &Fixed, lang: Lang) -> String {
    let mut kinds: Vec<(&str, usize, usize)> = Vec::new();
    for e in &fixed.applied {
        let unsafe_ = usize::from(e.applicability == Applicability::Unsafe);
        match kinds.iter_mut().find(|(c, _, _)| *c == e.code) {
            Some(k) => {
                k.1 += 1;
                k.2 += unsafe_;
            }
            None => kinds.push((e.code, 1, unsafe_)),
        }
    }
    let parts: Vec<String> = kinds
        .iter()
        .map(|(code, n, unsafe_)| {
            let kind =
                crate::rules::rule(code).map_or(code.to_string(), |r| format!("{} {}", r.code, r.title.get(lang)));
            let risky = if *unsafe_ > 0 {
                lang.pick(format!("、うち要確認 {unsafe_}").as_str(), format!(", {unsafe_} unsafe").as_str())
                    .to_string()
            } else {
                String::new()
            };
            match lang {
                Lang::Ja => format!("{kind} {n}件{risky}"),
                Lang::En => format!("{kind}: {n}{risky}"),
            }
        })
        .collect();
    parts.join(lang.pick("・", ", "))
}

/// A 修正履歴 row about the whole file (`code` such as [`REWRITTEN_CODE`]).
pub fn file_row(file: &str, code: &str, message: &Msg, lang: Lang) -> ChangeRow {
    let mut row: [String; 9] = Default::default();
    row[0] = file.to_string();
    row[4] = code.to_string();
    row[8] = message.get(lang).to_string();
    ChangeRow(row)
}

/// What the console and 修正履歴 say when an .xls/.ods/CSV/JSON input was written as a new
/// .xlsx in the official layout: what was not carried over.
pub fn rewritten_message(extension: &str) -> Msg {
    let ext = extension.to_ascii_lowercase();
    let (lost_ja, lost_en) = match ext.as_str() {
        "csv" | "json" => ("", ""),
        _ => (
            "。元のブックの書式（列幅・フォント・色・罫線）、図形・画像、印刷設定、保護、非表示の行と列、名前の定義は引き継いでいません（セルのメモは値と一緒に引き継ぎました）。他のセルを参照する数式",
            "; the input's formatting (column widths, fonts, colours, borders), shapes and images, print settings, protection, hidden rows and columns and defined names were not carried over (cell notes were, with their values), and formulas that refer to other cells",
        ),
    };
    // An .ods's formulas that Excel's syntax has no form for are read as their values only.
    let (lost_ja, lost_en) = match ext.as_str() {
        "csv" | "json" => (String::new(), String::new()),
        "ods" => (
            format!("{lost_ja}と Excel にない形の数式は、その値として書きました"),
            format!("{lost_en}, or that Excel could not read, were written as their values"),
        ),
        _ => (format!("{lost_ja}は、その値として書きました"), format!("{lost_en} were written as their values")),
    };
    Msg::new(
        format!(".{ext} のブックは直接修正できないため、公式様式の .xlsx として書き直しました{lost_ja}"),
        format!(
            "a .{ext} file cannot be edited in place, so it was rewritten as an .xlsx in the official layout{lost_en}"
        ),
    )
}

/// The rows of 検証結果: every remaining finding; a finding whose fix was held says why in
/// its 対処 column.
pub fn finding_rows(file: &str, fixed: &Fixed, written: &[WrittenSheet], lang: Lang) -> Vec<FindingRow> {
    let files = [FileFindings { file, doc: &fixed.document, findings: &fixed.remaining, written }];
    let mut rows = findings_rows(&files, lang);
    let held = HeldIndex::of(fixed);
    for (row, f) in rows.iter_mut().zip(&fixed.remaining) {
        if let Some(h) = held.of_finding(f) {
            let why = h.hold.message();
            row.help = if row.help.is_empty() {
                why.get(lang).to_string()
            } else {
                format!("{}（{}）", row.help, why.get(lang))
            };
        }
    }
    rows
}

/// The held fix of each finding, found in one look (a scan of `Fixed::held` for each finding
/// was quadratic in a crafted sheet's tens of thousands).
struct HeldIndex<'a>(HashMap<(&'static str, &'a Location), &'a HeldFix>);

impl<'a> HeldIndex<'a> {
    fn of(fixed: &'a Fixed) -> HeldIndex<'a> {
        let mut index = HashMap::new();
        for h in &fixed.held {
            // The first listed, as a scan would find it.
            index.entry((h.code, &h.location)).or_insert(h);
        }
        HeldIndex(index)
    }

    fn of_finding(&self, f: &Finding) -> Option<&'a HeldFix> {
        self.0.get(&(f.code, &f.location)).copied()
    }
}

/// What one cell gets: a fill and a note.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Mark {
    /// The most severe remaining finding (warnings and errors only).
    pub severity: Option<Severity>,
    /// `fix` changed the cell.
    pub changed: bool,
    /// The change was an unsafe one (to be reviewed).
    pub unsafe_change: bool,
    /// The field whose value the cell holds.
    pub field: Option<Field>,
    /// The note's lines, findings first, then changes.
    pub lines: Vec<String>,
}

impl Mark {
    /// The fill colour (RGB), if the cell gets one.
    pub fn fill(&self) -> Option<u32> {
        match self.severity {
            Some(Severity::Error) => Some(ERROR_FILL_RGB),
            _ if self.unsafe_change => Some(UNSAFE_CHANGE_FILL_RGB),
            Some(_) => Some(WARNING_FILL_RGB),
            None if self.changed => Some(CHANGED_FILL_RGB),
            None => None,
        }
    }

    /// The note's text.
    pub fn text(&self) -> String {
        // Lines quote values; a note holds what a cell holds.
        crate::write::fit_note(&self.lines.join("\n")).into_owned()
    }
}

/// The marks of one sheet's cells (keyed by the cell in the written workbook).
pub fn marks(fixed: &Fixed, sheet_index: usize, place: &dyn Place, lang: Lang) -> BTreeMap<CellRef, Mark> {
    let mut marks: BTreeMap<CellRef, Mark> = BTreeMap::new();
    let held = HeldIndex::of(fixed);
    for f in fixed.remaining.iter().filter(|f| f.location.sheet_index == sheet_index) {
        let Some(cell) = place.cell(&f.location, f.location.cell(&fixed.document)) else { continue };
        let m = marks.entry(cell).or_default();
        m.field = Some(f.location.field);
        if f.severity >= Severity::Warning {
            m.severity = m.severity.max(Some(f.severity));
        }
        m.lines.push(finding_line(&fixed.document, f, lang));
        if let Some(h) = held.of_finding(f) {
            m.lines.push(held_line(h, lang));
        }
    }
    for e in fixed.applied.iter().filter(|e| e.location.sheet_index == sheet_index) {
        let Some(cell) = place.cell(&e.location, e.cell) else { continue };
        let m = marks.entry(cell).or_default();
        m.field = Some(e.location.field);
        m.changed = true;
        m.unsafe_change |= e.applicability == Applicability::Unsafe;
        m.lines.push(change_line(e, lang));
    }
    marks
}

/// A remaining finding in a note: `【エラー GS303】…`, the figures it is about
/// (`目標: 103校 / 結果: 99校`) and what to do (`→ …`).
pub fn finding_line(doc: &crate::model::Document, f: &Finding, lang: Lang) -> String {
    let sev = severity_text(f.severity, lang);
    let mut line = format!("【{sev} {}】{}", f.code, f.message.get(lang));
    let mut seen: Vec<&Location> = Vec::new();
    let figures: Vec<String> = std::iter::once(&f.location)
        .chain(f.related.iter().map(|r| &r.location))
        .filter(|l| {
            let new = !seen.contains(l);
            seen.push(l);
            new
        })
        .filter_map(|l| {
            let value = l.value(doc)?.trim();
            (!value.is_empty() && value.chars().count() <= 40)
                .then(|| format!("{}: {}", lang.pick(l.field.label_ja(), l.field.label_en()), value.replace('\n', " ")))
        })
        .collect();
    if figures.len() > 1 {
        line.push_str(&format!("\n（{}）", figures.join(" / ")));
    }
    if let Some(help) = &f.help {
        line.push_str(&format!("\n→ {}", help.get(lang)));
    }
    name_lookalikes(&line, lang)
}

/// A change in a note: `【修正 GS204】… 修正前:「…」`; an unsafe one says `【要確認の修正 …】`.
pub fn change_line(e: &AppliedEdit, lang: Lang) -> String {
    let what = match e.applicability {
        Applicability::Safe => lang.pick("修正", "fixed"),
        Applicability::Unsafe => lang.pick("★要確認の修正", "★unsafe fix, review"),
    };
    let before = lang.pick("修正前", "before");
    name_lookalikes(
        &format!("【{what} {}】{} {before}:「{}」", e.code, e.message.get(lang), crate::write::quote(&e.before)),
        lang,
    )
}

/// A held fix in a note: `【未修正 GS204】数式のセルなので…`.
pub fn held_line(h: &HeldFix, lang: Lang) -> String {
    let what = lang.pick("未修正", "not fixed");
    format!("【{what} {}】{}", h.code, h.hold.message().get(lang))
}

#[cfg(test)]
mod tests {
    #[test]
    fn our_sheets_are_found_under_the_names_we_give_them() {
        for name in ["修正履歴", "修正履歴 (2)", "修正履歴 (12)"] {
            assert!(super::may_be_own_sheet(name, super::CHANGES_SHEET_NAME), "{name}");
        }
        for name in ["修正履歴 ()", "修正履歴 (x)", "修正履歴2", "修正履歴 (2) 旧", "旧修正履歴", "修正"]
        {
            assert!(!super::may_be_own_sheet(name, super::CHANGES_SHEET_NAME), "{name}");
        }
    }
}
