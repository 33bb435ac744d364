//! CSV ⇄ model (stub: signatures fixed, being implemented).

use crate::error::{Error, ErrorKind, Result};
use crate::model::Document;

/// Output encodings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// UTF-8 with a BOM, which Excel opens correctly.
    #[default]
    Utf8Bom,
    /// Shift_JIS (CP932), for legacy systems.
    ShiftJis,
}

/// Reads a CSV (UTF-8 with or without BOM, or Shift_JIS; detected), columns found by header name.
pub fn from_bytes(_bytes: &[u8]) -> Result<Document> {
    Err(Error::new(ErrorKind::Csv { detail: "not implemented".into() }))
}

/// Writes one row per indicator.
pub fn to_bytes(_doc: &Document, _encoding: Encoding) -> Result<Vec<u8>> {
    Err(Error::new(ErrorKind::Csv { detail: "not implemented".into() }))
}
