//! Where `fix`'s time goes beyond `check`'s, stage by stage, single-threaded, in process:
//! reading the file, reading it for a check, the same for a fix, the fix (rules before and
//! after), the patched package's bytes, and writing it (docs/performance.md).
//! `cargo run --release --example fix_stages -- DIR OUT_DIR`.

#[path = "support/floor.rs"]
#[allow(dead_code)] // only its list of the corpus's files
mod floor;
use goalsheet::fix::{fix_file_with, read_for_fix, FixOptions};
use goalsheet::lang::Lang;
use goalsheet::rules::{check_document, CheckOptions};
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(dir), Some(out)) = (args.first(), args.get(1)) else {
        eprintln!("usage: fix_stages DIR OUT_DIR");
        std::process::exit(2);
    };
    std::fs::create_dir_all(out).expect("out dir");
    let paths = floor::xlsx_files(dir);
    let names =
        ["read bytes", "check: read", "check: rules", "fix: read", "fix: rules+fix", "fix: patch", "fix: write"];
    let mut t = [Duration::ZERO; 7];
    let opts = CheckOptions::default();
    for p in &paths {
        let mut start = Instant::now();
        let mut lap = |i: usize, start: &mut Instant| {
            let now = Instant::now();
            t[i] += now - *start;
            *start = now;
        };
        let bytes = goalsheet::read::read_file(p).expect("read");
        lap(0, &mut start);
        let doc = goalsheet::read::read_loaded_for(p, &bytes, goalsheet::read::Purpose::Check).expect("check read");
        lap(1, &mut start);
        std::hint::black_box(check_document(&doc, &opts));
        lap(2, &mut start);
        let file = p.file_name().unwrap().to_string_lossy().into_owned();
        let (doc, parts) = read_for_fix(p, &bytes, &file).expect("fix read");
        lap(3, &mut start);
        let fixed =
            fix_file_with(&bytes, doc, parts, &file, FixOptions::default(), |d| check_document(d, &opts)).expect("fix");
        lap(4, &mut start);
        let (_, out_bytes) = fixed.into_bytes(&file, Lang::En).expect("patch");
        lap(5, &mut start);
        let target = std::path::Path::new(out).join(&file);
        goalsheet::fix::output::write_atomically(&target, &out_bytes, true).expect("write");
        lap(6, &mut start);
    }
    for (n, d) in names.iter().zip(t) {
        println!("{n:16} {:7.1} ms", d.as_secs_f64() * 1e3);
    }
}
