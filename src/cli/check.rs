//! `goalsheet check`: read files and folders, run the rules, print the findings.

use super::{batch, out, Global, Outcome};
use clap::ValueEnum;
use goalsheet::read::inputs::InputFilter;
use goalsheet::render::{self, human::HumanOptions, Checked, FileResult, Summary};
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
        let fix = super::fix::FixArgs { unsafe_fixes: args.unsafe_fixes, ..Default::default() };
        let run = super::fix::RunOptions { fix, check: opts, deny_warnings: args.deny.is_some() };
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
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let format = args.format;
    let mut batch = batch::Options::new(global, ("検査", "checking"));
    if format == Format::Json {
        batch = batch.without_progress();
    }
    // Each file is read, checked and rendered on a worker; only its text (or JSON values) and
    // counts come back, so the documents of a large batch are never all in memory at once.
    let mut summary = Summary::default();
    let mut json_files = Vec::new();
    let mut json_findings = Spill::default();
    batch::run(
        inputs,
        &batch,
        |input| {
            let (path, outcome) = match input {
                Ok(path) => {
                    let outcome = goalsheet::read::read_path(&path).map(|document| {
                        let findings = check_document(&document, &opts);
                        Checked { document, findings }
                    });
                    (path, outcome)
                }
                Err((path, e)) => (path, Err(e)),
            };
            let result = [FileResult { file: goalsheet::read::inputs::shown(&path), outcome }];
            let counts = Summary::of(&result);
            let rendered = match format {
                Format::Human => {
                    let text = render::human::render(&result, lang, HumanOptions { color, ..HumanOptions::default() });
                    Rendered::Text(without_summary(text, &counts, lang))
                }
                Format::Short => Rendered::Text(without_summary(render::short::render(&result, lang), &counts, lang)),
                Format::Json => {
                    let mut report = render::json::report(&result, lang);
                    let mut files = Vec::new();
                    take_array(&mut report, "files", &mut files);
                    let mut findings = Vec::new();
                    take_array(&mut report, "findings", &mut findings);
                    // Pretty-printed here, in parallel, as they sit in the whole report: an
                    // element of a top-level array, indented by four spaces.
                    let findings = findings
                        .iter()
                        .map(|f| {
                            let text = serde_json::to_string_pretty(f).unwrap_or_default();
                            text.lines().map(|l| format!("    {l}")).collect::<Vec<_>>().join("\n")
                        })
                        .collect();
                    Rendered::Json { files, findings }
                }
            };
            (counts, rendered)
        },
        |progress, _, (counts, rendered)| {
            add(&mut summary, &counts);
            match rendered {
                Rendered::Text(text) => {
                    if !text.is_empty() {
                        progress.out(&text);
                    }
                }
                Rendered::Json { mut files, findings } => {
                    json_files.append(&mut files);
                    for f in findings {
                        json_findings.push(&f);
                    }
                }
            }
        },
    );
    match format {
        Format::Human | Format::Short => out(&format!("{}\n", summary.line(lang))),
        Format::Json => {
            // The report render::json::render gives for the whole run, with the findings
            // (which may be many) streamed from where they were kept.
            let mut report = render::json::report(&[], lang);
            report["files"] = serde_json::Value::Array(json_files);
            report["summary"] = serde_json::to_value(summary).unwrap_or_default();
            let text = serde_json::to_string_pretty(&report).unwrap_or_default();
            const EMPTY: &str = "\n  \"findings\": [],\n";
            match text.split_once(EMPTY) {
                Some((head, tail)) if !json_findings.is_empty() => {
                    out(&format!("{head}\n  \"findings\": [\n"));
                    if let Err(e) = json_findings.stream(out) {
                        super::report_error(&Error::from(e), lang);
                        return Outcome::Failed;
                    }
                    out(&format!("\n  ],\n{tail}\n"));
                }
                _ => out(&format!("{text}\n")),
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

/// One file's output, made on a worker.
enum Rendered {
    Text(String),
    /// The file's entries of the report's `files`, and its findings as pretty-printed text.
    Json {
        files: Vec<serde_json::Value>,
        findings: Vec<String>,
    },
}

/// The findings of a JSON report, kept until the end of the run (the report's `files` come
/// first): in memory up to [`Spill::MEMORY`] bytes, then in a temporary file, so that a run
/// over 10,000 workbooks does not hold every finding in memory.
#[derive(Default)]
struct Spill {
    memory: String,
    file: Option<std::io::BufWriter<std::fs::File>>,
    /// The first error writing the temporary file.
    error: Option<std::io::Error>,
}

impl Spill {
    const MEMORY: usize = 8 << 20;

    fn is_empty(&self) -> bool {
        self.memory.is_empty() && self.file.is_none()
    }

    /// Adds one pretty-printed finding.
    fn push(&mut self, finding: &str) {
        use std::io::Write;
        if !self.is_empty() {
            self.memory.push_str(",\n");
        }
        self.memory.push_str(finding);
        if self.memory.len() < Self::MEMORY || self.error.is_some() {
            return;
        }
        if self.file.is_none() {
            match tempfile::tempfile() {
                Ok(f) => self.file = Some(std::io::BufWriter::new(f)),
                Err(_) => return, // no temporary file: keep everything in memory
            }
        }
        if let Some(f) = &mut self.file {
            match f.write_all(self.memory.as_bytes()) {
                Ok(()) => self.memory.clear(),
                Err(e) => self.error = Some(e),
            }
        }
    }

    /// Hands everything kept, in order, to `sink`.
    fn stream(self, sink: impl Fn(&str)) -> std::io::Result<()> {
        use std::io::{Read, Seek};
        if let Some(e) = self.error {
            return Err(e);
        }
        if let Some(f) = self.file {
            let mut f = f.into_inner().map_err(|e| e.into_error())?;
            f.rewind()?;
            let mut buf = vec![0; 1 << 16];
            let mut pending = Vec::new();
            loop {
                let n = f.read(&mut buf)?;
                if n == 0 {
                    break;
                }
                pending.extend_from_slice(&buf[..n]);
                // Hand over whole UTF-8 characters only.
                let valid = match std::str::from_utf8(&pending) {
                    Ok(_) => pending.len(),
                    Err(e) => e.valid_up_to(),
                };
                sink(std::str::from_utf8(&pending[..valid]).unwrap_or_default());
                pending.drain(..valid);
            }
        }
        sink(&self.memory);
        Ok(())
    }
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

/// Moves the elements of `report[key]` (an array) to the end of `into`.
fn take_array(report: &mut serde_json::Value, key: &str, into: &mut Vec<serde_json::Value>) {
    if let Some(serde_json::Value::Array(items)) = report.get_mut(key) {
        into.append(items);
    }
}

/// Adds one file's counts to the run's.
fn add(total: &mut Summary, one: &Summary) {
    total.files += one.files;
    total.unreadable += one.unreadable;
    total.errors += one.errors;
    total.warnings += one.warnings;
    total.infos += one.infos;
    total.fixable += one.fixable;
    total.unsafe_fixable += one.unsafe_fixable;
}
