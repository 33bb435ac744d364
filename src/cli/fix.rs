//! `goalsheet fix` (and `check --fix`): write corrected workbooks with a change log.
//!
//! Every input is read, fixed ([`goalsheet::fix::fix_document`], safe fixes only unless
//! `--unsafe-fixes`), and written as `NAME.corrected.xlsx` (an .xlsm as `NAME.corrected.xlsm`)
//! beside it (or into `--out-dir`, or to `-o` for a single input): an .xlsx/.xlsm is the input
//! package patched ([`goalsheet::fix::patch`]), anything else a new .xlsx in the official
//! layout. An output that is one of the inputs is refused. With `--dry-run`
//! the changes are printed and nothing is written. A file that cannot be read or written is
//! reported and the others are still fixed; the run then ends with exit code 2.

use super::{batch, report_error, Global, Outcome};
use goalsheet::finding::Severity;
use goalsheet::fix::log;
use goalsheet::fix::output::{output_path, write_atomically, Resolver, CORRECTED_SUFFIX, CORRECTED_SUFFIX_XLSM};
use goalsheet::fix::workbook::rewritten_extension;
use goalsheet::fix::{fix_file_with, AppliedEdit, FixOptions, Fixed, HeldFix};
use goalsheet::read::inputs::InputFilter;
use goalsheet::render::{self, Checked, FileResult, Summary};
use goalsheet::rules::{check_workbook, CheckOptions};
use goalsheet::{Error, ErrorKind, Lang, Msg};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// 修正するファイルまたはフォルダ / files or folders to fix
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub fix: FixArgs,
}

/// The options `fix` and `check --fix` share.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct FixArgs {
    /// 出力ファイル（入力が1つのときだけ）[既定: 入力と同じ場所の NAME.corrected.xlsx] / output file (single input only)
    #[arg(short, long, value_name = "FILE", conflicts_with = "out_dir")]
    pub output: Option<PathBuf>,
    /// 出力先フォルダ / folder for the corrected workbooks
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    /// 内容が変わる修正（評価の再計算）も行う / also apply fixes that change what the sheet says (recomputed grades)
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// 修正内容を表示するだけで、ファイルは書き出さない / print the changes, write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// 出力先のファイルがすでにあるとき置き換える / replace an output file that already exists
    #[arg(long)]
    pub force: bool,
}

/// Everything a fix run needs.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    pub fix: FixArgs,
    pub check: CheckOptions,
    /// Remaining warnings also end the run with exit code 1.
    pub deny_warnings: bool,
    /// What stdout gets.
    pub report: Report,
}

/// What a fix run prints on stdout: its own lines (`fix`, `check --fix`), or, for `check --fix
/// --format short|json`, the findings that remain in that format, the fix's lines then going
/// to stderr so that a program reading stdout gets only the format it asked for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Report {
    #[default]
    Lines,
    Short,
    Json,
}

/// What one file's fix hands back to be printed.
struct Done {
    remain: bool,
    /// Fixes applied (or, in a dry run, that would be).
    changes: usize,
    text: String,
    counts: Summary,
    /// The remaining findings as short lines, or for JSON the file fixed (its findings are made
    /// into JSON as they are written, `json::findings_of`).
    short: String,
    json: Option<Box<FileResult>>,
}

pub fn run(args: Args, global: &Global) -> Outcome {
    run_paths(&args.paths, &RunOptions { fix: args.fix, ..RunOptions::default() }, global)
}

/// Fixes every file of `paths` (folders: their workbooks, recursively).
/// Exit: 2 when a file failed, else 1 when errors (or, with `deny_warnings`, warnings) remain.
pub fn run_paths(paths: &[PathBuf], opts: &RunOptions, global: &Global) -> Outcome {
    let lang = global.lang();
    let filter = InputFilter { skip_suffix: Some(CORRECTED_SUFFIX.to_string()), skip_file: None };
    // Corrected .xlsm files found in folders are outputs too (the filter knows one suffix).
    let inputs: Vec<_> = super::inputs(paths, &filter, lang)
        .into_iter()
        .filter(|i| match i {
            Ok(p) => paths.contains(p) || !p.to_string_lossy().ends_with(CORRECTED_SUFFIX_XLSM),
            Err(_) => true,
        })
        .collect();
    if inputs.is_empty() {
        report_error(
            &usage(Msg::new(
                "修正するブックが見つかりません（フォルダでは .xlsx .xlsm .xls .ods を探します）",
                "no workbook to fix (folders are searched for .xlsx, .xlsm, .xls and .ods files)",
            )),
            lang,
        );
        return Outcome::Failed;
    }
    if opts.fix.output.is_some() && inputs.len() != 1 {
        report_error(
            &usage(Msg::new(
                format!("-o は入力が1つのときだけ使えます（入力は {} 件）。複数のときは --out-dir でフォルダを指定してください", inputs.len()),
                format!("-o takes a single input ({} given); use --out-dir for several", inputs.len()),
            )),
            lang,
        );
        return Outcome::Failed;
    }
    if let Some(o) = &opts.fix.output {
        let ext = o.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
        if ext != "xlsx" && ext != "xlsm" {
            report_error(
                &usage(Msg::new(
                    "修正結果はブックです。-o には .xlsx（.xlsm の入力なら .xlsm）の名前を指定してください",
                    "fix writes a workbook: give -o a name ending in .xlsx (or .xlsm for an .xlsm input)",
                ))
                .in_file(o),
                lang,
            );
            return Outcome::Failed;
        }
    }
    let made = match (&opts.fix.out_dir, opts.fix.dry_run) {
        (Some(dir), false) => match super::create_out_dir(dir) {
            Ok(made) => Some(made),
            Err(e) => {
                report_error(&e, lang);
                return Outcome::Failed;
            }
        },
        _ => None,
    };
    let outcome = fix_planned(inputs, opts, lang, global);
    if let Some(made) = made {
        made.remove_if_empty();
    }
    outcome
}

/// [`run_paths`] once the output folder is there.
fn fix_planned(inputs: Vec<goalsheet::read::inputs::Input>, opts: &RunOptions, lang: Lang, global: &Global) -> Outcome {
    let (mut failed, mut findings_remain) = (false, false);
    let all: Vec<PathBuf> = inputs.iter().filter_map(|i| i.as_ref().ok().cloned()).collect();
    // Paths are resolved once each: comparing every output with every input through
    // `same_file` canonicalized n² paths (32 s of 36 for 1,000 files).
    let mut resolver = Resolver::default();
    let inputs_resolved: HashSet<PathBuf> =
        all.iter().map(|p| resolver.resolved(p).unwrap_or_else(|| p.clone())).collect();
    let mut outputs: HashSet<PathBuf> = HashSet::new();
    // Output paths are decided in input order first (a clash names the later input); the
    // files are then read, fixed and written in parallel, their lines printed in input order.
    let planned: Vec<Result<(PathBuf, PathBuf), Error>> = inputs
        .into_iter()
        .map(|input| {
            input.map_err(|(_, e)| e).and_then(|path| {
                let target = output_path(&path, opts.fix.output.as_deref(), opts.fix.out_dir.as_deref());
                let key = resolver.resolved(&target).unwrap_or_else(|| target.clone());
                if inputs_resolved.contains(&key) {
                    return Err(Error::new(ErrorKind::WouldOverwriteInput).in_file(&target));
                }
                if !outputs.insert(key) {
                    return Err(usage(Msg::new(
                        format!("「{}」には別の入力の修正結果を書き出します。ファイル名を変えるか --out-dir を分けてください", goalsheet::read::inputs::shown(&target)),
                        format!("“{}” is already the output of another input; rename one of them or use separate --out-dir folders", goalsheet::read::inputs::shown(&target)),
                    ))
                    .in_file(&path));
                }
                // A file already there may be a corrected workbook edited by hand since.
                if !opts.fix.dry_run && !opts.fix.force && target.exists() {
                    return Err(exists(&target));
                }
                Ok((path, target))
            })
        })
        .collect();
    let deny = |s: Severity| s == Severity::Error || (opts.deny_warnings && s == Severity::Warning);
    let work = |planned: Result<(PathBuf, PathBuf), Error>| {
        let (path, target) = planned?;
        let (fixed, text) = fix_one(&path, &target, opts, lang, global.quiet)?;
        let file = goalsheet::read::inputs::shown(&path);
        let remain = fixed.remaining.iter().any(|f| deny(f.severity));
        let changes = fixed.applied.len();
        let mut short = String::new();
        if opts.report == Report::Short {
            for f in &fixed.remaining {
                short.push_str(&render::short::line(&fixed.document, &file, f, lang));
                short.push('\n');
            }
        }
        let checked = Checked { document: fixed.document, findings: fixed.remaining };
        let result = FileResult { file, outcome: Ok(checked) };
        let counts = Summary::of(std::slice::from_ref(&result));
        let json = (opts.report == Report::Json).then(|| Box::new(result));
        Ok::<_, Error>(Done { remain, changes, text, counts, short, json })
    };
    let summary = std::cell::RefCell::new(Summary::default());
    let mut changes = 0;
    let files = std::cell::RefCell::new(Vec::new());
    let mut handle = |progress: &batch::Progress,
                      result: Result<Done, Error>,
                      sink: &mut dyn FnMut(serde_json::Value)| match result {
        Ok(done) => {
            findings_remain |= done.remain;
            changes += done.changes;
            *summary.borrow_mut() += &done.counts;
            if let Some(r) = &done.json {
                files.borrow_mut().push(render::json::file(r, lang));
                render::json::findings_of(r, lang, sink);
            }
            match opts.report {
                Report::Lines if !done.text.is_empty() => progress.out(&done.text),
                Report::Lines => {}
                _ => {
                    if !done.text.is_empty() {
                        super::err_line(done.text.trim_end());
                    }
                    progress.out(&done.short);
                }
            }
        }
        Err(e) => {
            failed = true;
            summary.borrow_mut().files += 1;
            summary.borrow_mut().unreadable += 1;
            if opts.report == Report::Json {
                let file = e.file.as_deref().map(goalsheet::read::inputs::shown).unwrap_or_default();
                files.borrow_mut().push(serde_json::json!({ "file": file, "error": e.message(lang) }));
            }
            progress.report_error(&e, lang);
        }
    };
    let batch_options = batch::Options::new(global, ("修正", "fixing"));
    if opts.report == Report::Json {
        let stdout = std::io::BufWriter::new(super::Stdout);
        let written = render::json::write(stdout, lang, |sink| {
            batch::run(planned, &batch_options.without_progress(), work, |progress, _, r| handle(progress, r, sink));
            render::json::Tail { files: files.take(), summary: *summary.borrow() }
        });
        if let Err(e) = written {
            report_error(&Error::new(ErrorKind::Stdout(e)), lang);
            return Outcome::Failed;
        }
    } else {
        let inputs = planned.len();
        batch::run(planned, &batch_options, work, |progress, _, r| handle(progress, r, &mut |_| {}));
        let summary = *summary.borrow();
        match opts.report {
            Report::Short => super::out(&format!("{}\n", summary.line(lang))),
            // A batch ends with its totals, so that files not fixed are not lost in a long list.
            Report::Lines if inputs > 1 && !global.quiet => {
                super::out(&batch_line(inputs, summary, changes, opts.fix.dry_run, lang));
            }
            _ => {}
        }
    }
    if failed {
        Outcome::Failed
    } else if findings_remain {
        Outcome::Findings
    } else {
        Outcome::Clean
    }
}

/// Fixes one file; returns what to print (printed by the caller, in input order).
///
/// An .xlsx/.xlsm is patched in place ([`goalsheet::fix::fix_file`]): its cells holding formulas or formatted
/// values are held from fixing. Anything else is rewritten as an .xlsx in the official layout,
/// which the output says.
fn fix_one(path: &Path, target: &Path, opts: &RunOptions, lang: Lang, quiet: bool) -> Result<(Fixed, String), Error> {
    let bytes = goalsheet::read::read_file(path)?;
    let fix_opts = FixOptions { unsafe_fixes: opts.fix.unsafe_fixes };
    let check = |d: &goalsheet::model::Document| check_workbook(d, &opts.check);
    let shown = goalsheet::read::inputs::shown(path);
    let file = Path::new(&shown).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let (doc, parts) = goalsheet::fix::read_for_fix(path, &bytes, &file)?;
    let fixed_file = fix_file_with(&bytes, doc, parts, &file, fix_opts, check).map_err(|e| e.in_file(path))?;
    let fixed = &fixed_file.fixed;
    let mut text = String::new();
    let rewritten = rewritten_extension(&file).filter(|_| !fixed_file.is_patched());
    if opts.fix.dry_run || !quiet {
        if let Some(ext) = &rewritten {
            text.push_str(&format!("{shown}: {}\n", log::rewritten_message(ext).get(lang)));
        }
        if let Some(m) = fixed.department_file_message() {
            text.push_str(&format!("{shown}: {}\n", m.get(lang)));
        }
        for h in &fixed.held {
            text.push_str(&held_line(&shown, fixed, h, lang));
            text.push('\n');
        }
    }
    // Said even with --quiet: the file is not fully fixed.
    if let Some(m) = fixed.over_budget_message() {
        text.push_str(&format!("{shown}: {}\n", m.get(lang)));
    }
    if opts.fix.dry_run {
        for e in &fixed.applied {
            text.push_str(&change_line(&shown, fixed, e, lang));
            text.push('\n');
        }
        text.push_str(&summary(&shown, fixed, None, lang));
        return Ok((fixed_file.fixed, text));
    }
    let (fixed, out) = fixed_file.into_bytes(&file, lang).map_err(|e| e.in_file(path))?;
    if !write_atomically(target, &out, opts.fix.force)? {
        // Created by another program since the run started: still not replaced.
        return Err(exists(target));
    }
    if let Some(m) = fixed.unhighlighted_message().filter(|_| !quiet) {
        text.push_str(&format!("{shown}: {}\n", m.get(lang)));
    }
    if !quiet {
        text.push_str(&summary(&shown, &fixed, Some(target), lang));
    }
    Ok((fixed, text))
}

/// `file: sheet!cell: not fixed: the cell holds a formula … [code]`.
fn held_line(file: &str, fixed: &Fixed, h: &HeldFix, lang: Lang) -> String {
    let sheet = fixed.document.sheets.get(h.location.sheet_index).map(|s| s.sheet.as_str()).unwrap_or_default();
    let place = match h.cell {
        Some(c) => format!("{sheet}!{c}"),
        // A value without a cell is named by its field, as a change line names it.
        None => format!("{sheet} {}", lang.pick(h.location.field.label_ja(), h.location.field.label_en())),
    };
    format!("{file}: {place}: {} [{}]", h.hold.message().get(lang), h.code)
}

/// `file: sheet!cell: 「before」 → 「after」 [code, 安全]`.
fn change_line(file: &str, fixed: &Fixed, e: &AppliedEdit, lang: Lang) -> String {
    let sheet = fixed.document.sheets.get(e.location.sheet_index).map(|s| s.sheet.as_str()).unwrap_or_default();
    let field = lang.pick(e.location.field.label_ja(), e.location.field.label_en());
    let place = match (sheet.is_empty(), e.cell) {
        (false, Some(c)) => format!("{sheet}!{c}"),
        (true, Some(c)) => c.to_string(),
        (false, None) => format!("{sheet} {field}"),
        (true, None) => field.to_string(),
    };
    let (open, close) = match lang {
        Lang::Ja => ("「", "」"),
        Lang::En => ("“", "”"),
    };
    format!(
        "{file}: {place}: {open}{}{close} → {open}{}{close} [{}, {}]",
        one_line(&e.before),
        one_line(&e.after_text(lang)),
        e.code,
        e.applicability_text(lang)
    )
}

fn one_line(s: &str) -> String {
    s.replace('\r', "").replace('\n', "⏎")
}

fn summary(file: &str, fixed: &Fixed, written: Option<&Path>, lang: Lang) -> String {
    // How many, and of which kind: a date made a date cell is not a typo corrected.
    let n = fixed.applied.len();
    let kinds = match (n, lang) {
        (0, _) => String::new(),
        (_, Lang::Ja) => format!("（{}）", log::applied_by_kind(fixed, lang)),
        (_, Lang::En) => format!(" ({})", log::applied_by_kind(fixed, lang)),
    };
    let r = fixed.remaining.len();
    match (written, lang) {
        (Some(p), Lang::Ja) => {
            format!(
                "{file}: {n} 件を修正{kinds}し「{}」に書き出しました（残りの指摘 {r} 件）\n",
                goalsheet::read::inputs::shown(p)
            )
        }
        (Some(p), Lang::En) => format!(
            "{file}: {}{kinds}, written to “{}” ({})\n",
            super::merge::count(n, "change"),
            goalsheet::read::inputs::shown(p),
            remain_en(r)
        ),
        (None, Lang::Ja) => {
            format!("{file}: {n} 件の修正{kinds}（試行のみ、書き出していません。残りの指摘 {r} 件）\n")
        }
        (None, Lang::En) => {
            format!(
                "{file}: {}{kinds} (dry run, nothing written; {})\n",
                super::merge::count(n, "change"),
                remain_en(r)
            )
        }
    }
}

/// The last line of a batch: how many files were fixed and written, with how many changes
/// and findings left, and how many were not (their errors are above).
fn batch_line(inputs: usize, summary: Summary, changes: usize, dry_run: bool, lang: Lang) -> String {
    let failed = summary.unreadable;
    let done = inputs - failed;
    let remain = summary.errors + summary.warnings + summary.infos;
    let mut ja = if dry_run {
        format!("{inputs} ファイル（試行のみ、書き出していません）: {done} ファイルで修正 {changes} 件、残りの指摘 {remain} 件")
    } else {
        format!("{inputs} ファイル: {done} ファイルを書き出しました（修正 {changes} 件、残りの指摘 {remain} 件）")
    };
    let remain_en =
        if remain == 1 { "1 finding remaining".to_string() } else { format!("{remain} findings remaining") };
    let mut en = format!(
        "{}{}: {done} {} ({}, {remain_en})",
        super::merge::count(inputs, "file"),
        if dry_run { ", dry run (nothing written)" } else { "" },
        if dry_run { "checked" } else { "written" },
        super::merge::count(changes, "change"),
    );
    if failed > 0 {
        ja.push_str(&format!("。{failed} ファイルはエラーで処理できませんでした（上を参照）"));
        en.push_str(&format!("; {failed} failed (see the errors above)"));
    }
    format!("{}\n", Msg::new(ja, en).get(lang))
}

/// `1 finding remains`, `2 findings remain`.
fn remain_en(r: usize) -> String {
    if r == 1 {
        "1 finding remains".to_string()
    } else {
        format!("{r} findings remain")
    }
}

/// An output that exists, refused without `--force`.
fn exists(target: &Path) -> Error {
    let shown = goalsheet::read::inputs::shown(target);
    usage(Msg::new(
        format!("「{shown}」がすでにあります（手で直したファイルかもしれません）。置き換えるときは --force を付けてください"),
        format!("“{shown}” already exists (it may have been edited by hand); add --force to replace it"),
    ))
    .in_file(target)
}

fn usage(detail: Msg) -> Error {
    Error::new(ErrorKind::Usage { detail })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 14.18: "1 findings remain" was printed.
    #[test]
    fn english_counts_agree_with_their_number() {
        assert_eq!(super::super::merge::count(1, "change"), "1 change");
        assert_eq!(super::super::merge::count(0, "main initiative"), "0 main initiatives");
        assert_eq!(remain_en(1), "1 finding remains");
        assert_eq!(remain_en(3), "3 findings remain");
    }
}
