//! What calamine does not give for an .xls: each cell's number format, and shared strings
//! decoded whole across `CONTINUE` records.
//!
//! calamine classifies .xls numbers as dates from the XF records but exposes no format code,
//! so `85%` read `0.85` and `300件` read `300`; and it decodes each piece of a shared string
//! split over `CONTINUE` records on its own, so a surrogate pair cut in two (𠮷 in a text of
//! some 4,000 characters) became two U+FFFD. This walks the BIFF8 workbook stream (already
//! validated by [`super::xls`]): the globals' `Format`, `XF`, `DateMode`, `BoundSheet8` and
//! `SST` (with its `CONTINUE`s), then each sheet's cell records for their XF index. Every read
//! is bounds-checked; anything malformed is skipped (calamine's reading stands for it), and
//! memory stays proportional to the stream, itself capped by [`super::xls::MAX_XLS_BYTES`].

use crate::numfmt::Format;
use std::collections::HashMap;
use std::sync::Arc;

/// The formats and strings of one workbook stream.
#[derive(Debug, Default)]
pub struct Book {
    pub date1904: bool,
    /// Format code per XF index (`None` for General), as Japanese Excel reads it, and parsed.
    xf_formats: Vec<Option<(Arc<str>, Format)>>,
    /// What each XF does to its text beyond the format ([`Look`]).
    xf_looks: Vec<Look>,
    /// Shared strings, decoded whole.
    strings: Vec<String>,
    /// The text of each rich shared string's struck-through runs, by index (empty when no run
    /// is struck); a rich string's runs decide, not the cell's font.
    struck_runs: HashMap<usize, String>,
    /// Per sheet name, its cells and hidden rows and columns.
    sheets: HashMap<String, SheetRecords>,
}

/// Whether an XF strikes its text through, and whether its text is its background's colour.
#[derive(Debug, Default, Clone, Copy)]
struct Look {
    struck: bool,
    invisible: bool,
}

/// A sheet as its records give it.
#[derive(Debug, Default)]
struct SheetRecords {
    /// (row, column) → (XF index, shared string index for a `LabelSst`).
    cells: HashMap<(u32, u32), (u16, Option<u32>)>,
    /// Rows hidden (`Row` records' `fDyZero`), zero-based.
    hidden_rows: std::collections::BTreeSet<u32>,
    /// Columns hidden (`ColInfo` records' `fHidden`), zero-based inclusive ranges.
    hidden_columns: Vec<(u32, u32)>,
    /// The cells' notes (`Note` records, their text from the `TxO` of the object they name).
    notes: std::collections::BTreeMap<(u32, u32), String>,
}

/// At most this many notes are read a sheet (as from an .xlsx).
const MAX_NOTES: usize = 10_000;

/// A cell as this reading sees it.
pub struct Cell<'a> {
    /// The number format's code and the format parsed (`None` for General).
    pub code: Option<&'a Arc<str>>,
    pub format: Option<&'a Format>,
    /// The cell's shared string, when it is one.
    pub string: Option<&'a str>,
    /// Its text struck through (見え消し): `Some(None)` all of it (the cell's font),
    /// `Some(Some(runs))` the runs of a rich string that are.
    pub struck: Option<Option<&'a str>>,
    /// Its text is the colour of its background.
    pub invisible: bool,
}

impl Book {
    /// The cell at (row, col) of the sheet `name`, if a record for it was read.
    pub fn cell(&self, sheet: &str, row: u32, col: u32) -> Option<Cell<'_>> {
        let &(xf, sst) = self.sheets.get(sheet)?.cells.get(&(row, col))?;
        let f = self.xf_formats.get(xf as usize).and_then(Option::as_ref);
        let look = self.xf_looks.get(xf as usize).copied().unwrap_or_default();
        let struck = match sst.and_then(|i| self.struck_runs.get(&(i as usize))) {
            Some(runs) => (!runs.is_empty()).then_some(Some(runs.as_str())),
            None => look.struck.then_some(None),
        };
        Some(Cell {
            code: f.map(|f| &f.0),
            format: f.map(|f| &f.1),
            string: sst.and_then(|i| self.strings.get(i as usize)).map(String::as_str),
            struck,
            invisible: look.invisible,
        })
    }

    /// The sheet's hidden rows (zero-based).
    pub fn hidden_rows(&self, sheet: &str) -> std::collections::BTreeSet<u32> {
        self.sheets.get(sheet).map(|s| s.hidden_rows.clone()).unwrap_or_default()
    }

    /// The sheet's hidden columns, as zero-based inclusive ranges.
    pub fn hidden_columns(&self, sheet: &str) -> Vec<(u32, u32)> {
        self.sheets.get(sheet).map(|s| s.hidden_columns.clone()).unwrap_or_default()
    }

    /// Bytes of text the sheets' shared-string cells hold together: calamine makes each such
    /// cell a copy of its string, so 400,000 cells of one long string take gigabytes.
    pub fn shared_string_cell_bytes(&self) -> usize {
        let len = |i: u32| self.strings.get(i as usize).map_or(0, String::len);
        self.sheets
            .values()
            .flat_map(|s| s.cells.values())
            .filter_map(|&(_, sst)| sst.map(len))
            .fold(0, usize::saturating_add)
    }

    /// The sheet's notes, by (row, column).
    pub fn notes(&self, sheet: &str) -> std::collections::BTreeMap<(u32, u32), String> {
        self.sheets.get(sheet).map(|s| s.notes.clone()).unwrap_or_default()
    }
}

/// A colour index as RGB, where it is plainly known: the palette (`Palette` record, or the
/// default's black and white at 8 and 9), the first eight's black and white, and for text the
/// system's window text and automatic colour (black).
fn colour(icv: u16, palette: &[u32], text: bool) -> Option<u32> {
    match icv {
        0 => Some(0),
        1 => Some(0xFF_FF_FF),
        8..=63 if !palette.is_empty() => palette.get(usize::from(icv - 8)).copied(),
        8 => Some(0),
        9 => Some(0xFF_FF_FF),
        0x40 | 0x7FFF if text => Some(0),
        _ => None,
    }
}

fn u16_at(d: &[u8], i: usize) -> Option<u16> {
    d.get(i..i.checked_add(2)?).map(|b| u16::from_le_bytes([b[0], b[1]]))
}

fn u32_at(d: &[u8], i: usize) -> Option<u32> {
    d.get(i..i.checked_add(4)?).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// Records from `from`: (type, payload).
fn records(stream: &[u8], from: usize) -> impl Iterator<Item = (u16, &[u8])> + '_ {
    let mut pos = from;
    std::iter::from_fn(move || {
        let typ = u16_at(stream, pos)?;
        let len = u16_at(stream, pos + 2)? as usize;
        let start = pos + 4;
        let end = start.checked_add(len)?.min(stream.len());
        pos = start + len;
        Some((typ, stream.get(start..end)?))
    })
}

/// Characters stored one byte each (Latin-1, the high byte dropped) or two (UTF-16LE).
fn push_units(bytes: &[u8], high: bool, out: &mut Vec<u16>) {
    if high {
        out.extend(bytes.chunks_exact(2).map(|b| u16::from_le_bytes([b[0], b[1]])));
    } else {
        out.extend(bytes.iter().map(|&b| u16::from(b)));
    }
}

/// An `XLUnicodeString` (cch, flags, characters) at the start of `d`.
fn unicode_string(d: &[u8]) -> Option<String> {
    let cch = u16_at(d, 0)? as usize;
    let high = d.get(2)? & 1 != 0;
    let bytes = d.get(3..3 + if high { 2 * cch } else { cch })?;
    let mut units = Vec::with_capacity(cch);
    push_units(bytes, high, &mut units);
    Some(String::from_utf16_lossy(&units))
}

/// A `ShortXLUnicodeString` (8-bit cch, flags, characters) at the start of `d`.
fn short_string(d: &[u8]) -> Option<String> {
    let cch = *d.first()? as usize;
    let high = d.get(1)? & 1 != 0;
    let bytes = d.get(2..2 + if high { 2 * cch } else { cch })?;
    let mut units = Vec::with_capacity(cch);
    push_units(bytes, high, &mut units);
    let mut s = String::from_utf16_lossy(&units);
    s.retain(|c| c != '\0'); // as calamine does
    Some(s)
}

/// The `SST` payload and its `CONTINUE`s, read as one: a string's characters cut at a record
/// boundary go on after a new flags byte (its `fHighByte`), anything else goes straight on.
struct Pieces<'a> {
    parts: Vec<&'a [u8]>,
    part: usize,
    at: usize,
}

impl<'a> Pieces<'a> {
    fn current(&self) -> Option<&'a [u8]> {
        self.parts.get(self.part).copied()
    }

    /// Moves to the next record when this one is used up.
    fn next_part_if_done(&mut self) -> Option<()> {
        while self.at >= self.current()?.len() {
            self.part += 1;
            self.at = 0;
        }
        Some(())
    }

    /// `n` bytes that are not characters (a header, formatting runs, phonetic data).
    fn bytes(&mut self, mut n: usize, mut keep: Option<&mut Vec<u8>>) -> Option<()> {
        while n > 0 {
            self.next_part_if_done()?;
            let cur = self.current()?;
            let take = n.min(cur.len() - self.at);
            if let Some(k) = keep.as_deref_mut() {
                k.extend_from_slice(cur.get(self.at..self.at + take)?);
            }
            self.at += take;
            n -= take;
        }
        Some(())
    }

    /// `cch` characters, starting with `high`.
    fn chars(&mut self, mut cch: usize, mut high: bool, out: &mut Vec<u16>) -> Option<()> {
        while cch > 0 {
            let cur = self.current()?;
            if self.at >= cur.len() {
                self.part += 1;
                self.at = 0;
                let cur = self.current()?;
                high = cur.first()? & 1 != 0;
                self.at = 1;
                continue;
            }
            let width = if high { 2 } else { 1 };
            let fit = (cur.len() - self.at) / width;
            if fit == 0 {
                return None;
            }
            let take = cch.min(fit);
            push_units(cur.get(self.at..self.at + take * width)?, high, out);
            self.at += take * width;
            cch -= take;
        }
        Some(())
    }
}

/// A rich shared string: its index, its UTF-16 units and its formatting runs (first unit,
/// font index).
type RichString = (usize, Vec<u16>, Vec<(u16, u16)>);

/// The shared strings of an `SST` and its `CONTINUE`s (as many as decode), and the rich ones'
/// formatting runs.
fn shared_strings(parts: Vec<&[u8]>) -> (Vec<String>, Vec<RichString>) {
    let mut strings = Vec::new();
    let mut rich = Vec::new();
    let mut p = Pieces { parts, part: 0, at: 8 };
    let mut units = Vec::new();
    loop {
        let mut head = Vec::with_capacity(3);
        if p.bytes(3, Some(&mut head)).is_none() {
            break;
        }
        let cch = u16::from_le_bytes([head[0], head[1]]) as usize;
        let flags = head[2];
        let mut extra = Vec::with_capacity(6);
        let runs = if flags & 0x8 != 0 { 2 } else { 0 };
        let ext = if flags & 0x4 != 0 { 4 } else { 0 };
        if p.bytes(runs + ext, Some(&mut extra)).is_none() {
            break;
        }
        let c_run = if runs > 0 { u16_at(&extra, 0).unwrap_or(0) as usize } else { 0 };
        let cb_ext = if ext > 0 { u32_at(&extra, runs).unwrap_or(0) as usize } else { 0 };
        units.clear();
        if p.chars(cch, flags & 1 != 0, &mut units).is_none() {
            break;
        }
        strings.push(String::from_utf16_lossy(&units));
        let mut runs = Vec::new();
        if p.bytes(4 * c_run, Some(&mut runs)).and_then(|()| p.bytes(cb_ext, None)).is_none() {
            break;
        }
        if c_run > 0 {
            let runs =
                runs.chunks_exact(4).map(|r| (u16::from_le_bytes([r[0], r[1]]), u16::from_le_bytes([r[2], r[3]])));
            rich.push((strings.len() - 1, units.clone(), runs.collect()));
        }
    }
    (strings, rich)
}

/// An RK/MulRk/Number/Formula/LabelSst… record's row, column and XF index.
fn cell_head(d: &[u8]) -> Option<(u32, u32, u16)> {
    Some((u32::from(u16_at(d, 0)?), u32::from(u16_at(d, 2)?), u16_at(d, 4)?))
}

/// Reads the formats and strings of a BIFF8 workbook stream. Never fails: what does not
/// parse is left out.
pub fn read(stream: &[u8]) -> Book {
    let mut book = Book::default();
    let mut formats: HashMap<u16, String> = HashMap::new();
    let mut xfs: Vec<u16> = Vec::new();
    // Each font's strike and colour index; each XF's font, fill pattern and fill colour.
    let mut fonts: Vec<(bool, u16)> = Vec::new();
    let mut xf_looks: Vec<(u16, u32, u16)> = Vec::new();
    let mut palette: Vec<u32> = Vec::new();
    let mut sheets: Vec<(usize, String)> = Vec::new();
    let mut sst: Option<Vec<&[u8]>> = None;
    let mut in_sst = false;
    for (typ, d) in records(stream, 0) {
        if typ != 0x003C {
            in_sst = false;
        }
        match typ {
            0x0022 => book.date1904 = u16_at(d, 0) == Some(1),
            0x041E => {
                if let (Some(id), Some(code)) = (u16_at(d, 0), d.get(2..).and_then(unicode_string)) {
                    formats.insert(id, code);
                }
            }
            0x00E0 => {
                xfs.push(u16_at(d, 2).unwrap_or(0));
                let fill = u32_at(d, 14).map_or(0, |v| v >> 26);
                xf_looks.push((u16_at(d, 0).unwrap_or(0), fill, u16_at(d, 18).map_or(0x40, |v| v & 0x7F)));
            }
            0x0031 => {
                let strike = u16_at(d, 2).is_some_and(|g| g & 0x08 != 0);
                fonts.push((strike, u16_at(d, 4).unwrap_or(0x7FFF)));
            }
            0x0092 => {
                let n = usize::from(u16_at(d, 0).unwrap_or(0)).min(56);
                palette = (0..n)
                    .filter_map(|k| d.get(2 + 4 * k..5 + 4 * k))
                    .map(|c| u32::from(c[0]) << 16 | u32::from(c[1]) << 8 | u32::from(c[2]))
                    .collect();
            }
            0x0085 => {
                if let (Some(pos), Some(name)) = (u32_at(d, 0), d.get(6..).and_then(short_string)) {
                    sheets.push((pos as usize, name));
                }
            }
            0x00FC => {
                sst = Some(vec![d]);
                in_sst = true;
            }
            0x003C if in_sst => {
                if let Some(parts) = sst.as_mut() {
                    parts.push(d);
                }
            }
            0x000A => break,
            _ => {}
        }
    }
    book.xf_formats = xfs
        .iter()
        .map(|&id| {
            let given = formats.get(&id).map(String::as_str);
            let code = match given {
                Some(code) => super::grid::excel_code(Some(u32::from(id)), code),
                None => crate::numfmt::builtin(u32::from(id)).unwrap_or("General"),
            };
            let f = Format::parse(code);
            (!f.is_general()).then(|| (Arc::from(code), f))
        })
        .collect();
    // A font index of 4 or more counts from one further: Excel never writes font 4.
    let font = |ifnt: u16| fonts.get(usize::from(if ifnt >= 4 { ifnt - 1 } else { ifnt })).copied();
    book.xf_looks = xf_looks
        .iter()
        .map(|&(ifnt, fill, fore)| {
            let Some((struck, icv)) = font(ifnt) else { return Look::default() };
            let background = match fill {
                0 => Some(0xFF_FF_FF),
                1 => colour(fore, &palette, false),
                _ => None,
            };
            let text = colour(icv, &palette, true);
            let invisible = matches!((text, background), (Some(t), Some(b)) if super::grid::indistinct(t, b));
            Look { struck, invisible }
        })
        .collect();
    let (strings, runs) = sst.map(shared_strings).unwrap_or_default();
    book.strings = strings;
    book.struck_runs = runs
        .into_iter()
        .map(|(i, units, runs)| {
            let mut struck = Vec::new();
            for (k, &(from, ifnt)) in runs.iter().enumerate() {
                let to = runs.get(k + 1).map_or(units.len(), |next| usize::from(next.0));
                if font(ifnt).is_some_and(|f| f.0) {
                    struck.extend_from_slice(units.get(usize::from(from)..to.min(units.len())).unwrap_or_default());
                }
            }
            let mut text = String::from_utf16_lossy(&struck);
            text.retain(|c| c != '\0');
            (i, text)
        })
        .collect();
    for (pos, name) in sheets {
        let mut sheet = SheetRecords::default();
        let mut depth = 0usize;
        let mut seen_bof = false;
        // A note's text: the last object's id, its text box awaiting its text, the texts by id.
        let mut object: Option<u16> = None;
        let mut text_box: Option<(u16, usize)> = None;
        let mut texts: HashMap<u16, String> = HashMap::new();
        for (typ, d) in records(stream, pos) {
            // The `Continue` right after a `TxO` holds its text: a flags byte, then characters.
            if let Some((id, cch)) = text_box.take() {
                if typ == 0x003C {
                    let mut units = Vec::new();
                    if let Some(&flags) = d.first() {
                        let width = if flags & 1 != 0 { 2 } else { 1 };
                        let bytes = d.get(1..(1 + cch * width).min(d.len())).unwrap_or_default();
                        push_units(bytes, flags & 1 != 0, &mut units);
                    }
                    let mut text = String::from_utf16_lossy(&units).replace("\r\n", "\n").replace('\r', "\n");
                    text.retain(|c| c != '\0');
                    texts.insert(id, text);
                    continue;
                }
            }
            match typ {
                0x0809 if seen_bof => depth += 1,
                0x0809 => seen_bof = true,
                0x000A if depth == 0 => break,
                0x000A => depth -= 1,
                _ if depth > 0 => {}
                // Number, Label, RString, BoolErr, Rk, Formula.
                0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x0006 => {
                    if let Some((r, c, xf)) = cell_head(d) {
                        sheet.cells.insert((r, c), (xf, None));
                    }
                }
                0x00FD => {
                    if let (Some((r, c, xf)), Some(i)) = (cell_head(d), u32_at(d, 6)) {
                        sheet.cells.insert((r, c), (xf, Some(i)));
                    }
                }
                // Row: its `fDyZero` hides it.
                0x0208 => {
                    if let (Some(r), Some(g)) = (u16_at(d, 0), u16_at(d, 12)) {
                        if g & 0x20 != 0 {
                            sheet.hidden_rows.insert(u32::from(r));
                        }
                    }
                }
                // ColInfo: first and last column, width, XF, options (`fHidden`).
                0x007D => {
                    if let (Some(a), Some(b), Some(g)) = (u16_at(d, 0), u16_at(d, 2), u16_at(d, 8)) {
                        if g & 1 != 0 && a <= b && sheet.hidden_columns.len() < 256 {
                            sheet.hidden_columns.push((u32::from(a), u32::from(b)));
                        }
                    }
                }
                // Obj: its first subrecord (`ftCmo`) gives the object's id.
                0x005D => object = (u16_at(d, 0) == Some(0x15)).then(|| u16_at(d, 6)).flatten(),
                // TxO: the text box of the last object; its text follows.
                0x01B6 => text_box = object.zip(u16_at(d, 10).map(usize::from)),
                // Note: row, column, options, the object holding its text.
                0x001C => {
                    if let (Some(r), Some(c), Some(id)) = (u16_at(d, 0), u16_at(d, 2), u16_at(d, 6)) {
                        let text = texts.remove(&id).unwrap_or_default();
                        if !text.trim().is_empty() && sheet.notes.len() < MAX_NOTES {
                            sheet.notes.insert((u32::from(r), u32::from(c)), text);
                        }
                    }
                }
                // MulRk: row, first column, (XF, RK) × n, last column.
                0x00BD => {
                    let (Some(r), Some(first)) = (u16_at(d, 0), u16_at(d, 2)) else { continue };
                    let body = d.get(4..d.len().saturating_sub(2)).unwrap_or_default();
                    for (k, rk) in body.chunks_exact(6).enumerate() {
                        let xf = u16::from_le_bytes([rk[0], rk[1]]);
                        sheet.cells.insert((u32::from(r), u32::from(first) + k as u32), (xf, None));
                    }
                }
                _ => {}
            }
        }
        book.sheets.insert(name, sheet);
    }
    book
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A BIFF record.
    fn rec(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut out = typ.to_le_bytes().to_vec();
        out.extend_from_slice(&(data.len() as u16).to_le_bytes());
        out.extend_from_slice(data);
        out
    }

    #[test]
    fn a_surrogate_pair_cut_by_a_continue_record_decodes_whole() {
        // "a𠮷b" in UTF-16: 'a', D842, DFB7, 'b', cut between the two surrogates.
        let mut sst = vec![];
        sst.extend_from_slice(&2u32.to_le_bytes());
        sst.extend_from_slice(&2u32.to_le_bytes());
        sst.extend_from_slice(&4u16.to_le_bytes());
        sst.push(1);
        sst.extend_from_slice(&[0x61, 0, 0x42, 0xD8]);
        let mut cont = vec![1u8];
        cont.extend_from_slice(&[0xB7, 0xDF, 0x62, 0]);
        // A second, one-byte string.
        cont.extend_from_slice(&2u16.to_le_bytes());
        cont.push(0);
        cont.extend_from_slice(b"xy");
        let strings = shared_strings(vec![&sst, &cont]);
        assert_eq!(strings.0, vec!["a𠮷b".to_string(), "xy".to_string()]);
    }

    #[test]
    fn a_string_may_switch_to_one_byte_characters_after_the_cut() {
        let mut sst = vec![0u8; 8];
        sst.extend_from_slice(&3u16.to_le_bytes());
        sst.push(1);
        sst.extend_from_slice(&[0x42, 0x30]); // あ
        let cont = [0u8, b'c', b'd'];
        assert_eq!(shared_strings(vec![&sst, &cont]).0, vec!["あcd".to_string()]);
    }

    #[test]
    fn formats_reach_the_cells_and_junk_is_skipped() {
        let mut s = Vec::new();
        s.extend(rec(0x0809, &[0; 16]));
        let mut fmt = 164u16.to_le_bytes().to_vec();
        let code = "0\"件\"";
        let units: Vec<u16> = code.encode_utf16().collect();
        fmt.extend_from_slice(&(units.len() as u16).to_le_bytes());
        fmt.push(1);
        units.iter().for_each(|u| fmt.extend_from_slice(&u.to_le_bytes()));
        s.extend(rec(0x041E, &fmt));
        s.extend(rec(0x00E0, &[0, 0, 0, 0]));
        s.extend(rec(0x00E0, &[0, 0, 164, 0]));
        s.extend(rec(0x041E, &[1])); // truncated: skipped
        let sheet_at = s.len() + 4 + 12 + 4; // after BoundSheet8 and EOF
        let mut bs = (sheet_at as u32).to_le_bytes().to_vec();
        bs.extend_from_slice(&[0, 0, 4, 0]);
        bs.extend_from_slice(b"Data");
        s.extend(rec(0x0085, &bs));
        s.extend(rec(0x000A, &[]));
        assert_eq!(s.len(), sheet_at);
        s.extend(rec(0x0809, &[0; 16]));
        let mut num = vec![2, 0, 3, 0, 1, 0];
        num.extend_from_slice(&12.5f64.to_le_bytes());
        s.extend(rec(0x0203, &num));
        s.extend(rec(0x027E, &[9])); // truncated
        s.extend(rec(0x000A, &[]));
        let book = read(&s);
        let cell = book.cell("Data", 2, 3).expect("the cell");
        assert_eq!(cell.format.map(Format::code), Some("0\"件\""));
        assert!(book.cell("Data", 0, 0).is_none());
        // Hostile bytes never panic.
        for cut in 0..s.len() {
            let _ = read(&s[..cut]);
        }
    }
}
