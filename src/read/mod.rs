//! Reading workbooks (.xlsx, .xlsm, .xls, .ods) and, through [`crate::convert`], CSV and JSON
//! into the [`Document`] model, with every value's provenance.
//!
//! The pipeline: the extension chooses the family ([`read_path`], [`read_bytes`]); the first
//! bytes decide the actual container ([`guard::sniff`]: a zip is an xlsx or an ods, an OLE file
//! is an .xls or an encrypted OOXML), so a renamed file still reads or gets a precise message;
//! [`guard`] checks sizes before calamine allocates anything; each format's loader
//! ([`xlsx`], [`xls`], [`ods`]) produces text [`grid::Grid`]s; [`locate`] finds the labels
//! and builds goal sheets, and keeps every other sheet verbatim.

pub mod biff;
pub mod grid;
pub mod guard;
pub mod inputs;
pub mod locate;
pub mod ods;
pub mod xls;
pub mod xlsx;
pub mod xlsx_fast;

use crate::error::{Error, ErrorKind, Result};
use crate::lang::Msg;
use crate::model::{Document, Sheet};
use guard::Magic;
use std::io::Read;
use std::path::Path;

/// Reads any supported file, choosing the reader by extension (case-insensitive).
/// `Document.source` is the path as given; every error names the file.
pub fn read_path(path: &Path) -> Result<Document> {
    read_path_for(path, Purpose::Everything)
}

/// What a read is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Purpose {
    /// Every cell of every sheet, as `fix`, `merge` and `convert` write them back.
    #[default]
    Everything,
    /// What the rules look at: goal sheets whole, and of any other sheet its name and text.
    /// The numbers and dates of a sheet that cannot be a goal sheet (a summary sheet beside it)
    /// are not formatted; in an .xlsx read directly they are not kept either.
    Check,
    /// What patching an .xlsx in place needs: [`Purpose::Check`], and the change log and
    /// findings sheets of an earlier run whole (a new run carries their rows over). Every other
    /// cell stays in the workbook as it is, so it need not be read.
    Patch,
}

/// The sheets an earlier `fix` added, read whole for [`Purpose::Patch`].
const OWN_SHEETS: [&str; 2] = [crate::fix::log::CHANGES_SHEET_NAME, crate::write::findings_sheet::FINDINGS_SHEET_NAME];

/// [`read_path`] for `purpose`.
pub fn read_path_for(path: &Path, purpose: Purpose) -> Result<Document> {
    let bytes = read_file(path)?;
    read_loaded_for(path, &bytes, purpose)
}

/// Reads the bytes of `path` that [`read_file`] returned (for callers that keep them, such
/// as `fix`, which patches the package): errors name the path, `Document.source` shows it.
pub fn read_loaded(path: &Path, bytes: &[u8]) -> Result<Document> {
    read_loaded_for(path, bytes, Purpose::Everything)
}

/// [`read_loaded`] for `purpose`.
pub fn read_loaded_for(path: &Path, bytes: &[u8], purpose: Purpose) -> Result<Document> {
    read_loaded_keeping(path, bytes, purpose, None)
}

/// [`read_loaded_for`], handing back into `kept` the parts of an .xlsx as the reader inflated
/// them (for `fix`, which patches the same package), when the workbook is read directly.
pub fn read_loaded_keeping(
    path: &Path,
    bytes: &[u8],
    purpose: Purpose,
    kept: Option<&mut xlsx_fast::Inflated>,
) -> Result<Document> {
    // The path itself, not a lossy copy of its name: a Shift_JIS file name is still named.
    let how = ReadAs { layout: &crate::layout::OFFICIAL, purpose, kept };
    let mut doc = read_inner(bytes, &path.to_string_lossy(), how).map_err(|e| e.in_file(path))?;
    doc.source = Some(inputs::shown(path));
    Ok(doc)
}

/// A file's bytes, refused before reading when it is larger than any input can be (for
/// callers that need the bytes themselves, such as `fix`, which patches the package).
pub fn read_file(path: &Path) -> Result<Vec<u8>> {
    let name = path.to_string_lossy().into_owned();
    let family = family_of(&name).map_err(|e| e.in_file(path))?;
    let file = open_regular(path).map_err(|e| e.in_file(path))?;
    let limit = match family {
        Family::Workbook => guard::MAX_FILE_BYTES,
        // CSV/JSON are parsed in memory by their converters; the same cap keeps them sane.
        Family::Csv | Family::Json => guard::MAX_FILE_BYTES,
    };
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    check_size(len).map_err(|e| e.in_file(path))?;
    // Sized from the metadata (already bounded): reading into a growing buffer took a dozen
    // reads and reallocations per file.
    let mut bytes = Vec::with_capacity(len.min(limit) as usize + 1);
    file.take(limit + 1).read_to_end(&mut bytes).map_err(|e| Error::from(e).in_file(path))?;
    Ok(bytes)
}

/// Opens `path` for reading, refusing what is not a regular file: opening a named pipe waits
/// for a writer that never comes (a folder holding one hung the whole run), and a device or a
/// socket is no workbook. On Linux the file is opened without waiting, then asked what it is,
/// so a pipe put in the file's place after the first look does not hang either.
fn open_regular(path: &Path) -> Result<std::fs::File> {
    let not_a_file = || {
        Error::new(ErrorKind::NotAWorkbook {
            detail: Msg::new(
                "通常のファイルではありません（パイプやデバイスなど）",
                "it is not a regular file (a pipe, a device or the like)",
            ),
        })
    };
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        return Err(not_a_file());
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    if file.metadata().is_ok_and(|m| !m.is_file()) {
        return Err(not_a_file());
    }
    Ok(file)
}

/// Refuses a file of `len` bytes before it is read: every reader works in memory, and the
/// limit is [`guard::MAX_FILE_BYTES`] whatever the format (a caller holding only a file's
/// size, such as the browser page, asks here first).
pub fn check_size(len: u64) -> Result<()> {
    if len > guard::MAX_FILE_BYTES {
        return Err(guard::too_large(file_of(len), guard::mib(guard::MAX_FILE_BYTES)));
    }
    Ok(())
}

/// Reads a file's bytes; `file_name` (its extension) chooses the reader and names the file in
/// errors and in `Document.source`.
pub fn read_bytes(bytes: &[u8], file_name: &str) -> Result<Document> {
    read_bytes_with(bytes, file_name, &crate::layout::OFFICIAL)
}

/// [`read_bytes`] finding a workbook's labels in `layout` rather than the official one (tests
/// read with a label renamed for a future year).
pub fn read_bytes_with(bytes: &[u8], file_name: &str, layout: &crate::layout::Layout) -> Result<Document> {
    read_bytes_for(bytes, file_name, layout, Purpose::Everything)
}

/// [`read_bytes_with`] for `purpose`.
pub fn read_bytes_for(
    bytes: &[u8],
    file_name: &str,
    layout: &crate::layout::Layout,
    purpose: Purpose,
) -> Result<Document> {
    let how = ReadAs { layout, purpose, kept: None };
    let mut doc = read_inner(bytes, file_name, how).map_err(|e| e.in_file(file_name))?;
    doc.source = Some(file_name.to_string());
    Ok(doc)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Workbook,
    Csv,
    Json,
}

fn family_of(name: &str) -> Result<Family> {
    let ext = Path::new(name).extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "xlsx" | "xlsm" | "xls" | "ods" => Ok(Family::Workbook),
        // Excel's "Unicode テキスト" is saved as .txt: UTF-16, tab-separated, which the CSV
        // reader detects. Only when named: a folder's .txt files are not searched.
        "csv" | "txt" => Ok(Family::Csv),
        "json" => Ok(Family::Json),
        _ => Err(Error::new(ErrorKind::UnsupportedFormat { extension: ext })),
    }
}

/// How a file is read: against which layout, for what, and where the inflated parts of an
/// .xlsx go when the caller keeps them ([`read_loaded_keeping`]).
struct ReadAs<'a> {
    layout: &'a crate::layout::Layout,
    purpose: Purpose,
    kept: Option<&'a mut xlsx_fast::Inflated>,
}

fn read_inner(bytes: &[u8], file_name: &str, how: ReadAs<'_>) -> Result<Document> {
    let doc = read_unbounded(bytes, file_name, how)?;
    // However it was read, what follows (check, render, write) costs memory per item.
    guard::check_items(&doc)?;
    Ok(doc)
}

thread_local! {
    /// Whether this thread is inside [`quietly`].
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Installs, once per process, the panic hook `quietly` relies on: silent for a panic inside
/// a `quietly` scope on the same thread, the hook installed before it for any other. The
/// binary calls it first thing; `quietly` calls it too. Swapping the process-wide hook around
/// each read instead raced under rayon: two overlapping reads could leave the silent hook
/// installed for good, and a later panic then ended the run with exit 101 and no message.
pub fn install_panic_hook() {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(|q| q.get()) {
                previous(info);
            }
        }));
    });
}

/// Runs `f`, turning a panic into `None` without printing it. The default panic hook would
/// print `thread 'main' panicked at … calamine …/utils.rs` and a backtrace hint on the user's
/// screen even though the panic is caught and reported as a damaged file (found by the
/// `workbook` fuzz target: a mutated .xls whose MergeCells record is truncated; see
/// tests/hostile_regressions.rs).
fn quietly<T>(f: impl FnOnce() -> T) -> Option<T> {
    install_panic_hook();
    let was = QUIET.with(|q| q.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    QUIET.with(|q| q.set(was));
    result.ok()
}

fn read_unbounded(bytes: &[u8], file_name: &str, how: ReadAs<'_>) -> Result<Document> {
    let ReadAs { layout, purpose, kept } = how;
    let family = family_of(file_name)?;
    if family != Family::Workbook {
        // A workbook saved or renamed as .csv: say so, rather than name a byte that is not text.
        let actual = match guard::sniff(bytes) {
            Magic::Zip => match guard::check_zip(bytes)? {
                guard::ZipKind::Xlsx => Some("xlsx"),
                guard::ZipKind::Ods => Some("ods"),
            },
            Magic::Ole => Some("xls"),
            _ => None,
        };
        if let Some(actual) = actual {
            return Err(Error::new(ErrorKind::WrongExtension { actual: actual.to_string() }));
        }
    }
    // CSV and JSON are counted before parsing: a few bytes per row or `{}` make a whole
    // indicator or sheet in memory (see guard::MAX_ITEMS).
    let doc = match family {
        Family::Csv => {
            guard::check_csv_lines(bytes)?;
            match sheet_of_csv(bytes, file_name, layout)? {
                Some(sheet) => Some(Document { sheets: vec![sheet], ..Document::default() }),
                None => {
                    let mut doc = crate::convert::csv::from_bytes(bytes)?;
                    crate::convert::csv::type_numbers(&mut doc);
                    Some(doc)
                }
            }
        }
        Family::Json => {
            guard::check_json_containers(bytes)?;
            Some(crate::convert::json::from_bytes(bytes)?)
        }
        Family::Workbook => None,
    };
    if let Some(doc) = doc {
        // A header without rows, or `[]`, holds no goal sheet, as a workbook without one.
        if doc.sheets.is_empty() {
            return Err(Error::new(ErrorKind::NoGoalSheet { sheets: Vec::new(), more: 0 }));
        }
        return Ok(doc);
    }
    if bytes.len() as u64 > guard::MAX_FILE_BYTES {
        return Err(guard::too_large(file_of(bytes.len() as u64), guard::mib(guard::MAX_FILE_BYTES)));
    }
    // calamine is not expected to panic on checked input; if it does, the user still gets an
    // error naming the file rather than a crash.
    let keep = match purpose {
        Purpose::Everything => xlsx_fast::Keep::Everything,
        Purpose::Check => xlsx_fast::Keep::GoalSheets { layout, also: &[] },
        Purpose::Patch => xlsx_fast::Keep::GoalSheets { layout, also: &OWN_SHEETS },
    };
    let grids = quietly(|| load(bytes, keep, kept)).unwrap_or_else(|| {
        Err(guard::corrupt(Msg::new(
            "ブック内部の記録に矛盾があります",
            "the workbook's internal records are inconsistent",
        )))
    })?;
    let mut doc = Document::default();
    // For the error if no sheet is a goal sheet: it lists the first few, shortened.
    let (mut names, total) = (Vec::new(), grids.len());
    // Sheets set aside: the form's example sheet (記入例) kept beside the division's own, and a
    // hidden sheet (last year's, kept out of sight): goal sheets only when no other is (the
    // division wrote into it, or hid its only sheet). Merge counted the example's placeholder
    // division, and a hidden last year's sheet was an error the division could not see.
    let mut aside: Vec<(Sheet, grid::Grid)> = Vec::new();
    for g in grids {
        if names.len() < crate::error::MAX_LISTED_SHEETS {
            names.push(g.name.clone());
        }
        let left_out = g.unformatted > 0;
        let set_aside = (g.hidden || crate::layout::is_example_sheet_name(&g.name)).then(|| g.clone());
        match (locate::locate_with(g, layout), set_aside) {
            (locate::Located::Goal(s), Some(grid)) => aside.push((*s, grid)),
            (locate::Located::Goal(s), None) => doc.sheets.push(*s),
            (locate::Located::Other(raw), _) => {
                if !raw.cells.is_empty() || left_out {
                    doc.other_sheets.push(raw);
                }
            }
        }
    }
    if doc.sheets.is_empty() {
        doc.sheets.extend(aside.into_iter().map(|(sheet, _)| sheet));
    } else {
        doc.other_sheets.extend(aside.into_iter().map(|(_, grid)| locate::raw_sheet(grid)));
    }
    if doc.sheets.is_empty() {
        return Err(Error::new(crate::error::no_goal_sheet(&names, total)));
    }
    Ok(doc)
}

/// A goal sheet saved as CSV from Excel or LibreOffice (the sheet's cells, its labels where
/// the form has them) read as a sheet is, by its labels; `None` for anything else, which is
/// read as goalsheet's own CSV of one row per indicator. Read as that, a sheet's CSV gave a
/// finding for every field (its table header was taken for the CSV's header).
fn sheet_of_csv(bytes: &[u8], file_name: &str, layout: &crate::layout::Layout) -> Result<Option<Sheet>> {
    if crate::convert::csv::is_table(bytes) {
        return Ok(None);
    }
    let Some(cells) = crate::convert::csv::sheet_cells(bytes, guard::MAX_CELLS)? else { return Ok(None) };
    let name = Path::new(file_name).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let mut grid = grid::Grid::default();
    grid.name = name;
    for (row, col, text) in cells {
        grid.put(row, col, text);
    }
    Ok(match locate::locate_with(grid, layout) {
        locate::Located::Goal(sheet) => Some(*sheet),
        locate::Located::Other(_) => None,
    })
}

/// Checks and loads the workbook's sheets as text grids, choosing the reader by content.
fn load(bytes: &[u8], keep: xlsx_fast::Keep, kept: Option<&mut xlsx_fast::Inflated>) -> Result<Vec<grid::Grid>> {
    Ok(match guard::sniff(bytes) {
        Magic::Empty => {
            return Err(guard::not_a_workbook(Msg::new(
                "空のファイルです（0バイト）。保存し直したファイルを送ってもらってください",
                "the file is empty (0 bytes)",
            )))
        }
        Magic::Zip => match guard::check_zip_archive(bytes)? {
            (guard::ZipKind::Xlsx, zip) => xlsx::grids_keeping_parts(zip, bytes, keep, kept)?,
            (guard::ZipKind::Ods, _) => ods::grids(bytes)?,
        },
        Magic::Ole => match xls::sanitize(bytes)? {
            xls::Ole::Workbook(clean) => xls::grids(clean)?,
        },
        Magic::Html => {
            return Err(guard::not_a_workbook(Msg::new(
                "Excel の拡張子が付いた Web ページ（HTML）です。Excel で開き、「Excel ブック (*.xlsx)」として保存し直してください",
                "this is a web page (HTML) saved with a workbook extension; open it in Excel and save it as .xlsx",
            )))
        }
        Magic::Other => {
            let looks_text = bytes.iter().take(512).all(|&b| b >= 0x09 && b != 0x7f);
            return Err(guard::not_a_workbook(if looks_text {
                Msg::new(
                    "テキストファイルです。CSV なら拡張子を .csv にしてください",
                    "it is a text file, not an Excel workbook (if it is CSV, name it .csv)",
                )
            } else {
                Msg::new(
                    "中身が Excel（.xlsx・.xls）のブックでも OpenDocument（.ods）でもありません。拡張子が違うか、ファイルが壊れています",
                    "its content is neither an Excel (.xlsx/.xls) nor an OpenDocument (.ods) workbook",
                )
            }));
        }
    })
}

/// “a file of 40.0 MiB”, for the size limit.
fn file_of(len: u64) -> Msg {
    Msg::new(format!("ファイルの大きさ {}", guard::mib(len)), format!("a file of {}", guard::mib(len)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;

    #[test]
    fn dispatch_by_extension() {
        let e = read_bytes(b"x", "a.docx").unwrap_err();
        assert!(matches!(e.kind, ErrorKind::UnsupportedFormat { ref extension } if extension == "docx"));
        assert_eq!(e.file.as_deref(), Some(Path::new("a.docx")));
        let e = read_bytes(b"", "A.XLSX").unwrap_err();
        assert!(matches!(e.kind, ErrorKind::NotAWorkbook { .. }));
        assert!(e.render(Lang::Ja).contains("A.XLSX"));
        assert!(e.render(Lang::En).contains("empty"));
    }
}
