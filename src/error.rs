//! Errors: the tool could not do its job for one file (exit code 2).
//!
//! Like the csv crate's errors, an [`Error`] carries a kind and a position: the file and, where
//! it applies, the sheet and cell. Every kind has a message in Japanese and in English
//! ([`Error::message`]); `Display` gives the English one with the position.

use crate::address::CellRef;
use crate::lang::{Lang, Msg};
use std::fmt;
use std::path::{Path, PathBuf};

/// How many sheets a "no goal sheet" error names.
pub const MAX_LISTED_SHEETS: usize = 20;

/// How many characters of a sheet's name an error shows (Excel allows 31).
pub const MAX_SHOWN_SHEET_NAME: usize = 40;

/// A "no goal sheet" error for a workbook of `total` sheets whose names begin with `first`:
/// it names the first [`MAX_LISTED_SHEETS`], each cut to [`MAX_SHOWN_SHEET_NAME`] characters.
pub fn no_goal_sheet(first: &[String], total: usize) -> ErrorKind {
    let sheets: Vec<String> = first
        .iter()
        .take(MAX_LISTED_SHEETS)
        .map(|n| match n.char_indices().nth(MAX_SHOWN_SHEET_NAME) {
            Some((cut, _)) => format!("{}…", &n[..cut]),
            None => n.clone(),
        })
        .collect();
    let more = total.saturating_sub(sheets.len());
    ErrorKind::NoGoalSheet { sheets, more }
}

/// What went wrong.
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The file could not be read or written.
    Io(std::io::Error),
    /// Standard output could not be written (disk full, a closed device).
    Stdout(std::io::Error),
    /// The file's extension is not one goalsheet reads.
    UnsupportedFormat { extension: String },
    /// Not a workbook at all (empty, random bytes, wrong extension for its content).
    NotAWorkbook { detail: Msg },
    /// A workbook whose structure is broken (truncated, missing parts, malformed XML).
    Corrupt { detail: Msg },
    /// The workbook is password-protected (Excel's encryption).
    Encrypted,
    /// An OpenDocument spreadsheet saved with a password (LibreOffice Calc).
    EncryptedOds,
    /// An .xlsx in the Strict Open XML format (Excel's "Strict Open XML Spreadsheet"): read and
    /// checked, but not patched in place (parts added in the usual format would mix the two).
    StrictOpenXml,
    /// Excel's lock file of an open workbook (`~$name.xlsx`), named as the only input.
    LockFile,
    /// A workbook (or another known format) under a CSV or JSON name: `actual` is the
    /// extension its content calls for (`xlsx`, `xls`, `ods`).
    WrongExtension { actual: String },
    /// An output could not be written (disk full, read-only folder, the output is a folder,
    /// the output folder is a file). The error's file is the output as the user named it,
    /// never the temporary file it was being written through.
    Output(std::io::Error),
    /// An output that exists could not be replaced, though the new file was written beside
    /// it (so the folder takes files): on Windows the file is open in Excel or another
    /// program, or it is read-only. Not "the folder is read-only", which sent users looking
    /// for the wrong cause.
    Replace(std::io::Error),
    /// The file would need more memory or time than a goal sheet ever can.
    /// `detail` says what is too large and what the limit is.
    TooLarge { detail: Msg },
    /// No sheet of the workbook is a goal sheet. `sheets` names the first
    /// [`MAX_LISTED_SHEETS`], each cut to [`MAX_SHOWN_SHEET_NAME`] characters; `more` counts
    /// the rest (a crafted workbook lists thousands, with names of kilobytes).
    NoGoalSheet { sheets: Vec<String>, more: usize },
    /// JSON that is not a goalsheet document; `detail` says where and why, serde_json's own
    /// words only in brackets.
    Json { detail: Msg },
    /// CSV that could not be read; `detail` as for [`ErrorKind::Json`].
    Csv { detail: Msg },
    /// Text that the chosen encoding cannot hold (Shift_JIS export).
    Unencodable { character: char, encoding: String },
    /// Every character of a document that the chosen encoding cannot hold, each with where it is
    /// (CSV export to Shift_JIS reports them all at once instead of stopping at the first).
    /// `places` lists the first [`crate::convert::csv::MAX_LISTED_PLACES`]; `more` counts the rest.
    UnencodableCells { encoding: String, places: Vec<UnencodablePlace>, more: usize },
    /// The output would overwrite an input.
    WouldOverwriteInput,
    /// Inputs that cannot go together (merge: other department, other year, same division twice).
    Conflict { detail: Msg },
    /// Invalid arguments or options.
    Usage { detail: Msg },
    /// The workbook writer failed (`detail`: why, in both languages).
    Write { detail: Msg },
}

/// One character that an encoding cannot hold, and where it sits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnencodablePlace {
    /// The sheet's name, or its division when it has none.
    pub sheet: String,
    /// The cell in the workbook it was read from, if known.
    pub cell: Option<CellRef>,
    /// Otherwise the position in the CSV being written (1-based row and column).
    pub csv_row: usize,
    pub csv_col: usize,
    pub field: crate::model::Field,
    /// The character as the user sees it: one code point, or a base and its combining marks
    /// (`か` + U+309A, which has no composed form).
    pub character: String,
}

impl UnencodablePlace {
    fn describe(&self, lang: Lang) -> String {
        let c = &self.character;
        let code = c.chars().map(|c| format!("U+{:04X}", c as u32)).collect::<Vec<_>>().join(" ");
        let field = lang.pick(self.field.label_ja(), self.field.label_en());
        let at = match self.cell {
            Some(cell) => format!("{}!{cell}", self.sheet),
            None => {
                // Also where Excel shows it when the CSV is opened.
                let excel = match (u32::try_from(self.csv_row), u32::try_from(self.csv_col)) {
                    (Ok(r), Ok(c)) if r > 0 && c > 0 => CellRef::new(r - 1, c - 1).to_string(),
                    _ => String::new(),
                };
                let (sheet, row, col) = (&self.sheet, self.csv_row, self.csv_col);
                match lang {
                    Lang::Ja => format!("{sheet} CSVの{row}行目{col}列目＝Excelの{excel}"),
                    Lang::En => format!("{sheet}, CSV row {row}, column {col} = {excel} in Excel"),
                }
            }
        };
        match lang {
            Lang::Ja => format!("{at}（{field}）: 「{c}」({code})"),
            Lang::En => format!("{at} ({field}): “{c}” ({code})"),
        }
    }
}

/// An error with where it happened.
#[derive(Debug)]
pub struct Error {
    pub kind: ErrorKind,
    pub file: Option<PathBuf>,
    pub sheet: Option<String>,
    pub cell: Option<CellRef>,
}

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(kind: ErrorKind) -> Error {
        Error { kind, file: None, sheet: None, cell: None }
    }

    /// Attaches the file (kept if one is already set).
    pub fn in_file(mut self, file: impl AsRef<Path>) -> Error {
        if self.file.is_none() {
            self.file = Some(file.as_ref().to_path_buf());
        }
        self
    }

    pub fn in_sheet(mut self, sheet: impl Into<String>) -> Error {
        if self.sheet.is_none() {
            self.sheet = Some(sheet.into());
        }
        self
    }

    pub fn at_cell(mut self, cell: CellRef) -> Error {
        if self.cell.is_none() {
            self.cell = Some(cell);
        }
        self
    }

    /// `file › sheet!cell`, as far as known.
    pub fn position(&self) -> String {
        let mut out = String::new();
        if let Some(f) = &self.file {
            out.push_str(&crate::read::inputs::shown(f));
        }
        if let Some(s) = &self.sheet {
            if !out.is_empty() {
                out.push_str(" › ");
            }
            out.push_str(s);
            if let Some(c) = self.cell {
                out.push('!');
                out.push_str(&c.to_string());
            }
        } else if let Some(c) = self.cell {
            if !out.is_empty() {
                out.push_str(" › ");
            }
            out.push_str(&c.to_string());
        }
        out
    }

    /// The message, without the position, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let m = match &self.kind {
            ErrorKind::Io(e) if e.kind() == std::io::ErrorKind::NotFound => Msg::new(
                "ファイルまたはフォルダが見つかりません。名前と場所を確かめてください",
                "no such file or folder; check its name and location",
            ),
            ErrorKind::Io(e) if e.kind() == std::io::ErrorKind::PermissionDenied => Msg::new(
                format!("ファイルを開く権限がありません。Excelで開いているときは閉じてからやり直してください [{}]", os_text(e)),
                format!("permission denied; if the file is open in Excel, close it and try again [{}]", os_text(e)),
            ),
            ErrorKind::Io(e) if e.kind() == std::io::ErrorKind::IsADirectory => Msg::new(
                format!("フォルダです。ファイルを指定してください [{}]", os_text(e)),
                format!("it is a folder; give a file [{}]", os_text(e)),
            ),
            ErrorKind::Io(e) => Msg::new(
                format!("ファイルを読み書きできません [{}]", os_text(e)),
                format!("cannot read or write the file [{}]", os_text(e)),
            ),
            ErrorKind::Output(e) => output_message(e),
            ErrorKind::Replace(e) => Msg::new(
                format!("既にあるファイルを置き換えられません。Excel などで開いているときは閉じてから、やり直してください（読み取り専用のファイルなら、別の名前か出力先を指定してください） [{}]", os_text(e)),
                format!("cannot replace the file already there: if it is open in Excel or another program, close it and try again (if it is read-only, give another name or output folder) [{}]", os_text(e)),
            ),
            ErrorKind::Stdout(e) => Msg::new(
                format!("標準出力に書き込めません。出力は途中までです [{}]", os_text(e)),
                format!("cannot write to standard output; the output is incomplete [{}]", os_text(e)),
            ),
            ErrorKind::UnsupportedFormat { extension } if extension.is_empty() => Msg::new(
                "拡張子のないファイルは読み込めません。.xlsx .xlsm .xls .ods .csv .json のいずれかを指定してください",
                "the file has no extension; give an .xlsx, .xlsm, .xls, .ods, .csv or .json file",
            ),
            ErrorKind::UnsupportedFormat { extension } if extension == "xlsb" => Msg::new(
                "Excel バイナリブック（.xlsb）は読めません。Excel で開き、［名前を付けて保存］で「Excel ブック (*.xlsx)」を選んで保存し直してください",
                "an Excel binary workbook (.xlsb) cannot be read; open it in Excel and save it as “Excel Workbook (*.xlsx)” (File → Save As)",
            ),
            ErrorKind::UnsupportedFormat { extension } if matches!(extension.as_str(), "zip" | "lzh" | "7z") => Msg::new(
                "圧縮ファイルです。展開してから、中のブック（または展開したフォルダ）を指定してください",
                "it is a compressed file; extract it and give the workbooks in it (or the extracted folder)",
            ),
            ErrorKind::UnsupportedFormat { extension } => Msg::new(
                format!("「.{extension}」は読み込めない形式です。.xlsx .xlsm .xls .ods .csv .json のいずれかを指定してください"),
                format!("“.{extension}” is not a format goalsheet reads; give an .xlsx, .xlsm, .xls, .ods, .csv or .json file"),
            ),
            ErrorKind::NotAWorkbook { detail } => Msg::new(
                format!("Excelのブックとして読めません: {}", detail.ja),
                format!("not a workbook (empty, damaged, or its content does not match its extension): {}", detail.en),
            ),
            // A detail with no Japanese (a library's words, a part's name) goes in brackets.
            ErrorKind::Corrupt { detail } if detail.ja == detail.en => Msg::new(
                format!("ブックが壊れています。Excelで開いて保存し直してください [{}]", detail.en),
                format!("the workbook is damaged; open it in Excel and save it again [{}]", detail.en),
            ),
            ErrorKind::Corrupt { detail } => Msg::new(
                format!("ブックが壊れています。Excelで開いて保存し直してください（詳細: {}）", detail.ja),
                format!("the workbook is damaged; open it in Excel and save it again: {}", detail.en),
            ),
            ErrorKind::Encrypted => Msg::new(
                "パスワードで保護されたブックは読めません。Excelで開き、［ファイル］→［情報］→［ブックの保護］→［パスワードを使用して暗号化］でパスワードを消してから保存し直してください",
                "the workbook is password-protected; open it in Excel, remove the password (File → Info → Protect Workbook → Encrypt with Password, clear it) and save it again",
            ),
            ErrorKind::StrictOpenXml => Msg::new(
                "このブックは「Strict Open XML スプレッドシート」形式のため、直接修正できません（検査はできます）。Excelで開き、［名前を付けて保存］で「Excel ブック (*.xlsx)」を選んで保存し直してから修正してください",
                "the workbook is in the Strict Open XML format, which fix cannot edit in place (check reads it); open it in Excel, save it with Save As → “Excel Workbook (*.xlsx)” and fix that file",
            ),
            ErrorKind::EncryptedOds => Msg::new(
                "パスワードで保護された OpenDocument（.ods）は読めません。LibreOffice Calc で開き、［ファイル］→［名前を付けて保存］で「パスワード付きで保存」のチェックを外して保存し直してください",
                "the OpenDocument spreadsheet is password-protected; open it in LibreOffice Calc and save it again with File → Save As, “Save with password” unticked",
            ),
            ErrorKind::LockFile => {
                let book = self.file.as_deref().and_then(|f| f.file_name()).map(|n| n.to_string_lossy().trim_start_matches("~$").to_string()).unwrap_or_default();
                Msg::new(
                    format!("Excel がブックを開いている間だけ作るロックファイルで、ブックではありません。ブック本体の「{book}」を指定してください"),
                    format!("this is the lock file Excel keeps while a workbook is open, not a workbook; give the workbook itself, “{book}”"),
                )
            }
            ErrorKind::WrongExtension { actual } => {
                let ext = self.file.as_deref().and_then(|f| f.extension()).map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
                let what = match actual.as_str() {
                    "ods" => Msg::new("OpenDocument の表計算ファイル", "an OpenDocument spreadsheet"),
                    _ => Msg::new("Excel のブック", "an Excel workbook"),
                };
                Msg::new(
                    format!("中身は {}なのに、名前が .{ext} です。拡張子を .{actual} に直してください", what.ja),
                    format!("this is {} under a .{ext} name; rename it to .{actual}", what.en),
                )
            }
            ErrorKind::TooLarge { detail } => Msg::new(
                format!("組織目標管理シートとしては大きすぎます（{}）", detail.ja),
                format!("too large for a goal sheet ({})", detail.en),
            ),
            ErrorKind::NoGoalSheet { sheets, .. } if sheets.is_empty() => Msg::new(
                "組織目標管理シートがありません。ファイルに取組の行がひとつもありません（CSV は見出しの行だけ、JSON は空です）",
                "no goal sheet: the file holds no rows (a CSV with only its header row, or empty JSON)",
            ),
            ErrorKind::NoGoalSheet { sheets, more } => Msg::new(
                format!(
                    "組織目標管理シートが見つかりません。「組織目標」「評価」「目標達成状況」などの見出し行を探しましたが、どのシートにもありませんでした（シート: {}{}）",
                    sheets.join("、"),
                    if *more > 0 { format!("、ほか{more}枚") } else { String::new() }
                ),
                format!(
                    "no goal sheet found: looked for a table header with 組織目標, 評価, 目標達成状況 … on every sheet (sheets: {}{})",
                    sheets.join(", "),
                    if *more > 0 { format!(" and {more} more") } else { String::new() }
                ),
            ),
            ErrorKind::Json { detail } => Msg::new(
                format!("JSONを読み込めません: {}", detail.ja),
                format!("cannot read the JSON: {}", detail.en),
            ),
            ErrorKind::Csv { detail } => {
                Msg::new(format!("CSVを読み込めません: {}", detail.ja), format!("cannot read the CSV: {}", detail.en))
            }
            ErrorKind::Unencodable { character, encoding } => Msg::new(
                format!("「{character}」(U+{:04X}) は {encoding} で表せません。別の文字に直すか UTF-8 で出力してください", *character as u32),
                format!("“{character}” (U+{:04X}) cannot be written in {encoding}; replace it or write UTF-8", *character as u32),
            ),
            ErrorKind::UnencodableCells { encoding, places, more } => Msg::new(
                format!(
                    "{encoding} で表せない文字が{}か所あります。その文字を別の文字に直すか、UTF-8（既定）で出力してください:\n{}{}",
                    places.len() + more,
                    places.iter().map(|p| format!("  {}", p.describe(Lang::Ja))).collect::<Vec<_>>().join("\n"),
                    if *more > 0 { format!("\n  …ほか{more}か所") } else { String::new() }
                ),
                format!(
                    "{} character(s) cannot be written in {encoding}; replace them or write UTF-8 (the default):\n{}{}",
                    places.len() + more,
                    places.iter().map(|p| format!("  {}", p.describe(Lang::En))).collect::<Vec<_>>().join("\n"),
                    if *more > 0 { format!("\n  … and {more} more") } else { String::new() }
                ),
            ),
            ErrorKind::WouldOverwriteInput => Msg::new(
                "出力先が入力ファイルと同じです。入力ファイルは上書きしません。別の出力先を指定してください",
                "the output is one of the inputs; goalsheet never overwrites an input, choose another output",
            ),
            ErrorKind::Conflict { detail } | ErrorKind::Usage { detail } => detail.clone(),
            ErrorKind::Write { detail } => Msg::new(
                format!("ブックを書き出せません [{}]", detail.ja),
                format!("cannot write the workbook [{}]", detail.en),
            ),
        };
        m.get(lang).to_string()
    }

    /// Position and message, in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        let pos = self.position();
        if pos.is_empty() {
            self.message(lang)
        } else {
            format!("{pos}: {}", self.message(lang))
        }
    }
}

/// The system's own words for an I/O error, without a path a library added to them (tempfile
/// names its hidden temporary file): shown in brackets after goalsheet's message.
pub fn os_text(e: &std::io::Error) -> String {
    if let Some(code) = e.raw_os_error() {
        return std::io::Error::from_raw_os_error(code).to_string();
    }
    if let Some(inner) = e.get_ref() {
        let io = inner.downcast_ref::<std::io::Error>();
        if let Some(io) = io.or_else(|| inner.source().and_then(|s| s.downcast_ref::<std::io::Error>())) {
            return os_text(io);
        }
    }
    // tempfile wraps the system's error in a private type that hides it (its `source` skips
    // it), so only its text is left: "… (os error 2) at path \"dir/.goalsheet-….tmp\"".
    let text = e.to_string();
    if let Some(code) = os_error_code(&text) {
        return std::io::Error::from_raw_os_error(code).to_string();
    }
    match text.find(" at path ") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

/// The system's error code of an I/O error, also when a library has wrapped it (found as
/// [`os_text`] finds the system's words).
pub(crate) fn os_code(e: &std::io::Error) -> Option<i32> {
    if let Some(code) = e.raw_os_error() {
        return Some(code);
    }
    if let Some(inner) = e.get_ref() {
        let io = inner.downcast_ref::<std::io::Error>();
        if let Some(io) = io.or_else(|| inner.source().and_then(|s| s.downcast_ref::<std::io::Error>())) {
            return os_code(io);
        }
    }
    os_error_code(&e.to_string())
}

/// The `N` of the last "(os error N)" in `text`.
fn os_error_code(text: &str) -> Option<i32> {
    let start = text.rfind("(os error ")? + "(os error ".len();
    let len = text[start..].find(')')?;
    text[start..start + len].parse().ok()
}

/// Why an output could not be written, and what to do, by the kind of I/O error.
fn output_message(e: &std::io::Error) -> Msg {
    use std::io::ErrorKind as K;
    let os = os_text(e);
    let (ja, en) = match e.kind() {
        K::StorageFull | K::QuotaExceeded => (
            "ディスクの空きが足りないため書き出せません。空きを作ってからやり直してください",
            "cannot write it: the disk is full; free some space and try again",
        ),
        K::PermissionDenied | K::ReadOnlyFilesystem => (
            "この場所には書き込めません（読み取り専用か、書き込む権限がありません）。別の出力先を指定してください",
            "cannot write here: the folder is read-only or not yours to write; choose another output",
        ),
        K::IsADirectory => (
            "同じ名前のフォルダがあるため書き出せません。出力にはファイルの名前を指定してください",
            "cannot write it: a folder has this name; give the output a file name",
        ),
        K::NotADirectory => (
            "出力先のフォルダとして指定した名前はファイルです。フォルダを指定してください",
            "the output folder given is a file, not a folder; give a folder",
        ),
        K::NotFound => ("出力先のフォルダがありません", "the output's folder does not exist"),
        _ => ("書き出せません", "cannot write it"),
    };
    Msg::new(format!("{ja} [{os}]"), format!("{en} [{os}]"))
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            ErrorKind::Io(e) | ErrorKind::Stdout(e) | ErrorKind::Output(e) | ErrorKind::Replace(e) => Some(e),
            _ => None,
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Error {
        Error::new(ErrorKind::Io(e))
    }
}

impl From<rust_xlsxwriter::XlsxError> for Error {
    fn from(e: rust_xlsxwriter::XlsxError) -> Error {
        use rust_xlsxwriter::XlsxError;
        // Said in the run's language where a user's value can cause it; the writer's own words
        // (English) otherwise.
        let detail = match e {
            XlsxError::MaxStringLengthExceeded => Msg::new(
                "文字数が Excel のセルに入る上限（32,767 文字）を超えています",
                "the text is longer than an Excel cell holds (32,767 characters)",
            ),
            XlsxError::RowColumnLimitError => {
                Msg::new("行か列が Excel の上限を超えています", "a row or column is past Excel's limit")
            }
            e => Msg::new(e.to_string(), e.to_string()),
        };
        Error::new(ErrorKind::Write { detail })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_text_leaves_out_the_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("ない");
        let e = tempfile::Builder::new().prefix(".goalsheet-").tempfile_in(&missing).unwrap_err();
        assert!(e.to_string().contains(".goalsheet-"), "tempfile names its file: {e}");
        let system = os_text(&std::fs::read_dir(&missing).unwrap_err());
        assert_eq!(os_text(&e), system);
        assert_eq!(os_text(&std::io::Error::other("gone at path \"x.tmp\"")), "gone");
        assert_eq!(os_error_code("a (os error 2) b (os error 13) at path"), Some(13));
    }

    #[test]
    fn position_names_file_sheet_cell() {
        let e = Error::new(ErrorKind::Encrypted).in_file("課.xlsx").in_sheet("課").at_cell(CellRef::new(7, 4));
        assert_eq!(e.position(), "課.xlsx › 課!E8");
        assert!(e.render(Lang::Ja).contains("パスワード"));
        assert!(e.render(Lang::En).contains("password"));
    }

    /// Issue 14.15: disk full and a read-only folder, in one language, the output named, the
    /// system's words (without the temporary file's path) in brackets.
    #[test]
    fn output_errors_are_localised() {
        let tmp = std::io::Error::new(std::io::ErrorKind::StorageFull, std::io::Error::from_raw_os_error(28));
        let e = Error::new(ErrorKind::Output(tmp)).in_file("out/課.corrected.xlsx");
        let ja = e.render(Lang::Ja);
        assert!(ja.starts_with("out/課.corrected.xlsx: ディスクの空き"), "{ja}");
        assert!(ja.ends_with(&format!("[{}]", std::io::Error::from_raw_os_error(28))), "{ja}");
        assert!(e.render(Lang::En).contains("the disk is full"));
        let ro = Error::new(ErrorKind::Output(std::io::Error::from(std::io::ErrorKind::ReadOnlyFilesystem)));
        assert!(ro.render(Lang::Ja).starts_with("この場所には書き込めません"), "{}", ro.render(Lang::Ja));
        assert!(ro.render(Lang::En).starts_with("cannot write here"));
    }

    /// A file that exists and cannot be replaced (on Windows, open in Excel) is not reported
    /// as a read-only folder.
    #[test]
    fn an_output_that_cannot_be_replaced_says_to_close_it() {
        let denied = || std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        let e = Error::new(ErrorKind::Replace(denied())).in_file("out/課.corrected.xlsx");
        let ja = e.render(Lang::Ja);
        assert!(
            ja.starts_with(
                "out/課.corrected.xlsx: 既にあるファイルを置き換えられません。Excel などで開いているときは閉じて"
            ),
            "{ja}"
        );
        assert!(e.render(Lang::En).contains("if it is open in Excel or another program, close it"));
        let folder = Error::new(ErrorKind::Output(denied())).render(Lang::En);
        assert!(folder.starts_with("cannot write here"), "{folder}");
    }

    /// A library's own words (untranslated) only in brackets.
    #[test]
    fn untranslated_details_are_bracketed() {
        let e = Error::new(ErrorKind::Corrupt { detail: Msg::from("zip: invalid Zip archive") });
        assert_eq!(
            e.render(Lang::Ja),
            "ブックが壊れています。Excelで開いて保存し直してください [zip: invalid Zip archive]"
        );
    }

    #[test]
    fn missing_extension_is_named_as_such() {
        let e = Error::new(ErrorKind::UnsupportedFormat { extension: String::new() }).in_file("README");
        assert!(e.render(Lang::Ja).contains("拡張子のない"), "{}", e.render(Lang::Ja));
        assert!(e.render(Lang::En).contains("no extension"));
    }
}
