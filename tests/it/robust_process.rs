//! The process around the work (issue 14, points 5 and 12): every write to stdout is checked,
//! and reading quietly never silences another thread's panic.

use crate::common::fixtures::{biff8_stream, goal_sheet_xls_sheet, ole, sample};
use std::process::Command;

const CHILD: &str = "GOALSHEET_PANIC_HOOK_CHILD";

/// An .xls on which calamine panics (a MergeCells record claiming 1,000 areas), read quietly.
fn panicking_xls() -> Vec<u8> {
    let mut stream = biff8_stream(&[goal_sheet_xls_sheet(&sample())]);
    let mut pos = 0;
    while pos + 4 <= stream.len() {
        let typ = u16::from_le_bytes([stream[pos], stream[pos + 1]]);
        let len = u16::from_le_bytes([stream[pos + 2], stream[pos + 3]]) as usize;
        if typ == 0x00E5 && len >= 2 {
            stream[pos + 4..pos + 6].copy_from_slice(&1000u16.to_le_bytes());
        }
        pos += 4 + len;
    }
    ole(&[("/Workbook", &stream)])
}

/// Many quiet reads that panic inside calamine, on several threads at once, while other
/// threads panic outside any read: every outside panic is still printed, no inside one is.
/// Runs in a child process (this test binary again), since a panic hook is process-wide.
#[test]
fn quiet_reads_never_silence_other_panics() {
    if std::env::var_os(CHILD).is_some() {
        let bytes = panicking_xls();
        std::thread::scope(|s| {
            for t in 0..8 {
                let bytes = &bytes;
                s.spawn(move || {
                    for i in 0..40 {
                        if (t + i) % 4 == 0 {
                            let _ = std::panic::catch_unwind(|| panic!("loud panic {t}-{i}"));
                        } else {
                            let e = goalsheet::read::read_bytes(bytes, "結合.xls").expect_err("damaged");
                            assert!(matches!(e.kind, goalsheet::ErrorKind::Corrupt { .. }));
                        }
                    }
                });
            }
        });
        return;
    }
    let out = Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "robust_process::quiet_reads_never_silence_other_panics",
            "--exact",
            "--nocapture",
            "--test-threads",
            "1",
        ])
        .env(CHILD, "1")
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(stderr.matches("loud panic").count(), 80, "{stderr}");
    assert_eq!(stderr.matches("panicked").count(), 80, "only the loud ones: {stderr}");
}

/// A full disk (`/dev/full`): exit 2 with a message, never exit 0 after a truncated output.
#[cfg(target_os = "linux")]
#[test]
fn a_failed_write_to_stdout_is_exit_2_with_a_message() {
    let samples = crate::common::repo("samples");
    let one = crate::common::division_samples().remove(0);
    for (args, lang, says) in [
        (
            vec!["check".into(), samples.clone(), "--format".into(), "json".into()],
            "en",
            "cannot write to standard output",
        ),
        (vec!["check".into(), samples.clone()], "ja", "標準出力に書き込めません"),
        (vec!["convert".into(), one.clone(), "-o".into(), "-".into(), "--to".into(), "csv".into()], "en", "incomplete"),
        (vec!["convert".into(), one.clone(), "-o".into(), "-".into()], "en", "incomplete"),
        (vec!["rules".into()], "en", "incomplete"),
    ] {
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full");
        let out = Command::new(env!("CARGO_BIN_EXE_goalsheet"))
            .args(["--lang", lang])
            .args(&args)
            .stdout(full)
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(!stderr.contains("converted") && !stderr.contains("変換しました"), "{args:?}: {stderr}");
        assert_eq!(stderr.matches(says).count(), 1, "said once: {stderr}");
    }
}

/// A pipe closed early (`| head`) stays quiet and successful.
#[cfg(unix)]
#[test]
fn a_closed_pipe_stays_quiet() {
    let samples = crate::common::repo("samples");
    let mut child = Command::new(env!("CARGO_BIN_EXE_goalsheet"))
        .args(["--lang", "en", "--jobs", "1", "check"])
        .arg(&samples)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("runs");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("waits");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// A run killed outright (SIGKILL) leaves its temporary file; the next run writing in that
/// folder removes it, and keeps one of a run still going.
#[cfg(target_os = "linux")]
#[test]
fn temporary_files_of_killed_runs_are_removed_by_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("課.xlsx");
    std::fs::copy(crate::common::division_samples().remove(0), &input).unwrap();
    // No process has this id (above the kernel's pid_max).
    let dead = dir.path().join(".goalsheet-4194305-AbCdEf.tmp");
    let live = dir.path().join(format!(".goalsheet-{}-AbCdEf.tmp", std::process::id()));
    std::fs::write(&dead, b"half a workbook").unwrap();
    std::fs::write(&live, b"being written").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_goalsheet")).args(["--lang", "en", "fix"]).arg(&input).output().unwrap();
    assert!(out.status.code().is_some_and(|c| c < 2), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!dead.exists(), "the killed run's file is removed");
    assert!(live.exists(), "a running process's file is kept");
}

/// SIGTERM (as Ctrl-C) while fix is writing: the run ends and no temporary file is left.
#[cfg(target_os = "linux")]
#[test]
fn an_interrupted_fix_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    let output = dir.path().join("out");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::create_dir_all(&output).unwrap();
    let bytes = std::fs::read(crate::common::division_samples().remove(0)).unwrap();
    for n in 0..400 {
        std::fs::write(input.join(format!("{n:03}.xlsx")), &bytes).unwrap();
    }
    let temporary = |dir: &std::path::Path| {
        std::fs::read_dir(dir).unwrap().flatten().any(|e| e.file_name().to_string_lossy().starts_with(".goalsheet-"))
    };
    for signal in ["-TERM", "-INT"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_goalsheet"))
            .args(["--lang", "en", "-q", "fix", "--force", "--out-dir"])
            .arg(&output)
            .arg(&input)
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let started = std::time::Instant::now();
        // Waits until a temporary file is there, then interrupts the run.
        while !temporary(&output) {
            assert!(started.elapsed() < std::time::Duration::from_secs(60), "no temporary file seen");
            assert!(child.try_wait().unwrap().is_none(), "fix ended before it was interrupted");
            std::thread::sleep(std::time::Duration::from_micros(200));
        }
        Command::new("kill").arg(signal).arg(child.id().to_string()).status().unwrap();
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(130), "{signal}: {status:?}");
        assert!(!temporary(&output), "{signal}: a temporary file was left");
    }
}
