//! Which files a merge reads: files as given, folders searched recursively.
//!
//! The department office keeps the divisions' workbooks in a folder; `goalsheet merge 提出/`
//! must take exactly those. So folders give their workbooks (.xlsx .xlsm .xls .ods) in sorted
//! order, recursively; Excel's lock files (`~$市民協働課.xlsx`, present while a workbook is
//! open, and matched by a shell's `*.xlsx` too) and hidden files are never inputs; and the
//! department file being written is skipped, so it can live in the same folder and be
//! regenerated without merging itself.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// The extensions a folder is searched for.
pub const WORKBOOK_EXTENSIONS: [&str; 4] = ["xlsx", "xlsm", "xls", "ods"];

/// Excel's lock file of an open workbook (`~$name.xlsx`).
pub fn is_lock_file(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("~$"))
}

fn is_hidden(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.'))
}

fn is_workbook(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| WORKBOOK_EXTENSIONS.iter().any(|w| w.eq_ignore_ascii_case(e)))
}

/// The files to read, in order: each path as given, a folder replaced by its workbooks
/// (recursively, sorted by path). Lock files are dropped everywhere; `skip` (the output) is
/// dropped from folders.
pub fn collect_inputs(paths: &[PathBuf], skip: Option<&Path>) -> Result<Vec<PathBuf>> {
    let skip = skip.and_then(|s| s.canonicalize().ok());
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found)?;
            found.sort();
            out.extend(found.into_iter().filter(|f| skip.is_none() || f.canonicalize().ok() != skip));
        } else if !is_lock_file(p) {
            out.push(p.clone());
        }
    }
    Ok(out)
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::from(e).in_file(dir))?;
    for entry in entries {
        let path = entry.map_err(|e| Error::from(e).in_file(dir))?.path();
        if is_hidden(&path) || is_lock_file(&path) {
            continue;
        }
        if path.is_dir() {
            walk(&path, found)?;
        } else if is_workbook(&path) {
            found.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_recursive_sorted_and_skip_lock_files() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir(d.join("sub")).unwrap();
        for f in ["b.xlsx", "a.xlsx", "~$a.xlsx", ".hidden.xlsx", "notes.txt", "sub/c.XLS", "out.xlsx"] {
            std::fs::write(d.join(f), b"x").unwrap();
        }
        let got = collect_inputs(&[d.to_path_buf()], Some(&d.join("out.xlsx"))).unwrap();
        let names: Vec<String> =
            got.iter().map(|p| p.strip_prefix(d).unwrap().to_string_lossy().replace('\\', "/")).collect();
        assert_eq!(names, ["a.xlsx", "b.xlsx", "sub/c.XLS"]);
        let explicit = collect_inputs(&[d.join("~$a.xlsx"), d.join("b.xlsx")], None).unwrap();
        assert_eq!(explicit, [d.join("b.xlsx")]);
    }
}
