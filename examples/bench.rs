//! The batch benchmark: every command over the same generated files, against the floor.
//!
//! ```text
//! cargo run --release --example bench -- --files 1000 [--runs 3] [--threads 1,2] [--seed 1]
//!                                          [--scratch DIR]
//! ```
//!
//! It builds the release binary (`cargo build --release --bin goalsheet`), writes `--files`
//! realistic division workbooks of one department (`support/corpus.rs`) into
//! `target/bench/corpus-N-sS/` (kept and reused), and times, for each thread count:
//!
//! - **floor**: calamine alone, in this process: `open_workbook_auto` + `worksheet_range` of
//!   every sheet + iterating every cell, nothing else (rayon with T threads; a plain loop for 1);
//! - **check**, **fix**, **merge**: the release binary itself (`--jobs T`), stdout discarded,
//!   so process start, the batch runner, rendering and writing are all included;
//! - **convert → CSV**: the release binary, `convert --jobs T DIR --to csv --out-dir …` when
//!   `convert` takes folders, else the library path it uses (read + CSV) in this process;
//! - **write**: the same documents written as workbooks with rust_xlsxwriter
//!   (`goalsheet::write::workbook_bytes` + `fs::write`).
//!
//! What the timed runs write goes to new folders in `target/bench/scratch`, or with `--scratch
//! DIR` in `DIR/goalsheet-bench-scratch`, deleted at the end. On a tmpfs such as `/dev/shm` the
//! figures leave out the disk: the file system's work creating and flushing each output, which
//! on some virtual disks is a quarter of `fix`'s time (docs/performance.md). On ext4 without a
//! journal, creating a file walks past every inode freed in the last 1–6 minutes: start the
//! benchmark at least 6 minutes after deleting many files (another run's scratch included).
//!
//! The tasks run in rounds (each task once per round, `--runs` rounds), so that a machine whose
//! speed drifts slows each alike. Each figure is the best of `--runs` runs; the spread (slowest
//! run) is shown beside it, because the machines this runs on are often shared. Ratios are to
//! the single-threaded floor. `fix`'s CPU is also divided by `check`'s round by round: on a
//! virtual machine whose speed changes from minute to minute, the median of those ratios is
//! steadier than the ratio of the least times, which may come from different minutes.

#[path = "support/corpus.rs"]
mod corpus;
#[path = "support/floor.rs"]
mod floor;

use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

struct Args {
    files: usize,
    runs: usize,
    threads: Vec<usize>,
    seed: u64,
    scratch: Option<PathBuf>,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args { files: 1000, runs: 3, threads: vec![1, 2], seed: 1, scratch: None };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        let v = it.next().ok_or_else(|| format!("{k} needs a value"))?;
        let bad = |_| format!("bad value for {k}: {v}");
        match k.as_str() {
            "--files" => a.files = v.parse().map_err(bad)?,
            "--runs" => a.runs = v.parse::<usize>().map_err(bad)?.max(1),
            "--seed" => a.seed = v.parse().map_err(bad)?,
            "--scratch" => a.scratch = Some(PathBuf::from(&v).join("goalsheet-bench-scratch")),
            "--threads" => {
                a.threads = v
                    .split(',')
                    .map(|t| t.trim().parse::<usize>().map(|t| t.max(1)))
                    .collect::<Result<_, _>>()
                    .map_err(bad)?
            }
            _ => return Err(format!("unknown option {k}")),
        }
    }
    Ok(a)
}

/// What one task took over `runs` runs.
#[derive(Clone)]
struct Timing {
    /// Fastest wall-clock time.
    best: Duration,
    /// Slowest wall-clock time (the noise of a shared machine).
    worst: Duration,
    /// Least CPU time (user + system, of this process's threads and of the binary it ran), when
    /// the platform tells (Linux `/proc`): much steadier than wall time when other programs
    /// compete for the cores.
    cpu: Option<Duration>,
    /// Each run's CPU time, in the order run (round by round).
    cpus: Vec<Duration>,
}

impl Timing {
    fn new() -> Timing {
        Timing { best: Duration::MAX, worst: Duration::ZERO, cpu: None, cpus: Vec::new() }
    }
}

/// A task to time: returns false when it failed (it is then not run again).
type Task<'a> = Box<dyn FnMut() -> bool + 'a>;

/// Times every task `runs` times, in rounds: each round runs every task once, in order, so
/// that a machine whose speed drifts from minute to minute (a virtual machine's often does)
/// slows each task alike, and one task's runs can be set beside another's of the same round.
fn time_rounds(runs: usize, tasks: &mut [Option<Task<'_>>]) -> Vec<Option<Timing>> {
    let mut out: Vec<Option<Timing>> = tasks.iter().map(|t| t.as_ref().map(|_| Timing::new())).collect();
    for _ in 0..runs {
        for (task, slot) in tasks.iter_mut().zip(out.iter_mut()) {
            let (Some(f), Some(t)) = (task.as_mut(), slot.as_mut()) else { continue };
            let cpu0 = cpu_time();
            let start = Instant::now();
            if !f() {
                *slot = None;
                *task = None;
                continue;
            }
            let d = start.elapsed();
            t.best = t.best.min(d);
            t.worst = t.worst.max(d);
            if let (Some(a), Some(b)) = (cpu0, cpu_time()) {
                let used = b.saturating_sub(a);
                t.cpu = Some(t.cpu.map_or(used, |c| c.min(used)));
                t.cpus.push(used);
            }
        }
    }
    out
}

/// CPU time used so far by this process and its waited-for children (Linux only).
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after = stat.rsplit_once(')')?.1;
    let f: Vec<u64> = after.split_whitespace().skip(11).take(4).map(|x| x.parse().unwrap_or(0)).collect();
    let ticks: u64 = f.iter().sum();
    Some(Duration::from_secs_f64(ticks as f64 / clock_ticks()))
}

/// Clock ticks per second of `/proc` times (`getconf CLK_TCK`, 100 almost everywhere).
fn clock_ticks() -> f64 {
    static TICKS: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    *TICKS.get_or_init(|| {
        Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
            .unwrap_or(100.0)
    })
}

/// The floor: calamine opening each file and reading every cell of every sheet.
/// How many of the corpus's divisions the merge row merges into one department file.
const MERGE_DIVISIONS: usize = 400;

fn floor(paths: &[PathBuf], threads: usize) -> bool {
    let read = |p: &PathBuf| -> usize { floor::read_every_cell(p).unwrap_or(usize::MAX) };
    let cells: usize = if threads == 1 {
        paths.iter().map(read).sum()
    } else {
        pool(threads).install(|| paths.par_iter().map(read).sum())
    };
    cells != usize::MAX && cells > 0
}

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap_or_else(|e| panic!("thread pool: {e}"))
}

/// Runs the release binary; exit codes 0 and 1 (findings) count as success.
fn goalsheet(bin: &Path, args: &[&str]) -> bool {
    let status = Command::new(bin).args(args).stdout(Stdio::null()).stderr(Stdio::null()).status();
    matches!(status.map(|s| s.code()), Ok(Some(0 | 1)))
}

/// Whether the binary has a subcommand, and whether it takes an option.
fn has(bin: &Path, command: &str, option: &str) -> bool {
    let out = Command::new(bin).args([command, "--help"]).output();
    matches!(out, Ok(o) if o.status.success() && String::from_utf8_lossy(&o.stdout).contains(option))
}

fn main() -> ExitCode {
    // `bench --floor DIR`: only the floor, single-threaded, over the workbooks of DIR (to
    // compare instruction counts under `valgrind --tool=callgrind`, which noise does not move).
    let argv: Vec<String> = std::env::args().collect();
    if let [_, flag, dir] = argv.as_slice() {
        if flag == "--floor" {
            let mut paths: Vec<PathBuf> =
                std::fs::read_dir(dir).into_iter().flatten().filter_map(|e| e.ok().map(|e| e.path())).collect();
            paths.sort();
            return if floor(&paths, 1) { ExitCode::SUCCESS } else { ExitCode::from(1) };
        }
    }
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}\nusage: bench [--files N] [--runs R] [--threads 1,2] [--seed S]");
            return ExitCode::from(2);
        }
    };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    eprintln!("building the release binary…");
    let built = Command::new(&cargo)
        .args(["build", "--release", "--quiet", "--bin", "goalsheet"])
        .current_dir(&root)
        .status()
        .map(|s| s.success());
    if !matches!(built, Ok(true)) {
        eprintln!("could not build the release binary");
        return ExitCode::from(2);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root.join("target"));
    let bin = target.join("release").join(format!("goalsheet{}", std::env::consts::EXE_SUFFIX));

    let spec = corpus::Spec {
        files: args.files,
        seed: args.seed,
        departments: corpus::Departments::One(corpus::ONE_DEPARTMENT),
    };
    let work = target.join("bench");
    // v2: with the 実績集計 sheet of formatted figures and formulas (issue 12).
    let dir = work.join(format!("corpus-v2-{}-s{}", args.files, args.seed));
    let complete = std::fs::read_dir(&dir).map(|d| d.count() == args.files).unwrap_or(false);
    if !complete {
        eprintln!("writing {} workbooks to {}…", args.files, dir.display());
        let _ = std::fs::remove_dir_all(&dir);
        if let Err(e) = corpus::write(&spec, &dir) {
            eprintln!("could not write the corpus: {e}");
            return ExitCode::from(2);
        }
    }
    let paths: Vec<PathBuf> = (0..args.files).map(|i| dir.join(corpus::file_name(i))).collect();
    let docs: Vec<_> = (0..args.files).map(|i| corpus::document(&spec, i)).collect();
    let scratch = args.scratch.clone().unwrap_or_else(|| work.join("scratch"));
    let d = dir.to_string_lossy().to_string();
    // Every timed run writes into a new, empty folder, and all are deleted at the end: deleting
    // the previous run's 1,000 files inside the timing counted the deletion, and files created
    // seconds after 1,000 others were deleted cost ext4 twice the kernel time
    // (`recently_deleted` inodes are skipped), which no user running `fix` pays.
    let _ = std::fs::remove_dir_all(&scratch);
    let runs_so_far = std::cell::Cell::new(0usize);
    let fresh = || -> Option<PathBuf> {
        runs_so_far.set(runs_so_far.get() + 1);
        let out = scratch.join(runs_so_far.get().to_string());
        std::fs::create_dir_all(&out).ok().map(|_| out)
    };

    let has_fix = has(&bin, "fix", "--out-dir");
    let has_merge = has(&bin, "merge", "--output");
    let convert_dirs = has(&bin, "convert", "--out-dir");
    let cpus = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    println!(
        "goalsheet batch benchmark: {} files (seed {}), best of {} runs, {} CPUs",
        args.files, args.seed, args.runs, cpus
    );
    println!("binary: {}", bin.display());

    type Row = (&'static str, Vec<Option<Timing>>);
    let mut rows: Vec<Row> = Vec::new();
    let names = [
        "floor (calamine: open + read every cell)",
        "check (binary, --format short)",
        "fix (binary, --out-dir)",
        "merge (binary, 400 divisions → 1 file)",
        if convert_dirs { "convert → CSV (binary, --out-dir)" } else { "convert → CSV (library: read + CSV)" },
        "write workbooks (rust_xlsxwriter)",
    ];
    for name in names {
        rows.push((name, Vec::new()));
    }
    for &t in &args.threads {
        let jobs = t.to_string();
        eprintln!("{t} thread(s)…");
        let check_args = ["check", "--jobs", &jobs, "--format", "short", &d];
        // A department file holds at most guard::MAX_ITEMS sheets, goals and indicators (what
        // the reader takes back): 400 divisions of this corpus stay under it, 1,000 do not.
        let mut merge_args = vec!["merge".to_string(), "--jobs".to_string(), jobs.clone()];
        merge_args.extend(paths.iter().take(MERGE_DIVISIONS).map(|p| p.to_string_lossy().to_string()));
        merge_args.push("-o".to_string());
        let mut tasks: Vec<Option<Task<'_>>> = vec![
            Some(Box::new(|| floor(&paths, t))),
            Some(Box::new(|| goalsheet(&bin, &check_args))),
            has_fix.then(|| -> Task<'_> {
                Box::new(|| {
                    fresh().is_some_and(|s| {
                        goalsheet(&bin, &["fix", "--jobs", &jobs, "--out-dir", &s.to_string_lossy(), &d])
                    })
                })
            }),
            has_merge.then(|| -> Task<'_> {
                Box::new(|| {
                    fresh().is_some_and(|s| {
                        let out = s.join("部.xlsx").to_string_lossy().to_string();
                        let all: Vec<&str> = merge_args.iter().map(String::as_str).chain([out.as_str()]).collect();
                        goalsheet(&bin, &all)
                    })
                })
            }),
            Some(if convert_dirs {
                Box::new(|| {
                    fresh().is_some_and(|s| {
                        goalsheet(
                            &bin,
                            &["convert", "--jobs", &jobs, &d, "--to", "csv", "--out-dir", &s.to_string_lossy()],
                        )
                    })
                })
            } else {
                Box::new(|| fresh().is_some_and(|s| convert_in_process(&paths, &s, t)))
            }),
            Some(Box::new(|| {
                fresh().is_some_and(|out| {
                    let write = |(i, doc): (usize, &goalsheet::Document)| {
                        goalsheet::write::workbook_bytes(doc)
                            .ok()
                            .and_then(|b| std::fs::write(out.join(corpus::file_name(i)), b).ok())
                            .is_some()
                    };
                    if t == 1 {
                        docs.iter().enumerate().all(write)
                    } else {
                        pool(t).install(|| docs.par_iter().enumerate().all(write))
                    }
                })
            })),
        ];
        for (row, timing) in rows.iter_mut().zip(time_rounds(args.runs, &mut tasks)) {
            row.1.push(timing);
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);

    let base = rows[0].1.first().cloned().flatten();
    let mut header = format!("{:<42}", "task");
    for t in &args.threads {
        let label = format!("{t} thread{}", if *t == 1 { "" } else { "s" });
        header.push_str(&format!(" | {label:>9}: wall (worst) ×floor   cpu ×floor"));
    }
    println!("{header}");
    println!("{}", "-".repeat(header.chars().count()));
    let ratio = |a: Option<Duration>, b: Option<Duration>| match (a, b) {
        (Some(a), Some(b)) if !b.is_zero() => format!("{:.2}", a.as_secs_f64() / b.as_secs_f64()),
        _ => "-".to_string(),
    };
    for (name, cells) in &rows {
        let mut line = format!("{name:<42}");
        for c in cells {
            match c {
                Some(t) => {
                    let wall = format!("{:.3} s ({:.3})", t.best.as_secs_f64(), t.worst.as_secs_f64());
                    let cpu = t.cpu.map(|c| format!("{:.2} s", c.as_secs_f64())).unwrap_or_else(|| "-".into());
                    line.push_str(&format!(
                        " | {wall:>20} {:>6} {cpu:>7} {:>5}",
                        ratio(Some(t.best), base.as_ref().map(|b| b.best)),
                        ratio(t.cpu, base.as_ref().and_then(|b| b.cpu))
                    ));
                }
                None => line.push_str(&format!(" | {:>20} {:>6} {:>7} {:>5}", "n/a", "", "", "")),
            }
        }
        println!("{line}");
    }
    println!(
        "wall: fastest of the runs (slowest in brackets); cpu: least user+system time; ×floor: divided by the \
         single-threaded floor's; n/a: the command is not in this build, or it failed."
    );
    // Issue 13's budget: fix (read, check, fix, patch and write every workbook) at most twice
    // the CPU of check over the same files. Beside the ratio of the least CPU times, each
    // round's fix divided by the same round's check: the least times may come from different
    // minutes of a machine whose speed drifts.
    for (i, t) in args.threads.iter().enumerate() {
        let timing = |row: usize| rows[row].1.get(i).cloned().flatten();
        let (check, fix) = (timing(1), timing(2));
        let cpu = |t: &Option<Timing>| t.as_ref().and_then(|t| t.cpu);
        let mut by_round: Vec<f64> = match (&check, &fix) {
            (Some(c), Some(f)) => c
                .cpus
                .iter()
                .zip(&f.cpus)
                .filter(|(c, _)| !c.is_zero())
                .map(|(c, f)| f.as_secs_f64() / c.as_secs_f64())
                .collect(),
            _ => Vec::new(),
        };
        by_round.sort_by(f64::total_cmp);
        let rounds = match by_round.len() {
            0 => String::new(),
            n => {
                let median = if n % 2 == 1 { by_round[n / 2] } else { (by_round[n / 2 - 1] + by_round[n / 2]) / 2.0 };
                format!("; round by round {:.2}–{:.2}×, median {median:.2}×", by_round[0], by_round[n - 1])
            }
        };
        println!(
            "fix / check, {t} thread(s): {}× CPU (least of each){rounds} (budget 2×)",
            ratio(cpu(&fix), cpu(&check))
        );
    }
    ExitCode::SUCCESS
}

/// `convert` to CSV for every file through the library, as the CLI does for one file.
fn convert_in_process(paths: &[PathBuf], out: &Path, threads: usize) -> bool {
    let one = |p: &PathBuf| -> bool {
        let Ok(doc) = goalsheet::read::read_path(p) else { return false };
        let Ok(bytes) = csv_bytes(&doc) else { return false };
        let name = p.with_extension("csv");
        let name = name.file_name().map(PathBuf::from).unwrap_or_default();
        std::fs::write(out.join(name), bytes).is_ok()
    };
    if threads == 1 {
        paths.iter().all(one)
    } else {
        pool(threads).install(|| paths.par_iter().all(one))
    }
}

fn csv_bytes(doc: &goalsheet::Document) -> goalsheet::Result<Vec<u8>> {
    goalsheet::convert::csv::to_bytes(doc, goalsheet::convert::csv::Encoding::Utf8Bom)
}
