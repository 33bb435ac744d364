//! The benchmark's floor, shared by `bench`, `floor` and `stages`: calamine alone opening a
//! workbook and reading every cell, the least any reader of the same files can do.

use calamine::{open_workbook_auto, Data, Reader};
use std::path::{Path, PathBuf};

/// Opens `path` with calamine and reads every cell of every sheet: how many are not empty, or
/// `None` when calamine cannot open it.
pub fn read_every_cell(path: &Path) -> Option<usize> {
    let mut wb = open_workbook_auto(path).ok()?;
    let mut cells = 0;
    for name in wb.sheet_names() {
        if let Ok(range) = wb.worksheet_range(&name) {
            cells += range.used_cells().filter(|(_, _, c)| !matches!(c, Data::Empty)).count();
        }
    }
    Some(std::hint::black_box(cells))
}

/// The .xlsx files of `dir`, in name order.
#[allow(dead_code)] // `bench` lists the corpus it wrote by name.
pub fn xlsx_files(dir: &str) -> Vec<PathBuf> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "xlsx"))
        .collect();
    paths.sort();
    paths
}
