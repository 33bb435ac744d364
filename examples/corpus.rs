//! Writes a corpus of realistic division workbooks into a folder (see `support/corpus.rs`).
//!
//! ```text
//! cargo run --release --example corpus -- --files 1000 --out /tmp/corpus [--seed 1] [--one-department]
//! ```
//! `--one-department` puts every division in 市民生活部, as `merge` needs.

#[path = "support/corpus.rs"]
mod corpus;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut spec = corpus::Spec { files: 100, seed: 1, departments: corpus::Departments::Varied };
    let mut out = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--files" => spec.files = args.next().and_then(|v| v.parse().ok()).unwrap_or(spec.files),
            "--seed" => spec.seed = args.next().and_then(|v| v.parse().ok()).unwrap_or(spec.seed),
            "--out" => out = args.next().map(PathBuf::from),
            "--one-department" => spec.departments = corpus::Departments::One(corpus::ONE_DEPARTMENT),
            _ => {
                eprintln!("usage: corpus --files N --out DIR [--seed S] [--one-department]");
                return ExitCode::from(2);
            }
        }
    }
    let Some(out) = out else {
        eprintln!("usage: corpus --files N --out DIR [--seed S] [--one-department]");
        return ExitCode::from(2);
    };
    match corpus::write(&spec, &out) {
        Ok(paths) => {
            println!("{} workbooks in {}", paths.len(), out.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
