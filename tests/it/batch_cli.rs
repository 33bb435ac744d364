//! Batches through the binary: the same output whatever `--jobs`, in input order, and no
//! progress bar when stderr is not a terminal.

use crate::corpus;

use assert_cmd::Command;
use std::path::Path;

fn corpus(dir: &Path, files: usize) {
    let spec = corpus::Spec { files, seed: 7, departments: corpus::Departments::One(corpus::ONE_DEPARTMENT) };
    corpus::write(&spec, dir).unwrap();
}

fn run(args: &[&str]) -> (Vec<u8>, String) {
    let out = Command::cargo_bin("goalsheet").unwrap().args(["--lang", "en"]).args(args).output().unwrap();
    (out.stdout, String::from_utf8(out.stderr).unwrap())
}

#[test]
fn check_prints_the_same_in_input_order_whatever_the_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    corpus(tmp.path(), 12);
    // An unreadable file in the middle, whose error must keep its place too.
    std::fs::write(tmp.path().join("00005_broken.xlsx"), b"not a workbook").unwrap();
    let dir = tmp.path().to_str().unwrap();
    for format in ["short", "human", "json"] {
        let (one, _) = run(&["check", "--jobs", "1", "--format", format, dir]);
        for jobs in ["2", "4"] {
            let (many, _) = run(&["check", "--jobs", jobs, "--format", format, dir]);
            assert_eq!(
                String::from_utf8_lossy(&many),
                String::from_utf8_lossy(&one),
                "--format {format} --jobs {jobs}"
            );
        }
        if format == "short" {
            // Findings from several files, files in name order (the corpus names sort by number).
            let text = String::from_utf8(one).unwrap();
            let files: Vec<&str> =
                text.lines().filter_map(|l| l.split(".xlsx").next()).filter(|f| f.contains(dir)).collect();
            let mut sorted = files.clone();
            sorted.sort();
            assert_eq!(files, sorted);
            sorted.dedup();
            assert!(sorted.len() > 3, "findings from only {} files:\n{text}", sorted.len());
            assert!(text.contains("00005_broken.xlsx"), "{text}");
        }
    }
}

#[test]
fn the_json_report_of_a_batch_counts_every_file_once() {
    let tmp = tempfile::tempdir().unwrap();
    corpus(tmp.path(), 5);
    let (out, _) = run(&["check", "--jobs", "3", "--format", "json", tmp.path().to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let files: Vec<&str> = v["files"].as_array().unwrap().iter().map(|f| f["file"].as_str().unwrap()).collect();
    assert_eq!(files.len(), 5);
    assert!(files.windows(2).all(|w| w[0] < w[1]), "{files:?}");
    assert_eq!(v["summary"]["files"], 5);
    let findings = v["findings"].as_array().unwrap().len() as u64;
    let counted = ["errors", "warnings", "infos"].iter().map(|k| v["summary"][k].as_u64().unwrap()).sum::<u64>();
    assert_eq!(findings, counted);
}

#[test]
fn fix_dry_run_prints_the_same_whatever_the_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    corpus(tmp.path(), 8);
    let dir = tmp.path().to_str().unwrap();
    let (one, _) = run(&["fix", "--dry-run", "--jobs", "1", dir]);
    let (two, _) = run(&["fix", "--dry-run", "--jobs", "2", dir]);
    assert!(!one.is_empty());
    assert_eq!(String::from_utf8_lossy(&two), String::from_utf8_lossy(&one));
}

#[test]
fn no_progress_bar_when_stderr_is_not_a_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    // More files than the threshold that shows a bar on a terminal.
    corpus(tmp.path(), 25);
    let dir = tmp.path().to_str().unwrap();
    let (out, err) = run(&["check", "--format", "short", dir]);
    assert!(!out.is_empty());
    assert_eq!(err, "");
    let out_dir = tmp.path().join("out");
    let (out, err) = run(&["fix", "--out-dir", out_dir.to_str().unwrap(), dir]);
    assert!(!out.is_empty());
    assert_eq!(err, "");
}

/// What the terminal shows when the binary runs under a pseudo-terminal (`script`, from
/// util-linux), stdout discarded; `None` where `script` is not available.
fn on_a_terminal(args: &str) -> Option<String> {
    let bin = assert_cmd::cargo::cargo_bin("goalsheet");
    let cmd = format!("{} --lang en {args} > /dev/null", bin.display());
    let out = std::process::Command::new("script").args(["-qec", &cmd, "/dev/null"]).output().ok()?;
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn a_progress_bar_on_a_terminal_unless_quiet_or_json() {
    let tmp = tempfile::tempdir().unwrap();
    corpus(tmp.path(), 25);
    let dir = tmp.path().to_str().unwrap();
    let Some(shown) = on_a_terminal(&format!("check --format short {dir}")) else {
        eprintln!("`script` is not available: the terminal case is not tested here");
        return;
    };
    assert!(shown.contains("checking") && shown.contains("/25"), "{shown:?}");
    for quiet in [format!("check --quiet --format short {dir}"), format!("check --format json {dir}")] {
        let shown = on_a_terminal(&quiet).unwrap();
        assert!(!shown.contains("checking"), "{quiet}: {shown:?}");
    }
}
