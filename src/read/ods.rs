//! .ods → grids: a streaming pre-scan of `content.xml`, then calamine.
//!
//! calamine reads every ODS sheet eagerly and expands repeat counts
//! (`table:number-columns-repeated`, `table:number-rows-repeated`) into dense rows, with a
//! limit of 100 million cells (several GB), and expands `<text:s text:c="…"/>` into that many
//! spaces with no limit at all. The pre-scan walks the XML once with quick-xml, without
//! keeping it, and computes what calamine would materialise; it also collects what calamine
//! does not expose for ODS: merged areas (`number-columns-spanned` / `number-rows-spanned`)
//! and the text LibreOffice displays for numbers (`80%`, `1,700`, dates), which is what the
//! sheet's author saw.

use super::grid::{cell_text, Grid};
use super::guard;
use crate::error::{Error, ErrorKind, Result};
use crate::lang::Msg;
use calamine::{Ods, OdsError, Reader};
use quick_xml::events::{BytesStart, Event};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{BufReader, Cursor, Read};

/// Most spaces `<text:s text:c=…>` may add over the whole document.
const MAX_SPACES: u64 = 1_000_000;

/// What the pre-scan learned about one table.
#[derive(Debug, Default)]
struct TableScan {
    merges: Vec<((u32, u32), (u32, u32))>,
    /// Displayed text of non-string cells.
    display: BTreeMap<(u32, u32), String>,
    /// Rows and columns hidden (`table:visibility` other than visible).
    hidden_rows: BTreeSet<u32>,
    hidden_columns: Vec<(u32, u32)>,
    /// Cells whose text is struck through: all of it (the cell's style), or the text of its
    /// struck spans ([`Grid::struck`]).
    struck: BTreeMap<(u32, u32), Option<String>>,
    /// Cells whose text is the colour of their background.
    invisible: BTreeSet<(u32, u32)>,
    /// The cells' notes (`office:annotation`), which are not part of their text.
    notes: BTreeMap<(u32, u32), String>,
    /// The cells' formulas, as stored (`of:=…`).
    formulas: HashMap<(u32, u32), String>,
}

/// At most this many notes are read a table (as from an .xlsx).
const MAX_NOTES: usize = 10_000;

/// What an automatic style of `content.xml` does to text: strike it through, colour it, fill
/// the cell (`None` in the pair: transparent, so white).
#[derive(Debug, Default, Clone)]
struct Look {
    struck: bool,
    colour: Option<u32>,
    background: Option<Option<u32>>,
}

impl Look {
    fn invisible(&self) -> bool {
        let background = match self.background {
            Some(Some(rgb)) => Some(rgb),
            Some(None) | None => Some(0xFF_FF_FF),
        };
        matches!((self.colour, background), (Some(t), Some(b)) if super::grid::indistinct(t, b))
    }
}

/// `#rrggbb` as RGB.
fn rgb(value: &str) -> Option<u32> {
    u32::from_str_radix(value.strip_prefix('#')?, 16).ok().filter(|_| value.len() == 7)
}

/// Rows or columns repeated more than this are the empty rest of a sheet: not listed hidden.
const MAX_HIDDEN_REPEAT: u64 = 65_536;
/// At most this many hidden rows are listed per table: a goal sheet's table has tens, and a
/// crafted file could hide millions, row element after row element.
const MAX_HIDDEN_ROWS: u64 = 100_000;
/// At most this many repeated cells of one element are marked struck or invisible.
const MAX_MARKED_REPEAT: u64 = 1_024;

/// Reads every sheet of an (already zip-checked) .ods.
pub fn grids(bytes: &[u8]) -> Result<Vec<Grid>> {
    let scans = prescan(bytes)?;
    let mut wb = Ods::new(Cursor::new(bytes)).map_err(map_err)?;
    let hidden = super::grid::hidden_sheet_names(wb.sheets_metadata());
    let mut grids = Vec::new();
    for (i, name) in wb.sheet_names().into_iter().enumerate() {
        let range = wb.worksheet_range(&name).map_err(|e| map_err(e).in_sheet(&name))?;
        let scan = scans.get(i);
        let mut grid = Grid::new(&name);
        grid.hidden = hidden.contains(&name);
        if let Some(s) = scan {
            grid.hidden_rows = s.hidden_rows.clone();
            grid.hidden_columns = s.hidden_columns.clone();
            grid.struck = s.struck.clone();
            grid.invisible = s.invisible.clone();
            grid.notes = s.notes.clone();
        }
        let (r0, c0) = range.start().unwrap_or((0, 0));
        for (r, c, v) in range.used_cells() {
            let (r, c) = (r0 + r as u32, c0 + c as u32);
            let shown = scan.and_then(|s| s.display.get(&(r, c)));
            let text = match (v, shown) {
                (calamine::Data::String(_), _) | (_, None) => cell_text(v, None, false),
                (_, Some(shown)) => shown.clone(),
            };
            // In Excel's syntax, so that writers can put it back into an .xlsx; one that has
            // no form there is left out (its value is kept, as for any formula referring to cells).
            let formula = scan.and_then(|s| s.formulas.get(&(r, c))).and_then(|f| excel_formula(f));
            grid.put_cell(r, c, v, None, formula, false, text);
        }
        if let Some(s) = scan {
            for &(a, b) in &s.merges {
                grid.add_merge(a, b);
            }
        }
        grid.index_merges().map_err(|e| e.in_sheet(&name))?;
        grids.push(grid);
    }
    Ok(grids)
}

/// An OpenFormula as .ods stores it (`of:=SUM([.E8:.E10];1)`), in Excel's syntax without the
/// `=` (`SUM(E8:E10,1)`); `None` for what Excel's syntax has no form for (functions of a
/// namespace such as `COM.MICROSOFT.…`, unions `~`, intersections `!`, inline arrays with rows
/// `|`, references to other files or to another sheet's range end) or an unknown syntax.
/// Excel's own formulas in an .ods (`msoxl:=…`) are taken as they are.
pub(crate) fn excel_formula(stored: &str) -> Option<String> {
    if let Some(excel) = stored.strip_prefix("msoxl:=") {
        return Some(excel.to_string());
    }
    let body = stored.strip_prefix("of:").unwrap_or(stored).strip_prefix('=')?;
    let chars: Vec<char> = body.chars().collect();
    let mut out = String::with_capacity(body.len());
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '"' => {
                // A string literal, `""` a quote inside it: copied as it is.
                let start = i;
                i += 1;
                while i < chars.len() && !(chars[i] == '"' && chars.get(i + 1) != Some(&'"')) {
                    i += if chars[i] == '"' { 2 } else { 1 };
                }
                i = (i + 1).min(chars.len());
                out.extend(&chars[start..i]);
            }
            '[' => {
                let start = i + 1;
                let mut quoted = false;
                while i < chars.len() && (quoted || chars[i] != ']') {
                    quoted ^= chars[i] == '\'';
                    i += 1;
                }
                let reference: String = chars.get(start..i)?.iter().collect();
                out.push_str(&excel_reference(&reference)?);
                i += 1;
            }
            ';' => {
                out.push(',');
                i += 1;
            }
            '~' | '!' | '|' | '\'' => return None,
            c if c.is_alphabetic() || c == '_' => {
                let start = i;
                while i < chars.len() && (chars[i].is_alphanumeric() || matches!(chars[i], '_' | '.')) {
                    i += 1;
                }
                let name: String = chars[start..i].iter().collect();
                if name.contains('.') && chars[i..].iter().find(|c| !c.is_whitespace()) == Some(&'(') {
                    return None;
                }
                out.push_str(&name);
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    Some(out)
}

/// An OpenFormula reference without its brackets (`.E8`, `$Sheet1.A1:.B2`, `'実績 表'.C3`) in
/// Excel's syntax (`E8`, `Sheet1!A1:B2`, `'実績 表'!C3`).
fn excel_reference(reference: &str) -> Option<String> {
    // The ends of a range, split at a `:` outside quotes.
    let mut ends = Vec::new();
    let (mut quoted, mut from) = (false, 0);
    for (at, c) in reference.char_indices() {
        match c {
            '\'' => quoted = !quoted,
            ':' if !quoted => {
                ends.push(&reference[from..at]);
                from = at + 1;
            }
            _ => {}
        }
    }
    ends.push(&reference[from..]);
    if ends.len() > 2 {
        return None;
    }
    let mut sheet = None;
    let mut cells = Vec::new();
    for end in ends {
        // The cell follows the last `.` outside quotes; before it, the sheet if any.
        let mut quoted = false;
        let mut dot = None;
        for (at, c) in end.char_indices() {
            match c {
                '\'' => quoted = !quoted,
                '.' if !quoted => dot = Some(at),
                _ => {}
            }
        }
        let dot = dot?;
        let (table, cell) = (end[..dot].trim_start_matches('$'), &end[dot + 1..]);
        if cell.is_empty() || !cell.chars().all(|c| c.is_ascii_alphanumeric() || c == '$') {
            return None;
        }
        // A sheet quoted whole, or named without quotes (another file's `'file:///…'#$S` is neither).
        let whole_quote = table.len() >= 2 && table.starts_with('\'') && table.ends_with('\'');
        if !whole_quote && table.contains(['\'', '#']) {
            return None;
        }
        match (sheet, table) {
            (_, "") => {}
            (None, t) if cells.is_empty() => sheet = Some(t),
            (Some(s), t) if s == t => {}
            _ => return None,
        }
        cells.push(cell);
    }
    let cells = cells.join(":");
    Some(match sheet {
        None => cells,
        Some(s) if s.starts_with('\'') || s.chars().all(|c| c.is_alphanumeric() || c == '_') => format!("{s}!{cells}"),
        Some(s) => format!("'{s}'!{cells}"),
    })
}

fn map_err(e: OdsError) -> Error {
    match e {
        OdsError::Password => Error::new(ErrorKind::EncryptedOds),
        OdsError::CellLimitExceeded { requested, max } => guard::too_large(
            Msg::new(format!("{requested} セル"), format!("{requested} cells")),
            Msg::new(format!("{max} セル"), max.to_string()),
        ),
        other => guard::corrupt(other.to_string()),
    }
}

fn attr_u64(e: &BytesStart<'_>, name: &str) -> Option<u64> {
    let a = e.try_get_attribute(name).ok()??;
    let v = a.value.trim().to_string();
    Some(v.parse().unwrap_or(u64::MAX))
}

fn attr_str(e: &BytesStart<'_>, name: &str) -> Option<String> {
    let a = e.try_get_attribute(name).ok()??;
    Some(a.value.into_owned())
}

/// Walks `content.xml` once: enforces the area and space limits, collects merges and
/// displayed texts per table.
fn prescan(bytes: &[u8]) -> Result<Vec<TableScan>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| guard::corrupt(format!("zip: {e}")))?;
    let file = zip.by_name("content.xml").map_err(|_| guard::not_a_workbook(no_content()))?;
    if file.encrypted() {
        return Err(Error::new(ErrorKind::EncryptedOds));
    }
    let mut manifest_encrypted = false;
    drop(file);
    if let Ok(mut m) = zip.by_name("META-INF/manifest.xml") {
        let mut s = String::new();
        let _ = m.by_ref().take(guard::MAX_LOADED_PART_BYTES).read_to_string(&mut s);
        manifest_encrypted = s.contains("encryption-data");
    }
    if manifest_encrypted {
        return Err(Error::new(ErrorKind::EncryptedOds));
    }
    let file = zip.by_name("content.xml").map_err(|_| guard::not_a_workbook(no_content()))?;
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(file.take(guard::MAX_LOADED_PART_BYTES)));
    let mut buf = Vec::new();
    let mut tables: Vec<TableScan> = Vec::new();
    let mut spaces: u64 = 0;
    // The text calamine makes of the cells: each cell's text once per copy of it (columns and
    // rows repeated), over the whole document.
    let (mut cell_text, mut cell_copies, mut all_text): (u64, u64, u64) = (0, 0, 0);
    let mut total_area: u64 = 0;
    // The formulas kept, counted as the .xlsx reader counts them.
    let (mut formula_count, mut formula_bytes) = (0usize, 0usize);
    // Per-table state.
    let mut depth_table = 0usize;
    let mut row: u64 = 0;
    let mut col: u64 = 0;
    let mut row_repeat: u64 = 1;
    let mut row_has_value = false;
    let mut row_last_col: u64 = 0;
    let mut first_row: Option<u64> = None;
    let mut last_row: u64 = 0;
    let mut min_col: u64 = u64::MAX;
    let mut max_col: u64 = 0;
    let mut stored: u64 = 0;
    // Current cell.
    let mut cell_display: Option<(u64, u64, String)> = None;
    let mut in_p = 0usize;
    let mut p_count = 0usize;
    // Automatic styles, the one being read, the next column's index, the open cell with a
    // value (and the text of its struck spans), and whether each open span strikes.
    let mut looks: HashMap<String, Look> = HashMap::new();
    let mut style: Option<String> = None;
    let mut column: u64 = 0;
    let mut open_cell: Option<(u64, u64, String)> = None;
    let mut spans: Vec<bool> = Vec::new();
    // The cell being read (any, with a value or not), and the note being read in it: its
    // paragraphs, and whether inside its author or date.
    let mut cell_at: (u64, u64) = (0, 0);
    let mut note: Option<Vec<String>> = None;
    let mut note_meta = 0usize;
    loop {
        buf.clear();
        let ev = reader.read_event_into(&mut buf).map_err(|e| guard::corrupt(format!("content.xml: {e}")))?;
        let (e, empty) = match &ev {
            Event::Start(e) => (Some(e.clone()), false),
            Event::Empty(e) => (Some(e.clone()), true),
            _ => (None, false),
        };
        if let Some(e) = e {
            match e.name().as_ref() {
                // A note is not the cell's text: read apart, into the cell's notes.
                "office:annotation" if depth_table == 1 && !empty => note = Some(Vec::new()),
                "dc:creator" | "dc:date" if note.is_some() && !empty => note_meta += 1,
                "text:p" | "text:h" if note.is_some() && !empty => {
                    if let Some(paragraphs) = note.as_mut() {
                        paragraphs.push(String::new());
                    }
                }
                "text:s" | "text:tab" | "text:line-break" if note.is_some() => {
                    let gap = match e.name().as_ref() {
                        "text:line-break" => "\n",
                        "text:tab" => "\t",
                        _ => " ",
                    };
                    if let Some(p) = note.as_mut().and_then(|n| n.last_mut()) {
                        p.push_str(gap);
                    }
                }
                _ if note.is_some() => {}
                "style:style" if depth_table == 0 => {
                    style = attr_str(&e, "style:name").filter(|_| !empty);
                    if let Some(name) = &style {
                        looks.entry(name.clone()).or_default();
                    }
                }
                "style:text-properties" if depth_table == 0 => {
                    if let Some(look) = style.as_ref().and_then(|n| looks.get_mut(n)) {
                        let through = |a: &str| attr_str(&e, a).is_some_and(|v| v != "none");
                        look.struck =
                            through("style:text-line-through-style") || through("style:text-line-through-type");
                        look.colour = attr_str(&e, "fo:color").as_deref().and_then(rgb);
                    }
                }
                "style:table-cell-properties" if depth_table == 0 => {
                    if let (Some(look), Some(bg)) =
                        (style.as_ref().and_then(|n| looks.get_mut(n)), attr_str(&e, "fo:background-color"))
                    {
                        look.background = Some(rgb(&bg));
                    }
                }
                "table:table-column" if depth_table == 1 => {
                    let rep = attr_u64(&e, "table:number-columns-repeated").unwrap_or(1).max(1);
                    let shown = attr_str(&e, "table:visibility").is_none_or(|v| v == "visible");
                    if let (false, true, Some(t)) = (shown, rep <= MAX_HIDDEN_REPEAT, tables.last_mut()) {
                        let last = column.saturating_add(rep - 1).min(u64::from(u32::MAX)) as u32;
                        if t.hidden_columns.len() < 16_384 && column <= u64::from(u32::MAX) {
                            t.hidden_columns.push((column as u32, last));
                        }
                    }
                    column = column.saturating_add(rep);
                }
                "text:span" if open_cell.is_some() && !empty => {
                    let struck = attr_str(&e, "text:style-name").and_then(|n| looks.get(&n)).is_some_and(|l| l.struck);
                    spans.push(struck);
                }
                "table:table" if !empty => {
                    depth_table += 1;
                    if depth_table == 1 {
                        tables.push(TableScan::default());
                        column = 0;
                        row = 0;
                        first_row = None;
                        last_row = 0;
                        min_col = u64::MAX;
                        max_col = 0;
                        stored = 0;
                    }
                }
                "table:table-row" if depth_table == 1 => {
                    row_repeat = attr_u64(&e, "table:number-rows-repeated").unwrap_or(1).max(1);
                    let shown = attr_str(&e, "table:visibility").is_none_or(|v| v == "visible");
                    if let (false, true, Some(t)) = (shown, row_repeat <= MAX_HIDDEN_REPEAT, tables.last_mut()) {
                        let room = MAX_HIDDEN_ROWS.saturating_sub(t.hidden_rows.len() as u64);
                        for r in row..row.saturating_add(row_repeat.min(room)).min(u64::from(u32::MAX)) {
                            t.hidden_rows.insert(r as u32);
                        }
                    }
                    col = 0;
                    row_has_value = false;
                    row_last_col = 0;
                    if empty {
                        row = row.saturating_add(row_repeat);
                    }
                }
                "table:table-cell" | "table:covered-table-cell" if depth_table == 1 => {
                    cell_at = (row, col);
                    let rep = attr_u64(&e, "table:number-columns-repeated").unwrap_or(1).max(1);
                    (cell_text, cell_copies) = (0, rep.saturating_mul(row_repeat));
                    let value_type = attr_str(&e, "office:value-type");
                    let has_value = value_type.is_some() || attr_str(&e, "table:formula").is_some() || !empty;
                    let cs = attr_u64(&e, "table:number-columns-spanned").unwrap_or(1);
                    let rs = attr_u64(&e, "table:number-rows-spanned").unwrap_or(1);
                    if (cs > 1 || rs > 1) && e.name().as_ref() == "table:table-cell" {
                        if let Some(t) = tables.last_mut() {
                            if t.merges.len() >= guard::MAX_MERGES {
                                return Err(guard::too_large(
                                    Msg::new("結合セルの数", "merged areas"),
                                    guard::MAX_MERGES.to_string(),
                                ));
                            }
                            let end_r = row.saturating_add(rs - 1).min(u32::MAX as u64) as u32;
                            let end_c = col.saturating_add(cs - 1).min(u32::MAX as u64) as u32;
                            t.merges.push(((row as u32, col as u32), (end_r, end_c)));
                        }
                    }
                    if has_value && e.name().as_ref() == "table:table-cell" {
                        let formula = attr_str(&e, "table:formula");
                        let formula = formula.and_then(|f| Some(quick_xml::escape::unescape(&f).ok()?.into_owned()));
                        if let (Some(f), Some(t), true) = (formula, tables.last_mut(), row <= u64::from(u32::MAX)) {
                            (formula_count, formula_bytes) = (formula_count + 1, formula_bytes + f.len());
                            if formula_count > guard::MAX_CELLS || formula_bytes > guard::MAX_TEXT_BYTES {
                                return Err(guard::too_large(
                                    Msg::new("数式", "the formulas"),
                                    Msg::new(format!("{} 個", guard::MAX_CELLS), guard::MAX_CELLS.to_string()),
                                ));
                            }
                            // Once, as the displayed text is (a formula repeated over cells is rare).
                            t.formulas.insert((row as u32, col.min(u64::from(u32::MAX)) as u32), f);
                        }
                        let look = attr_str(&e, "table:style-name").and_then(|n| looks.get(&n));
                        if let (Some(look), Some(t)) = (look, tables.last_mut()) {
                            let end = col.saturating_add(rep.min(MAX_MARKED_REPEAT)).min(u64::from(u32::MAX));
                            for c in col..end {
                                if row <= u64::from(u32::MAX) && look.struck {
                                    t.struck.insert((row as u32, c as u32), None);
                                }
                                if row <= u64::from(u32::MAX) && look.invisible() {
                                    t.invisible.insert((row as u32, c as u32));
                                }
                            }
                        }
                        if !empty {
                            open_cell = Some((row, col, String::new()));
                            spans.clear();
                        }
                    }
                    if has_value {
                        row_has_value = true;
                        let end = col.saturating_add(rep);
                        row_last_col = end;
                        min_col = min_col.min(col);
                        max_col = max_col.max(end - 1);
                        if matches!(value_type.as_deref(), Some(t) if t != "string") && !empty {
                            cell_display = Some((row, col, String::new()));
                            p_count = 0;
                        }
                    }
                    col = col.saturating_add(rep);
                }
                "text:p" if cell_display.is_some() && !empty => {
                    in_p += 1;
                    p_count += 1;
                    if p_count > 1 {
                        if let Some((_, _, s)) = cell_display.as_mut() {
                            s.push('\n');
                        }
                    }
                }
                "text:s" => {
                    let n = attr_u64(&e, "text:c").unwrap_or(1);
                    cell_text = cell_text.saturating_add(n);
                    spaces = spaces.saturating_add(n);
                    if spaces > MAX_SPACES {
                        return Err(guard::corrupt("content.xml repeats spaces (text:s) far beyond any real sheet"));
                    }
                    if let (Some((_, _, s)), true) = (cell_display.as_mut(), in_p > 0) {
                        s.push(' ');
                    }
                    if let (Some((_, _, s)), true) = (open_cell.as_mut(), spans.contains(&true)) {
                        s.push(' ');
                    }
                }
                _ => {}
            }
        }
        if let (Event::Text(t), None, 1) = (&ev, &note, depth_table) {
            cell_text = cell_text.saturating_add(t.len() as u64);
        }
        match ev {
            Event::Text(t) if note.is_some() => {
                if let (Some(p), 0) = (note.as_mut().and_then(|n| n.last_mut()), note_meta) {
                    p.push_str(&t.xml10_content());
                }
            }
            Event::End(e) if note.is_some() => match e.name().as_ref() {
                "dc:creator" | "dc:date" => note_meta = note_meta.saturating_sub(1),
                "office:annotation" => {
                    let text = note.take().unwrap_or_default().join("\n");
                    let (r, c) = cell_at;
                    if let Some(t) = tables.last_mut() {
                        let fits = r <= u64::from(u32::MAX) && c <= u64::from(u32::MAX);
                        if fits && !text.trim().is_empty() && t.notes.len() < MAX_NOTES {
                            t.notes.insert((r as u32, c as u32), text);
                        }
                    }
                    note_meta = 0;
                }
                _ => {}
            },
            Event::Text(t) if in_p > 0 || spans.contains(&true) => {
                if let (Some((_, _, s)), true) = (cell_display.as_mut(), in_p > 0) {
                    s.push_str(&t.xml10_content());
                }
                if let (Some((_, _, s)), true) = (open_cell.as_mut(), spans.contains(&true)) {
                    s.push_str(&t.xml10_content());
                }
            }
            Event::End(e) => match e.name().as_ref() {
                "text:p" => in_p = in_p.saturating_sub(1),
                "text:span" => {
                    spans.pop();
                }
                "style:style" => style = None,
                "table:table-cell" | "table:covered-table-cell" if depth_table == 1 => {
                    // Weighed with the table's area when it ends (the area says more when both fail).
                    all_text = all_text.saturating_add(std::mem::take(&mut cell_text).saturating_mul(cell_copies));
                    if let (Some((r, c, s)), Some(t)) = (open_cell.take(), tables.last_mut()) {
                        // A cell's struck spans say what is struck, not its style.
                        if r <= u64::from(u32::MAX) && c <= u64::from(u32::MAX) && !s.is_empty() {
                            t.struck.insert((r as u32, c as u32), Some(s));
                        }
                    }
                    if let (Some((r, c, s)), Some(t)) = (cell_display.take(), tables.last_mut()) {
                        if r <= u32::MAX as u64 && c <= u32::MAX as u64 && !s.is_empty() {
                            t.display.insert((r as u32, c as u32), s);
                        }
                    }
                }
                "table:table-row" if depth_table == 1 => {
                    if row_has_value {
                        first_row.get_or_insert(row);
                        last_row = row.saturating_add(row_repeat - 1);
                        stored = stored.saturating_add(row_last_col.min(crate::address::MAX_COLS as u64));
                    }
                    row = row.saturating_add(row_repeat);
                }
                "table:table" => {
                    if depth_table == 1 {
                        let area = match first_row {
                            Some(f) => (last_row - f + 1).saturating_mul(max_col.saturating_sub(min_col) + 1),
                            None => 0,
                        };
                        if area > guard::MAX_SHEET_AREA || stored > guard::MAX_SHEET_AREA {
                            return Err(guard::too_large(
                                Msg::new(
                                    format!("シートのセルの範囲が {} セル", area.max(stored)),
                                    format!("a sheet whose cells span {} cells", area.max(stored)),
                                ),
                                Msg::new(
                                    format!("1シート {} セル", guard::MAX_SHEET_AREA),
                                    format!("{} cells per sheet", guard::MAX_SHEET_AREA),
                                ),
                            ));
                        }
                        total_area = total_area.saturating_add(area).saturating_add(stored);
                        if total_area > guard::MAX_WORKBOOK_AREA {
                            return Err(guard::too_large(
                                Msg::new(
                                    "シート全体のセルの範囲が広すぎます",
                                    "the sheets' cells span too large an area",
                                ),
                                Msg::new(
                                    format!("1ブック {} セル", guard::MAX_WORKBOOK_AREA),
                                    format!("{} cells per workbook", guard::MAX_WORKBOOK_AREA),
                                ),
                            ));
                        }
                        if all_text > guard::MAX_TEXT_BYTES as u64 {
                            return Err(guard::too_large(
                                guard::cell_texts(),
                                guard::mib(guard::MAX_TEXT_BYTES as u64),
                            ));
                        }
                    }
                    depth_table = depth_table.saturating_sub(1);
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    // A table left open (a cut file) was not weighed when it ended.
    if all_text > guard::MAX_TEXT_BYTES as u64 {
        return Err(guard::too_large(guard::cell_texts(), guard::mib(guard::MAX_TEXT_BYTES as u64)));
    }
    Ok(tables)
}

fn no_content() -> Msg {
    Msg::new("content.xml がなく、.ods のブックではありません", "the .ods has no content.xml")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    proptest::proptest! {
        /// Whatever an .ods holds as a formula, putting it in Excel's syntax ends, with a
        /// formula or none, and leaves no `;` outside its strings (Excel's separator is `,`).
        #[test]
        fn any_openformula_is_put_in_excels_syntax_or_left_out(
            stored in "(of:)?=[\\[\\].'\"$;:A-Z0-9~|!#()+ 表-]{0,40}"
        ) {
            if let Some(excel) = excel_formula(&stored) {
                let outside_strings: String = excel.split('"').step_by(2).collect();
                proptest::prop_assert!(!outside_strings.contains(';'), "{excel}");
            }
        }
    }

    #[test]
    fn openformula_is_put_in_excels_syntax() {
        for (stored, excel) in [
            ("of:=\"３１８件\"", "\"３１８件\""),
            ("of:=100*3", "100*3"),
            ("of:=ROUND(1512/1700*100;1)", "ROUND(1512/1700*100,1)"),
            ("of:=SUM([.E8:.E10];[.F8])", "SUM(E8:E10,F8)"),
            ("of:=[$データ.$A$1]*2", "データ!$A$1*2"),
            ("of:=['前年度 実績'.B2]", "'前年度 実績'!B2"),
            ("of:=[$実績 表.B2:.C3]", "'実績 表'!B2:C3"),
            ("of:=IF([.A1]=\"a;b\";\"x\"\"y\";TRUE())", "IF(A1=\"a;b\",\"x\"\"y\",TRUE())"),
            ("msoxl:=SUM(A1:A3)", "SUM(A1:A3)"),
        ] {
            assert_eq!(excel_formula(stored).as_deref(), Some(excel), "{stored}");
        }
        for stored in [
            "of:=COM.MICROSOFT.CONCAT(\"a\";\"b\")",
            "of:=SUM([.A1:.A2]~[.C1])",
            "of:={1;2|3;4}",
            "of:=['file:///x.ods'#$Sheet1.A1]",
            "of:=[$S1.A1:$S2.A1]",
            "oooc:=SUM([.A1])",
            "of:=[.#REF!]",
        ] {
            assert_eq!(excel_formula(stored), None, "{stored}");
        }
    }

    fn ods(rows: &str) -> Vec<u8> {
        let content = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="s">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
        );
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        zip.start_file("content.xml", zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(content.as_bytes()).unwrap();
        zip.finish().unwrap().into_inner()
    }

    /// A crafted .ods hiding millions of rows, row element after row element, lists at most
    /// [`MAX_HIDDEN_ROWS`]; a repeat of more than [`MAX_HIDDEN_REPEAT`] (the empty rest of a
    /// sheet) lists none.
    #[test]
    fn hidden_rows_are_listed_up_to_a_bound() {
        let hidden = r#"<table:table-row table:number-rows-repeated="60000" table:visibility="collapse"><table:table-cell/></table:table-row>"#;
        let tables = prescan(&ods(&hidden.repeat(200))).unwrap();
        assert_eq!(tables[0].hidden_rows.len() as u64, MAX_HIDDEN_ROWS);
        let rest = r#"<table:table-row table:visibility="collapse"><table:table-cell/></table:table-row><table:table-row table:number-rows-repeated="1048000" table:visibility="collapse"><table:table-cell/></table:table-row>"#;
        let tables = prescan(&ods(rest)).unwrap();
        assert_eq!(tables[0].hidden_rows.iter().copied().collect::<Vec<_>>(), [0]);
    }
}
