//! The benchmark's floor on its own: calamine opens every workbook in a folder and reads every
//! cell, single-threaded. Run under `perf stat -e instructions:u` beside
//! `goalsheet check --jobs 1` to compare work done independently of machine load
//! (docs/performance.md).

#[path = "support/floor.rs"]
mod floor;

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: floor DIR");
        std::process::exit(2);
    };
    let paths = floor::xlsx_files(&dir);
    let cells: usize = paths.iter().filter_map(|p| floor::read_every_cell(p)).sum();
    println!("{} files, {cells} cells", paths.len());
}
