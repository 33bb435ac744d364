//! Reading workbooks (.xlsx, .xlsm, .xls, .ods) and, through [`crate::convert`], CSV and JSON
//! into the [`Document`] model, with every value's provenance.

use crate::error::{Error, ErrorKind, Result};
use crate::lang::Msg;
use crate::model::Document;
use std::path::Path;

/// Reads any supported file, choosing the reader by extension.
pub fn read_path(path: &Path) -> Result<Document> {
    Err(Error::new(ErrorKind::Usage { detail: Msg::new("未実装", "not implemented yet") }).in_file(path))
}
