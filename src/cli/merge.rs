//! `goalsheet merge FILES|DIRS -o DEPT.xlsx`: the department file.
//!
//! Folders are searched recursively for workbooks (sorted; Excel's `~$` lock files skipped;
//! the output itself skipped, so it can sit in the same folder). Every input that cannot be
//! read is reported, then the run stops (exit 2). Inputs that disagree (department, year, a
//! division twice) stop the run too, unless `--force`. The output is replaced if it exists
//! (it is a generated file), written atomically; an input is never overwritten.
//!
//! A workbook and its corrected copy beside it (`fix` without --out-dir) are merged from the
//! copy (see [`goalsheet::merge::corrected_originals`]), unless the workbook was saved after
//! the copy was written: the copy would miss those edits, so the run stops and says so.

use super::{batch, err_line, out, report_error, Global, Outcome};
use goalsheet::grammar::year::parse_year_arg;
use goalsheet::merge::{department_bytes, merge_documents, Department, MergeOptions};
use goalsheet::read::inputs::InputFilter;
use goalsheet::{Error, ErrorKind, Lang, Msg};
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// 統合する課のファイル、またはそれを入れたフォルダ / the divisions' files, or folders holding them
    #[arg(required = true, value_name = "FILES|DIRS")]
    pub inputs: Vec<PathBuf>,
    /// 出力する部のファイル（.xlsx。既にあれば置き換えます） / the department file to write (.xlsx; replaced if it exists)
    #[arg(short, long, value_name = "DEPT.xlsx")]
    pub output: PathBuf,
    /// 部の名前（既定: シートの記載） / the department's name [default: as the sheets say]
    #[arg(long, value_name = "NAME")]
    pub department: Option<String>,
    /// 年度（2024、R6、令和6 など）[既定: シートの記載] / fiscal year [default: as the sheets say]
    #[arg(long, value_name = "YEAR")]
    pub year: Option<String>,
    /// 部・年度が食い違っても、同じ課が重複しても統合する（--department/--year の指定か多数の記載に揃え、重複は先に指定したものを使う。集計シートに記録） /
    /// merge even when inputs disagree (the --department/--year given or what most sheets say wins; of a division given twice the first is used; recorded on 集計)
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: Args, global: &Global) -> Outcome {
    let lang = global.lang();
    match merge(&args, global, lang) {
        Ok(()) => Outcome::Clean,
        Err(errors) => {
            for e in &errors {
                report_error(e, lang);
            }
            let output = args.output.display();
            err_line(lang.pick(
                &format!("統合を中止しました。「{output}」は書き出していません"),
                &format!("merge stopped: {output} was not written"),
            ));
            Outcome::Failed
        }
    }
}

fn usage(ja: impl Into<String>, en: impl Into<String>) -> Error {
    Error::new(ErrorKind::Usage { detail: Msg::new(ja, en) })
}

fn merge(args: &Args, global: &Global, lang: Lang) -> Result<(), Vec<Error>> {
    let one = |e: Error| vec![e];
    let is_xlsx = args.output.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if !is_xlsx {
        return Err(one(usage(
            format!("出力先「{}」は .xlsx にしてください", args.output.display()),
            format!("the output “{}” must be an .xlsx file", args.output.display()),
        )));
    }
    let year = match &args.year {
        Some(text) => Some(parse_year_arg(text).ok_or_else(|| {
            one(usage(
                format!("--year「{text}」を年度として読めません。2024、R6、令和6 のように指定してください"),
                format!("--year “{text}” is not a fiscal year; give it as 2024, R6 or 令和6"),
            ))
        })?),
        None => None,
    };
    let filter = InputFilter { skip_file: Some(args.output.clone()), ..InputFilter::default() };
    let files = super::inputs(&args.inputs, &filter, lang)
        .into_iter()
        .collect::<Result<Vec<_>, _>>()
        .map_err(|(_, e)| one(e))?;
    if let Some(f) = files.iter().find(|f| same_file(f, &args.output)) {
        return Err(one(Error::new(ErrorKind::WouldOverwriteInput).in_file(f)));
    }
    if files.is_empty() {
        return Err(one(usage(
            "統合する課のファイルが見つかりません（フォルダの中の .xlsx .xlsm .xls .ods を探します）",
            "no division files found (folders are searched for .xlsx, .xlsm, .xls and .ods files)",
        )));
    }
    if let Some(e) = stale_corrected_copy(&files) {
        return Err(one(e));
    }
    // Said before reading: every division read is held until the file is written.
    if files.len() > goalsheet::merge::MAX_DIVISIONS {
        return Err(one(goalsheet::merge::too_many_divisions(files.len())));
    }
    let mut gathered = goalsheet::merge::Gathered::default();
    let mut errors = Vec::new();
    // Read in parallel (`--jobs`), kept in input order, within a bound on the text held.
    batch::run(
        files.iter().collect(),
        &batch::Options::new(global, ("読み込み", "reading")),
        |f| goalsheet::read::read_path(f).map_err(|e| e.in_file(f)),
        |_, i, read| match read {
            // The refusal names the file whose text passed the bound.
            Ok(doc) => errors.extend(gathered.add(doc).map(|e| e.in_file(files[i].as_path()))),
            Err(e) => errors.push(e),
        },
    );
    if !errors.is_empty() {
        return Err(errors);
    }
    let docs = gathered.docs;
    let opts = MergeOptions { department: args.department.clone(), year, force: args.force, ..MergeOptions::default() };
    let dept = merge_documents(docs, &opts).map_err(one)?;
    goalsheet::merge::check_readable(&dept).map_err(|e| one(e.in_file(&args.output)))?;
    let bytes = department_bytes(&dept, lang).map_err(|e| one(e.in_file(&args.output)))?;
    super::template::write_atomically(&args.output, &bytes, true).map_err(|e| one(e.in_file(&args.output)))?;
    for n in &dept.notes {
        err_line(&format!("{}: {}", lang.pick("注意", "note"), n.get(lang)));
    }
    if !global.quiet {
        out(&done(&dept, &args.output, files.len(), lang));
    }
    Ok(())
}

/// A workbook saved after `fix` wrote its corrected copy beside it (see
/// [`goalsheet::merge::stale_corrected_copy`]), by the files' modification times.
fn stale_corrected_copy(files: &[PathBuf]) -> Option<Error> {
    let modified = |f: &Path| {
        let time = std::fs::metadata(f).and_then(|m| m.modified()).ok()?;
        time.duration_since(std::time::UNIX_EPOCH).ok().map(|d| d.as_millis())
    };
    let names: Vec<String> = files.iter().map(|f| f.to_string_lossy().into_owned()).collect();
    let times: Vec<(&str, Option<u128>)> = names.iter().zip(files).map(|(n, f)| (n.as_str(), modified(f))).collect();
    goalsheet::merge::stale_corrected_copy(&times)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// `1 file`, `2 files`.
pub fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

fn done(dept: &Department, output: &Path, files: usize, lang: Lang) -> String {
    let t = dept.totals();
    let share = t.share_achieved().map(|s| format!("{:.1}%", s * 100.0)).unwrap_or_else(|| "-".into());
    let o = output.display();
    // Grades belong to goals: they follow the goal count, not the indicators'.
    match lang {
        Lang::Ja => format!(
            "{o} を書き出しました: {}　{}　{}ファイル・{}課、目標 {}（○{} △{} ×{} 未評価{}、達成率 {share}）、指標 {}、主な取組 {}、エラー {}件・警告 {}件\n",
            dept.name, dept.year_text(), files, dept.divisions.len(), t.entries, t.achieved, t.partly,
            t.not_achieved, t.ungraded, t.indicators, t.initiatives, t.errors, t.warnings
        ),
        Lang::En => format!(
            "wrote {o}: {} {}, {}, {}, {} (○{} △{} ×{} ungraded {}, {share} achieved), {}, {}, {}, {}\n",
            dept.name, dept.year_text(), count(files, "file"), count(dept.divisions.len(), "division"),
            count(t.entries, "goal"), t.achieved, t.partly, t.not_achieved, t.ungraded,
            count(t.indicators, "indicator"), count(t.initiatives, "main initiative"), count(t.errors, "error"),
            count(t.warnings, "warning")
        ),
    }
}
