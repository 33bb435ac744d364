//! `goalsheet convert IN -o OUT`: any readable file to JSON, CSV or an official-layout workbook.
//!
//! The output format follows OUT's extension (or `--to`, needed for `-o -`, which writes to
//! stdout). An input is never overwritten, an existing output only with `--force`, and files
//! are written atomically (a temporary file in the same folder, then renamed), so an
//! interrupted run never leaves half a file behind.

use super::{err_line, report_error, Global, Outcome};
use goalsheet::convert::{csv, json};
use goalsheet::error::{Error, ErrorKind};
use goalsheet::{Document, Lang, Msg};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// 変換するファイル（.xlsx .xlsm .xls .ods .csv .json） / the file to convert
    pub input: PathBuf,
    /// 出力先（.json .csv .xlsx。- で標準出力） / output file (.json, .csv, .xlsx; - for stdout)
    #[arg(short, long, value_name = "OUT")]
    pub output: PathBuf,
    /// 出力形式（拡張子より優先。-o - のときの既定は json） / output format (overrides the extension; json for -o -)
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub to: Option<Format>,
    /// CSV の文字コード（既定: utf-8、BOM付き） / CSV encoding [default: utf-8, with BOM]
    #[arg(long, value_enum, value_name = "ENCODING")]
    pub encoding: Option<EncodingArg>,
    /// 出力先がすでにあるとき上書きする / overwrite OUT if it exists
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Json,
    Csv,
    Xlsx,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum EncodingArg {
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    #[value(name = "shift_jis", alias = "sjis", alias = "cp932", alias = "shift-jis")]
    ShiftJis,
}

pub fn run(args: Args, global: &Global) -> Outcome {
    let lang = global.lang();
    match convert(&args, global, lang) {
        Ok(()) => Outcome::Clean,
        Err(e) => {
            report_error(&e, lang);
            Outcome::Failed
        }
    }
}

fn usage(ja: impl Into<String>, en: impl Into<String>) -> Error {
    Error::new(ErrorKind::Usage { detail: Msg::new(ja, en) })
}

fn convert(args: &Args, global: &Global, lang: Lang) -> Result<(), Error> {
    let to_stdout = args.output.as_os_str() == "-";
    let format = output_format(args, to_stdout)?;
    if args.encoding.is_some() && format != Format::Csv {
        return Err(usage("--encoding は CSV を出力するときだけ指定できます", "--encoding applies only to CSV output"));
    }
    if format == Format::Xlsx && to_stdout && std::io::stdout().is_terminal() {
        return Err(usage(
            "xlsx は画面に出力できません。-o でファイル名を指定してください",
            "cannot write an xlsx workbook to the terminal; give a file name with -o",
        ));
    }
    if !to_stdout {
        check_output(&args.input, &args.output, args.force)?;
    }

    let doc = goalsheet::read::read_path(&args.input).map_err(|e| e.in_file(&args.input))?;
    if !global.quiet {
        note_ignored_csv_columns(&args.input, lang);
    }

    let encoding = match args.encoding {
        Some(EncodingArg::ShiftJis) => csv::Encoding::ShiftJis,
        _ => csv::Encoding::Utf8Bom,
    };
    // CSV and JSON are written as they are made (a CSV repeats a sheet's values on every row,
    // so it can be far larger than the workbook).
    let write = |w: &mut dyn Write| -> Result<(), Error> {
        match format {
            Format::Json => json::to_writer(&doc, w),
            Format::Csv => csv::encode_to(&doc, encoding, w)
                .map(|subs| note_substitutions(&subs, lang))
                // The cells named are the input's.
                .map_err(|e| match e.kind {
                    ErrorKind::UnencodableCells { .. } => e.in_file(&args.input),
                    _ => e,
                }),
            Format::Xlsx => w.write_all(&goalsheet::write::workbook_bytes_in(&doc, lang)?).map_err(Error::from),
        }
    };
    if to_stdout {
        super::write_stdout(write)?;
    } else {
        let written = goalsheet::fix::output::write_atomically_with(&args.output, args.force, write)?;
        if !written {
            // Another program created it since it was checked: still never overwritten.
            return Err(exists_error().in_file(&args.output));
        }
    }
    if !global.quiet {
        if let Some(m) = (format == Format::Csv).then(|| csv::left_out_message(&doc)).flatten() {
            err_line(&format!("{}: {}", lang.pick("注意", "note"), m.get(lang)));
        }
        done(&args.input, &args.output, to_stdout, &doc, lang);
    }
    Ok(())
}

fn exists_error() -> Error {
    usage(
        "出力先のファイルがすでにあります。上書きするときは --force を付けてください",
        "the output file already exists; add --force to overwrite it",
    )
}

/// `--to`, else OUT's extension, else JSON for stdout.
fn output_format(args: &Args, to_stdout: bool) -> Result<Format, Error> {
    let ext = args.output.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    let by_extension = match ext.as_str() {
        "json" => Some(Format::Json),
        "csv" => Some(Format::Csv),
        "xlsx" => Some(Format::Xlsx),
        _ => None,
    };
    match (args.to, by_extension) {
        (Some(to), Some(ext)) if to != ext && !to_stdout => Err(usage(
            format!("--to の形式と出力先「{}」の拡張子が合っていません", args.output.display()),
            format!("--to does not match the extension of the output “{}”", args.output.display()),
        )
        .in_file(&args.output)),
        (Some(to), _) => Ok(to),
        (None, _) if to_stdout => Ok(Format::Json),
        (None, Some(ext)) => Ok(ext),
        (None, None) => Err(usage(
            format!("出力先「{}」の拡張子は .json .csv .xlsx のいずれかにしてください（または --to で形式を指定してください）", args.output.display()),
            format!("the output “{}” must end in .json, .csv or .xlsx (or give the format with --to)", args.output.display()),
        )
        .in_file(&args.output)),
    }
}

/// Refuses to overwrite the input, and an existing output without `--force`.
fn check_output(input: &Path, output: &Path, force: bool) -> Result<(), Error> {
    if !output.exists() {
        return Ok(());
    }
    let same = match (input.canonicalize(), output.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => input == output,
    };
    if same {
        return Err(Error::new(ErrorKind::WouldOverwriteInput).in_file(output));
    }
    if !force {
        return Err(exists_error().in_file(output));
    }
    Ok(())
}

/// Says which columns of a CSV input were not read (nothing for other inputs).
fn note_ignored_csv_columns(input: &Path, lang: Lang) {
    let is_csv = input.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if !is_csv {
        return;
    }
    let Ok(read) = goalsheet::read::read_file(input).and_then(|b| csv::read(&b)) else { return };
    if read.ignored_columns.is_empty() {
        return;
    }
    let cols = read.ignored_columns.join(lang.pick("、", ", "));
    err_line(&match lang {
        Lang::Ja => format!("注意: 次の列は見出しが分からないため読み込みませんでした: {cols}"),
        Lang::En => format!("note: these columns have headers goalsheet does not know and were not read: {cols}"),
    });
}

/// Says which characters were replaced by their Shift_JIS lookalikes.
fn note_substitutions(subs: &[csv::Substitution], lang: Lang) {
    if subs.is_empty() {
        return;
    }
    let list = subs
        .iter()
        .map(|s| match lang {
            Lang::Ja => format!("「{}」→「{}」（{}か所）", s.from, s.to, s.cells),
            Lang::En => format!("“{}” → “{}” ({} cell(s))", s.from, s.to, s.cells),
        })
        .collect::<Vec<_>>()
        .join(lang.pick("、", ", "));
    err_line(&match lang {
        Lang::Ja => format!("注意: Shift_JIS で表せない文字を、Windows で同じに見える文字に置き換えました: {list}"),
        Lang::En => {
            format!("note: replaced characters Shift_JIS cannot hold with the ones Windows shows for them: {list}")
        }
    });
}

fn done(input: &Path, output: &Path, to_stdout: bool, doc: &Document, lang: Lang) {
    let sheets = doc.sheets.len();
    let indicators: usize = doc.sheets.iter().map(|s| s.indicator_count()).sum();
    let out = if to_stdout { lang.pick("標準出力", "stdout").to_string() } else { output.display().to_string() };
    err_line(&match lang {
        Lang::Ja => format!("変換しました: {} → {out}（{sheets}シート、指標{indicators}件）", input.display()),
        Lang::En => format!(
            "converted {} → {out} ({}, {})",
            input.display(),
            super::merge::count(sheets, "sheet"),
            super::merge::count(indicators, "indicator")
        ),
    });
}
