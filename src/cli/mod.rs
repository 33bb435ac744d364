//! Command-line interface: argument parsing (clap) and one module per command.
//!
//! Everything printed lives here, at the edge; the library returns values.

use clap::{Parser, Subcommand, ValueEnum};
use goalsheet::Lang;
use std::io::Write;
use std::process::ExitCode;

/// 組織目標管理シートを検査・修正・統合・変換します。
/// Check, fix, merge and convert 組織目標管理シート.
#[derive(Debug, Parser)]
#[command(name = "goalsheet", bin_name = "goalsheet", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Clone, clap::Args)]
pub struct Global {
    /// メッセージの言語 / language of messages [default: from the locale]
    #[arg(long, global = true, value_enum)]
    pub lang: Option<LangArg>,
    /// 進捗表示などを出さない / no progress output
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// 同時に処理するファイルの数（1 で並列処理なし）[既定: CPU の数] / files processed at once (1: one at a time) [default: number of CPUs]
    #[arg(long, global = true, value_name = "N")]
    pub jobs: Option<std::num::NonZeroUsize>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LangArg {
    Ja,
    En,
}

impl Global {
    pub fn lang(&self) -> Lang {
        match self.lang {
            Some(LangArg::Ja) => Lang::Ja,
            Some(LangArg::En) => Lang::En,
            None => Lang::detect(),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 公式様式の白紙シート（または前年度から翌年度のシート）を書き出す / write a blank official sheet
    Template(template::Args),
    /// ブックを JSON・CSV・xlsx に変換する / convert between workbook, JSON and CSV
    Convert(convert::Args),
    /// シートを検査する / check sheets and report what is wrong
    Check(check::Args),
    /// 修正したブック（修正履歴つき）を書き出す / write corrected workbooks with a change log
    Fix(fix::Args),
    /// 検査規則の一覧 / list every rule
    Rules(rules::ListArgs),
    /// 検査規則の説明 / explain one rule
    Rule(rules::ExplainArgs),
    /// 課のシートを部のファイルにまとめる（集計・一覧・各課・検証結果） / merge the divisions' sheets into the department file
    Merge(merge::Args),
}

mod batch;
mod check;
mod convert;
mod fix;
mod merge;
mod next_year;
mod rules;
mod template;

/// What a command ended with.
pub enum Outcome {
    Clean,
    Findings,
    Failed,
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let outcome = match cli.command {
        Command::Template(args) => template::run(args, &cli.global),
        Command::Convert(args) => convert::run(args, &cli.global),
        Command::Check(args) => check::run(args, &cli.global),
        Command::Rules(args) => rules::list(args, &cli.global),
        Command::Rule(args) => rules::explain(args, &cli.global),
        Command::Merge(args) => merge::run(args, &cli.global),
        Command::Fix(args) => fix::run(args, &cli.global),
    };
    match outcome {
        Outcome::Clean => ExitCode::SUCCESS,
        Outcome::Findings => ExitCode::from(1),
        Outcome::Failed => ExitCode::from(2),
    }
}

/// Writes to stdout; a closed pipe (`goalsheet check | head`) is not an error.
pub fn out(text: &str) {
    let mut o = std::io::stdout().lock();
    if let Err(e) = o.write_all(text.as_bytes()).and_then(|_| o.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
    }
}

/// The files of a run ([`goalsheet::read::inputs::expand`]), after saying on stderr which
/// links were not followed because they lead back into a folder being searched.
pub fn inputs(
    paths: &[std::path::PathBuf],
    filter: &goalsheet::read::inputs::InputFilter,
    lang: Lang,
) -> Vec<goalsheet::read::inputs::Input> {
    let expanded = goalsheet::read::inputs::expand(paths, filter);
    for l in &expanded.loops {
        let l = goalsheet::read::inputs::shown(l);
        err_line(&match lang {
            Lang::Ja => {
                format!("注意: 「{l}」は自分を含むフォルダへのリンクです。たどらずに、そのフォルダを一度だけ読みます")
            }
            Lang::En => {
                format!("note: “{l}” links to a folder that contains it; not followed (that folder is read once)")
            }
        });
    }
    expanded.inputs
}

/// Standard output for writers (the JSON report): a closed pipe ends the run quietly with
/// exit 0, as [`out`] does, rather than after checking every remaining file for nobody.
pub struct Stdout;

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        quiet_on_closed_pipe(std::io::stdout().lock().write(buf))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        quiet_on_closed_pipe(std::io::stdout().lock().flush())
    }
}

fn quiet_on_closed_pipe<T>(r: std::io::Result<T>) -> std::io::Result<T> {
    if r.as_ref().is_err_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) {
        std::process::exit(0);
    }
    r
}

/// Writes one line to stderr.
pub fn err_line(text: &str) {
    let mut e = std::io::stderr().lock();
    let _ = writeln!(e, "{text}");
}

/// Reports a library error on stderr in the user's language.
pub fn report_error(e: &goalsheet::Error, lang: Lang) {
    let prefix = lang.pick("エラー", "error");
    err_line(&format!("{prefix}: {}", e.render(lang)));
}
