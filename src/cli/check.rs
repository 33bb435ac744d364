//! `goalsheet check`: read files and folders, run the rules, print the findings.

use super::{batch, out, Global, Outcome};
use clap::ValueEnum;
use goalsheet::read::inputs::InputFilter;
use goalsheet::render::{self, human::HumanOptions, Checked, FileResult, Summary};
use goalsheet::rules::files::{check_across, FileHeaders};
use goalsheet::rules::{check_document, CheckOptions, Stage};
use goalsheet::{Error, ErrorKind, Msg};
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// 検査するファイルまたはフォルダ（フォルダは中のブックをすべて） / files or folders to check
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// 出力形式 / output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// 作成時・評価時のどちらとして検査するか [既定: シートから判断] / check as plan or evaluation [default: inferred per sheet]
    #[arg(long, value_enum)]
    pub stage: Option<StageArg>,
    /// 警告も失敗として扱う（終了コード1） / also fail (exit 1) on warnings
    #[arg(long, value_enum)]
    pub deny: Option<Deny>,
    /// 修正したブックを書き出す（goalsheet fix と同じ） / write corrected workbooks, as `goalsheet fix` does
    #[arg(long)]
    pub fix: bool,
    /// --fix で内容が変わる修正（評価の再計算）も行う / with --fix, also apply unsafe fixes
    #[arg(long, requires = "fix")]
    pub unsafe_fixes: bool,
    /// --fix で、修正したブックがすでにあるとき置き換える / with --fix, replace corrected workbooks that already exist
    #[arg(long, requires = "fix")]
    pub force: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// 読みやすい表示 / diagnostics pointing into the cells
    Human,
    /// 1件1行 / one line per finding
    Short,
    /// JSON (docs/check-json.md)
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StageArg {
    /// 作成時 / plan
    Plan,
    /// 評価時 / evaluation
    Evaluation,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Deny {
    /// 警告 / warnings
    Warnings,
}

pub fn run(args: Args, global: &Global) -> Outcome {
    let lang = global.lang();
    let opts = CheckOptions {
        stage: args.stage.map(|s| match s {
            StageArg::Plan => Stage::Plan,
            StageArg::Evaluation => Stage::Evaluation,
        }),
    };
    if args.fix {
        let fix = super::fix::FixArgs { unsafe_fixes: args.unsafe_fixes, force: args.force, ..Default::default() };
        let report = match args.format {
            Format::Human => super::fix::Report::Lines,
            Format::Short => super::fix::Report::Short,
            Format::Json => super::fix::Report::Json,
        };
        let run = super::fix::RunOptions { fix, check: opts, deny_warnings: args.deny.is_some(), report };
        return super::fix::run_paths(&args.paths, &run, global);
    }
    let inputs = super::inputs(&args.paths, &InputFilter::default(), lang);
    if inputs.is_empty() {
        let e = Error::new(ErrorKind::Usage {
            detail: Msg::new(
                "検査するブックが見つかりません（フォルダでは .xlsx .xlsm .xls .ods を探します）",
                "no workbook to check (folders are searched for .xlsx, .xlsm, .xls and .ods files)",
            ),
        });
        super::report_error(&e, lang);
        return Outcome::Failed;
    }
    corrected_copies_note(&inputs, lang);
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let (width, ascii) = (global.width(), global.ascii());
    let format = args.format;
    let mut batch = batch::Options::new(global, ("検査", "checking"));
    if format == Format::Json {
        batch = batch.without_progress();
    }
    // Each file is read, checked and rendered on a worker; only its text and counts come back,
    // in input order, so the documents of a large batch are never all in memory at once. For
    // JSON the document and findings come back, and each finding goes straight to the
    // serializer writing stdout (the workers run at most a few files ahead of it).
    let mut summary = Summary::default();
    let work = |input: goalsheet::read::inputs::Input| {
        let (path, outcome) = match input {
            Ok(path) => {
                let outcome = goalsheet::read::read_path_for(&path, goalsheet::read::Purpose::Check).map(|document| {
                    let mut findings = check_document(&document, &opts);
                    goalsheet::fix::mark_held(&document, &path.to_string_lossy(), &mut findings);
                    Checked { document, findings }
                });
                (path, outcome)
            }
            Err((path, e)) => (path, Err(e)),
        };
        let result = [FileResult { file: goalsheet::read::inputs::shown(&path), outcome }];
        let counts = Summary::of(&result);
        // What the cross-file rules need of the file: its sheets' header fields and cells.
        let identity = result[0]
            .outcome
            .as_ref()
            .ok()
            .map(|c| (FileHeaders::of(result[0].file.clone(), &c.document), counts.errors + counts.warnings == 0));
        let rendered = match format {
            Format::Human => {
                let text = render::human::render(&result, lang, HumanOptions { color, width, ascii });
                Rendered::Text(without_summary(text, &counts, lang))
            }
            Format::Short => Rendered::Text(without_summary(render::short::render(&result, lang), &counts, lang)),
            // The findings are made into JSON as they are written (`json::findings_of`).
            Format::Json => {
                let [result] = result;
                Rendered::Json(Box::new(result))
            }
        };
        (counts, rendered, identity)
    };
    // Each file read: what the cross-file rules need of it, and whether it had no error or
    // warning of its own.
    let mut identities: Vec<(FileHeaders, bool)> = Vec::new();
    match format {
        Format::Human | Format::Short => {
            batch::run(inputs, &batch, work, |progress, _, (counts, rendered, identity)| {
                summary += &counts;
                identities.extend(identity);
                if let Rendered::Text(text) = rendered {
                    if !text.is_empty() {
                        progress.out(&text);
                    }
                }
            });
            let (identities, clean_own): (Vec<FileHeaders>, Vec<bool>) = identities.into_iter().unzip();
            let across = across_files(&identities, &mut summary);
            for r in &across {
                let text = match format {
                    Format::Human => render::human::render(
                        std::slice::from_ref(r),
                        lang,
                        HumanOptions { color, ..HumanOptions::default() },
                    ),
                    _ => render::short::render(std::slice::from_ref(r), lang),
                };
                out(&without_summary(text, &Summary::of(std::slice::from_ref(r)), lang));
            }
            if format == Format::Human && summary.files > 1 {
                let clean: Vec<String> = identities
                    .iter()
                    .zip(&clean_own)
                    .filter(|(h, clean)| **clean && !across.iter().any(|r| r.file == h.file))
                    .map(|(h, _)| h.file.clone())
                    .collect();
                out(&render::human::clean_files(&clean, lang));
            }
            out(&format!("{}\n", summary.line(lang)));
        }
        Format::Json => {
            let stdout = std::io::BufWriter::new(super::Stdout);
            let written = render::json::write(stdout, lang, |sink| {
                let mut files = Vec::new();
                batch::run(inputs, &batch, work, |_, _, (counts, rendered, identity)| {
                    summary += &counts;
                    identities.extend(identity);
                    if let Rendered::Json(r) = rendered {
                        files.push(render::json::file(&r, lang));
                        render::json::findings_of(&r, lang, sink);
                    }
                });
                let identities: Vec<FileHeaders> = identities.drain(..).map(|(h, _)| h).collect();
                for r in across_files(&identities, &mut summary) {
                    render::json::findings_of(&r, lang, sink);
                }
                render::json::Tail { files, summary }
            });
            if let Err(e) = written {
                super::report_error(&Error::new(ErrorKind::Stdout(e)), lang);
                return Outcome::Failed;
            }
        }
    }
    if summary.unreadable > 0 {
        Outcome::Failed
    } else if summary.errors > 0 || (args.deny == Some(Deny::Warnings) && summary.warnings > 0) {
        Outcome::Findings
    } else {
        Outcome::Clean
    }
}

/// Runs the cross-file rules (what merge would refuse) over the files read, adds their
/// findings to the summary and returns them by file, in input order.
fn across_files(files: &[FileHeaders], summary: &mut Summary) -> Vec<FileResult> {
    let by_file: Vec<FileResult> = check_across(files)
        .into_iter()
        .map(|(i, findings)| FileResult {
            file: files[i].file.clone(),
            outcome: Ok(Checked { document: files[i].document.clone(), findings }),
        })
        .collect();
    let mut counts = Summary::of(&by_file);
    counts.files = 0; // the files are counted already
    *summary += &counts;
    by_file
}

/// One file's output, made on a worker.
enum Rendered {
    Text(String),
    /// The file checked, its findings to be written as JSON by the calling thread.
    Json(Box<FileResult>),
}

/// A one-file rendering without the summary line the renderers end with (the run prints one
/// summary for all files at the end).
fn without_summary(mut text: String, counts: &Summary, lang: goalsheet::Lang) -> String {
    let line = format!("{}\n", counts.line(lang));
    if text.ends_with(&line) {
        text.truncate(text.len() - line.len());
    }
    text
}

/// After `fix` without --out-dir, a folder holds each workbook beside its corrected copy, and
/// checking it again shows the originals' findings too: one note says which files have a
/// copy, and that merge takes the copies.
fn corrected_copies_note(inputs: &[goalsheet::read::inputs::Input], lang: goalsheet::Lang) {
    use goalsheet::Lang;
    let names: Vec<String> =
        inputs.iter().map(|i| i.as_ref().unwrap_or_else(|(p, _)| p).to_string_lossy().into_owned()).collect();
    let refs: Vec<Option<&str>> = names.iter().map(|n| Some(n.as_str())).collect();
    let originals: Vec<&str> = goalsheet::merge::corrected_originals(&refs)
        .iter()
        .zip(&names)
        .filter(|(copy, _)| copy.is_some())
        .map(|(_, name)| name.as_str())
        .collect();
    let Some(first) = originals.first() else { return };
    let others = originals.len() - 1;
    super::err_line(&match (lang, others) {
        (Lang::Ja, 0) => format!("注意: 「{first}」の隣に、それを修正したブック（.corrected）があります。両方を検査します。統合では修正したブックを使います"),
        (Lang::Ja, n) => format!("注意: 「{first}」ほか {n} 件の隣に、それを修正したブック（.corrected）があります。両方を検査します。統合では修正したブックを使います"),
        (Lang::En, 0) => format!("note: “{first}” has its corrected copy (.corrected) beside it; both are checked, and merge takes the copy"),
        (Lang::En, n) => format!("note: “{first}” and {n} other file(s) have their corrected copy (.corrected) beside them; both are checked, and merge takes the copies"),
    });
}
