//! CSV ⇄ model: one flat table, one row per indicator, one value per cell.
//!
//! This is the machine-readable form the national rules for tables ask for, and the form people
//! paste into other systems. Every value of a sheet is in it, so that xlsx → CSV → xlsx loses
//! nothing the official layout shows: the sheet-level fields (部, 課, 年度, 作成日, 評価日,
//! 政策指標) are repeated on each row, the entry-level ones (No., 組織目標, 評価) on each row of
//! their entry. An entry without indicators still gets a row, and so does a sheet without
//! entries. Provenance (`cells`, `merged`, the worksheet name) and the cells outside the layout
//! are not part of the table; use JSON to keep them.
//!
//! **Writing**: UTF-8 with a BOM by default (Excel then opens it correctly), or Shift_JIS
//! (CP932) for older systems; CRLF line endings. A value that Excel would take for a formula
//! (it begins with `=` `+` `-` `@`, a tab or a carriage return) gets a `'` in front, unless it is
//! a number (`-5`, `-0.3%`), which Excel shows as a number anyway. For Shift_JIS, characters that
//! have a well-known Shift_JIS lookalike, the one Windows itself uses, are replaced by it
//! ([`SJIS_LOOKALIKES`], e.g. 〜 U+301C → ～ U+FF5E) and the replacements are returned in
//! [`Encoded::substitutions`] so the caller can say so; every other character Shift_JIS cannot
//! hold exactly (𠮷, emoji, ¥ …) is an [`ErrorKind::UnencodableCells`] listing each one with
//! its sheet, cell and field. Nothing is replaced silently.
//!
//! **Reading**: the encoding is detected (BOM → UTF-8 or UTF-16; valid UTF-8 → UTF-8; else
//! Shift_JIS if it decodes without error; else an error naming the byte). Columns are found by
//! header name, Japanese or English, so a CSV with only some columns reads and leaves the rest
//! blank; unknown columns are ignored (and listed in [`CsvRead::ignored_columns`]). Rows become
//! sheets grouped by (部, 課, 年度) in order of first appearance; consecutive rows of a sheet
//! with the same No. (or a blank one) form one entry. A leading `'` put there by the writer is
//! removed, so round trips are exact.

use crate::address::CellRef;
use crate::error::{Error, ErrorKind, Result, UnencodablePlace};
use crate::flat::{self, Value};
use crate::grammar::quantity::{parse_quantity, Parsed};
use crate::lang::Msg;
use crate::layout;
use crate::model::{Document, Entry, Field, Indicator, Level, Sheet};
use encoding_rs::{DecoderResult, SHIFT_JIS, UTF_16BE, UTF_16LE};
use unicode_normalization::UnicodeNormalization;

/// Output encodings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// UTF-8 with a BOM, which Excel opens correctly.
    #[default]
    Utf8Bom,
    /// Shift_JIS (CP932), for legacy systems.
    ShiftJis,
}

/// The columns of the table, in order: [`crate::flat::COLUMNS`] with their CSV headers.
pub use crate::flat::COLUMNS;

/// Other header names accepted on input, besides the writer's, the field's JSON key and the
/// labels of the official sheet ([`Field::label_ja`], [`Field::label_en`]).
const ALIASES: [(Field, &str); 14] = [
    (Field::Department, "部名"),
    (Field::Division, "課名"),
    (Field::Division, "組織名（課）"),
    (Field::PolicyIndicators, "（参考）関連する総合計画における政策指標"),
    (Field::PolicyIndicators, "関連する総合計画における政策指標"),
    (Field::No, "no"),
    (Field::No, "番号"),
    (Field::Name, "indicator"),
    (Field::Name, "指標名"),
    (Field::PlanRef, "総合計画上の位置づけ"),
    (Field::Initiative, "取組名称（事業名）"),
    (Field::Initiative, "主な取組"),
    (Field::Grade, "評価（○△×）"),
    (Field::Status, "達成状況"),
];

/// Characters Shift_JIS cannot hold, each with the Shift_JIS character that Windows shows for
/// the same thing. Replaced on Shift_JIS output (and reported in [`Encoded::substitutions`]).
pub const SJIS_LOOKALIKES: [(char, char); 9] = [
    ('\u{301C}', '～'), // WAVE DASH → FULLWIDTH TILDE (what the Windows IME types)
    ('\u{2016}', '∥'),  // DOUBLE VERTICAL LINE → PARALLEL TO
    ('\u{2014}', '―'),  // EM DASH → HORIZONTAL BAR
    ('\u{2212}', '－'), // MINUS SIGN → FULLWIDTH HYPHEN-MINUS
    ('\u{00A2}', '￠'),
    ('\u{00A3}', '￡'),
    ('\u{00AC}', '￢'),
    ('\u{00A5}', '￥'), // YEN SIGN would become 0x5C, which reads back as a backslash
    ('\u{203E}', '￣'), // OVERLINE would become 0x7E, which reads back as a tilde
];

/// What Excel takes for the start of a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// How many rows at the top may come before the header row (a title, a blank line …).
const HEADER_SEARCH_ROWS: usize = 20;

/// Reads a CSV (UTF-8 with or without BOM, or Shift_JIS; detected), columns found by header name.
pub fn from_bytes(bytes: &[u8]) -> Result<Document> {
    read(bytes).map(|r| r.document)
}

/// Writes one row per indicator.
pub fn to_bytes(doc: &Document, encoding: Encoding) -> Result<Vec<u8>> {
    encode(doc, encoding).map(|e| e.bytes)
}

/// The encoding a CSV turned out to be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detected {
    Utf8Bom,
    Utf8,
    ShiftJis,
    Utf16,
}

/// A CSV read, with what was learnt on the way.
#[derive(Debug, Clone, PartialEq)]
pub struct CsvRead {
    pub document: Document,
    pub encoding: Detected,
    /// Headers that name no field (and repeated headers after the first), in column order.
    pub ignored_columns: Vec<String>,
}

/// A CSV written, with the lookalike replacements made for Shift_JIS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Encoded {
    pub bytes: Vec<u8>,
    pub substitutions: Vec<Substitution>,
}

/// One kind of replacement made for Shift_JIS, and how many cells it touched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Substitution {
    pub from: char,
    pub to: char,
    /// Number of cells (sheet- and entry-level values counted once, not once per row).
    pub cells: usize,
}

// ---------------------------------------------------------------------------------------------
// Writing

/// Writes one row per indicator and returns the bytes with the replacements made.
pub fn encode(doc: &Document, encoding: Encoding) -> Result<Encoded> {
    let mut bytes = Vec::new();
    let substitutions = encode_to(doc, encoding, &mut bytes)?;
    Ok(Encoded { bytes, substitutions })
}

/// Writes one row per indicator to `w` as it goes, and returns the replacements made for
/// Shift_JIS. Nothing is held but one row: the sheet-level values a row repeats are made once
/// per sheet (and the entry-level ones once per entry), so a sheet with long header values and
/// a thousand indicators costs no more memory than one row (it cost 1.4 GB when the whole
/// table was built first). For Shift_JIS every cell is checked before anything is written, so
/// an [`ErrorKind::UnencodableCells`] leaves `w` untouched.
pub fn encode_to(doc: &Document, encoding: Encoding, w: &mut dyn std::io::Write) -> Result<Vec<Substitution>> {
    let mut substitutions: Vec<Substitution> = Vec::new();
    if encoding == Encoding::ShiftJis {
        let mut places: Vec<UnencodablePlace> = Vec::new();
        let mut more = 0;
        let mut csv_row = 1;
        for (sheet_index, sheet) in doc.sheets.iter().enumerate() {
            let sheet_name = listed_name(sheet_name(sheet, sheet_index));
            let mut texts = Texts::default();
            for (k, row) in flat::rows(sheet).iter().enumerate() {
                csv_row += 1; // 1-based, after the header
                let fresh = texts.update(row, k == 0, encoding, Some(&mut substitutions));
                for (col, column) in COLUMNS.iter().enumerate() {
                    // Written text is checked (and counted) once: where it first appears.
                    // Numbers, units and normalised values come from the grammar and need no
                    // check.
                    let field = match column.value {
                        Value::Field(f) | Value::Original(f) => f,
                        _ => continue,
                    };
                    if !fresh[col] {
                        continue;
                    }
                    for character in sjis_unencodable(&texts.values[col]) {
                        if places.len() >= MAX_LISTED_PLACES {
                            more += 1;
                            continue;
                        }
                        places.push(UnencodablePlace {
                            sheet: sheet_name.clone(),
                            cell: cell_of(row, field),
                            csv_row,
                            csv_col: col + 1,
                            field,
                            character,
                        });
                    }
                }
            }
        }
        if !places.is_empty() {
            return Err(Error::new(ErrorKind::UnencodableCells { encoding: "Shift_JIS".into(), places, more }));
        }
    }
    if encoding == Encoding::Utf8Bom {
        w.write_all(UTF8_BOM).map_err(Error::from)?;
    }
    let sink = Sink { inner: w, shift_jis: encoding == Encoding::ShiftJis, pending: Vec::new() };
    let mut out = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(sink);
    out.write_record(COLUMNS.iter().map(|c| c.csv)).map_err(csv_write_error)?;
    for sheet in &doc.sheets {
        let mut texts = Texts::default();
        for (k, row) in flat::rows(sheet).iter().enumerate() {
            texts.update(row, k == 0, encoding, None);
            out.write_record(&texts.values).map_err(csv_write_error)?;
        }
    }
    out.flush().map_err(Error::from)?;
    Ok(substitutions)
}

/// The cell texts of the row being written, each made once per sheet, entry or indicator.
#[derive(Default)]
struct Texts {
    values: [String; COLUMNS.len()],
}

impl Texts {
    /// Remakes the values that change with this row; returns which columns were remade.
    fn update(
        &mut self,
        row: &flat::Row<'_>,
        first_of_sheet: bool,
        encoding: Encoding,
        mut substitutions: Option<&mut Vec<Substitution>>,
    ) -> [bool; COLUMNS.len()] {
        let mut fresh = [false; COLUMNS.len()];
        for (col, column) in COLUMNS.iter().enumerate() {
            let level = match column.value {
                Value::Field(f) | Value::Original(f) | Value::Number(f) | Value::Unit(f) => f.level(),
                Value::IndicatorNo => Level::Indicator,
            };
            let remake = match level {
                Level::Sheet => first_of_sheet,
                Level::Entry => first_of_sheet || row.first_of_entry(),
                Level::Indicator => true,
            };
            if !remake {
                continue;
            }
            fresh[col] = true;
            let mut text = neutralise(&row.text(column.value));
            if encoding == Encoding::ShiftJis {
                text = replace_lookalikes(&compose_marks(&text), substitutions.as_deref_mut());
            }
            self.values[col] = text;
        }
        fresh
    }
}

/// Where the CSV text goes: as it is (UTF-8), or encoded to Shift_JIS on the way (every
/// character was checked first). The csv writer may cut a character between two writes; the
/// cut bytes wait for the rest.
struct Sink<'a> {
    inner: &'a mut dyn std::io::Write,
    shift_jis: bool,
    pending: Vec<u8>,
}

impl std::io::Write for Sink<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if !self.shift_jis {
            return self.inner.write(buf);
        }
        self.pending.extend_from_slice(buf);
        let valid = match std::str::from_utf8(&self.pending) {
            Ok(_) => self.pending.len(),
            Err(e) => e.valid_up_to(),
        };
        let text = std::str::from_utf8(&self.pending[..valid]).unwrap_or_default();
        let (bytes, _, had_errors) = SHIFT_JIS.encode(text);
        if had_errors {
            // Cannot happen: every cell was checked before writing.
            return Err(std::io::Error::other("Shift_JIS encoding failed"));
        }
        self.inner.write_all(&bytes)?;
        self.pending.drain(..valid);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// The name to show for a sheet in messages.
/// Most places an [`ErrorKind::UnencodableCells`] lists; the rest are counted. Each distinct
/// character of each cell is a place: a text of 900,000 distinct characters Shift_JIS cannot
/// hold (a 3.6 MB JSON) made as many places, each with its sheet's name.
pub const MAX_LISTED_PLACES: usize = 1_000;

/// Most characters of a sheet's name (or its division, when it has none) a listed place
/// repeats: the division of a JSON can be megabytes.
const MAX_LISTED_NAME_CHARS: usize = 100;

fn listed_name(name: String) -> String {
    match name.char_indices().nth(MAX_LISTED_NAME_CHARS) {
        Some((at, _)) => format!("{}…", &name[..at]),
        None => name,
    }
}

fn sheet_name(sheet: &Sheet, index: usize) -> String {
    if !sheet.sheet.is_empty() {
        sheet.sheet.clone()
    } else if !sheet.division.is_empty() {
        sheet.division.clone()
    } else {
        format!("#{}", index + 1)
    }
}

/// The workbook cell a row's `field` came from.
fn cell_of(row: &flat::Row<'_>, field: Field) -> Option<CellRef> {
    match field.level() {
        Level::Sheet => row.sheet.cells.get(field),
        Level::Entry => row.entry.and_then(|(_, e)| e.cells.get(field)),
        Level::Indicator => row.indicator.and_then(|(_, i)| i.cells.get(field)),
    }
}

/// Puts a `'` before text Excel would take for a formula. Numbers are left alone; text that
/// already starts with `'` before such a character gets one more, so reading gives it back.
pub fn neutralise(text: &str) -> String {
    let after_quotes = text.trim_start_matches('\'');
    let risky = after_quotes.starts_with(FORMULA_STARTS);
    if risky && !(after_quotes.len() == text.len() && is_number(text)) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// Undoes [`neutralise`]: removes one `'` before `'…'` + a formula character.
pub fn unneutralise(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if rest.trim_start_matches('\'').starts_with(FORMULA_STARTS) => rest,
        _ => text,
    }
}

/// Characters a harmful formula needs (operators, strings, references to other programs).
const FORMULA_CHARS: [char; 16] = ['=', '@', '|', '!', '"', '\'', ';', '\t', '\r', '&', '*', '/', '^', '<', '>', '$'];

/// A number Excel reads as a number (`-5`, `+1,200`, `-0.3%`), or a quantity of the value
/// grammar whose sign is followed by a digit and which holds nothing a formula needs (`-5件`;
/// not `+ 0`, not `-5件+SUM(A1)`).
fn is_number(text: &str) -> bool {
    if is_plain_number(text) {
        return true;
    }
    let mut chars = text.chars();
    let sign_then_digit = matches!(chars.next(), Some('+' | '-')) && chars.next().is_some_and(|c| c.is_ascii_digit());
    sign_then_digit
        && !text.contains(FORMULA_CHARS)
        && !text.get(1..).unwrap_or_default().contains(['+', '-'])
        && matches!(parse_quantity(text), Parsed::Numeric(_))
}

/// `[+-]digits[,ddd…][.digits][%]`.
fn is_plain_number(text: &str) -> bool {
    let t = text.strip_prefix(['+', '-']).unwrap_or(text);
    let t = t.strip_suffix('%').unwrap_or(t);
    let (int, frac) = match t.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (t, None),
    };
    let mut groups = int.split(',');
    let first_ok = groups.next().is_some_and(|g| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit()));
    let rest_ok = groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()));
    let frac_ok = frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()));
    first_ok && rest_ok && frac_ok
}

/// Replaces the [`SJIS_LOOKALIKES`], counting into `seen` when given.
fn replace_lookalikes(text: &str, mut seen: Option<&mut Vec<Substitution>>) -> String {
    if !text.chars().any(|c| SJIS_LOOKALIKES.iter().any(|(from, _)| *from == c)) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut counted: Vec<char> = Vec::new();
    for c in text.chars() {
        match SJIS_LOOKALIKES.iter().find(|(from, _)| *from == c) {
            Some(&(from, to)) => {
                out.push(to);
                if let Some(subs) = seen.as_deref_mut() {
                    if !counted.contains(&from) {
                        counted.push(from);
                        match subs.iter_mut().find(|s| s.from == from) {
                            Some(s) => s.cells += 1,
                            None => subs.push(Substitution { from, to, cells: 1 }),
                        }
                    }
                }
            }
            None => out.push(c),
        }
    }
    out
}

/// `text` with each character that has combining marks after it (text typed on a Mac is
/// decomposed, NFD: `カ` + U+3099 for `ガ`) composed, NFC, as far as Unicode has a composed
/// form. The same text, as people see it; Shift_JIS holds the composed `ガ` and not the mark.
/// Characters without marks are left alone (NFC would also change CJK compatibility
/// ideographs, which Shift_JIS holds as they are).
fn compose_marks(text: &str) -> std::borrow::Cow<'_, str> {
    use unicode_normalization::char::is_combining_mark;
    if !text.chars().any(is_combining_mark) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(
        clusters(text).map(|c| if c.chars().count() > 1 { c.nfc().collect() } else { c.to_string() }).collect(),
    )
}

/// `text` cut into characters as people see them: each with the combining marks after it.
fn clusters(text: &str) -> impl Iterator<Item = &str> {
    use unicode_normalization::char::is_combining_mark;
    let mut rest = text;
    std::iter::from_fn(move || {
        let mut chars = rest.char_indices();
        chars.next()?;
        let end = chars.find(|(_, c)| !is_combining_mark(*c)).map_or(rest.len(), |(i, _)| i);
        let (cluster, tail) = rest.split_at(end);
        rest = tail;
        Some(cluster)
    })
}

/// The distinct characters of `text` that Shift_JIS cannot hold exactly (unmappable ones, and
/// those that would read back as another character), each with its combining marks: a mark
/// alone is not what the user sees.
fn sjis_unencodable(text: &str) -> Vec<String> {
    if sjis_round_trips(text) {
        return Vec::new();
    }
    let mut bad: Vec<String> = Vec::new();
    // Those already listed, looked up in a set: a scan of the list for every character was
    // quadratic in a text of many distinct ones.
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for c in clusters(text) {
        if !seen.contains(c) && !sjis_round_trips(c) {
            seen.insert(c);
            bad.push(c.to_string());
        }
    }
    bad
}

fn sjis_round_trips(text: &str) -> bool {
    let mut encoder = SHIFT_JIS.new_encoder();
    let Some(len) = encoder.max_buffer_length_from_utf8_without_replacement(text.len()) else {
        return false;
    };
    let mut dst = vec![0u8; len];
    let (result, _, written) = encoder.encode_from_utf8_without_replacement(text, &mut dst, true);
    if result != encoding_rs::EncoderResult::InputEmpty {
        return false;
    }
    let bytes = dst.get(..written).unwrap_or_default();
    SHIFT_JIS.decode_without_bom_handling_and_without_replacement(bytes).is_some_and(|back| back == text)
}

/// A failed write is the destination's (disk full, closed pipe); the csv writer has no other
/// way to fail on text.
fn csv_write_error(e: csv::Error) -> Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => Error::from(io),
        other => {
            let detail = format!("{other:?}");
            Error::new(ErrorKind::Write { detail: Msg::new(detail.clone(), detail) })
        }
    }
}

fn csv_error(detail: Msg) -> Error {
    Error::new(ErrorKind::Csv { detail })
}

/// A column's letter as Excel shows it when the CSV is opened (0 → `A`).
fn column_letter(index: usize) -> String {
    let cell = CellRef::new(0, u32::try_from(index).unwrap_or(u32::MAX)).to_string();
    cell.trim_end_matches(|c: char| c.is_ascii_digit()).to_string()
}

// ---------------------------------------------------------------------------------------------
// Reading

/// Excel's "Unicode text" is tab-separated; the other files are comma-separated.
fn delimiter_of(text: &str) -> u8 {
    let top = text.lines().take(HEADER_SEARCH_ROWS);
    let (tabs, commas) = top.fold((0, 0), |(t, c), l| (t + l.matches('\t').count(), c + l.matches(',').count()));
    if tabs > commas {
        b'\t'
    } else {
        b','
    }
}

/// Whether a CSV is goalsheet's own table, one row per indicator: among its first rows one
/// names, as column headers, both a sheet's field (年度, 部, 課 …) and a table's (指標, 目標 …).
/// A goal sheet saved as CSV has its labels beside their values and its table's header apart.
pub fn is_table(bytes: &[u8]) -> bool {
    let Ok((text, _)) = decode(bytes) else { return true };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter_of(&text))
        .from_reader(text.as_bytes());
    reader.records().take(HEADER_SEARCH_ROWS).map_while(|r| r.ok()).any(|record| {
        let fields: Vec<Field> = record.iter().filter_map(field_of_header).collect();
        fields.iter().any(|f| f.level() == Level::Sheet) && fields.iter().any(|f| f.level() != Level::Sheet)
    })
}

/// The non-empty cells of a CSV as a sheet's (row, column, text), for a goal sheet saved as
/// CSV from Excel or LibreOffice (名前を付けて保存 → CSV): the sheet's grid, not goalsheet's
/// table of one row per indicator. `None` when it has more than `max` (or does not parse).
pub fn sheet_cells(bytes: &[u8], max: usize) -> Result<Option<Vec<(u32, u32, String)>>> {
    let (text, _) = decode(bytes)?;
    let delimiter = delimiter_of(&text);
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut cells = Vec::new();
    for (row, record) in reader.records().enumerate() {
        let (Ok(record), Ok(row)) = (record, u32::try_from(row)) else { return Ok(None) };
        for (col, value) in record.iter().enumerate() {
            if value.trim().is_empty() {
                continue;
            }
            if cells.len() == max {
                return Ok(None);
            }
            let Ok(col) = u32::try_from(col) else { return Ok(None) };
            cells.push((row, col, value.to_string()));
        }
    }
    Ok(Some(cells))
}

/// Reads a CSV and says which encoding it was in and which columns were not used.
pub fn read(bytes: &[u8]) -> Result<CsvRead> {
    let (text, encoding) = decode(bytes)?;
    let delimiter = delimiter_of(&text);
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut records: Vec<csv::StringRecord> = Vec::new();
    for r in reader.records() {
        let record = r.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            csv_error(Msg::new(format!("{line}行目を読めません [{e}]"), format!("line {line} cannot be read [{e}]")))
        })?;
        records.push(record);
    }

    // The header is the row, among the first few, that names the most fields.
    let mut best: Option<(usize, usize)> = None; // (index, fields named)
    for (i, rec) in records.iter().enumerate().take(HEADER_SEARCH_ROWS) {
        let n = rec.iter().filter(|h| field_of_header(h).is_some()).count();
        if n > 0 && best.is_none_or(|(_, m)| n > m) {
            best = Some((i, n));
        }
    }
    let Some((header_index, _)) = best else {
        let fields =
            || COLUMNS.iter().filter_map(|c| if let Value::Field(f) = c.value { Some((f, c.csv)) } else { None });
        let expected = fields().map(|(_, h)| h).collect::<Vec<_>>();
        let english = fields().map(|(f, _)| english_name(f)).collect::<Vec<_>>();
        return Err(csv_error(Msg::new(
            format!("見出し行が見つかりません。1行目に次の見出しのいずれかを入れてください: {}", expected.join("、")),
            format!("no header row found; the first row must name some of these columns: {}", english.join(", ")),
        )));
    };

    let mut columns: Vec<Option<Column>> = Vec::new();
    let mut ignored = Vec::new();
    // Columns already taken: at most one per field (and per original), so looking up is cheap
    // however wide the header row (`columns.contains` was quadratic in its width).
    let mut seen: Vec<(Column, usize, &str)> = Vec::new();
    if let Some(header) = records.get(header_index) {
        for (i, h) in header.iter().enumerate() {
            let column = field_of_header(h).map(Column::Field).or_else(|| flat_column_of_header(h));
            match column {
                Some(c @ (Column::Field(_) | Column::Original(_))) => {
                    // Two columns for one value: which one is meant cannot be guessed, and
                    // dropping one would lose what it holds.
                    if let Some((_, first, name)) = seen.iter().find(|(s, _, _)| *s == c) {
                        let (a, b) = (column_letter(*first), column_letter(i));
                        return Err(csv_error(Msg::new(
                            format!("同じ項目の列が2回あります: {a}列の「{name}」と{b}列の「{h}」。どちらの値を使うか決められないので、一方を消すか見出しを直してください"),
                            format!("the same column appears twice: “{name}” in column {a} and “{h}” in column {b}; remove one of them or correct its header"),
                        )));
                    }
                    seen.push((c, i, h));
                    columns.push(Some(c));
                }
                // Numbers and units are derived from 目標 / 結果: known, not read.
                Some(Column::Derived) => columns.push(None),
                _ => {
                    columns.push(None);
                    if !h.trim().is_empty() {
                        ignored.push(h.to_string());
                    }
                }
            }
        }
    }

    let mut doc = Document::default();
    // Sheet by (department, division, year): a map, since a list searched for every row was
    // quadratic (49,000 one-row divisions took 60 s; tests/hostile_regressions.rs).
    let mut keys: std::collections::HashMap<[String; 3], usize> = std::collections::HashMap::new();
    for record in records.iter().skip(header_index + 1) {
        let mut values: Vec<(Field, &str)> = Vec::new();
        let mut originals: Vec<(Field, &str)> = Vec::new();
        for (i, raw) in record.iter().enumerate() {
            match columns.get(i) {
                Some(Some(Column::Field(f))) => values.push((*f, unneutralise(raw))),
                Some(Some(Column::Original(f))) => originals.push((*f, unneutralise(raw))),
                _ => {}
            }
        }
        // What was written, where the table also holds a normalised spelling, is the value.
        for (f, original) in originals.into_iter().filter(|(_, v)| !v.is_empty()) {
            match values.iter_mut().find(|(g, _)| *g == f) {
                Some(slot) => slot.1 = original,
                None => values.push((f, original)),
            }
        }
        if values.iter().all(|(_, v)| v.trim().is_empty()) {
            continue;
        }
        let get = |f: Field| values.iter().find(|(g, _)| *g == f).map(|(_, v)| *v).unwrap_or("");
        let key = [get(Field::Department), get(Field::Division), get(Field::FiscalYear)].map(str::to_string);
        let sheet_index = match keys.get(&key) {
            Some(&i) => i,
            None => {
                keys.insert(key, doc.sheets.len());
                doc.sheets.push(Sheet::default());
                doc.sheets.len() - 1
            }
        };
        let Some(sheet) = doc.sheets.get_mut(sheet_index) else { continue };
        fill(&values, |f, v| set_if_empty(sheet.field_mut(f), v));

        let has_entry = values.iter().any(|(f, v)| f.level() != Level::Sheet && !v.is_empty());
        if !has_entry {
            continue;
        }
        let (no, goal) = (get(Field::No), get(Field::Goal));
        let new_entry = match sheet.entries.last() {
            None => true,
            Some(e) => (!no.is_empty() && no != e.no) || (!goal.is_empty() && !e.goal.is_empty() && goal != e.goal),
        };
        if new_entry {
            sheet.entries.push(Entry::default());
        }
        let Some(entry) = sheet.entries.last_mut() else { continue };
        fill(&values, |f, v| set_if_empty(entry.field_mut(f), v));
        let mut indicator = Indicator::default();
        fill(&values, |f, v| set_if_empty(indicator.field_mut(f), v));
        entry.indicators.push(indicator);
    }
    // An entry whose only row has no indicator values is an entry without indicators.
    for entry in doc.sheets.iter_mut().flat_map(|s| s.entries.iter_mut()) {
        if entry.indicators.len() == 1 && entry.indicators.iter().all(indicator_is_blank) {
            entry.indicators.clear();
        }
    }
    Ok(CsvRead { document: doc, encoding, ignored_columns: ignored })
}

/// What a CSV of `doc` leaves out, said when one is written: the values outside the table (a
/// remark beside it; the cells' notes) and the sheets that are not goal sheets (goalsheet's own 集計, 一覧,
/// 検証結果, 修正履歴 and 元の位置の値 aside), which a table of one row per indicator has no
/// place for. JSON and .xlsx keep them.
pub fn left_out_message(doc: &Document) -> Option<Msg> {
    const OWN: [&str; 5] = ["集計", "一覧", "検証結果", "修正履歴", "元の位置の値"];
    // A note goes with a value: counted as one of the values outside the table.
    let extras: usize = doc.sheets.iter().map(|s| s.extras.len() + s.notes.len()).sum();
    let sheets: Vec<&str> = doc
        .other_sheets
        .iter()
        .filter(|s| !s.cells.is_empty() && !OWN.contains(&s.name.as_str()))
        .map(|s| s.name.as_str())
        .collect();
    let struck: usize = doc.sheets.iter().map(|s| s.struck.len()).sum();
    let mut ja: Vec<String> = Vec::new();
    let mut en: Vec<String> = Vec::new();
    if extras > 0 {
        ja.push(format!("表の外の値 {extras} 件"));
        en.push(format!("the {extras} value(s) outside the table"));
    }
    if struck > 0 {
        ja.push(format!("取り消し線（見え消し）{struck} 件"));
        en.push(format!("the line through struck text in {struck} value(s)"));
    }
    if !sheets.is_empty() {
        ja.push(format!("シート「{}」", sheets.join("」「")));
        en.push(format!("the sheet(s) {}", sheets.join(", ")));
    }
    if ja.is_empty() {
        return None;
    }
    let (ja, en) = (ja.join("と"), en.join(" and "));
    Some(Msg::new(
        format!("CSV には{ja}は入りません（JSON か .xlsx に変換すると残ります）"),
        format!("the CSV does not hold {en} (JSON and .xlsx keep them)"),
    ))
}

/// Types each target and result that is a number as Excel types it when it opens a CSV:
/// `8`, `4.7`, `1,700` and `50%` become numbers (`#,##0`, `0%` as Excel gives them) when the
/// number under that format shows exactly the text; anything else stays text (`010`, `1.50`,
/// `8件`). Without it a CSV converted to a workbook held its figures as text, which Excel marks
/// (数値が文字列として保存されています) and leaves out of sums.
pub fn type_numbers(doc: &mut Document) {
    for ind in doc.sheets.iter_mut().flat_map(|s| s.entries.iter_mut()).flat_map(|e| e.indicators.iter_mut()) {
        for field in [Field::Target, Field::Result] {
            let text = ind.field(field).unwrap_or_default();
            if ind.typed.get(field).is_none() {
                if let Some(typed) = excel_number(text) {
                    ind.typed.set(field, typed);
                }
            }
        }
    }
}

/// The number cell Excel makes of `text` typed in a CSV, if it is one that shows as `text`.
fn excel_number(text: &str) -> Option<crate::model::TypedCell> {
    use crate::model::{CellKind, TypedCell};
    if !is_plain_number(text) || text.starts_with('+') {
        return None;
    }
    let body = text.strip_suffix('%').unwrap_or(text);
    let decimals = body.split_once('.').map_or(0, |(_, f)| f.len());
    let value: f64 = body.replace(',', "").parse().ok()?;
    let zeros = if decimals > 0 { format!(".{}", "0".repeat(decimals)) } else { String::new() };
    let (number, format) = match (text.ends_with('%'), body.contains(',')) {
        (true, false) => (value / 100.0, Some(format!("0{zeros}%"))),
        (false, true) => (value, Some(format!("#,##0{zeros}"))),
        (false, false) => (value, None),
        (true, true) => return None,
    };
    let typed = TypedCell {
        kind: CellKind::Number,
        number: Some(number),
        format: format.map(Into::into),
        formula: None,
        stale: false,
    };
    crate::read::grid::typed_text(&typed).is_some_and(|shown| shown == text).then_some(typed)
}

/// Sets every still-empty field that `set` knows from the row's values.
fn fill(values: &[(Field, &str)], mut set: impl FnMut(Field, &str)) {
    for (f, v) in values {
        if !v.is_empty() {
            set(*f, v);
        }
    }
}

fn set_if_empty(slot: Option<&mut String>, value: &str) {
    if let Some(s) = slot {
        if s.is_empty() {
            *s = value.to_string();
        }
    }
}

fn indicator_is_blank(i: &Indicator) -> bool {
    Field::ALL.iter().all(|f| i.field(*f).is_none_or(str::is_empty))
}

/// The English header name of a field (`indicator` for the indicator's name, else the JSON key).
pub fn english_name(field: Field) -> &'static str {
    match field {
        Field::Name => "indicator",
        f => f.key(),
    }
}

/// The field a header names, if any: the writer's header, the JSON key, the English name, the
/// official sheet's label, an alias, or a year-labelled `Ｒ６目標` / `Ｒ６結果`.
fn field_of_header(header: &str) -> Option<Field> {
    let h = normalise_header(header);
    if h.is_empty() {
        return None;
    }
    if let Some((_, field)) = header_names().iter().find(|(name, _)| *name == h) {
        return Some(*field);
    }
    year_columns().field(&h)
}

/// The year columns' header words of the layout (`Ｒ６目標`, `Ｒ６実績` …), normalised once.
fn year_columns() -> &'static layout::YearColumns {
    static WORDS: std::sync::OnceLock<layout::YearColumns> = std::sync::OnceLock::new();
    WORDS.get_or_init(|| layout::YearColumns::new(&layout::OFFICIAL, normalise_header))
}

/// A column of the flat table other than a field's own: what was written beside a normalised
/// field, or a number or unit derived from a target or result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Field(Field),
    Original(Field),
    Derived,
}

/// The writer's own headers for the columns that are not a field's value (`年度（記載どおり）`,
/// `目標（数値）` …).
fn flat_column_of_header(header: &str) -> Option<Column> {
    let h = normalise_header(header);
    COLUMNS.iter().find(|c| !h.is_empty() && normalise_header(c.csv) == h).and_then(|c| match c.value {
        Value::Field(_) => None,
        Value::Original(f) => Some(Column::Original(f)),
        Value::Number(_) | Value::Unit(_) | Value::IndicatorNo => Some(Column::Derived),
    })
}

/// Every accepted header name, normalised once, in the order they are tried (the writer's and
/// the field's names first, then the aliases). The header search tries every cell of the first
/// rows: normalising the hundred names again for each cell made an 800 KB CSV of wide rows take
/// minutes (found by the csv fuzz target, tests/hostile_regressions.rs).
fn header_names() -> &'static [(String, Field)] {
    static NAMES: std::sync::OnceLock<Vec<(String, Field)>> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| {
        let mut names = Vec::new();
        for (field, name) in
            COLUMNS.iter().filter_map(|c| if let Value::Field(f) = c.value { Some((f, c.csv)) } else { None })
        {
            for c in [name, field.key(), english_name(field), field.label_ja(), field.label_en()] {
                names.push((normalise_header(c), field));
            }
        }
        // Every wording of the official sheet's labels, of every year.
        let official = &layout::OFFICIAL;
        let sheet = official.header_labels().chain(official.table_labels().filter_map(|(t, l)| match l {
            layout::TableLabel::Column(f) => Some((t, f)),
            layout::TableLabel::Group(_) => None,
        }));
        names.extend(sheet.map(|(t, f)| (normalise_header(t), f)));
        names.extend(ALIASES.iter().map(|(field, a)| (normalise_header(a), *field)));
        names
    })
}

/// NFKC (full-width → half-width), no white space or underscores, lower case: `Ｒ６目標` →
/// `r6目標`, `Fiscal Year` → `fiscalyear`, `総合計画（実施計\n画）` → `総合計画(実施計画)`.
fn normalise_header(h: &str) -> String {
    h.nfkc().filter(|c| !c.is_whitespace() && *c != '_' && *c != '-').flat_map(char::to_lowercase).collect()
}

/// Finds the text encoding: BOM, else UTF-8 if valid, else Shift_JIS if it decodes cleanly.
fn decode(bytes: &[u8]) -> Result<(String, Detected)> {
    if bytes.is_empty() {
        return Err(csv_error(Msg::new("ファイルが空です", "the file is empty")));
    }
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let rest = bytes.get(bom_len..).unwrap_or_default();
        if enc == encoding_rs::UTF_8 {
            return match std::str::from_utf8(rest) {
                Ok(s) => Ok((s.to_string(), Detected::Utf8Bom)),
                Err(e) => Err(undecodable(e.valid_up_to() + bom_len)),
            };
        }
        if enc == UTF_16LE || enc == UTF_16BE {
            return match enc.decode_without_bom_handling_and_without_replacement(rest) {
                Some(s) => Ok((s.into_owned(), Detected::Utf16)),
                None => Err(csv_error(Msg::new("UTF-16として読めません", "not valid UTF-16"))),
            };
        }
    }
    let utf8_error = match std::str::from_utf8(bytes) {
        Ok(s) => return Ok((s.to_string(), Detected::Utf8)),
        Err(e) => e.valid_up_to(),
    };
    if let Some(s) = SHIFT_JIS.decode_without_bom_handling_and_without_replacement(bytes) {
        return Ok((s.into_owned(), Detected::ShiftJis));
    }
    // Neither: name the byte where the likelier of the two broke (the one that got further).
    let sjis_error = sjis_error_offset(bytes).unwrap_or(0);
    Err(undecodable(utf8_error.max(sjis_error)))
}

/// The offset of the first byte Shift_JIS cannot decode.
fn sjis_error_offset(bytes: &[u8]) -> Option<usize> {
    let mut decoder = SHIFT_JIS.new_decoder_without_bom_handling();
    let len = decoder.max_utf8_buffer_length_without_replacement(bytes.len())?;
    let mut out = String::with_capacity(len);
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut out, true);
    match result {
        DecoderResult::Malformed(bad, extra) => Some(read.saturating_sub(usize::from(bad) + usize::from(extra))),
        _ => None,
    }
}

fn undecodable(offset: usize) -> Error {
    let n = offset + 1;
    csv_error(Msg::new(
        format!("{n}バイト目が UTF-8 でも Shift_JIS でもありません。Excelで「CSV UTF-8」として保存し直してください"),
        format!("byte {n} is neither UTF-8 nor Shift_JIS; save the file again as “CSV UTF-8” in Excel"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sheet without a name whose division is 200,000 distinct characters Shift_JIS cannot
    /// hold: each was a place, with the division (800 KB) as its sheet's name, 160 GB. Now the
    /// first thousand are listed, each with the name's first hundred characters, and the rest
    /// counted.
    #[test]
    fn unencodable_places_past_the_listed_ones_are_counted() {
        let mut doc = seed();
        doc.sheets.truncate(1);
        doc.sheets[0].sheet = String::new();
        doc.sheets[0].division = (0x20000..0x20000 + 200_000).filter_map(char::from_u32).collect();
        let e = to_bytes(&doc, Encoding::ShiftJis).expect_err("unencodable");
        let ErrorKind::UnencodableCells { places, more, .. } = &e.kind else { panic!("{e:?}") };
        assert_eq!((places.len(), places.len() + more), (MAX_LISTED_PLACES, 200_000));
        let name: String = doc.sheets[0].division.chars().take(100).chain(['…']).collect();
        assert!(places.iter().all(|p| p.sheet == name));
        let en = e.message(crate::Lang::En);
        assert!(en.starts_with("200000 character(s)") && en.ends_with("… and 199000 more"), "{}", &en[..200]);
        assert!(e.message(crate::Lang::Ja).ends_with("…ほか199000か所"));
    }

    /// A text of 200,000 distinct characters Shift_JIS cannot hold, each twice (1.6 MB of
    /// UTF-8): each was looked for in the list of those found before it, 2×10¹⁰ string
    /// comparisons.
    #[test]
    fn many_distinct_unencodable_characters_are_listed_in_one_pass() {
        let chars: Vec<char> = (0x20000..0x20000 + 200_000).filter_map(char::from_u32).collect();
        let text: String = chars.iter().chain(&chars).collect();
        let bad = sjis_unencodable(&text);
        assert_eq!(bad.len(), chars.len());
        assert!(bad.iter().zip(&chars).all(|(b, c)| b.chars().eq([*c])), "in order of first appearance");
        // Marks stay with their character: `𠮷` + U+0301 is another character as seen.
        assert_eq!(sjis_unencodable("𠮷\u{301}𠮷𠮷\u{301}"), ["𠮷\u{301}", "𠮷"]);
    }

    const SEED: &str = include_str!("../../tests/data/shimin-seikatsu-r6.json");

    fn seed() -> Document {
        crate::convert::json::from_bytes(SEED.as_bytes()).expect("seed reads")
    }

    fn utf8(bytes: &[u8]) -> &str {
        std::str::from_utf8(bytes.strip_prefix(UTF8_BOM).expect("BOM")).expect("utf-8")
    }

    #[test]
    fn what_a_csv_leaves_out_is_said() {
        use crate::model::{RawCell, RawSheet};
        let mut doc = seed();
        assert_eq!(left_out_message(&doc), None, "the seed fits a CSV");
        let cell = |a: &str| RawCell { cell: CellRef::parse(a).unwrap(), text: "※速報値".into(), typed: None };
        doc.sheets[0].extras.push(cell("M8"));
        doc.other_sheets.push(RawSheet { name: "集計".into(), cells: vec![cell("A1")] });
        assert_eq!(
            left_out_message(&doc).unwrap().en,
            "the CSV does not hold the 1 value(s) outside the table (JSON and .xlsx keep them)"
        );
        doc.other_sheets.push(RawSheet { name: "メモ".into(), cells: vec![cell("A1")] });
        assert!(left_out_message(&doc).unwrap().ja.contains("表の外の値 1 件とシート「メモ」"));
        doc.sheets[0].struck.push(crate::model::CellText { cell: CellRef::parse("E8").unwrap(), text: "8".into() });
        assert!(left_out_message(&doc)
            .unwrap()
            .ja
            .contains("表の外の値 1 件と取り消し線（見え消し）1 件とシート「メモ」"));
    }

    #[test]
    fn figures_become_numbers_as_excel_opens_a_csv() {
        let number = |t: &str| excel_number(t).map(|c| (c.number.unwrap(), c.format.map(|f| f.to_string())));
        assert_eq!(number("8"), Some((8.0, None)));
        assert_eq!(number("4.7"), Some((4.7, None)));
        assert_eq!(number("-3"), Some((-3.0, None)));
        assert_eq!(number("1,700"), Some((1700.0, Some("#,##0".into()))));
        assert_eq!(number("50%"), Some((0.5, Some("0%".into()))));
        assert_eq!(number("54.7%"), Some((0.547, Some("0.0%".into()))));
        for text in ["010", "1.50", "8件", "+5", "1,70", "約8", "", "R6.4.1", "1,700.5%"] {
            assert_eq!(number(text), None, "{text}");
        }
        let mut doc = seed();
        type_numbers(&mut doc);
        let mut indicators = doc.sheets.iter().flat_map(|s| &s.entries).flat_map(|e| &e.indicators);
        let ind = indicators.find(|i| i.target == "80%").expect("the seed has a target of 80%");
        assert_eq!(ind.typed.get(Field::Target).and_then(|t| t.number), Some(0.8));
        assert_eq!(ind.typed.get(Field::Result).and_then(|t| t.number), Some(0.777), "77.7%");
    }

    #[test]
    fn utf8_round_trip_keeps_every_value() {
        let doc = seed();
        let bytes = to_bytes(&doc, Encoding::Utf8Bom).expect("writes");
        assert!(bytes.starts_with(UTF8_BOM), "Excel needs the BOM");
        let text = utf8(&bytes);
        assert!(text.starts_with("部,課,No.,指標番号,年度,年度（記載どおり）,作成日,作成日（記載どおり）,評価日,評価日（記載どおり）,組織目標,指標,位置づけ,目標,目標（数値）,目標（単位）,結果,結果（数値）,結果（単位）,取組名称,概要,評価,評価（記載どおり）,目標達成状況,今後の方針,政策指標\r\n"));
        // One spelling per value, what was written beside it.
        assert!(
            text.contains("\r\n市民生活部,市民生活課,1,1,令和6年度,令和６年度,2024-04-01,R6.4.1,2025-03-31,R7.3.31,"),
            "{text}"
        );
        assert!(text.contains(",80%,80,%,77.7%,77.7,%,"), "numbers and units apart");
        assert!(text.contains(",○,〇,"), "grades normalised, the original kept");
        assert!(text.ends_with("\r\n"));
        let back = read(&bytes).expect("reads");
        assert_eq!(back.encoding, Detected::Utf8Bom);
        assert!(back.ignored_columns.is_empty());
        assert_eq!(back.document, doc);
    }

    #[test]
    fn one_row_per_indicator_and_for_entries_without_indicators() {
        let mut doc = seed();
        let indicators: usize = doc.sheets.iter().map(Sheet::indicator_count).sum();
        doc.sheets[0].entries[1].indicators.clear();
        doc.sheets.push(Sheet { division: "空の課".into(), ..Sheet::default() });
        let bytes = to_bytes(&doc, Encoding::Utf8Bom).expect("writes");
        let mut r = csv::ReaderBuilder::new().from_reader(utf8(&bytes).as_bytes());
        // one indicator removed, its entry still has a row; the empty sheet has one row
        assert_eq!(r.records().count(), indicators + 1);
        assert_eq!(from_bytes(&bytes).expect("reads"), doc);
    }

    #[test]
    fn shift_jis_round_trip_keeps_every_value() {
        let doc = seed();
        let bytes = to_bytes(&doc, Encoding::ShiftJis).expect("writes");
        assert!(std::str::from_utf8(&bytes).is_err(), "really Shift_JIS");
        let back = read(&bytes).expect("reads");
        assert_eq!(back.encoding, Detected::ShiftJis);
        assert_eq!(back.document, doc);
    }

    #[test]
    fn shift_jis_reports_every_unencodable_character_with_its_cell() {
        let mut doc = seed();
        doc.sheets[0].sheet = "市民協働課".into();
        doc.sheets[0].entries[0].indicators[0].name = "𠮷野家の数😀".into();
        doc.sheets[0].entries[0].indicators[0].cells.set(Field::Name, CellRef::new(7, 2));
        doc.sheets[1].policy_indicators = "・市民の声 ¥100".into();
        let e = to_bytes(&doc, Encoding::ShiftJis).expect_err("unencodable");
        let ErrorKind::UnencodableCells { places, .. } = &e.kind else { panic!("{e:?}") };
        let found: Vec<_> =
            places.iter().map(|p| (p.sheet.as_str(), p.cell, p.csv_row, p.field, p.character.as_str())).collect();
        assert_eq!(
            found,
            vec![
                ("市民協働課", Some(CellRef::new(7, 2)), 2, Field::Name, "𠮷"),
                ("市民協働課", Some(CellRef::new(7, 2)), 2, Field::Name, "😀"),
            ],
            "¥ has a lookalike and is replaced; the policy indicators of sheet 2 are fine then"
        );
        let msg = e.message(crate::Lang::Ja);
        assert!(msg.contains("市民協働課!C8（取組指標）: 「𠮷」(U+20BB7)"), "{msg}");
        // Without provenance the CSV position is named instead.
        doc.sheets[0].entries[0].indicators[0].cells = Default::default();
        let e = to_bytes(&doc, Encoding::ShiftJis).expect_err("unencodable");
        let en = e.message(crate::Lang::En);
        assert!(en.contains("CSV row 2, column 12 = L2 in Excel (indicator): “𠮷”"), "{en}");
    }

    #[test]
    fn shift_jis_replaces_lookalikes_and_says_so() {
        let mut doc = seed();
        doc.sheets[0].policy_indicators = "4月〜3月 — 通年".into();
        doc.sheets[0].entries[0].indicators[0].target = "−1件〜".into();
        let enc = encode(&doc, Encoding::ShiftJis).expect("writes");
        let back = from_bytes(&enc.bytes).expect("reads");
        assert_eq!(back.sheets[0].policy_indicators, "4月～3月 ― 通年");
        assert_eq!(back.sheets[0].entries[0].indicators[0].target, "－1件～");
        let wave = enc.substitutions.iter().find(|s| s.from == '〜').expect("reported");
        assert_eq!((wave.to, wave.cells), ('～', 2), "policy indicators once (not once per row) + the target");
        assert!(enc.substitutions.iter().any(|s| s.from == '—') && enc.substitutions.iter().any(|s| s.from == '−'));
        // UTF-8 keeps them as they are.
        assert_eq!(from_bytes(&to_bytes(&doc, Encoding::Utf8Bom).expect("writes")).expect("reads"), doc);
    }

    #[test]
    fn formulas_are_neutralised_and_restored() {
        for (value, written) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+cmd", "'+cmd"),
            ("-1+cmd|' /C calc'!A0", "'-1+cmd|' /C calc'!A0"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("'=already quoted", "''=already quoted"),
            ("-", "'-"),
            ("-5", "-5"),
            ("-0.3%", "-0.3%"),
            ("+1,200", "+1,200"),
            ("−1件", "−1件"),
            ("-5件", "-5件"),
            ("-0.3ポイント", "-0.3ポイント"),
            ("-5件+SUM(A1)", "'-5件+SUM(A1)"),
            ("-5件\n（R5：-3件）", "'-5件\n（R5：-3件）"),
            ("-5件;x", "'-5件;x"),
            ("+ 0", "'+ 0"),
            ("-$A$1", "'-$A$1"),
            ("'0123", "'0123"),
            ("推進", "推進"),
        ] {
            assert_eq!(neutralise(value), written, "{value}");
            assert_eq!(unneutralise(written), value, "{value}");
        }
        let mut doc = seed();
        doc.sheets[0].entries[0].indicators[0].result = "=1+1".into();
        doc.sheets[0].entries[0].indicators[0].target = "-5".into();
        let bytes = to_bytes(&doc, Encoding::Utf8Bom).expect("writes");
        assert!(utf8(&bytes).contains(",-5,-5,,'=1+1,,,"), "{}", utf8(&bytes));
        assert_eq!(from_bytes(&bytes).expect("reads"), doc);
    }

    #[test]
    fn some_columns_only_in_any_order() {
        let csv = "課,No.,指標,Ｒ６目標,Ｒ６結果,メモ\n市民協働課,1,自治会加入率,80%,77.7%,確認済\n市民協働課,,会議数,2回,2回,\n市民協働課,2,相談件数,300件,318件,\n";
        let r = read(csv.as_bytes()).expect("reads");
        assert_eq!(r.ignored_columns, vec!["メモ".to_string()]);
        let doc = r.document;
        assert_eq!(doc.sheets.len(), 1);
        let s = &doc.sheets[0];
        assert_eq!((s.division.as_str(), s.department.as_str(), s.fiscal_year.as_str()), ("市民協働課", "", ""));
        assert_eq!(s.entries.len(), 2);
        assert_eq!(s.entries[0].no, "1");
        assert_eq!(s.entries[0].indicators.len(), 2, "a blank No. continues the entry");
        assert_eq!(s.entries[0].indicators[1].name, "会議数");
        assert_eq!(s.entries[1].indicators[0].target, "300件");
        assert_eq!(s.entries[1].indicators[0].result, "318件");
        assert_eq!(s.entries[1].indicators[0].initiative, "");
    }

    #[test]
    fn english_headers_and_sheet_label_variants() {
        let english = "Department,division,fiscal_year,No,goal,indicator,plan_ref,target,result,grade,status,Policy\n\
                       市民生活部,広聴相談課,令和6年度,1,目標A,満足度,政策1-1-①,80%,77.7%,×,未達,継続\n";
        let doc = from_bytes(english.as_bytes()).expect("reads");
        let s = &doc.sheets[0];
        assert_eq!((s.department.as_str(), s.fiscal_year.as_str()), ("市民生活部", "令和6年度"));
        let e = &s.entries[0];
        assert_eq!((e.goal.as_str(), e.grade.as_str()), ("目標A", "×"));
        let i = &e.indicators[0];
        assert_eq!(
            (i.name.as_str(), i.plan_ref.as_str(), i.status.as_str(), i.policy.as_str()),
            ("満足度", "政策1-1-①", "未達", "継続")
        );

        let labels = "組織名（部）,組織名（準部・課・機関名）,取組指標,\"総合計画（実施計\n画）上の位置づけ\",R7目標,令和7年度結果\n部A,課B,指標C,政策1,10件,11件\n";
        let doc = from_bytes(labels.as_bytes()).expect("reads");
        let s = &doc.sheets[0];
        assert_eq!((s.department.as_str(), s.division.as_str()), ("部A", "課B"));
        let i = &s.entries[0].indicators[0];
        assert_eq!(
            (i.name.as_str(), i.plan_ref.as_str(), i.target.as_str(), i.result.as_str()),
            ("指標C", "政策1", "10件", "11件")
        );
    }

    #[test]
    fn rows_group_into_sheets_by_department_division_year() {
        let csv = "部,課,年度,No.,指標\nA部,X課,令和6年度,1,x1\nA部,Y課,令和6年度,1,y1\nA部,X課,令和6年度,2,x2\nA部,X課,令和7年度,1,x7\n";
        let doc = from_bytes(csv.as_bytes()).expect("reads");
        let names: Vec<_> =
            doc.sheets.iter().map(|s| (s.division.as_str(), s.fiscal_year.as_str(), s.entries.len())).collect();
        assert_eq!(names, vec![("X課", "令和6年度", 2), ("Y課", "令和6年度", 1), ("X課", "令和7年度", 1)]);
    }

    #[test]
    fn header_after_a_title_row_and_tab_separated() {
        let csv = "組織目標管理シート一覧\n\n課\t指標\t目標\nX課\tx\t1件\n";
        let doc = from_bytes(csv.as_bytes()).expect("reads");
        assert_eq!(doc.sheets[0].entries[0].indicators[0].target, "1件");
    }

    #[test]
    fn shift_jis_input_is_detected() {
        let (bytes, _, _) = SHIFT_JIS.encode("課,指標,目標\r\n市民協働課,自治会加入率,８０％\r\n");
        let r = read(&bytes).expect("reads");
        assert_eq!(r.encoding, Detected::ShiftJis);
        assert_eq!(r.document.sheets[0].division, "市民協働課");
        assert_eq!(r.document.sheets[0].entries[0].indicators[0].target, "８０％");
    }

    #[test]
    fn unreadable_bytes_are_named() {
        // A Shift_JIS file with one broken byte: the message points at that byte.
        let (good, _, _) = SHIFT_JIS.encode("課,指標\r\n市民,");
        let mut bytes = good.into_owned();
        let broken_at = bytes.len() + 1;
        bytes.extend_from_slice(&[0xFF, 0xFF]);
        let e = from_bytes(&bytes).expect_err("neither");
        let expected = format!("byte {broken_at} ");
        assert!(matches!(&e.kind, ErrorKind::Csv { detail } if detail.en.contains(&expected)), "{e}");
    }

    #[test]
    fn no_recognisable_column_says_what_is_expected() {
        let e = from_bytes("氏名,年齢\nx,1\n".as_bytes()).expect_err("no header");
        let ErrorKind::Csv { detail } = &e.kind else { panic!("{e:?}") };
        assert!(detail.ja.contains("組織目標") && detail.en.contains("fiscal_year"), "{detail:?}");
        assert!(matches!(from_bytes(b"").map_err(|e| e.kind), Err(ErrorKind::Csv { .. })));
    }

    mod prop {
        use super::*;
        use proptest::prelude::*;

        /// Text with everything that makes CSV hard: formula starts, quotes, separators, line
        /// breaks, apostrophes, numbers, Japanese.
        fn text() -> impl Strategy<Value = String> {
            "[=+\\-@'\"\t\r\n, a-z0-9%.あ漢〜]{0,8}"
        }

        fn indicator() -> impl Strategy<Value = Indicator> {
            (text(), text(), text(), text(), text(), text(), text(), text()).prop_map(
                |(name, plan_ref, target, result, initiative, summary, status, policy)| Indicator {
                    name: format!("x{name}"), // never blank: a blank sole indicator reads as none
                    plan_ref,
                    target,
                    result,
                    initiative,
                    summary,
                    status,
                    policy,
                    ..Indicator::default()
                },
            )
        }

        fn sheet(division: &'static str) -> impl Strategy<Value = Sheet> {
            let entry = (text(), text(), proptest::collection::vec(indicator(), 0..3));
            (text(), text(), text(), proptest::collection::vec(entry, 0..4)).prop_map(
                move |(created, evaluated, policy_indicators, entries)| Sheet {
                    department: "部".into(),
                    division: division.into(),
                    fiscal_year: "令和6年度".into(),
                    created,
                    evaluated,
                    policy_indicators,
                    entries: entries
                        .into_iter()
                        .enumerate()
                        .map(|(i, (goal, grade, indicators))| Entry {
                            no: (i + 1).to_string(),
                            goal,
                            grade,
                            indicators,
                            ..Entry::default()
                        })
                        .collect(),
                    ..Sheet::default()
                },
            )
        }

        proptest! {
            #[test]
            fn any_document_round_trips_through_utf8_csv(a in sheet("甲課"), b in sheet("乙課")) {
                let doc = Document { sheets: vec![a, b], ..Document::default() };
                let bytes = to_bytes(&doc, Encoding::Utf8Bom).expect("writes");
                prop_assert_eq!(from_bytes(&bytes).expect("reads"), doc);
            }

            #[test]
            fn written_cells_never_start_a_formula(a in sheet("甲課")) {
                let doc = Document { sheets: vec![a], ..Document::default() };
                let bytes = to_bytes(&doc, Encoding::Utf8Bom).expect("writes");
                let mut r = csv::ReaderBuilder::new().from_reader(utf8(&bytes).as_bytes());
                for rec in r.records() {
                    for cell in rec.expect("record").iter() {
                        if cell.starts_with(FORMULA_STARTS) {
                            // Only a signed number may start like a formula: a digit right
                            // after the sign, no operator or other formula character after it.
                            let rest = cell.get(1..).unwrap_or_default();
                            prop_assert!(rest.starts_with(|c: char| c.is_ascii_digit()), "{cell:?}");
                            prop_assert!(!rest.contains(FORMULA_CHARS) && !rest.contains(['+', '-']), "{cell:?}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn every_sjis_lookalike_round_trips() {
        for (from, to) in SJIS_LOOKALIKES {
            assert!(!sjis_round_trips(&from.to_string()), "{from} needs replacing");
            assert!(sjis_round_trips(&to.to_string()), "{to} is safe");
        }
    }
}
