//! Outputs flushed and renamed into place on threads of their own.
//!
//! Each corrected workbook is flushed to the disk before it is renamed to its name, so that a
//! write error (a full disk, a network share gone) is seen and a power cut never leaves an
//! empty file under that name. The flush waits for the disk. Done by the worker that made the
//! file, every file of a batch stopped that worker: with `--jobs 1`, a thousand pauses between
//! files (a quarter of `fix`'s time to this VM's disk, and a tenth of its CPU time, as each
//! pause sends the processor idle: docs/performance.md). The worker now hands the written file
//! ([`Staged`]) to a committer thread and goes on to the next input; the file's result is
//! printed only once the committer has renamed it ([`Commit::wait`]), so nothing is reported
//! written before it is.
//!
//! The queue is bounded: a worker outpacing a slow disk waits for room rather than holding
//! more open files.

use goalsheet::fix::output::Staged;
use goalsheet::Error;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

type Job = (Staged, mpsc::Sender<Result<bool, Error>>);

/// Committer threads and the queue to them; dropping it waits for every queued file.
pub struct Committer {
    queue: Option<mpsc::SyncSender<Job>>,
    threads: Vec<JoinHandle<()>>,
}

/// One output's commit: done already, or under way on a committer thread.
pub enum Commit {
    Done(Result<bool, Error>),
    Pending(mpsc::Receiver<Result<bool, Error>>),
}

impl Committer {
    /// `threads` committer threads (at least one). Where no thread can be started, each file is
    /// committed by the caller, as before.
    pub fn new(threads: usize) -> Committer {
        let threads = threads.max(1);
        let (queue, jobs) = mpsc::sync_channel::<Job>(2 * threads);
        let jobs = Arc::new(Mutex::new(jobs));
        let started: Vec<JoinHandle<()>> = (0..threads)
            .filter_map(|i| {
                let jobs = Arc::clone(&jobs);
                std::thread::Builder::new()
                    .name(format!("goalsheet-commit-{i}"))
                    .spawn(move || loop {
                        // Held while waiting for the next job, let go before committing it.
                        let job = match jobs.lock() {
                            Ok(jobs) => jobs.recv(),
                            Err(_) => return,
                        };
                        let Ok((staged, reply)) = job else { return };
                        // The waiter may be gone (its run interrupted): nothing to tell.
                        let _ = reply.send(staged.commit());
                    })
                    .ok()
            })
            .collect();
        let queue = (!started.is_empty()).then_some(queue);
        Committer { queue, threads: started }
    }

    /// Queues `staged` to be flushed and renamed into place.
    pub fn commit(&self, staged: Staged) -> Commit {
        let Some(queue) = &self.queue else { return Commit::Done(staged.commit()) };
        let (reply, result) = mpsc::channel();
        match queue.send((staged, reply)) {
            Ok(()) => Commit::Pending(result),
            // Every committer thread is gone: the file comes back with the error.
            Err(mpsc::SendError((staged, _))) => Commit::Done(staged.commit()),
        }
    }
}

impl Commit {
    /// Waits for the file to be in place: `Ok(true)` once renamed to its name, `Ok(false)` when
    /// the name was taken meanwhile (see [`Staged::commit`]).
    pub fn wait(self) -> Result<bool, Error> {
        match self {
            Commit::Done(result) => result,
            Commit::Pending(result) => result.recv().unwrap_or_else(|_| {
                // Only if a committer thread died mid-file, which `commit` does not do.
                Err(Error::new(goalsheet::ErrorKind::Output(std::io::Error::other("the file was not written"))))
            }),
        }
    }
}

impl Drop for Committer {
    fn drop(&mut self) {
        self.queue = None;
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use goalsheet::fix::output::stage;

    #[test]
    fn every_file_is_in_place_once_its_commit_is_waited_for() {
        let dir = tempfile::tempdir().unwrap();
        for threads in [1, 3] {
            let committer = Committer::new(threads);
            let commits: Vec<_> = (0..20)
                .map(|i| {
                    let path = dir.path().join(format!("{threads}-{i}.xlsx"));
                    let staged = stage(&path, format!("file {i}").as_bytes(), false).unwrap();
                    assert!(!path.exists(), "not renamed into place before its commit");
                    (path, committer.commit(staged))
                })
                .collect();
            for (i, (path, commit)) in commits.into_iter().enumerate() {
                assert!(commit.wait().unwrap());
                assert_eq!(std::fs::read_to_string(&path).unwrap(), format!("file {i}"));
            }
        }
        // Nothing but the outputs: no temporary file left.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 40);
    }

    #[test]
    fn a_name_taken_meanwhile_is_kept_and_said() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.corrected.xlsx");
        let committer = Committer::new(1);
        let staged = stage(&path, b"ours", false).unwrap();
        std::fs::write(&path, b"theirs").unwrap();
        assert!(!committer.commit(staged).wait().unwrap());
        assert_eq!(std::fs::read(&path).unwrap(), b"theirs");
        drop(committer);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "our temporary file is gone");
    }

    #[test]
    fn a_failed_flush_or_rename_comes_back_as_the_files_error() {
        let dir = tempfile::tempdir().unwrap();
        // The name is taken by a folder: the rename fails, whatever `replace` says.
        let path = dir.path().join("b.corrected.xlsx");
        std::fs::create_dir(&path).unwrap();
        std::fs::write(path.join("inside"), b"x").unwrap();
        let committer = Committer::new(2);
        let staged = stage(&path, b"ours", true).unwrap();
        let err = committer.commit(staged).wait().unwrap_err();
        assert_eq!(err.file.as_deref(), Some(path.as_path()));
        assert!(matches!(err.kind, goalsheet::ErrorKind::Output(_)), "{err:?}");
    }
}
