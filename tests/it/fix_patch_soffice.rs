//! The corrected workbooks `fix` patches open in LibreOffice: each converts to PDF headless
//! (a workbook LibreOffice cannot load gives no PDF), including a workbook LibreOffice itself
//! wrote, patched in turn (a third producer), and one whose SpreadsheetML carries a prefix. `.ci/run` installs LibreOffice; without it the
//! test says so and checks nothing.

use super::fix_patch::{
    check_patch, handwritten_xlsm, with_main_prefix, with_rich_text, with_threaded_comments, xlsxwriter_book,
};
use crate::common::patch_bytes;
use std::path::Path;
use std::process::Command;

fn which(program: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(program).is_file()))
}

/// Converts `files` in `dir` to `ext` with a private LibreOffice profile (so a desktop
/// LibreOffice or another test run does not interfere).
fn soffice(dir: &Path, ext: &str, files: &[&str]) {
    let profile = dir.join("profile");
    let status = Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--convert-to", ext, "--outdir"])
        .arg(dir.join(ext))
        .args(files.iter().map(|f| dir.join(f)))
        .output()
        .expect("soffice runs");
    assert!(status.status.success(), "soffice: {}", String::from_utf8_lossy(&status.stderr));
}

#[test]
fn patched_workbooks_convert_cleanly_with_libreoffice() {
    if !which("soffice") {
        eprintln!("skipped: LibreOffice (soffice) is not installed; .ci/run installs libreoffice-calc-nogui");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // A third producer: LibreOffice's own .xlsx of the rust_xlsxwriter workbook.
    std::fs::write(d.join("lo.xlsx"), xlsxwriter_book()).unwrap();
    soffice(d, "xlsx", &["lo.xlsx"]);
    let lo = std::fs::read(d.join("xlsx").join("lo.xlsx")).expect("LibreOffice wrote an .xlsx");
    let cases = [
        ("a.corrected.xlsx", check_patch(&xlsxwriter_book(), "a.xlsx").1.bytes),
        ("b.corrected.xlsm", check_patch(&handwritten_xlsm(), "b.xlsm").1.bytes),
        ("c.corrected.xlsx", check_patch(&lo, "c.xlsx").1.bytes),
        // SpreadsheetML by the prefix `x:`, as the Open XML SDK writes it.
        ("d.corrected.xlsx", patch_bytes(&with_main_prefix(&xlsxwriter_book()), "d.xlsx").1.bytes),
        // Rich text written back in runs; Excel 365's threaded comments beside a note.
        ("e.corrected.xlsx", check_patch(&with_rich_text(), "e.xlsx").1.bytes),
        ("f.corrected.xlsx", check_patch(&with_threaded_comments(), "f.xlsx").1.bytes),
    ];
    for (name, bytes) in &cases {
        std::fs::write(d.join(name), bytes).unwrap();
    }
    let names: Vec<&str> = cases.iter().map(|(n, _)| *n).collect();
    soffice(d, "pdf", &names);
    for n in names {
        let pdf = d.join("pdf").join(n.replace(".xlsx", ".pdf").replace(".xlsm", ".pdf"));
        let bytes = std::fs::read(&pdf).unwrap_or_else(|_| panic!("{n}: LibreOffice could not load it (no PDF)"));
        assert!(bytes.starts_with(b"%PDF") && bytes.len() > 10_000, "{n}: an empty PDF");
    }
}
