//! Which files every command takes (issue 14, points 1, 7, 8, 9): links back into a folder,
//! Shift_JIS file names, CSV beside workbooks, a CSV or JSON without rows. Inputs are made here.

use assert_cmd::Command;
use goalsheet::model::Document;
use std::time::Duration;

const SEED: &str = include_str!("../data/shimin-seikatsu-r6.json");

fn goalsheet() -> Command {
    let mut c = Command::cargo_bin("goalsheet").expect("binary");
    c.args(["--lang", "en", "--jobs", "2"]).timeout(Duration::from_secs(60));
    c
}

/// The seed's division `i` alone, as an official workbook.
pub fn division_xlsx(i: usize) -> Vec<u8> {
    let seed = goalsheet::convert::json::from_bytes(SEED.as_bytes()).expect("seed reads");
    let doc = Document { sheets: vec![seed.sheets[i].clone()], ..Document::default() };
    goalsheet::write::workbook_bytes(&doc).expect("writes")
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[cfg(unix)]
#[test]
fn links_back_to_an_ancestor_end_and_each_file_is_read_once() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(input.join("sub")).unwrap();
    std::fs::write(input.join("a.xlsx"), division_xlsx(0)).unwrap();
    std::fs::write(input.join("sub/b.xlsx"), division_xlsx(1)).unwrap();
    std::os::unix::fs::symlink("..", input.join("sub/a")).unwrap();
    std::os::unix::fs::symlink("..", input.join("sub/b")).unwrap();

    let out = goalsheet().args(["check", "--format", "json"]).arg(&input).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["summary"]["files"], 2, "{v}");
    let err = stderr(&out);
    assert_eq!(err.matches("links to a folder that contains it").count(), 2, "{err}");

    let out = goalsheet().arg("fix").arg(&input).arg("--out-dir").arg(dir.path().join("fixed")).output().unwrap();
    assert!(out.status.code().is_some_and(|c| c < 2), "{}", stderr(&out));
    assert_eq!(stdout(&out).matches("written to").count(), 2, "{}", stdout(&out));

    let dept = dir.path().join("dept.xlsx");
    let out = goalsheet().arg("merge").arg(&input).arg("-o").arg(&dept).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("2 files, 2 divisions"), "{}", stdout(&out));
}

/// A CSV export beside the workbooks is taken by no command from a folder (it would be read
/// twice); named, it is read by all.
#[test]
fn every_command_takes_the_same_files_from_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join("a.xlsx"), division_xlsx(0)).unwrap();
    let csv = input.join("a.csv");
    let out = goalsheet().arg("convert").arg(input.join("a.xlsx")).arg("-o").arg(&csv).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    let out = goalsheet().args(["check", "--format", "json"]).arg(&input).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["files"].as_array().unwrap().len(), 1, "{v}");

    let fixed = dir.path().join("fixed");
    let out = goalsheet().arg("fix").arg(&input).arg("--out-dir").arg(&fixed).output().unwrap();
    assert!(out.status.code().is_some_and(|c| c < 2), "{}", stderr(&out));
    let written: Vec<_> = std::fs::read_dir(&fixed).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(written, ["a.corrected.xlsx"]);

    let out = goalsheet().arg("merge").arg(&input).arg("-o").arg(dir.path().join("d.xlsx")).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("1 file, 1 division"), "{}", stdout(&out));

    let out = goalsheet().arg("check").arg(&csv).output().unwrap();
    assert!(out.status.code().is_some_and(|c| c < 2), "a named CSV is read: {}", stderr(&out));
}

/// A submission mailed as a zip (a password-protected one, as offices send them) or kept as
/// .xlsb, saved in the folder beside the others: every command left it out without a word, so
/// a department file could lack a division unnoticed. Each command names it on stderr and goes
/// on with the rest (the exit code is the workbooks'); named on its own, a zip is refused with
/// what to do.
#[test]
fn a_zip_or_xlsb_in_the_folder_is_named_not_skipped_silently() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("提出");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join("a.xlsx"), division_xlsx(0)).unwrap();
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("b.xlsx", zip::write::SimpleFileOptions::default()).unwrap();
    std::io::Write::write_all(&mut zip, &division_xlsx(1)).unwrap();
    std::fs::write(input.join("追加提出.zip"), zip.finish().unwrap().into_inner()).unwrap();
    std::fs::write(input.join("c.xlsb"), b"binary").unwrap();

    for command in [&["check"][..], &["fix", "--dry-run"], &["merge", "-o", "部.xlsx"]] {
        let out = goalsheet().args(command).arg(&input).current_dir(dir.path()).output().unwrap();
        let err = stderr(&out);
        assert!(out.status.code().is_some_and(|c| c < 2), "{command:?}: {err}");
        assert!(err.contains("追加提出.zip") && err.contains("extract it"), "{command:?}: {err}");
        assert!(err.contains("c.xlsb") && err.contains("Excel Workbook (*.xlsx)"), "{command:?}: {err}");
    }
    let out = goalsheet().arg("check").arg(input.join("追加提出.zip")).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).contains("compressed file; extract it"), "{}", stdout(&out));
}

/// A CSV with only its header, or JSON `[]`, holds no goal sheet: exit 2, as a workbook
/// without one.
#[test]
fn csv_or_json_without_rows_is_no_goal_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("header.csv");
    std::fs::write(&csv, "\u{feff}部,課,年度,No.,組織目標,指標,目標,結果,評価\r\n").unwrap();
    let json = dir.path().join("empty.json");
    std::fs::write(&json, "[]").unwrap();
    for (file, lang, says) in
        [(&csv, "en", "no goal sheet"), (&json, "en", "no goal sheet"), (&csv, "ja", "組織目標管理シートがありません")]
    {
        let out = Command::cargo_bin("goalsheet").unwrap().args(["--lang", lang, "check"]).arg(file).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{}: {}", file.display(), stdout(&out));
        let text = stdout(&out) + &stderr(&out);
        assert!(text.contains(says), "{text}");
        assert!(text.contains(file.file_name().unwrap().to_str().unwrap()), "names the file: {text}");
    }
}

/// Names in Shift_JIS bytes (a zip from a Windows PC unpacked on Linux): each file is fixed to
/// its own output, named with the same bytes, and messages show the name decoded.
#[cfg(target_os = "linux")]
#[test]
fn shift_jis_file_names_keep_their_bytes_and_are_named() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let sjis = |s: &str| std::ffi::OsStr::from_bytes(&encoding_rs::SHIFT_JIS.encode(s).0).to_os_string();
    // Lossy, both names would be the same run of U+FFFD.
    let names = [sjis("市民課.xlsx"), sjis("区民課.xlsx")];
    for (i, n) in names.iter().enumerate() {
        std::fs::write(dir.path().join(n), division_xlsx(i)).unwrap();
    }
    let broken = sjis("壊れた課.xlsx");
    std::fs::write(dir.path().join(&broken), b"not a workbook").unwrap();
    let out = goalsheet().arg("fix").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "the broken one fails: {}", stderr(&out));
    assert!(stderr(&out).contains("壊れた課.xlsx"), "{}", stderr(&out));
    for (n, shown) in names.iter().zip(["市民課", "区民課"]) {
        let mut corrected = std::path::Path::new(n).file_stem().unwrap().to_os_string();
        corrected.push(".corrected.xlsx");
        assert!(dir.path().join(&corrected).exists(), "{shown}: {}", stdout(&out));
        assert!(stdout(&out).contains(&format!("{shown}.corrected.xlsx")), "{}", stdout(&out));
    }
}

/// A named pipe with a workbook's name, in a folder or given by name, is refused at once:
/// opening it waited for a writer forever, and the whole run with it. A device linked under a
/// workbook's name is refused too. The other files are checked and fixed as ever.
#[cfg(target_os = "linux")]
#[test]
fn a_pipe_or_device_named_like_a_workbook_is_refused_without_waiting() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::write(input.join("a.xlsx"), division_xlsx(0)).unwrap();
    let made = std::process::Command::new("mkfifo").arg(input.join("pipe.xlsx")).status().unwrap();
    assert!(made.success());
    std::os::unix::fs::symlink("/dev/zero", input.join("zero.xlsx")).unwrap();

    let out = goalsheet().arg("check").arg(&input).timeout(Duration::from_secs(20)).output().unwrap();
    // The report wraps long messages: each message on one line again.
    let err = format!("{}{}", stdout(&out), stderr(&out)).replace("\n  │ ", " ");
    assert_eq!(out.status.code(), Some(2), "{err}");
    for name in ["pipe.xlsx", "zero.xlsx"] {
        assert!(err.lines().any(|l| l.contains(name) && l.contains("not a regular file")), "{name}: {err}");
    }
    assert!(err.contains("2 files could not be read"), "{err}");

    let out = goalsheet()
        .arg("fix")
        .arg(input.join("pipe.xlsx"))
        .arg(input.join("a.xlsx"))
        .arg("--out-dir")
        .arg(dir.path().join("fixed"))
        .timeout(Duration::from_secs(20))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("pipe.xlsx"), "{}", stderr(&out));
    assert_eq!(stdout(&out).matches("written to").count(), 1, "{}", stdout(&out));
}
