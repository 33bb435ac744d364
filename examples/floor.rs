//! The benchmark's floor on its own: calamine opens every workbook in a folder and reads every
//! cell, single-threaded. Run under `perf stat -e instructions:u` beside
//! `goalsheet check --jobs 1` to compare work done independently of machine load
//! (docs/performance.md).

use calamine::{open_workbook_auto, Data, Reader};

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: floor DIR");
        std::process::exit(2);
    };
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "xlsx"))
        .collect();
    paths.sort();
    let mut cells = 0usize;
    for p in &paths {
        let Ok(mut wb) = open_workbook_auto(p) else { continue };
        for name in wb.sheet_names() {
            if let Ok(range) = wb.worksheet_range(&name) {
                cells += range.used_cells().filter(|(_, _, c)| !matches!(c, Data::Empty)).count();
            }
        }
    }
    println!("{} files, {cells} cells", paths.len());
}
