//! Which files a command reads: files as given, folders searched recursively.
//!
//! The department office keeps the divisions' workbooks in a folder and runs
//! `goalsheet check 提出/`, `fix 提出/` or `merge 提出/` on it, so every command takes the
//! same files from a folder: its workbooks (.xlsx .xlsm .xls .ods), recursively, in path order,
//! so output order never depends on the file system. CSV and JSON files are read only when
//! named: in a folder they are usually exports of the workbooks beside them, and would be read
//! twice. Excel's lock files (`~$市民協働課.xlsx`, present while a workbook is open, and matched
//! by a shell's `*.xlsx` too) and hidden files are never inputs. A compressed folder or an
//! .xlsb in a searched folder is not read either, but is listed ([`Expanded::unread`]) for the
//! command to name: a submission mailed as a zip would otherwise be missing from the department
//! file without a word. A command may also skip its own
//! outputs (`fix` its `.corrected.xlsx` files, `merge` the department file it is writing) so a
//! second run in the same folder does not read them. A folder that cannot be listed is
//! reported as that folder's error, and the other inputs still go on.
//!
//! A folder reached twice (a link to a folder already searched, or to one of its own
//! ancestors, as a zip unpacked with links can hold) is searched once, by its canonical path,
//! and a file reached by two paths is read once; a link back to an ancestor is reported once
//! in [`Expanded::loops`]. Without this a folder holding `a -> ..` was searched without end.

use crate::error::{Error, ErrorKind};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The extensions a folder is searched for.
pub const WORKBOOK_EXTENSIONS: [&str; 4] = ["xlsx", "xlsm", "xls", "ods"];

/// What a folder search leaves out beyond lock and hidden files: a command's own outputs.
#[derive(Debug, Clone, Default)]
pub struct InputFilter {
    /// Leave out files whose name ends with this (e.g. `.corrected.xlsx`).
    pub skip_suffix: Option<String>,
    /// Leave out this file (the output being written).
    pub skip_file: Option<PathBuf>,
}

/// Files a folder search does not read but that may hold a division's sheet, to be named to
/// the user ([`Expanded::unread`]): an Excel binary workbook, and compressed folders (a
/// submission mailed as a zip, often a password-protected one, is saved beside the others).
pub const UNREAD_EXTENSIONS: [&str; 4] = ["xlsb", "zip", "lzh", "7z"];

/// One input: a file to read, or a path that could not be listed, with its error.
pub type Input = std::result::Result<PathBuf, (PathBuf, Error)>;

/// The inputs of a run, and the links that led back into a folder being searched.
#[derive(Debug, Default)]
pub struct Expanded {
    pub inputs: Vec<Input>,
    /// Each link to one of its own ancestor folders, once (not followed).
    pub loops: Vec<PathBuf>,
    /// Files found in a folder with an extension of [`UNREAD_EXTENSIONS`]: not read, and
    /// without a word the workbooks in them would be missing from the run unnoticed.
    pub unread: Vec<PathBuf>,
}

/// Excel's lock file of an open workbook (`~$name.xlsx`).
pub fn is_lock_file(path: &Path) -> bool {
    name_of(path).starts_with("~$")
}

/// Whether `path` has one of [`UNREAD_EXTENSIONS`].
pub fn is_unread_kind(path: &Path) -> bool {
    let ext = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    UNREAD_EXTENSIONS.contains(&ext.as_str())
}

fn name_of(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default()
}

/// A path as people read it. On Unix a name is bytes: a zip made on a Japanese Windows PC and
/// unpacked elsewhere leaves names in Shift_JIS (CP932), which would show as `�`; they are shown
/// decoded instead, so a message names the file the user knows.
pub fn shown(path: &Path) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let bytes = path.as_os_str().as_bytes();
        if std::str::from_utf8(bytes).is_err() {
            let (text, had_errors) = encoding_rs::SHIFT_JIS.decode_without_bom_handling(bytes);
            if !had_errors {
                return text.into_owned();
            }
        }
    }
    path.display().to_string()
}

impl InputFilter {
    fn takes(&self, path: &Path) -> bool {
        let ext = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
        let name = name_of(path);
        WORKBOOK_EXTENSIONS.contains(&ext.as_str()) && !self.skip_suffix.as_deref().is_some_and(|s| name.ends_with(s))
    }
}

/// The files to read, in order: each path as given (except lock files), a folder replaced by its
/// files (recursively, in path order); every file once.
pub fn expand(paths: &[PathBuf], filter: &InputFilter) -> Expanded {
    let mut walk = Walk {
        filter,
        skip: filter.skip_file.as_ref().and_then(|s| s.canonicalize().ok()),
        dirs: HashSet::new(),
        files: HashSet::new(),
        resolver: Resolver::default(),
        out: Expanded::default(),
    };
    let mut lock_files = Vec::new();
    for p in paths {
        if p.is_dir() {
            match p.canonicalize() {
                Ok(canonical) => {
                    if walk.dirs.insert(canonical.clone()) {
                        walk.dir(p, &mut vec![canonical]);
                    }
                }
                Err(e) => walk.out.inputs.push(Err((p.clone(), Error::from(e).in_file(p)))),
            }
        } else if is_lock_file(p) {
            lock_files.push(p);
        } else {
            walk.file(p.clone(), None, true);
        }
    }
    // Lock files match a shell's `*.xlsx` beside their workbook and are left out quietly; named
    // with nothing else to read, the user meant the workbook and is told so.
    if walk.out.inputs.is_empty() {
        for p in lock_files {
            walk.out.inputs.push(Err((p.clone(), Error::new(ErrorKind::LockFile).in_file(p))));
        }
    }
    walk.out
}

/// The path with its folder resolved (`.`, `..`, links), also for a file that does not exist
/// yet. `None` when the folder does not exist.
pub fn resolved(path: &Path) -> Option<PathBuf> {
    if let Ok(p) = path.canonicalize() {
        return Some(p);
    }
    Some(folder_of(path).canonicalize().ok()?.join(path.file_name()?))
}

/// The folder a path names a file in: `.` for a bare file name.
pub(crate) fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// [`resolved`] for the files of a batch: each folder is resolved once. Canonicalizing a path
/// looks up every folder on it again (a dozen system calls for each of a thousand files in
/// one folder), and one that does not exist yet (an output) is then looked up once more
/// through its folder.
#[derive(Debug, Default)]
pub struct Resolver {
    folders: std::collections::HashMap<PathBuf, Option<PathBuf>>,
}

impl Resolver {
    /// The same as [`resolved`]`(path)`.
    pub fn resolved(&mut self, path: &Path) -> Option<PathBuf> {
        let Some(name) = path.file_name() else { return resolved(path) }; // `..` at the end
                                                                          // A link, or a folder, is resolved whole; a file is its resolved folder and its name,
                                                                          // as is a path that does not exist yet.
        if path.symlink_metadata().is_ok_and(|m| m.file_type().is_symlink() || m.is_dir()) {
            return resolved(path);
        }
        let parent = folder_of(path);
        let folder = self.folders.entry(parent.to_path_buf()).or_insert_with(|| parent.canonicalize().ok());
        Some(folder.as_ref()?.join(name))
    }
}

struct Walk<'a> {
    filter: &'a InputFilter,
    skip: Option<PathBuf>,
    /// Canonical paths of the folders searched so far.
    dirs: HashSet<PathBuf>,
    /// Canonical paths of the files taken so far.
    files: HashSet<PathBuf>,
    resolver: Resolver,
    out: Expanded,
}

impl Walk<'_> {
    /// Takes a file unless it was taken already (by another path) or, found in a folder, is
    /// the skipped output (named explicitly, it is for the command to refuse). `canonical`:
    /// its resolved path when known already.
    fn file(&mut self, path: PathBuf, canonical: Option<PathBuf>, named: bool) {
        // A missing file is passed on for the reader to report.
        let canonical = canonical.or_else(|| if path.exists() { self.resolver.resolved(&path) } else { None });
        let taken = match canonical {
            Some(c) => (named || self.skip.as_ref() != Some(&c)) && self.files.insert(c),
            None => true,
        };
        if taken {
            self.out.inputs.push(Ok(path));
        }
    }

    /// Searches `dir`; `ancestors` are the canonical paths from the given folder down to it.
    fn dir(&mut self, dir: &Path, ancestors: &mut Vec<PathBuf>) {
        let entries = match std::fs::read_dir(dir) {
            Ok(rd) => rd,
            Err(e) => {
                self.out.inputs.push(Err((dir.to_path_buf(), Error::from(e).in_file(dir))));
                return;
            }
        };
        // With the entry's type where the folder listing gives it (no look-up of each file).
        let mut entries: Vec<(PathBuf, Option<std::fs::FileType>)> =
            entries.filter_map(|e| e.ok().map(|e| (e.path(), e.file_type().ok()))).collect();
        // Searching in name order gives the files in path order.
        entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        for (path, kind) in entries {
            let name = name_of(&path);
            if name.starts_with('.') || name.starts_with("~$") {
                continue;
            }
            // Follows links: a link to a folder is searched like the folder.
            // A file (not a link) is its folder's resolved path and its name.
            let (is_dir, canonical) = match kind {
                Some(k) if k.is_file() => {
                    (false, ancestors.last().map(|d| d.join(path.file_name().unwrap_or_default())))
                }
                Some(k) if k.is_dir() => (true, None),
                _ => (path.is_dir(), None),
            };
            if !is_dir {
                if self.filter.takes(&path) {
                    self.file(path, canonical, false);
                } else if is_unread_kind(&path) {
                    self.out.unread.push(path);
                }
                continue;
            }
            let Ok(canonical) = path.canonicalize() else { continue };
            if ancestors.contains(&canonical) {
                self.out.loops.push(path);
            } else if self.dirs.insert(canonical.clone()) {
                ancestors.push(canonical);
                self.dir(&path, ancestors);
                ancestors.pop();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(d: &Path, got: Expanded) -> Vec<String> {
        got.inputs
            .into_iter()
            .map(|p| p.unwrap().strip_prefix(d).unwrap().to_string_lossy().replace('\\', "/"))
            .collect()
    }

    #[test]
    fn folders_are_recursive_sorted_and_skip_lock_hidden_csv_and_outputs() {
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
            "export.json",
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
        let fix = InputFilter { skip_suffix: Some(".corrected.xlsx".into()), skip_file: None };
        assert_eq!(names(d, expand(&[d.to_path_buf()], &fix)), ["a.xlsx", "b.xlsx", "out.xlsx", "sub/c.XLS"]);
        // Files named explicitly are taken as given (a CSV too), but never a lock file, and the
        // output named as an input is left for the command to refuse.
        let explicit = expand(&[d.join("~$a.xlsx"), d.join("list.csv"), d.join("out.xlsx")], &merge);
        assert_eq!(names(d, explicit), ["list.csv", "out.xlsx"]);
        // A lock file named alone is an error that says what it is (issue 14.18).
        let alone = expand(&[d.join("~$a.xlsx")], &merge);
        assert!(matches!(&alone.inputs[..], [Err((_, e))] if matches!(e.kind, ErrorKind::LockFile)));
    }

    /// A submission mailed as a zip (or saved as .xlsb) in the folder is not read, and is
    /// listed so the user is told; other files not read are not listed.
    #[test]
    fn archives_and_binary_workbooks_in_a_folder_are_listed_as_unread() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir(d.join("sub")).unwrap();
        for f in ["a.xlsx", "追加提出.ZIP", "sub/古い.xlsb", "sub/b.lzh", "印刷.pdf", ".x.zip", "~$c.xlsb"] {
            std::fs::write(d.join(f), b"x").unwrap();
        }
        let got = expand(&[d.to_path_buf()], &InputFilter::default());
        let unread: Vec<String> =
            got.unread.iter().map(|p| p.strip_prefix(d).unwrap().to_string_lossy().replace('\\', "/")).collect();
        assert_eq!(unread, ["sub/b.lzh", "sub/古い.xlsb", "追加提出.ZIP"]);
        assert_eq!(names(d, got), ["a.xlsx"]);
    }

    #[test]
    fn a_missing_file_is_passed_on_for_the_reader_to_report() {
        let got = expand(&[PathBuf::from("/no/such/file.xlsx")], &InputFilter::default());
        assert!(matches!(&got.inputs[0], Ok(p) if p.ends_with("file.xlsx")));
    }

    #[cfg(unix)]
    #[test]
    fn links_to_ancestors_are_reported_once_and_every_file_is_taken_once() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("in/sub")).unwrap();
        std::fs::create_dir_all(d.join("other")).unwrap();
        std::fs::write(d.join("in/a.xlsx"), b"x").unwrap();
        std::fs::write(d.join("in/sub/b.xlsx"), b"x").unwrap();
        std::fs::write(d.join("other/c.xlsx"), b"x").unwrap();
        std::os::unix::fs::symlink("..", d.join("in/sub/a")).unwrap();
        std::os::unix::fs::symlink("..", d.join("in/sub/b")).unwrap();
        std::os::unix::fs::symlink(d.join("in"), d.join("in/sub/self")).unwrap();
        // A link to a folder outside is followed, once, even when reached twice.
        std::os::unix::fs::symlink(d.join("other"), d.join("in/x")).unwrap();
        std::os::unix::fs::symlink(d.join("other"), d.join("in/y")).unwrap();
        // A link to a file taken already (found later in name order) is the same file.
        std::os::unix::fs::symlink(d.join("in/a.xlsx"), d.join("in/z.xlsx")).unwrap();
        let got = expand(&[d.join("in"), d.join("in/a.xlsx")], &InputFilter::default());
        let loops: Vec<String> = got.loops.iter().map(|p| p.strip_prefix(d).unwrap().display().to_string()).collect();
        assert_eq!(loops, ["in/sub/a", "in/sub/b", "in/sub/self"]);
        assert_eq!(names(d, got), ["in/a.xlsx", "in/sub/b.xlsx", "in/x/c.xlsx"]);
    }

    #[cfg(unix)]
    #[test]
    fn shift_jis_file_names_are_shown_decoded() {
        use std::os::unix::ffi::OsStrExt;
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode("市民協働課.xlsx");
        let p = Path::new(std::ffi::OsStr::from_bytes(&bytes));
        assert_eq!(shown(p), "市民協働課.xlsx");
        assert_eq!(shown(Path::new("dir/課.xlsx")), "dir/課.xlsx");
    }
}
