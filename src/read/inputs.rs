//! Which files a command reads: files as given, folders searched recursively.
//!
//! The department office keeps the divisions' workbooks in a folder and runs
//! `goalsheet check 提出/`, `fix 提出/` or `merge 提出/` on it, so every command must take the
//! same files from a folder: its workbooks (.xlsx .xlsm .xls .ods, and .csv where the command
//! asks for it), recursively, in path order, so output order never depends on the file system.
//! Excel's lock files (`~$市民協働課.xlsx`, present while a workbook is open, and matched by a
//! shell's `*.xlsx` too) and hidden files are never inputs. A command may also skip its own
//! outputs (`fix` its `.corrected.xlsx` files, `merge` the department file it is writing) so a
//! second run in the same folder does not read them. A folder that cannot be listed is
//! reported as that folder's error, and the other inputs still go on.

use crate::error::Error;
use std::path::{Path, PathBuf};

/// The extensions a folder is searched for.
pub const WORKBOOK_EXTENSIONS: [&str; 4] = ["xlsx", "xlsm", "xls", "ods"];

/// What a folder search leaves out beyond lock and hidden files.
#[derive(Debug, Clone, Default)]
pub struct InputFilter {
    /// Also take `.csv` files from folders.
    pub csv: bool,
    /// Leave out files whose name ends with this (e.g. `.corrected.xlsx`).
    pub skip_suffix: Option<String>,
    /// Leave out this file (the output being written).
    pub skip_file: Option<PathBuf>,
}

/// One input: a file to read, or a path that could not be listed, with its error.
pub type Input = std::result::Result<PathBuf, (PathBuf, Error)>;

/// Excel's lock file of an open workbook (`~$name.xlsx`).
pub fn is_lock_file(path: &Path) -> bool {
    name_of(path).starts_with("~$")
}

fn name_of(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default()
}

impl InputFilter {
    fn takes(&self, path: &Path) -> bool {
        let ext = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
        let known = WORKBOOK_EXTENSIONS.contains(&ext.as_str()) || (self.csv && ext == "csv");
        let name = name_of(path);
        known && !self.skip_suffix.as_deref().is_some_and(|s| name.ends_with(s))
    }
}

/// The files to read, in order: each path as given (except lock files), a folder replaced by its
/// files (recursively, sorted by path).
pub fn expand(paths: &[PathBuf], filter: &InputFilter) -> Vec<Input> {
    let skip = filter.skip_file.as_ref().and_then(|s| s.canonicalize().ok());
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found = Vec::new();
            walk(p, filter, &mut found);
            found.sort_by(|a, b| match (a, b) {
                (Ok(a), Ok(b)) | (Err((a, _)), Err((b, _))) | (Ok(a), Err((b, _))) | (Err((a, _)), Ok(b)) => a.cmp(b),
            });
            out.extend(found.into_iter().filter(|f| match (f, &skip) {
                (Ok(f), Some(skip)) => f.canonicalize().ok().as_ref() != Some(skip),
                _ => true,
            }));
        } else if !is_lock_file(p) {
            out.push(Ok(p.clone()));
        }
    }
    out
}

fn walk(dir: &Path, filter: &InputFilter, found: &mut Vec<Input>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => {
            found.push(Err((dir.to_path_buf(), Error::from(e).in_file(dir))));
            return;
        }
    };
    for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
        let name = name_of(&path);
        if name.starts_with('.') || name.starts_with("~$") {
            continue;
        }
        if path.is_dir() {
            walk(&path, filter, found);
        } else if filter.takes(&path) {
            found.push(Ok(path));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(d: &Path, got: Vec<Input>) -> Vec<String> {
        got.into_iter().map(|p| p.unwrap().strip_prefix(d).unwrap().to_string_lossy().replace('\\', "/")).collect()
    }

    #[test]
    fn folders_are_recursive_sorted_and_skip_lock_hidden_and_outputs() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir(d.join("sub")).unwrap();
        for f in [
            "b.xlsx",
            "a.xlsx",
            "~$a.xlsx",
            ".hidden.xlsx",
            "notes.txt",
            "list.csv",
            "sub/c.XLS",
            "out.xlsx",
            "a.corrected.xlsx",
        ] {
            std::fs::write(d.join(f), b"x").unwrap();
        }
        let all = expand(&[d.to_path_buf()], &InputFilter::default());
        assert_eq!(names(d, all), ["a.corrected.xlsx", "a.xlsx", "b.xlsx", "out.xlsx", "sub/c.XLS"]);
        let merge = InputFilter { skip_file: Some(d.join("out.xlsx")), ..Default::default() };
        assert_eq!(names(d, expand(&[d.to_path_buf()], &merge)), ["a.corrected.xlsx", "a.xlsx", "b.xlsx", "sub/c.XLS"]);
        let fix = InputFilter { csv: true, skip_suffix: Some(".corrected.xlsx".into()), skip_file: None };
        assert_eq!(
            names(d, expand(&[d.to_path_buf()], &fix)),
            ["a.xlsx", "b.xlsx", "list.csv", "out.xlsx", "sub/c.XLS"]
        );
        // Files named explicitly are taken as given, but never a lock file.
        let explicit = expand(&[d.join("~$a.xlsx"), d.join("notes.txt")], &InputFilter::default());
        assert_eq!(names(d, explicit), ["notes.txt"]);
    }

    #[test]
    fn a_missing_file_is_passed_on_for_the_reader_to_report() {
        let got = expand(&[PathBuf::from("/no/such/file.xlsx")], &InputFilter::default());
        assert!(matches!(&got[0], Ok(p) if p.ends_with("file.xlsx")));
    }
}
