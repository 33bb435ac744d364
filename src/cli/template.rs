//! `goalsheet template`: write a blank official sheet for a fiscal year.

use super::{out, report_error, Global, Outcome};
use goalsheet::grammar::year::{parse_year_arg, FiscalYear};
use goalsheet::write::{template_bytes, TemplateOptions};
use goalsheet::{Error, ErrorKind, Msg};
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// 出力ファイル [既定: 組織目標管理シート_令和N年度.xlsx] / output file [default: 組織目標管理シート_令和N年度.xlsx]
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// 年度（2025、R7、令和7 など）[既定: 今日の属する年度。--from では前年度の翌年度] / fiscal year [default: the current one; with --from, the year after LAST's]
    #[arg(long, value_name = "YEAR")]
    pub year: Option<String>,
    /// 組織名（部） / department
    #[arg(long, value_name = "NAME", default_value = "")]
    pub department: String,
    /// 組織名（準部・課・機関名） / division
    #[arg(long, value_name = "NAME", default_value = "")]
    pub division: String,
    /// 空の取組の数 / number of blank entries
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub entries: usize,
    /// 既存のファイルを上書きする / overwrite an existing file
    #[arg(long)]
    pub force: bool,
    /// 前年度のファイル（課または部のファイル）から翌年度のシートを作る / make next year's sheets from last year's file (a division or department file)
    #[arg(long, value_name = "LAST.xlsx", conflicts_with_all = ["department", "division", "entries"])]
    pub from: Option<PathBuf>,
    /// --from で、課ごとに1ファイルずつこのフォルダに書き出す / with --from, write one file per division into this folder
    #[arg(long, value_name = "DIR", requires = "from", conflicts_with = "output")]
    pub out_dir: Option<PathBuf>,
}

pub fn run(args: Args, global: &Global) -> Outcome {
    let lang = global.lang();
    match write_template(args) {
        Ok(paths) => {
            if !global.quiet {
                let list: String = paths.iter().map(|p| format!("  {}\n", p.display())).collect();
                let n = paths.len();
                out(&format!(
                    "{}\n{list}",
                    lang.pick(
                        &format!("書き出しました（{n}ファイル）:"),
                        &format!("written ({n} {}):", if n == 1 { "file" } else { "files" })
                    )
                ));
            }
            Outcome::Clean
        }
        Err(e) => {
            report_error(&e, lang);
            Outcome::Failed
        }
    }
}

fn write_template(args: Args) -> Result<Vec<PathBuf>, Error> {
    if args.from.is_some() {
        return super::next_year::write_next_year(&args);
    }
    let year = match &args.year {
        Some(text) => parse_year(text)?,
        None => FiscalYear::containing(chrono::Local::now().date_naive()),
    };
    let options = TemplateOptions { year, department: args.department, division: args.division, entries: args.entries };
    let bytes = template_bytes(&options)?;
    let path = args.output.unwrap_or_else(|| PathBuf::from(options.default_file_name()));
    if path.exists() && !args.force {
        return Err(exists(&path));
    }
    write_atomically(&path, &bytes, args.force).map_err(|e| e.in_file(&path))?;
    Ok(vec![path])
}

pub(super) fn parse_year(text: &str) -> Result<FiscalYear, Error> {
    parse_year_arg(text).ok_or_else(|| {
        usage(Msg::new(
            format!("--year「{text}」を年度として読めません。2025、R7、令和7 のように指定してください"),
            format!("--year “{text}” is not a fiscal year; give it as 2025, R7 or 令和7"),
        ))
    })
}

/// Writes an output workbook ([`goalsheet::fix::output::write_atomically`]); without `force` an
/// existing file is kept and the user is told how to replace it.
pub(super) fn write_atomically(path: &Path, bytes: &[u8], force: bool) -> Result<(), Error> {
    if goalsheet::fix::output::write_atomically(path, bytes, force)? {
        Ok(())
    } else {
        Err(exists(path))
    }
}

pub(super) fn exists(path: &Path) -> Error {
    let p = path.display();
    usage(Msg::new(
        format!("「{p}」は既にあります。上書きしてよい場合は --force を付けてください。別の名前で保存するには -o で指定してください"),
        format!("“{p}” already exists; add --force to overwrite it, or give another name with -o"),
    ))
}

fn usage(detail: Msg) -> Error {
    Error::new(ErrorKind::Usage { detail })
}
