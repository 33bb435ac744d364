//! The shared batch runner: per-file work in parallel, results handed back in input order.
//!
//! A department office runs goalsheet over folders of hundreds or thousands of workbooks, so
//! `check`, `fix`, `merge` and `convert` read (and check, fix, render …) their files on a rayon
//! pool of `--jobs` threads. Whatever the thread count, what a command prints comes out in the
//! order of its inputs (files as given, folders walked in name order): the runner hands each
//! result to the caller's `sink` on the calling thread, as soon as every earlier result has
//! been handed over. Workers take the next file from a shared counter, so results complete in
//! nearly input order and only the few that finish early wait in a small reorder buffer:
//! memory follows the thread count, not the number of files, provided the per-file result is
//! small (findings and rendered text, not the whole document).
//!
//! `--jobs 1` runs everything on the calling thread with no pool at all.
//!
//! A progress bar (indicatif) is drawn on stderr for long batches (more than
//! [`PROGRESS_MIN_FILES`] files, or running longer than [`PROGRESS_AFTER`]) when stderr is a
//! terminal and the command did not ask for quiet (`--quiet`, or machine output such as
//! `--format json`). Text printed through [`Progress::out`] clears the bar first, so the two
//! never mix on a terminal.

use super::Global;
use goalsheet::Lang;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Mutex};
use std::time::{Duration, Instant};

/// Stack of each worker: the size of the main thread's, since reading a workbook runs there
/// with `--jobs 1` (threads otherwise get a small default, see `cli::small_thread_stacks`).
pub const STACK_BYTES: usize = 8 << 20;

/// Batches of more files than this get a progress bar at once.
pub const PROGRESS_MIN_FILES: usize = 20;
/// Smaller batches get one when they run longer than this.
pub const PROGRESS_AFTER: Duration = Duration::from_secs(1);

/// How to run a batch.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Worker threads (1: no pool, everything on the calling thread).
    pub jobs: usize,
    /// Whether a progress bar may be shown at all (false for `--quiet` and machine output).
    pub progress: bool,
    /// What the bar says the command is doing.
    pub verb: (&'static str, &'static str),
    pub lang: Lang,
}

impl Options {
    /// `--jobs` (default: the machine's available parallelism) and `--quiet` from the global
    /// options; `verb` is what the bar shows (`("検査", "checking")`).
    pub fn new(global: &Global, verb: (&'static str, &'static str)) -> Options {
        Options { jobs: jobs(global), progress: !global.quiet, verb, lang: global.lang() }
    }

    /// Never show a progress bar (machine-readable output, or a command printing its own).
    pub fn without_progress(mut self) -> Options {
        self.progress = false;
        self
    }
}

/// The thread count: `--jobs N`, else the available parallelism (1 if unknown).
pub fn jobs(global: &Global) -> usize {
    global.jobs.map(|n| n.get()).unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1))
}

/// The progress bar of a batch (hidden until the batch is long enough, or for good).
pub struct Progress {
    bar: ProgressBar,
    allowed: bool,
    shown: std::cell::Cell<bool>,
    started: Instant,
}

impl Progress {
    fn new(total: usize, opts: &Options) -> Progress {
        let allowed = opts.progress && std::io::stderr().is_terminal();
        let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::hidden());
        let template =
            format!("{} {{wide_bar}} {{pos}}/{{len}} ({{elapsed}})", opts.lang.pick(opts.verb.0, opts.verb.1));
        if let Ok(style) = ProgressStyle::with_template(&template) {
            bar.set_style(style.progress_chars("=> "));
        }
        let p = Progress { bar, allowed, shown: std::cell::Cell::new(false), started: Instant::now() };
        if total > PROGRESS_MIN_FILES {
            p.show();
        }
        p
    }

    fn show(&self) {
        if self.allowed && !self.shown.get() {
            self.shown.set(true);
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    /// Shows the bar once the batch has run longer than [`PROGRESS_AFTER`].
    fn tick(&self) {
        if !self.shown.get() && self.started.elapsed() > PROGRESS_AFTER {
            self.show();
        }
    }

    /// Prints to stdout ([`super::out`]) with the bar cleared first and redrawn after.
    pub fn out(&self, text: &str) {
        self.bar.suspend(|| super::out(text));
    }

    /// Reports an error on stderr ([`super::report_error`]) with the bar cleared first.
    pub fn report_error(&self, e: &goalsheet::Error, lang: Lang) {
        self.bar.suspend(|| super::report_error(e, lang));
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// Runs `work` on every item, `opts.jobs` at a time, and hands each result to `sink` on the
/// calling thread in item order (`sink(progress, index, result)`), as soon as every earlier
/// result has been handed over. `sink` prints through `progress` so the bar stays clean.
///
/// Items are moved into `work` (a file's path, or why it could not be listed).
pub fn run<T, R, W, S>(items: Vec<T>, opts: &Options, work: W, mut sink: S)
where
    T: Send,
    R: Send,
    W: Fn(T) -> R + Sync,
    S: FnMut(&Progress, usize, R),
{
    let progress = Progress::new(items.len(), opts);
    let pool = if opts.jobs > 1 && items.len() > 1 {
        rayon::ThreadPoolBuilder::new()
            .num_threads(opts.jobs.min(items.len()))
            .thread_name(|i| format!("goalsheet-{i}"))
            .stack_size(STACK_BYTES)
            .build()
            .ok()
    } else {
        None
    };
    match pool {
        // Single-threaded (or the pool could not be made): no threads, no channel.
        None => {
            for (i, item) in items.into_iter().enumerate() {
                let r = work(item);
                progress.bar.inc(1);
                progress.tick();
                sink(&progress, i, r);
            }
        }
        Some(pool) => {
            // One slot per item, each taken once by whichever worker draws its index.
            let slots: Vec<Mutex<Option<T>>> = items.into_iter().map(|t| Mutex::new(Some(t))).collect();
            let slots = &slots;
            let next = AtomicUsize::new(0);
            let (tx, rx) = mpsc::channel::<(usize, R)>();
            let threads = pool.current_num_threads();
            let (work, next, bar) = (&work, &next, &progress.bar);
            pool.in_place_scope(|scope| {
                for _ in 0..threads {
                    let tx = tx.clone();
                    scope.spawn(move |_| loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(slot) = slots.get(i) else { break };
                        let Some(item) = slot.lock().ok().and_then(|mut s| s.take()) else { continue };
                        let r = work(item);
                        bar.inc(1);
                        if tx.send((i, r)).is_err() {
                            break;
                        }
                    });
                }
                drop(tx);
                // The calling thread only puts results back in order and hands them over.
                let mut pending: BTreeMap<usize, R> = BTreeMap::new();
                let mut emitted = 0;
                loop {
                    match rx.recv_timeout(Duration::from_millis(200)) {
                        Ok((i, r)) => {
                            pending.insert(i, r);
                            while let Some(r) = pending.remove(&emitted) {
                                progress.tick();
                                sink(&progress, emitted, r);
                                emitted += 1;
                            }
                        }
                        Err(mpsc::RecvTimeoutError::Timeout) => progress.tick(),
                        Err(mpsc::RecvTimeoutError::Disconnected) => break,
                    }
                }
            });
        }
    }
    progress.finish();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(jobs: usize) -> Options {
        Options { jobs, progress: false, verb: ("検査", "checking"), lang: Lang::En }
    }

    #[test]
    fn results_come_back_in_input_order_whatever_the_thread_count() {
        let items: Vec<u64> = (0..200).collect();
        for jobs in [1, 2, 3, 8] {
            let mut seen = Vec::new();
            // Uneven work, so that later items often finish before earlier ones.
            run(
                items.clone(),
                &opts(jobs),
                |n| {
                    std::thread::sleep(Duration::from_micros((n * 7919) % 500));
                    n * 2
                },
                |_, i, r| seen.push((i, r)),
            );
            let expected: Vec<(usize, u64)> = items.iter().map(|&n| (n as usize, n * 2)).collect();
            assert_eq!(seen, expected, "jobs = {jobs}");
        }
    }

    #[test]
    fn an_empty_batch_calls_nothing() {
        let mut calls = 0;
        run(Vec::<u8>::new(), &opts(4), |_| (), |_, _, _| calls += 1);
        assert_eq!(calls, 0);
    }
}
