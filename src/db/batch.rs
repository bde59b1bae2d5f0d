//! Group commit: callers queue requests, one task serves whatever is queued with one call.
//!
//! On SQLite every statement is a round trip to the connection's thread, and the one writer
//! connection serialises them: under concurrency the round trips, not the work, bound the
//! throughput. A [`Batcher`] turns N concurrent requests into one call of its `serve` function
//! (which answers them with a few multi-row statements). A lone request is a batch of one and
//! waits for nobody; while a batch is served, the next one gathers.

use std::future::Future;

use tokio::sync::{mpsc, oneshot};

/// Requests that may wait for the task before callers wait to enqueue.
const QUEUE: usize = 1024;

/// Handle to a batching task. Cheap to clone; the task ends when the last handle is dropped.
pub struct Batcher<Req, Out> {
    queue: mpsc::Sender<(Req, oneshot::Sender<Out>)>,
}

impl<Req, Out> Clone for Batcher<Req, Out> {
    fn clone(&self) -> Self {
        Self { queue: self.queue.clone() }
    }
}

impl<Req: Send + 'static, Out: Send + 'static> Batcher<Req, Out> {
    /// Starts the task on the current Tokio runtime. `serve` gets up to `max_batch` requests
    /// and must return one answer per request, in order.
    pub fn start<F, Fut>(max_batch: usize, mut serve: F) -> Self
    where
        F: FnMut(Vec<Req>) -> Fut + Send + 'static,
        Fut: Future<Output = Vec<Out>> + Send,
    {
        let (queue, mut jobs) = mpsc::channel::<(Req, oneshot::Sender<Out>)>(QUEUE);
        tokio::spawn(async move {
            let mut batch = Vec::with_capacity(max_batch);
            while jobs.recv_many(&mut batch, max_batch).await > 0 {
                let (requests, replies): (Vec<Req>, Vec<_>) = batch.drain(..).unzip();
                let answers = serve(requests).await;
                debug_assert_eq!(answers.len(), replies.len(), "one answer per request");
                for (reply, answer) in replies.into_iter().zip(answers) {
                    // The caller may have gone (client disconnected); the work stands regardless.
                    let _ = reply.send(answer);
                }
            }
        });
        Self { queue }
    }

    /// Queues `request` and waits for its answer; `None` only if the task is gone.
    pub async fn call(&self, request: Req) -> Option<Out> {
        let (reply, answer) = oneshot::channel();
        self.queue.send((request, reply)).await.ok()?;
        answer.await.ok()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    use super::*;

    #[tokio::test]
    async fn concurrent_requests_share_batches_and_each_gets_its_own_answer() {
        let batches = Arc::new(AtomicUsize::new(0));
        let counted = batches.clone();
        let doubler = Batcher::start(8, move |requests: Vec<u32>| {
            counted.fetch_add(1, Ordering::SeqCst);
            async move {
                tokio::task::yield_now().await;
                requests.into_iter().map(|n| n * 2).collect::<Vec<_>>()
            }
        });
        let calls: Vec<_> = (0..40)
            .map(|n| {
                tokio::spawn({
                    let doubler = doubler.clone();
                    async move { (n, doubler.call(n).await) }
                })
            })
            .collect();
        for call in calls {
            let (n, answer) = call.await.expect("task");
            assert_eq!(answer, Some(n * 2));
        }
        let batches = batches.load(Ordering::SeqCst);
        assert!((5..40).contains(&batches), "40 requests in {batches} batches of at most 8");
    }
}
