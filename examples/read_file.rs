//! Reads workbooks with `goalsheet::read::read_path` and prints a one-line summary per file.
//! Used to measure peak memory on hostile fixtures (`/usr/bin/time -v`, see docs/reading.md).

fn main() {
    for arg in std::env::args().skip(1) {
        match goalsheet::read::read_path(std::path::Path::new(&arg)) {
            Ok(doc) => println!(
                "{arg}: {} goal sheet(s), {} entries, {} other sheet(s)",
                doc.sheets.len(),
                doc.sheets.iter().map(|s| s.entries.len()).sum::<usize>(),
                doc.other_sheets.len()
            ),
            Err(e) => println!("{}", e.render(goalsheet::Lang::En)),
        }
    }
}
