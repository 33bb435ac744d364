//! Writing workbooks in the official layout with rust_xlsxwriter.

use crate::error::{Error, ErrorKind, Result};
use crate::lang::Msg;
use crate::model::Document;

/// Writes every sheet of `doc` in the official layout and returns the .xlsx bytes.
pub fn workbook_bytes(_doc: &Document) -> Result<Vec<u8>> {
    Err(Error::new(ErrorKind::Usage { detail: Msg::new("未実装", "not implemented yet") }))
}
