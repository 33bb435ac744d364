//! Where `check`'s time goes, stage by stage, single-threaded: reading the files, the zip
//! check, the grids, locating labels, the rules and the short rendering, each timed over a
//! whole folder (docs/performance.md). `cargo run --release --example stages -- [--everything] DIR`.

#[path = "support/floor.rs"]
mod floor;
use goalsheet::read::{guard, locate, xlsx};
use goalsheet::render::{self, Checked, FileResult};
use goalsheet::rules::{check_document, CheckOptions};
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `--everything`: format every sheet's cells, as fix, merge and convert read.
    let everything = args.iter().any(|a| a == "--everything");
    let Some(dir) = args.iter().find(|a| !a.starts_with("--")).cloned() else {
        eprintln!("usage: stages [--everything] DIR");
        std::process::exit(2);
    };
    let keep = if everything {
        goalsheet::read::xlsx_fast::Keep::Everything
    } else {
        goalsheet::read::xlsx_fast::Keep::GoalSheets { layout: &goalsheet::layout::OFFICIAL, also: &[] }
    };
    let paths = floor::xlsx_files(&dir);
    let mut t = [Duration::ZERO; 6];
    let mut floor_time = Duration::ZERO;
    let mut lap = |i: usize, start: &mut Instant| {
        let now = Instant::now();
        t[i] += now - *start;
        *start = now;
    };
    let mut findings = 0usize;
    for p in &paths {
        // The benchmark's floor on the same file, just before: calamine opens it and reads
        // every cell.
        let start = Instant::now();
        floor::read_every_cell(p);
        floor_time += start.elapsed();
        let mut start = Instant::now();
        let bytes = std::fs::read(p).expect("read");
        lap(0, &mut start);
        let (_, zip) = guard::check_zip_archive(&bytes).expect("zip");
        lap(1, &mut start);
        let grids = xlsx::grids_in(zip, &bytes, keep).expect("grids");
        lap(2, &mut start);
        let mut doc = goalsheet::model::Document::default();
        for g in grids {
            if let locate::Located::Goal(s) = locate::locate_with(g, &goalsheet::layout::OFFICIAL) {
                doc.sheets.push(*s);
            }
        }
        lap(3, &mut start);
        let found = check_document(&doc, &CheckOptions::default());
        findings += found.len();
        lap(4, &mut start);
        let result =
            [FileResult { file: p.display().to_string(), outcome: Ok(Checked { document: doc, findings: found }) }];
        let text = render::short::render(&result, goalsheet::lang::Lang::Ja);
        std::hint::black_box(text);
        drop(result);
        lap(5, &mut start);
    }
    let total: Duration = t.iter().sum();
    for (name, d) in ["read file", "check zip", "grids", "locate", "rules", "render+drop"].iter().zip(t) {
        println!("{name:12} {:7.3} s {:5.1} %", d.as_secs_f64(), 100.0 * d.as_secs_f64() / total.as_secs_f64());
    }
    println!("total        {:7.3} s  ({} files, {findings} findings)", total.as_secs_f64(), paths.len());
    println!(
        "floor        {:7.3} s  (calamine: open + read every cell); total ÷ floor {:.2}",
        floor_time.as_secs_f64(),
        total.as_secs_f64() / floor_time.as_secs_f64()
    );
    for (name, d) in ["read file", "check zip", "grids", "locate", "rules", "render+drop"].iter().zip(t) {
        print!("{name}: {:.2}  ", d.as_secs_f64() / floor_time.as_secs_f64());
    }
    println!("(÷ floor)");
}
