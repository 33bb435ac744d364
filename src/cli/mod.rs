//! Command-line interface: argument parsing (clap) and one module per command.
//!
//! Everything printed lives here, at the edge; the library returns values.

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use goalsheet::Lang;
use std::io::Write;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

/// 組織目標管理シートを検査・修正・統合・変換します。
/// Check, fix, merge and convert 組織目標管理シート.
#[derive(Debug, Parser)]
#[command(name = "goalsheet", bin_name = "goalsheet", version, about)]
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
    /// 表示の幅（桁数）[既定: 端末の幅、COLUMNS] / output width in columns [default: the terminal's, or COLUMNS]
    #[arg(long, global = true, value_name = "N")]
    pub width: Option<std::num::NonZeroUsize>,
    /// 罫線文字を使わず ASCII だけで表示する（UTF-8 でない端末では自動。--plain も可） / draw with ASCII only, no box-drawing characters (automatic on a terminal that is not UTF-8; also --plain)
    #[arg(long, global = true, alias = "plain")]
    pub ascii: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LangArg {
    Ja,
    En,
}

impl Global {
    /// The width to wrap at: `--width`, else the terminal's ([`terminal_width`]).
    pub fn width(&self) -> usize {
        self.width.map(|w| w.get()).unwrap_or_else(terminal_width)
    }

    /// Whether to draw with ASCII only: `--ascii`, or a console that is not UTF-8.
    pub fn ascii(&self) -> bool {
        self.ascii || !utf8_console()
    }

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
mod help;
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

/// The terminal's width: `COLUMNS` when set (shells export it, and it lets a user or a test
/// choose), else the width of the terminal on stdout or stderr, else 100 (output to a file).
pub fn terminal_width() -> usize {
    if let Some(n) = std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse::<usize>().ok()).filter(|n| *n > 0) {
        return n;
    }
    let size = terminal_size::terminal_size_of(std::io::stdout())
        .or_else(|| terminal_size::terminal_size_of(std::io::stderr()));
    size.map_or(100, |(w, _)| usize::from(w.0))
}

/// Whether the console shows UTF-8: on Unix, unless the locale names another character set
/// (`ja_JP.eucJP`, `ja_JP.SJIS`); on Windows only in Windows Terminal (`WT_SESSION`), since
/// the legacy console runs in code page 932.
fn utf8_console() -> bool {
    if cfg!(windows) {
        return std::env::var_os("WT_SESSION").is_some();
    }
    let locale = ["LC_ALL", "LC_CTYPE", "LANG"].iter().find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()));
    match locale.as_deref().and_then(|l| l.split_once('.')) {
        Some((_, charset)) => {
            let c = charset.split('@').next().unwrap_or_default().to_ascii_lowercase();
            c == "utf-8" || c == "utf8"
        }
        // `C`, `POSIX`, `ja_JP` without a character set, or nothing: assume a UTF-8 terminal.
        None => true,
    }
}

pub fn main() -> ExitCode {
    goalsheet::read::install_panic_hook();
    small_thread_stacks();
    // Ctrl-C and SIGTERM end the run at once: the temporary files being written go with it.
    let _ = ctrlc::set_handler(|| {
        goalsheet::fix::output::remove_temporary_files();
        std::process::exit(130);
    });
    // Help is in the run's language, and wraps at the terminal's width (clap would cap it at
    // 100 and miss COLUMNS).
    let command = help::in_language(Cli::command(), lang_of_args()).term_width(terminal_width());
    let parsed = command.try_get_matches().and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            // `goalsheet` alone prints the help (in the run's language), not an error about it.
            let help_asked = e.kind() == clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand;
            match (e.use_stderr() && !help_asked, lang_of_args()) {
                (true, Lang::Ja) => err_line(&clap_error_ja(&e)),
                _ => {
                    let _ = e.print();
                }
            }
            return ExitCode::from(code);
        }
    };
    let _ = LANG.set(cli.global.lang());
    let outcome = match cli.command {
        Command::Template(args) => template::run(args, &cli.global),
        Command::Convert(args) => convert::run(args, &cli.global),
        Command::Check(args) => check::run(args, &cli.global),
        Command::Rules(args) => rules::list(args, &cli.global),
        Command::Rule(args) => rules::explain(args, &cli.global),
        Command::Merge(args) => merge::run(args, &cli.global),
        Command::Fix(args) => fix::run(args, &cli.global),
    };
    if STDOUT_FAILED.load(Ordering::Relaxed) {
        return ExitCode::from(2);
    }
    match outcome {
        Outcome::Clean => ExitCode::SUCCESS,
        Outcome::Findings => ExitCode::from(1),
        Outcome::Failed => ExitCode::from(2),
    }
}

/// Makes threads that do not ask for a stack size get a small one. rust_xlsxwriter assembles
/// every worksheet on a thread of its own at once: a department file of 1,000 divisions made
/// 1,000 threads with the default 2 MiB each, 2 GiB of address space, and under a memory limit
/// the spawn failed with a panic. Assembling one sheet's XML needs little stack; the batch
/// workers ask for theirs ([`batch::STACK_BYTES`]). A value the user set is kept.
/// glibc also gives each new thread up to eight arenas per core of 64 MiB address space each;
/// two arenas serve goalsheet's few busy threads as well.
fn small_thread_stacks() {
    if std::env::var_os("RUST_MIN_STACK").is_none() {
        // Before any thread is spawned: std reads it once.
        std::env::set_var("RUST_MIN_STACK", "262144");
    }
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: mallopt only sets an allocator parameter; called before any thread exists.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 2);
        }
    }
}

/// The run's language, for what is printed far from the command (a failed write to stdout).
static LANG: OnceLock<Lang> = OnceLock::new();

/// Set once writing to stdout failed: what follows is not printed, and the run ends with exit
/// code 2 whatever the command says.
static STDOUT_FAILED: AtomicBool = AtomicBool::new(false);

/// Writes to stdout (see [`write_stdout`]); a failure is reported once, on stderr.
pub fn out(text: &str) {
    if STDOUT_FAILED.load(Ordering::Relaxed) {
        return;
    }
    if let Err(e) = write_stdout(|w| w.write_all(text.as_bytes()).map_err(goalsheet::Error::from)) {
        report_error(&e, LANG.get().copied().unwrap_or_default());
    }
}

/// The language asked for on a command line clap refused: `--lang ja`, `--lang=ja` anywhere
/// (it is a global option), else the locale's.
fn lang_of_args() -> Lang {
    let args: Vec<String> = std::env::args_os().skip(1).map(|a| a.to_string_lossy().into_owned()).collect();
    let given = args.iter().enumerate().find_map(|(i, a)| match a.strip_prefix("--lang") {
        Some("") => args.get(i + 1).map(String::as_str),
        Some(v) => v.strip_prefix('='),
        None => None,
    });
    match given {
        Some("ja") => Lang::Ja,
        Some("en") => Lang::En,
        _ => Lang::detect(),
    }
}

/// A command-line error in Japanese (clap speaks English only): the common kinds by what the
/// user typed, anything else in clap's words after a Japanese lead.
fn clap_error_ja(e: &clap::Error) -> String {
    use clap::error::{ContextKind, ContextValue, ErrorKind as K};
    let get = |k: ContextKind| match e.get(k) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join("、"),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let (arg, value) = (get(ContextKind::InvalidArg), get(ContextKind::InvalidValue));
    let valid = match e.get(ContextKind::ValidValue) {
        Some(ContextValue::Strings(v)) => v.iter().map(|v| format!("「{v}」")).collect::<Vec<_>>().join("、"),
        _ => String::new(),
    };
    let mut text = match e.kind() {
        K::UnknownArgument => format!("エラー: 「{arg}」という引数はありません"),
        K::InvalidSubcommand => {
            format!("エラー: 「{}」というコマンドはありません", get(ContextKind::InvalidSubcommand))
        }
        K::InvalidValue if value.is_empty() => format!("エラー: 「{arg}」には値が必要です"),
        K::InvalidValue => format!("エラー: 「{arg}」に「{value}」は指定できません"),
        K::ValueValidation => format!("エラー: 「{arg}」の値「{value}」が正しくありません"),
        K::MissingRequiredArgument => format!("エラー: 必要な引数がありません: {arg}"),
        K::MissingSubcommand => "エラー: コマンド（「check」「fix」「merge」など）を指定してください".to_string(),
        K::ArgumentConflict => format!("エラー: 「{arg}」と「{}」は一緒に指定できません", get(ContextKind::PriorArg)),
        K::TooManyValues | K::WrongNumberOfValues | K::TooFewValues => {
            format!("エラー: 「{arg}」の値の数が合いません")
        }
        _ => {
            let clap = e.render().to_string();
            let first = clap.lines().next().unwrap_or_default().trim_start_matches("error: ").to_string();
            format!("エラー: 引数が正しくありません [{first}]")
        }
    };
    if !valid.is_empty() {
        text.push_str(&format!("。指定できる値: {valid}"));
    }
    let suggested = get(ContextKind::SuggestedArg) + &get(ContextKind::SuggestedSubcommand);
    if !suggested.is_empty() {
        text.push_str(&format!("。「{suggested}」のことですか？"));
    }
    text.push_str("\n使い方は「goalsheet --help」（コマンドごとには「goalsheet check --help」など）で表示します");
    text
}

/// Creates `--out-dir` (and its parents). A file of that name is an [`ErrorKind::Output`] that
/// says so (the system says only "File exists").
///
/// [`ErrorKind::Output`]: goalsheet::ErrorKind::Output
pub fn create_out_dir(dir: &std::path::Path) -> Result<MadeFolders, goalsheet::Error> {
    // The folders this makes, deepest first (`a/b/out` may make `a/b` as well).
    let made: Vec<std::path::PathBuf> = dir
        .ancestors()
        .take_while(|d| !d.as_os_str().is_empty() && std::fs::symlink_metadata(d).is_err())
        .map(std::path::Path::to_path_buf)
        .collect();
    std::fs::create_dir_all(dir).map_err(|e| {
        let e =
            if dir.exists() && !dir.is_dir() { std::io::Error::new(std::io::ErrorKind::NotADirectory, e) } else { e };
        goalsheet::Error::new(goalsheet::ErrorKind::Output(e)).in_file(dir)
    })?;
    Ok(MadeFolders(made))
}

/// The folders [`create_out_dir`] made. It makes them before the first input is read, so that
/// a folder that cannot be made stops the run at once; a run that then writes nothing into
/// them (every input failed) removes them again rather than leave empty folders behind.
#[must_use]
pub struct MadeFolders(Vec<std::path::PathBuf>);

impl MadeFolders {
    /// Removes each folder made that is still empty, deepest first (a folder with anything
    /// in it, this run's or another program's, stays, and so do the ones above it).
    pub fn remove_if_empty(self) {
        for d in self.0 {
            if std::fs::remove_dir(&d).is_err() {
                break;
            }
        }
    }
}

/// Hands `write` a buffered stdout, then flushes it. A closed pipe (`goalsheet check | head`)
/// ends the run at once, quietly and successfully, as other command-line tools do. Any other
/// failure (disk full, `> /dev/full`) is an error: nothing more is printed and the run ends
/// with exit code 2, so a truncated output is never taken for a whole one.
pub fn write_stdout(
    write: impl FnOnce(&mut dyn Write) -> Result<(), goalsheet::Error>,
) -> Result<(), goalsheet::Error> {
    let mut w = std::io::BufWriter::new(std::io::stdout().lock());
    let result = write(&mut w).and_then(|_| w.flush().map_err(goalsheet::Error::from));
    let Err(e) = result else { return Ok(()) };
    match e.kind {
        goalsheet::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe => {
            goalsheet::fix::output::remove_temporary_files();
            std::process::exit(0)
        }
        goalsheet::ErrorKind::Io(io) => {
            STDOUT_FAILED.store(true, Ordering::Relaxed);
            Err(goalsheet::Error::new(goalsheet::ErrorKind::Stdout(io)))
        }
        _ => Err(e),
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
    for u in &expanded.unread {
        let ext = u.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
        let u = goalsheet::read::inputs::shown(u);
        err_line(&match (lang, ext == "xlsb") {
            (Lang::Ja, true) => format!(
                "注意: 「{u}」は Excel バイナリブック（.xlsb）なので読みません。Excel で開き、「Excel ブック (*.xlsx)」として保存し直してください"
            ),
            (Lang::En, true) => format!(
                "note: “{u}” is an Excel binary workbook (.xlsb) and is not read; open it in Excel and save it as “Excel Workbook (*.xlsx)”"
            ),
            (Lang::Ja, false) => {
                format!("注意: 「{u}」は圧縮ファイルなので、中のブックは読みません。展開してから、展開したフォルダを指定してください")
            }
            (Lang::En, false) => format!(
                "note: “{u}” is a compressed file; the workbooks in it are not read: extract it and give the extracted folder"
            ),
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
        {
            goalsheet::fix::output::remove_temporary_files();
            std::process::exit(0)
        };
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
