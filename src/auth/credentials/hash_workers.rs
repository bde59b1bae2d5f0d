//! The threads that run password hashes: one per core, fed from one queue.
//!
//! A hash is about 20 ms of one core. Behind a semaphore in front of Tokio's blocking pool,
//! every finished hash went through several thread hand-offs (blocking thread, async task,
//! permit, next task, blocking thread) before the next one could start, and the core idled
//! meanwhile: about 8 % of the machine during a sign-in storm. Here a worker that finishes a hash
//! takes the next job from the queue at once. At most one hash per core runs, so a storm queues
//! instead of starving request handling; a job whose caller gave up while queued is skipped.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{mpsc, Arc, LazyLock, Mutex};

use tokio::sync::oneshot;

type Job = Box<dyn FnOnce() + Send>;

static QUEUE: LazyLock<mpsc::Sender<Job>> = LazyLock::new(start_workers);

fn start_workers() -> mpsc::Sender<Job> {
    let (queue, jobs) = mpsc::channel::<Job>();
    let jobs = Arc::new(Mutex::new(jobs));
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    for i in 0..cores {
        let jobs = Arc::clone(&jobs);
        let worker = std::thread::Builder::new().name(format!("argon2-{i}")).spawn(move || loop {
            // The lock is held only while waiting for a job, never while running one.
            let next = jobs.lock().map(|jobs| jobs.recv());
            match next {
                // A panicking job loses its answer (its caller sees an error), not the worker.
                Ok(Ok(job)) => drop(catch_unwind(AssertUnwindSafe(job))),
                _ => return,
            }
        });
        if let Err(e) = worker {
            tracing::error!(error = %e, "could not start a password hashing thread");
        }
    }
    queue
}

/// Runs `work` on a hashing thread and waits for it; `None` if it could not run (no thread, or
/// it panicked).
pub async fn run<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    let (done, result) = oneshot::channel();
    let span = tracing::Span::current();
    let job: Job = Box::new(move || {
        if !done.is_closed() {
            let _ = done.send(span.in_scope(work));
        }
    });
    QUEUE.send(job).ok()?;
    result.await.ok()
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn jobs_run_at_most_one_per_core_and_a_panic_loses_only_its_own_answer() {
        static RUNNING: AtomicUsize = AtomicUsize::new(0);
        static MOST: AtomicUsize = AtomicUsize::new(0);
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let jobs: Vec<_> = (0..cores * 4)
            .map(|i| {
                tokio::spawn(run(move || {
                    let now = RUNNING.fetch_add(1, Ordering::SeqCst) + 1;
                    MOST.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(5));
                    RUNNING.fetch_sub(1, Ordering::SeqCst);
                    i
                }))
            })
            .collect();
        for (i, job) in jobs.into_iter().enumerate() {
            assert_eq!(job.await.expect("task"), Some(i));
        }
        assert!(MOST.load(Ordering::SeqCst) <= cores, "more hashes at once than cores");
        assert_eq!(run(|| -> u8 { panic!("boom") }).await, None);
        assert_eq!(run(|| 7).await, Some(7), "the workers survive a panicking job");
    }
}
