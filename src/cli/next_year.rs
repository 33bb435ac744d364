//! `goalsheet template --from LAST.xlsx`: next year's sheets from last year's file.
//!
//! LAST may be a division file or a department file (its division sheets are used). Without
//! `--out-dir`, one workbook with a sheet per division; with it, one file per division named
//! `<division>_令和7年度.xlsx`. The year defaults to LAST's year + 1. Existing files are kept
//! unless `--force`; with `--out-dir`, nothing is written when any file would be refused.

use super::template::{exists, parse_year, write_atomically, Args};
use goalsheet::grammar::year::FiscalYear;
use goalsheet::next_year::{default_file_name, document_year, file_name, next_year};
use goalsheet::write::forms_bytes;
use goalsheet::{Document, Error, ErrorKind, Msg};
use std::collections::HashSet;
use std::path::PathBuf;

/// Writes next year's sheets; returns every file written.
pub fn write_next_year(args: &Args) -> Result<Vec<PathBuf>, Error> {
    let Some(from) = &args.from else {
        return Err(usage(Msg::new("--from を指定してください", "give --from")));
    };
    let last = goalsheet::read::read_path(from).map_err(|e| e.in_file(from))?;
    let year =
        match &args.year {
            Some(text) => parse_year(text)?,
            None => match document_year(&last) {
                Some(y) => FiscalYear { start: y.start + 1 },
                None => return Err(usage(Msg::new(
                    "前年度のファイルの年度が読めません。--year で新しい年度を指定してください（例: --year 令和7）",
                    "the year of the last year's file does not read; give the new year with --year (e.g. --year R7)",
                ))
                .in_file(from)),
            },
        };
    let next = next_year(&last, year);
    match &args.out_dir {
        Some(dir) => write_per_division(&next, year, dir, args.force),
        None => {
            let path = args.output.clone().unwrap_or_else(|| PathBuf::from(default_file_name(&next, year)));
            if path.exists() && !args.force {
                return Err(exists(&path));
            }
            let bytes = forms_bytes(&next)?;
            write_atomically(&path, &bytes, args.force).map_err(|e| e.in_file(&path))?;
            Ok(vec![path])
        }
    }
}

/// One workbook per division in `dir` (made if missing, and removed again when it was made
/// and nothing could be written into it).
fn write_per_division(
    next: &Document,
    year: FiscalYear,
    dir: &std::path::Path,
    force: bool,
) -> Result<Vec<PathBuf>, Error> {
    let made = super::create_out_dir(dir)?;
    let write_each = || -> Result<Vec<PathBuf>, Error> {
        let mut used = HashSet::new();
        let mut planned = Vec::new();
        for sheet in &next.sheets {
            let base = file_name(&sheet.division, year);
            let mut name = base.clone();
            let mut n = 2;
            while !used.insert(name.to_lowercase()) {
                name = base.replacen(".xlsx", &format!(" ({n}).xlsx"), 1);
                n += 1;
            }
            let path = dir.join(name);
            if path.exists() && !force {
                return Err(exists(&path));
            }
            planned.push((path, sheet));
        }
        let mut written = Vec::new();
        for (path, sheet) in planned {
            let doc = Document { sheets: vec![sheet.clone()], ..Document::default() };
            let bytes = forms_bytes(&doc)?;
            write_atomically(&path, &bytes, force).map_err(|e| e.in_file(&path))?;
            written.push(path);
        }
        Ok(written)
    };
    let written = write_each();
    if written.is_err() {
        made.remove_if_empty();
    }
    written
}

fn usage(detail: Msg) -> Error {
    Error::new(ErrorKind::Usage { detail })
}
