//! Messages for inputs goalsheet cannot take (issue 14, points 14–19): one language per run,
//! the library's or the system's own wording only in brackets, a hint that fits the file.

use assert_cmd::Command;
use goalsheet::model::Document;
use std::path::Path;
use std::time::Duration;

const SEED: &str = include_str!("../data/shimin-seikatsu-r6.json");

fn goalsheet(lang: &str) -> Command {
    let mut c = Command::cargo_bin("goalsheet").expect("binary");
    c.args(["--lang", lang]).timeout(Duration::from_secs(120));
    c
}

fn seed() -> Document {
    goalsheet::convert::json::from_bytes(SEED.as_bytes()).expect("seed reads")
}

fn division() -> Vec<u8> {
    let sheet = seed().sheets[0].clone();
    goalsheet::write::workbook_bytes(&Document { sheets: vec![sheet], ..Document::default() }).expect("writes")
}

/// Runs `args` on `lang` and returns (exit code, stderr).
fn run(lang: &str, args: &[&std::ffi::OsStr]) -> (Option<i32>, String) {
    let out = goalsheet(lang).args(args).output().expect("runs");
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// `check --format short` (one line per file, not wrapped), stdout and stderr together.
fn check(lang: &str, file: &Path) -> (Option<i32>, String) {
    let out = goalsheet(lang).args(["check", "--format", "short"]).arg(file).output().expect("runs");
    let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code(), text)
}

/// Text outside `[…]` and outside `“…”`/`「…」` quotes (where file names and values go).
fn own_words(text: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '[' | '“' | '「' => depth += 1,
            ']' | '”' | '」' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

fn has_japanese(text: &str) -> bool {
    text.chars().any(|c| matches!(c, '\u{3040}'..='\u{30FF}' | '\u{4E00}'..='\u{9FFF}'))
}

/// English words a Japanese message must not use outside brackets (paths and file names, which
/// hold a `/` or a `.`, aside).
fn has_english_words(text: &str) -> bool {
    own_words(text)
        .split_whitespace()
        .filter(|t| !t.contains(['/', '.']))
        .flat_map(|t| t.split(|c: char| !c.is_ascii_alphabetic()))
        .any(|w| w.len() >= 4 && w.chars().all(|c| c.is_ascii_lowercase()))
}

/// Point 14: JSON and CSV read errors in the chosen language only, serde's wording in brackets.
#[test]
fn csv_and_json_read_errors_speak_one_language() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("shape.json", &br#"{"sheets": {"division": "a"}}"#[..], "invalid type: map, expected a sequence"),
        ("no.json", br#"{"sheets": [{"entries": [{"no": {}}]}]}"#, "untagged enum NoRepr"),
        ("syntax.json", b"{\"sheets\": [,]}", "expected value"),
        ("header.csv", b"foo,bar\n1,2\n", ""),
    ];
    for (name, bytes, serde) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let (code, ja) = check("ja", &path);
        assert_eq!(code, Some(2), "{ja}");
        assert!(has_japanese(&own_words(&ja)) && !has_english_words(&ja), "{name}: {ja}");
        let (code, en) = check("en", &path);
        assert_eq!(code, Some(2), "{en}");
        assert!(!has_japanese(&en), "{name}: {en}");
        if !serde.is_empty() {
            for text in [&ja, &en] {
                let at = text.find(serde).unwrap_or_else(|| panic!("{name}: {text}"));
                assert!(text[..at].rfind('[') > text[..at].rfind(']'), "{name}: serde's words in brackets: {text}");
            }
        }
    }
}

/// Point 16: a column named twice is reported with both columns, not dropped as unknown.
#[test]
fn a_repeated_csv_header_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("twice.csv");
    std::fs::write(&path, "課,目標,目標\n市民課,10件,20件\n").unwrap();
    let (code, en) = check("en", &path);
    assert_eq!(code, Some(2), "{en}");
    assert!(en.contains("目標") && en.contains("twice") && en.contains("B") && en.contains("C"), "{en}");
    assert!(!en.contains("unknown") && !en.contains("ignored"), "{en}");
    let (_, ja) = check("ja", &path);
    assert!(ja.contains("2回") && !has_english_words(&ja), "{ja}");
}

/// Point 17: a workbook named .csv gets told to rename it; Excel's "Unicode text" (.txt, UTF-16,
/// tab-separated) reads as the same table as its CSV; an .xlsb is told to save as .xlsx.
#[test]
fn wrong_names_and_excel_text_formats_get_a_precise_answer() {
    let dir = tempfile::tempdir().unwrap();
    let renamed = dir.path().join("課.csv");
    std::fs::write(&renamed, division()).unwrap();
    let (code, en) = check("en", &renamed);
    assert_eq!(code, Some(2), "{en}");
    assert!(en.contains("Excel workbook") && en.contains("rename it") && en.contains(".xlsx"), "{en}");
    assert!(!en.contains("neither UTF-8"), "{en}");
    let (_, ja) = check("ja", &renamed);
    assert!(ja.contains(".xlsx") && !has_english_words(&ja), "{ja}");

    // Unicode text: what Excel writes for "Unicode テキスト (*.txt)".
    let csv = goalsheet::convert::csv::to_bytes(&seed(), goalsheet::convert::csv::Encoding::Utf8Bom).unwrap();
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(&csv[3..]);
    let mut tsv = csv::WriterBuilder::new().delimiter(b'\t').from_writer(Vec::new());
    for record in reader.records() {
        tsv.write_record(&record.unwrap()).unwrap();
    }
    let text = String::from_utf8(tsv.into_inner().unwrap()).unwrap();
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let txt = dir.path().join("課.txt");
    std::fs::write(&txt, utf16).unwrap();
    let (code, out) = check("en", &txt);
    assert!(code.is_some_and(|c| c < 2), "{out}");
    let from_txt = goalsheet::read::read_path(&txt).expect("reads");
    assert_eq!(from_txt.sheets, goalsheet::read::read_bytes(&csv, "課.csv").unwrap().sheets);

    let xlsb = dir.path().join("課.xlsb");
    std::fs::write(&xlsb, b"PK\x03\x04binary workbook").unwrap();
    let (code, en) = check("en", &xlsb);
    assert_eq!(code, Some(2), "{en}");
    assert!(en.contains("binary workbook") && en.contains("Excel Workbook (*.xlsx)"), "{en}");
}

/// Point 18: a lock file named alone, an encrypted .ods, a truncated workbook, argument errors
/// under `--lang ja`.
#[test]
fn lock_files_encrypted_ods_truncation_and_arguments() {
    let dir = tempfile::tempdir().unwrap();
    let lock = dir.path().join("~$課.xlsx");
    std::fs::write(&lock, [0u8; 165]).unwrap();
    let (code, en) = check("en", &lock);
    assert_eq!(code, Some(2), "{en}");
    assert!(en.contains("lock file") && en.contains("“課.xlsx”"), "{en}");
    assert!(!en.contains("folder"), "{en}");
    // Matched by a shell's `*.xlsx` beside the workbook, it is still left out quietly.
    let book = dir.path().join("課.xlsx");
    std::fs::write(&book, division()).unwrap();
    let (code, en) = run("en", &["check".as_ref(), lock.as_os_str(), book.as_os_str()]);
    assert!(code.is_some_and(|c| c < 2), "{en}");

    let manifest = r#"<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data manifest:checksum-type="SHA1/1K"/></manifest:file-entry></manifest:manifest>"#;
    let ods = crate::common::fixtures::zip_parts(&[
        ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet".to_vec()),
        ("META-INF/manifest.xml", manifest.as_bytes().to_vec()),
        ("content.xml", vec![0x5A; 64]),
    ]);
    let path = dir.path().join("秘.ods");
    std::fs::write(&path, ods).unwrap();
    let (code, en) = check("en", &path);
    assert_eq!(code, Some(2), "{en}");
    assert!(en.contains("LibreOffice") && !en.contains("Protect Workbook"), "{en}");
    let (_, ja) = check("ja", &path);
    assert!(ja.contains("LibreOffice") && !ja.contains("ブックの保護"), "{ja}");

    let whole = division();
    let truncated = dir.path().join("半分.xlsx");
    std::fs::write(&truncated, &whole[..whole.len() / 2]).unwrap();
    let (code, en) = check("en", &truncated);
    assert_eq!(code, Some(2), "{en}");
    assert!(en.contains("truncated") && !en.contains("EOCD"), "{en}");

    for (args, says) in [
        (&["check", "--bogus"][..], "--bogus"),
        (&["check", "--format"], "--format"),
        (&["check", "--format", "xml", "a.xlsx"], "xml"),
        (&["chek"], "chek"),
    ] {
        let out = goalsheet("ja").args(args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(says) && has_japanese(&err) && !has_english_words(&err), "{args:?}: {err}");
    }
    // `--lang=ja` and the language given after the command count too.
    let out = Command::cargo_bin("goalsheet").unwrap().args(["check", "--lang=ja", "--bogus"]).output().unwrap();
    assert!(has_japanese(&String::from_utf8_lossy(&out.stderr)));
}

/// Point 15: an output that cannot be written is named as the user gave it (never the hidden
/// temporary file), in the chosen language, the system's words in brackets.
#[test]
fn output_errors_name_the_output_in_one_language() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("課.xlsx");
    std::fs::write(&input, division()).unwrap();
    // The output is a folder.
    let folder = dir.path().join("出力.xlsx");
    std::fs::create_dir(&folder).unwrap();
    let (code, ja) =
        run("ja", &["fix".as_ref(), input.as_os_str(), "-o".as_ref(), folder.as_os_str(), "--force".as_ref()]);
    assert_eq!(code, Some(2), "{ja}");
    assert!(ja.contains("出力.xlsx") && ja.contains("フォルダ") && !ja.contains(".goalsheet-"), "{ja}");
    assert!(!has_english_words(&ja), "{ja}");
    // --out-dir names a file.
    let file = dir.path().join("メモ.txt");
    std::fs::write(&file, b"x").unwrap();
    let (code, ja) = run("ja", &["fix".as_ref(), input.as_os_str(), "--out-dir".as_ref(), file.as_os_str()]);
    assert_eq!(code, Some(2), "{ja}");
    assert!(ja.contains("メモ.txt") && ja.contains("ファイル") && !ja.contains(".goalsheet-"), "{ja}");
    assert!(!has_english_words(&ja), "{ja}");
    let (_, en) = run("en", &["fix".as_ref(), input.as_os_str(), "--out-dir".as_ref(), file.as_os_str()]);
    let own = en.replace(&file.display().to_string(), "");
    assert!(en.contains("not a folder") && !has_japanese(&own), "{en}");
    // -o into a folder that does not exist, for every command that writes one file.
    let missing = dir.path().join("ない");
    let outputs = [("fix", "出力.xlsx"), ("merge", "部.xlsx"), ("convert", "課.csv")];
    for (command, name) in outputs {
        let out = missing.join(name);
        let (code, ja) = run("ja", &[command.as_ref(), input.as_os_str(), "-o".as_ref(), out.as_os_str()]);
        assert_eq!(code, Some(2), "{command}: {ja}");
        assert!(ja.contains(name) && ja.contains("フォルダがありません"), "{command}: {ja}");
        assert!(!ja.contains(".goalsheet-") && !ja.contains("at path"), "{command}: {ja}");
    }
}

/// Point 19: text typed on a Mac (decomposed, NFD) is written to Shift_JIS composed; what has no
/// composed form is named whole (base and mark), never as a lone combining mark.
#[test]
fn decomposed_text_is_composed_for_shift_jis() {
    let mut doc = seed();
    doc.sheets[0].division = "カ\u{3099}イ課".into(); // ガイ課, decomposed
    let encoded = goalsheet::convert::csv::encode(&doc, goalsheet::convert::csv::Encoding::ShiftJis).expect("encodes");
    let (text, _, _) = encoding_rs::SHIFT_JIS.decode(&encoded.bytes);
    assert!(text.contains("ガイ課"), "composed");
    doc.sheets[0].division = "か\u{309A}課".into(); // か゚ (a nasal ka): no composed character
    let e = goalsheet::convert::csv::encode(&doc, goalsheet::convert::csv::Encoding::ShiftJis).unwrap_err();
    let message = e.render(goalsheet::Lang::En);
    assert!(message.contains("“か\u{309A}”"), "{message}");
    assert!(!message.contains("“\u{309A}”"), "{message}");
}

/// Help speaks the run's language only, as every other message does: a clerk with a Japanese
/// locale reads `--help` in Japanese (clap's own `Usage:`, `Options:`, `Print help`,
/// `[default: …]` included), anyone else in English; `goalsheet` alone prints the help.
#[test]
fn help_is_in_one_language() {
    let commands: &[&[&str]] = &[
        &["--help"],
        &["check", "--help"],
        &["fix", "-h"],
        &["merge", "--help"],
        &["convert", "--help"],
        &["template", "--help"],
        &["rule", "--help"],
        &["help", "fix"],
    ];
    for args in commands {
        let ja = goalsheet("ja").env("COLUMNS", "200").args(*args).output().unwrap();
        let text = String::from_utf8_lossy(&ja.stdout);
        assert_eq!(ja.status.code(), Some(0), "{args:?}");
        // What is typed is not translated: placeholders (`<PATHS>`, `[OPTIONS]`), options,
        // command names and the values an option takes.
        let typed = [
            "goalsheet",
            "template",
            "convert",
            "check",
            "merge",
            "rules",
            "rule",
            "help",
            "human",
            "short",
            "json",
            "plan",
            "evaluation",
            "warnings",
            "xlsx",
            "shift_jis",
        ];
        let words: String = text
            .split_whitespace()
            .filter(|w| {
                let bare = w.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '_');
                !w.starts_with(['-', '<', '[']) && !w.contains("--") && !typed.contains(&bare)
            })
            .collect::<Vec<_>>()
            .join(" ")
            .replace("xlsx", "");
        assert!(has_japanese(&text) && !has_english_words(&words), "{args:?}: {words}");
        assert!(text.contains("使い方:") && !text.contains("Usage:"), "{args:?}:\n{text}");
        let en = goalsheet("en").env("COLUMNS", "200").args(*args).output().unwrap();
        let text = String::from_utf8_lossy(&en.stdout);
        // Sheet and file names are written as the sheets spell them.
        let rest = ["組織目標管理シート_令和N年度", "組織目標管理シート", "集計"]
            .iter()
            .fold(text.to_string(), |t, n| t.replace(n, ""));
        assert!(!has_japanese(&rest) && text.contains("Usage:"), "{args:?}:\n{text}");
    }
    // The locale decides when --lang is not given.
    let out = Command::cargo_bin("goalsheet").unwrap().env("LC_ALL", "ja_JP.UTF-8").arg("--help").output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("オプション:"));
    // `goalsheet` alone: the help, in the run's language, and exit 2 (nothing was done).
    let out = Command::cargo_bin("goalsheet").unwrap().env("LC_ALL", "ja_JP.UTF-8").output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(err.contains("使い方:") && err.contains("コマンド:") && !err.contains("Check, fix"), "{err}");
    // With an option but no command: what to type, in Japanese.
    let out = goalsheet("ja").output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(err.contains("を指定してください") && !has_english_words(&err), "{err}");
}

/// A value longer than an Excel cell holds (a CSV can hold one) cannot be written into the
/// corrected workbook: the file fails, naming the cell, in the run's language. The writer's own
/// English ("String exceeds Excel's limit…") was in the Japanese message.
#[test]
fn a_value_too_long_for_a_cell_is_said_in_the_runs_language() {
    let mut doc = seed();
    doc.sheets.truncate(1);
    doc.sheets[0].entries[0].goal = "長".repeat(40_000);
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("課.csv");
    std::fs::write(
        &input,
        goalsheet::convert::csv::to_bytes(&doc, goalsheet::convert::csv::Encoding::Utf8Bom).unwrap(),
    )
    .unwrap();
    for (lang, says) in [("ja", "32,767 文字"), ("en", "longer than an Excel cell holds")] {
        let (code, err) = run(lang, &["fix".as_ref(), input.as_os_str()]);
        assert_eq!(code, Some(2), "{err}");
        assert!(err.contains(says) && !err.contains("String exceeds"), "{err}");
        assert!(err.contains("課.csv"), "names the file: {err}");
    }
}
