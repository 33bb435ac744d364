//! A1-style cell addresses.
//!
//! Every position goalsheet reports or writes is zero-based internally and shown to people in
//! Excel's A1 notation (`E8`, `B8:B10`). This module is the only place that converts between the
//! two, so a finding, a JSON `cells` map and the writer always agree on what `E8` means.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Excel's limits: 1,048,576 rows and 16,384 columns (A..XFD).
pub const MAX_ROWS: u32 = 1_048_576;
/// Excel's column limit.
pub const MAX_COLS: u32 = 16_384;

/// One cell, zero-based (`row 0, col 0` is `A1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct CellRef {
    pub row: u32,
    pub col: u32,
}

impl CellRef {
    pub const fn new(row: u32, col: u32) -> Self {
        CellRef { row, col }
    }

    /// Parses `E8`, `$E$8` or `e8`. Returns `None` for anything outside Excel's grid.
    pub fn parse(s: &str) -> Option<CellRef> {
        let s = s.trim();
        let bytes = s.as_bytes();
        let mut i = 0;
        if bytes.get(i) == Some(&b'$') {
            i += 1;
        }
        let col_start = i;
        while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
            i += 1;
        }
        let letters = &s[col_start..i];
        if letters.is_empty() || letters.len() > 3 {
            return None;
        }
        if bytes.get(i) == Some(&b'$') {
            i += 1;
        }
        let digits = &s[i..];
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || digits.len() > 7 {
            return None;
        }
        let mut col: u32 = 0;
        for b in letters.bytes() {
            col = col * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1);
        }
        let row: u32 = digits.parse().ok()?;
        if row == 0 || row > MAX_ROWS || col == 0 || col > MAX_COLS {
            return None;
        }
        Some(CellRef { row: row - 1, col: col - 1 })
    }

    /// Column letters only: `0` → `A`, `26` → `AA`.
    pub fn column_name(col: u32) -> String {
        let (letters, at) = column_letters(col);
        String::from_utf8_lossy(&letters[at..]).into_owned()
    }
}

/// The column's letters, right-aligned in a buffer (`u32` columns need at most 7), and where
/// they start: no allocation for each of the many addresses written.
fn column_letters(col: u32) -> ([u8; 7], usize) {
    let mut out = [0u8; 7];
    let mut at = out.len();
    let mut n = u64::from(col) + 1;
    while n > 0 && at > 0 {
        at -= 1;
        out[at] = b'A' + ((n - 1) % 26) as u8;
        n = (n - 1) / 26;
    }
    (out, at)
}

impl fmt::Display for CellRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (letters, at) = column_letters(self.col);
        // ASCII letters only.
        f.write_str(std::str::from_utf8(&letters[at..]).unwrap_or_default())?;
        write!(f, "{}", u64::from(self.row) + 1)
    }
}

impl Serialize for CellRef {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for CellRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        CellRef::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("not a cell address: {s}")))
    }
}

/// A rectangle of cells, inclusive at both ends (`B8:B10`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CellRange {
    pub start: CellRef,
    pub end: CellRef,
}

impl CellRange {
    pub const fn new(start: CellRef, end: CellRef) -> Self {
        CellRange { start, end }
    }

    pub fn contains(&self, c: CellRef) -> bool {
        (self.start.row..=self.end.row).contains(&c.row) && (self.start.col..=self.end.col).contains(&c.col)
    }

    pub fn is_single(&self) -> bool {
        self.start == self.end
    }

    pub fn parse(s: &str) -> Option<CellRange> {
        match s.split_once(':') {
            Some((a, b)) => {
                let (a, b) = (CellRef::parse(a)?, CellRef::parse(b)?);
                (a.row <= b.row && a.col <= b.col).then_some(CellRange::new(a, b))
            }
            None => CellRef::parse(s).map(|c| CellRange::new(c, c)),
        }
    }
}

impl fmt::Display for CellRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_single() {
            write!(f, "{}", self.start)
        } else {
            write!(f, "{}:{}", self.start, self.end)
        }
    }
}

impl Serialize for CellRange {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for CellRange {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        CellRange::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("not a cell range: {s}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_round_trip() {
        for (s, r, c) in [("A1", 0, 0), ("E8", 7, 4), ("Z1", 0, 25), ("AA10", 9, 26), ("XFD1048576", 1_048_575, 16_383)]
        {
            let cell = CellRef::parse(s).unwrap();
            assert_eq!((cell.row, cell.col), (r, c));
            assert_eq!(cell.to_string(), s);
        }
    }

    #[test]
    fn column_names_to_the_last_u32() {
        assert_eq!(CellRef::column_name(0), "A");
        assert_eq!(CellRef::column_name(701), "ZZ");
        assert_eq!(CellRef::column_name(702), "AAA");
        assert_eq!(CellRef::column_name(u32::MAX), "MWLQKWV");
        assert_eq!(CellRef::new(u32::MAX, 27).to_string(), "AB4294967296");
    }

    #[test]
    fn rejects_outside_grid() {
        for s in ["", "A0", "XFE1", "A1048577", "1A", "ZZZZ9", "A-1", "E８"] {
            assert_eq!(CellRef::parse(s), None, "{s}");
        }
    }

    #[test]
    fn ranges() {
        let r = CellRange::parse("B8:B10").unwrap();
        assert!(r.contains(CellRef::parse("B9").unwrap()));
        assert!(!r.contains(CellRef::parse("C9").unwrap()));
        assert_eq!(r.to_string(), "B8:B10");
        assert_eq!(CellRange::parse("E8").unwrap().to_string(), "E8");
        assert_eq!(CellRange::parse("B10:B8"), None);
    }
}
