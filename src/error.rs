//! Errors: the tool could not do its job for one file (exit code 2).
//!
//! Like the csv crate's errors, an [`Error`] carries a kind and a position: the file and, where
//! it applies, the sheet and cell. Every kind has a message in Japanese and in English
//! ([`Error::message`]); `Display` gives the English one with the position.

use crate::address::CellRef;
use crate::lang::{Lang, Msg};
use std::fmt;
use std::path::{Path, PathBuf};

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
    /// The workbook is password-protected.
    Encrypted,
    /// The file would need more memory or time than a goal sheet ever can.
    /// `detail` says what is too large and what the limit is.
    TooLarge { detail: Msg },
    /// No sheet of the workbook is a goal sheet.
    NoGoalSheet { sheets: Vec<String> },
    /// JSON that is not a goalsheet document.
    Json { detail: String },
    /// CSV that could not be read.
    Csv { detail: String },
    /// Text that the chosen encoding cannot hold (Shift_JIS export).
    Unencodable { character: char, encoding: String },
    /// Every character of a document that the chosen encoding cannot hold, each with where it is
    /// (CSV export to Shift_JIS reports them all at once instead of stopping at the first).
    UnencodableCells { encoding: String, places: Vec<UnencodablePlace> },
    /// The output would overwrite an input.
    WouldOverwriteInput,
    /// Inputs that cannot go together (merge: other department, other year, same division twice).
    Conflict { detail: Msg },
    /// Invalid arguments or options.
    Usage { detail: Msg },
    /// The workbook writer failed.
    Write { detail: String },
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
    pub character: char,
}

impl UnencodablePlace {
    fn describe(&self, lang: Lang) -> String {
        let c = self.character;
        let code = c as u32;
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
            Lang::Ja => format!("{at}（{field}）: 「{c}」(U+{code:04X})"),
            Lang::En => format!("{at} ({field}): “{c}” (U+{code:04X})"),
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
                format!("ファイルを開く権限がありません。Excelで開いているときは閉じてからやり直してください: {e}"),
                format!("permission denied; if the file is open in Excel, close it and try again: {e}"),
            ),
            ErrorKind::Io(e) => Msg::new(format!("ファイルを読み書きできません: {e}"), format!("cannot read or write the file: {e}")),
            ErrorKind::Stdout(e) => Msg::new(
                format!("標準出力に書き込めません。出力は途中までです: {e}"),
                format!("cannot write to standard output; the output is incomplete: {e}"),
            ),
            ErrorKind::UnsupportedFormat { extension } if extension.is_empty() => Msg::new(
                "拡張子のないファイルは読み込めません。.xlsx .xlsm .xls .ods .csv .json のいずれかを指定してください",
                "the file has no extension; give an .xlsx, .xlsm, .xls, .ods, .csv or .json file",
            ),
            ErrorKind::UnsupportedFormat { extension } => Msg::new(
                format!("「.{extension}」は読み込めない形式です。.xlsx .xlsm .xls .ods .csv .json のいずれかを指定してください"),
                format!("“.{extension}” is not a format goalsheet reads; give an .xlsx, .xlsm, .xls, .ods, .csv or .json file"),
            ),
            ErrorKind::NotAWorkbook { detail } => Msg::new(
                format!("Excelのブックとして読めません: {}", detail.ja),
                format!("not a workbook (empty, damaged, or its content does not match its extension): {}", detail.en),
            ),
            ErrorKind::Corrupt { detail } => Msg::new(
                format!("ブックが壊れています。Excelで開いて保存し直してください（詳細: {}）", detail.ja),
                format!("the workbook is damaged; open it in Excel and save it again: {}", detail.en),
            ),
            ErrorKind::Encrypted => Msg::new(
                "パスワードで保護されたブックは読めません。Excelで開き、［ファイル］→［情報］→［ブックの保護］→［パスワードを使用して暗号化］でパスワードを消してから保存し直してください",
                "the workbook is password-protected; open it in Excel, remove the password (File → Info → Protect Workbook → Encrypt with Password, clear it) and save it again",
            ),
            ErrorKind::TooLarge { detail } => Msg::new(
                format!("組織目標管理シートとしては大きすぎます（{}）", detail.ja),
                format!("too large for a goal sheet ({})", detail.en),
            ),
            ErrorKind::NoGoalSheet { sheets } if sheets.is_empty() => Msg::new(
                "組織目標管理シートがありません。ファイルに取組の行がひとつもありません（CSV は見出しの行だけ、JSON は空です）",
                "no goal sheet: the file holds no rows (a CSV with only its header row, or empty JSON)",
            ),
            ErrorKind::NoGoalSheet { sheets } => Msg::new(
                format!(
                    "組織目標管理シートが見つかりません。「組織目標」「評価」「目標達成状況」などの見出し行を探しましたが、どのシートにもありませんでした（シート: {}）",
                    sheets.join("、")
                ),
                format!(
                    "no goal sheet found: looked for a table header with 組織目標, 評価, 目標達成状況 … on every sheet (sheets: {})",
                    sheets.join(", ")
                ),
            ),
            ErrorKind::Json { detail } => {
                Msg::new(format!("JSONを読み込めません: {detail}"), format!("cannot read the JSON: {detail}"))
            }
            ErrorKind::Csv { detail } => Msg::new(format!("CSVを読み込めません: {detail}"), format!("cannot read the CSV: {detail}")),
            ErrorKind::Unencodable { character, encoding } => Msg::new(
                format!("「{character}」(U+{:04X}) は {encoding} で表せません。別の文字に直すか UTF-8 で出力してください", *character as u32),
                format!("“{character}” (U+{:04X}) cannot be written in {encoding}; replace it or write UTF-8", *character as u32),
            ),
            ErrorKind::UnencodableCells { encoding, places } => Msg::new(
                format!(
                    "{encoding} で表せない文字が{}か所あります。その文字を別の文字に直すか、UTF-8（既定）で出力してください:\n{}",
                    places.len(),
                    places.iter().map(|p| format!("  {}", p.describe(Lang::Ja))).collect::<Vec<_>>().join("\n")
                ),
                format!(
                    "{} character(s) cannot be written in {encoding}; replace them or write UTF-8 (the default):\n{}",
                    places.len(),
                    places.iter().map(|p| format!("  {}", p.describe(Lang::En))).collect::<Vec<_>>().join("\n")
                ),
            ),
            ErrorKind::WouldOverwriteInput => Msg::new(
                "出力先が入力ファイルと同じです。入力ファイルは上書きしません。別の出力先を指定してください",
                "the output is one of the inputs; goalsheet never overwrites an input, choose another output",
            ),
            ErrorKind::Conflict { detail } | ErrorKind::Usage { detail } => detail.clone(),
            ErrorKind::Write { detail } => {
                Msg::new(format!("ブックを書き出せません: {detail}"), format!("cannot write the workbook: {detail}"))
            }
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

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            ErrorKind::Io(e) | ErrorKind::Stdout(e) => Some(e),
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
        Error::new(ErrorKind::Write { detail: e.to_string() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn position_names_file_sheet_cell() {
        let e = Error::new(ErrorKind::Encrypted).in_file("課.xlsx").in_sheet("課").at_cell(CellRef::new(7, 4));
        assert_eq!(e.position(), "課.xlsx › 課!E8");
        assert!(e.render(Lang::Ja).contains("パスワード"));
        assert!(e.render(Lang::En).contains("password"));
    }

    #[test]
    fn missing_extension_is_named_as_such() {
        let e = Error::new(ErrorKind::UnsupportedFormat { extension: String::new() }).in_file("README");
        assert!(e.render(Lang::Ja).contains("拡張子のない"), "{}", e.render(Lang::Ja));
        assert!(e.render(Lang::En).contains("no extension"));
    }
}
