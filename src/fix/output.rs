//! Where a corrected workbook goes, and how it is written so the input is never harmed.
//!
//! The default is `NAME.corrected.xlsx` beside the input; an output that is one of the inputs
//! is refused (paths compared after resolving `.`/`..` and links); the file is written to a
//! temporary file in the same folder and then renamed into place, so an interrupted run never
//! leaves half a workbook.

use crate::error::{Error, ErrorKind, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The suffix of corrected workbooks.
pub const CORRECTED_SUFFIX: &str = ".corrected.xlsx";
/// The suffix of corrected macro-enabled workbooks (an .xlsm stays an .xlsm, with its macros).
pub const CORRECTED_SUFFIX_XLSM: &str = ".corrected.xlsm";

/// `NAME.corrected.xlsx` for an input `NAME.xlsx` (or `.xls`, `.ods`, `.csv` …);
/// `NAME.corrected.xlsm` for `NAME.xlsm`. The name's bytes are kept as they are (a Shift_JIS
/// name from a Windows zip stays that name, and two such names never collide as they would
/// once made lossy).
pub fn corrected_file_name(input: &Path) -> std::ffi::OsString {
    let mut name = input.file_stem().map(|s| s.to_os_string()).unwrap_or_default();
    let xlsm = input.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsm"));
    name.push(if xlsm { CORRECTED_SUFFIX_XLSM } else { CORRECTED_SUFFIX });
    name
}

/// Whether `copy` is `fix`'s corrected workbook of `original` written beside it
/// (`課.corrected.xlsx` of `課.xlsx` in the same folder), both paths as given.
pub fn is_corrected_copy(copy: &Path, original: &Path) -> bool {
    copy.parent() == original.parent() && copy.file_name() == Some(corrected_file_name(original).as_os_str())
}

/// Where the corrected workbook of `input` goes: `output` when given, else
/// `out_dir/NAME.corrected.xlsx`, else beside the input.
pub fn output_path(input: &Path, output: Option<&Path>, out_dir: Option<&Path>) -> PathBuf {
    if let Some(o) = output {
        return o.to_path_buf();
    }
    let name = corrected_file_name(input);
    match (out_dir, input.parent()) {
        (Some(dir), _) => dir.join(name),
        (None, Some(parent)) => parent.join(name),
        (None, None) => PathBuf::from(name),
    }
}

use crate::read::inputs::folder_of;
pub use crate::read::inputs::{resolved, Resolver};

/// Whether two paths name the same file.
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (resolved(a), resolved(b)) {
        (Some(a), Some(b)) => a == b,
        _ => a == b,
    }
}

/// Refuses an output that is one of the inputs.
pub fn refuse_input(output: &Path, inputs: &[PathBuf]) -> Result<()> {
    if inputs.iter().any(|i| same_file(output, i)) {
        return Err(Error::new(ErrorKind::WouldOverwriteInput).in_file(output));
    }
    Ok(())
}

/// Temporary files are named `.goalsheet-PID-XXXXXX.tmp`, in the output's folder (so the final
/// rename stays on one file system).
const TEMP_PREFIX: &str = ".goalsheet-";
const TEMP_SUFFIX: &str = ".tmp";

/// The temporary files being written now, for [`remove_temporary_files`]; `true` once it ran,
/// after which no new one is made.
static PENDING: std::sync::Mutex<(Vec<PathBuf>, bool)> = std::sync::Mutex::new((Vec::new(), false));

/// A temporary file listed in [`PENDING`] while it exists under its temporary name.
struct Pending(PathBuf);

impl Pending {
    /// Creates the temporary file and lists it under one lock: a signal arriving between the
    /// two would otherwise miss a file another thread had just made.
    fn create(builder: &tempfile::Builder, dir: &Path) -> std::io::Result<(tempfile::NamedTempFile, Pending)> {
        let mut p = PENDING.lock().map_err(|_| std::io::Error::other("poisoned"))?;
        if p.1 {
            return Err(std::io::Error::from(std::io::ErrorKind::Interrupted));
        }
        let tmp = builder.tempfile_in(dir)?;
        p.0.push(tmp.path().to_path_buf());
        let path = tmp.path().to_path_buf();
        Ok((tmp, Pending(path)))
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if let Ok(mut p) = PENDING.lock() {
            p.0.retain(|f| *f != self.0);
        }
    }
}

/// Removes the temporary files being written: for an interrupted run (Ctrl-C, SIGTERM), which
/// ends without unwinding, so their own cleanup never runs (a killed fix left 715 MB behind).
/// No temporary file is made after it.
pub fn remove_temporary_files() {
    let mut p = match PENDING.lock() {
        Ok(p) => p,
        Err(poisoned) => poisoned.into_inner(),
    };
    p.1 = true;
    for f in p.0.iter() {
        let _ = std::fs::remove_file(f);
    }
}

/// Removes, once per folder and run, temporary files that a run killed outright (SIGKILL, a
/// power cut) left in `dir`: those of a process that no longer runs (Linux), and any older than
/// a day (elsewhere, and names without a process id from earlier versions after an hour).
/// Another run writing in the same folder keeps its own.
fn remove_stale_temporary_files(dir: &Path) {
    static DONE: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());
    match DONE.lock() {
        Ok(mut done) if !done.iter().any(|d| d == dir) => done.push(dir.to_path_buf()),
        _ => return,
    }
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(TEMP_PREFIX).filter(|_| name.ends_with(TEMP_SUFFIX)) else { continue };
        let age = entry.metadata().and_then(|m| m.modified()).ok().and_then(|t| t.elapsed().ok()).unwrap_or_default();
        let hours = |h: u64| age > std::time::Duration::from_secs(h * 3600);
        let stale = match rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) {
            Some(pid) if pid == std::process::id() => false,
            Some(pid) => (cfg!(target_os = "linux") && !Path::new(&format!("/proc/{pid}")).exists()) || hours(24),
            None => hours(1),
        };
        if stale {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Writes `bytes` to a temporary file in `path`'s folder, then renames it to `path`, so that an
/// interrupted run never leaves half a workbook. With `replace` an existing file is replaced;
/// without it, it is kept and `Ok(false)` says nothing was written. The one writer of every
/// output file (`fix`, `merge`, `convert`, `template`).
pub fn write_atomically(path: &Path, bytes: &[u8], replace: bool) -> Result<bool> {
    write_atomically_with(path, replace, |w| w.write_all(bytes).map_err(Error::from))
}

/// [`write_atomically`] for output made as it is written (`write` gets a buffered writer), so a
/// large CSV or JSON is never whole in memory.
pub fn write_atomically_with(
    path: &Path,
    replace: bool,
    write: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<bool> {
    let dir = folder_of(path).to_path_buf();
    remove_stale_temporary_files(&dir);
    let prefix = format!("{TEMP_PREFIX}{}-", std::process::id());
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(TEMP_SUFFIX);
    // Like any file the user saves (the umask applies), not owner-only as temporary files are.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let (tmp, _pending) = Pending::create(&builder, &dir).map_err(|e| output_error(e, path))?;
    let mut w = std::io::BufWriter::new(tmp);
    write(&mut w).map_err(|e| match e {
        Error { kind: ErrorKind::Io(io), .. } => output_error(io, path),
        e => e.in_file(path),
    })?;
    let tmp = w.into_inner().map_err(|e| output_error(e.into_error(), path))?;
    tmp.as_file().sync_all().map_err(|e| output_error(e, path))?;
    let persisted = if replace { tmp.persist(path) } else { tmp.persist_noclobber(path) };
    match persisted {
        Ok(_) => Ok(true),
        Err(e) if !replace && e.error.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) if path.is_file() && refused_in_use(&e.error) => {
            Err(Error::new(ErrorKind::Replace(e.error)).in_file(path))
        }
        Err(e) => Err(output_error(e.error, path)),
    }
}

/// Whether renaming over a file failed as it does when the file is open in another program
/// (Windows: access denied, or a sharing or lock violation) or protected.
fn refused_in_use(e: &std::io::Error) -> bool {
    const SHARING_VIOLATION: i32 = 32;
    const LOCK_VIOLATION: i32 = 33;
    e.kind() == std::io::ErrorKind::PermissionDenied
        || (cfg!(windows) && matches!(crate::error::os_code(e), Some(SHARING_VIOLATION | LOCK_VIOLATION)))
}

/// A failed write of `path`, named as the user gave it: the temporary file it went through is
/// an implementation detail (tempfile adds its name to the system's message, which
/// [`crate::error::os_text`] leaves out).
fn output_error(e: std::io::Error, path: &Path) -> Error {
    Error::new(ErrorKind::Output(e)).in_file(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_names() {
        let p = Path::new("dir/市民協働課.xlsx");
        assert_eq!(output_path(p, None, None), Path::new("dir/市民協働課.corrected.xlsx"));
        assert_eq!(output_path(Path::new("a.csv"), None, None), Path::new("a.corrected.xlsx"));
        assert_eq!(output_path(Path::new("m.XLSM"), None, None), Path::new("m.corrected.xlsm"));
        assert_eq!(output_path(p, None, Some(Path::new("out"))), Path::new("out/市民協働課.corrected.xlsx"));
        assert_eq!(output_path(p, Some(Path::new("x.xlsx")), Some(Path::new("out"))), Path::new("x.xlsx"));
    }

    #[test]
    fn the_resolver_resolves_as_resolved_does() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("sub");
        std::fs::create_dir(&sub).unwrap();
        std::fs::write(dir.path().join("a.xlsx"), b"x").unwrap();
        // Links to a file and to a folder: resolved to what they point at.
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("a.xlsx"), sub.join("link.xlsx")).unwrap();
            std::os::unix::fs::symlink(&sub, dir.path().join("linked")).unwrap();
        }
        let mut r = Resolver::default();
        for p in [
            dir.path().join("a.xlsx"),
            sub.join("link.xlsx"),
            dir.path().join("linked/link.xlsx"),
            dir.path().join("linked"),
            sub.join("../a.xlsx"),
            sub.join("../b.xlsx"),
            sub.join("c.xlsx"),
            sub.join(".."),
            dir.path().join("missing/d.xlsx"),
            PathBuf::from("e.xlsx"),
        ] {
            assert_eq!(r.resolved(&p), resolved(&p), "{}", p.display());
            assert_eq!(r.resolved(&p), resolved(&p), "{} again", p.display());
        }
        assert_eq!(r.resolved(&sub.join("../b.xlsx")), Some(dir.path().canonicalize().unwrap().join("b.xlsx")));
        #[cfg(unix)]
        assert_eq!(r.resolved(&dir.path().join("linked/link.xlsx")), r.resolved(&dir.path().join("a.xlsx")));
    }

    #[test]
    fn same_file_sees_through_dots_and_missing_files() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("a.xlsx");
        std::fs::write(&input, b"x").unwrap();
        let sub = dir.path().join("sub");
        std::fs::create_dir(&sub).unwrap();
        assert!(same_file(&input, &sub.join("../a.xlsx")));
        assert!(!same_file(&input, &dir.path().join("b.xlsx")));
        assert!(refuse_input(&sub.join("..").join("a.xlsx"), std::slice::from_ref(&input)).is_err());
        assert!(refuse_input(&dir.path().join("a.corrected.xlsx"), &[input]).is_ok());
    }

    #[test]
    fn atomic_write_replaces_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("o.xlsx");
        assert!(write_atomically(&out, b"one", true).unwrap());
        assert!(write_atomically(&out, b"two", true).unwrap());
        assert!(!write_atomically(&out, b"three", false).unwrap(), "kept without replace");
        assert_eq!(std::fs::read(&out).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
