//! Rotation writes, batched: concurrent refreshes share their statements ("group commit").
//!
//! A rotation's writes (store the successor, claim the parent, note the session's use) are a
//! few single-row statements, and on SQLite they queue for the one writer connection: the
//! round trips, not the work, bound how many rotations a second one instance can do. So every
//! refresh hands its writes to one task, which takes whatever is queued (up to [`MAX_BATCH`])
//! and writes it with three statements in all, whatever the batch size. A lone refresh is a
//! batch of one and waits for nobody.
//!
//! Each statement keeps its meaning per row (see [`super::rotation`]): successors are stored
//! idempotently, the conditional claim still decides each token's one winner, and the touch
//! happens only for the claims that won.

use std::collections::HashSet;

use sea_orm::{DatabaseConnection, DbErr};
use tokio::sync::{mpsc, oneshot};

use crate::db::refresh_tokens::{claim_rotations, store_tokens, NewToken};
use crate::db::sessions::{touch_sessions, SessionUse};
use crate::error::AppError;

/// Most rotations written by one set of statements.
pub const MAX_BATCH: usize = 64;
/// Rotations that may wait for the writer before callers wait to enqueue.
const QUEUE: usize = 1024;

/// The writes of one rotation.
#[derive(Debug, Clone)]
pub struct Rotation {
    pub token_id: i64,
    pub session_id: String,
    pub successor_hash: Vec<u8>,
    pub successor_expires_at: i64,
    pub now: i64,
    pub user_agent: String,
    pub ip: String,
}

struct Job {
    rotation: Rotation,
    claimed: oneshot::Sender<Result<bool, AppError>>,
}

/// Handle to the task that writes rotations. Cheap to clone; the task ends when the last
/// handle is dropped.
#[derive(Clone)]
pub struct RotationWriter {
    queue: mpsc::Sender<Job>,
}

impl RotationWriter {
    /// Starts the writer task on the current Tokio runtime.
    pub fn start(db: DatabaseConnection) -> Self {
        let (queue, jobs) = mpsc::channel(QUEUE);
        tokio::spawn(write_batches(db, jobs));
        Self { queue }
    }

    /// Writes `rotation`; `true` if its claim won, `false` if another request rotated the
    /// token first or the session ended meanwhile.
    ///
    /// # Errors
    /// Database failure ([`AppError::Unavailable`] when the database is down), or
    /// [`AppError::Internal`] if the writer task is gone.
    pub async fn rotate(&self, rotation: Rotation) -> Result<bool, AppError> {
        let (claimed, outcome) = oneshot::channel();
        let sent = self.queue.send(Job { rotation, claimed }).await;
        match (sent, outcome.await) {
            (Ok(()), Ok(result)) => result,
            _ => {
                tracing::error!("rotation writer task is gone");
                Err(AppError::Internal)
            }
        }
    }
}

async fn write_batches(db: DatabaseConnection, mut jobs: mpsc::Receiver<Job>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while jobs.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let rotations: Vec<&Rotation> = batch.iter().map(|job| &job.rotation).collect();
        let outcome = write_batch(&db, &rotations).await.map_err(AppError::from);
        for (i, job) in batch.drain(..).enumerate() {
            let won = outcome.as_ref().map(|won| won[i]).map_err(Clone::clone);
            // The caller may have gone (client disconnected); the rotation stands regardless.
            let _ = job.claimed.send(won);
        }
    }
}

/// Stores every successor, claims every parent, then touches the sessions whose claim won;
/// returns, for each rotation in order, whether its claim won.
async fn write_batch(db: &DatabaseConnection, rotations: &[&Rotation]) -> Result<Vec<bool>, DbErr> {
    let now = rotations.iter().map(|r| r.now).max().unwrap_or_default();
    let successors: Vec<NewToken<'_>> = rotations
        .iter()
        .map(|r| NewToken {
            session_id: &r.session_id,
            token_hash: r.successor_hash.clone(),
            created_at: r.now,
            expires_at: r.successor_expires_at,
        })
        .collect();
    store_tokens(db, &successors).await?;
    let claims: Vec<(i64, &str)> = rotations.iter().map(|r| (r.token_id, r.session_id.as_str())).collect();
    let claimed: HashSet<i64> = claim_rotations(db, &claims, now).await?.into_iter().collect();
    let won = first_claim_per_token(rotations, &claimed);
    let uses: Vec<SessionUse<'_>> = rotations
        .iter()
        .zip(&won)
        .filter(|(_, won)| **won)
        .map(|(r, _)| SessionUse { id: &r.session_id, user_agent: &r.user_agent, ip: &r.ip })
        .collect();
    if let Err(e) = touch_sessions(db, &uses, now).await {
        // Only "last seen" goes stale; the rotations themselves are done.
        tracing::warn!(error = %e, "could not record session use after rotation");
    }
    Ok(won)
}

/// Which rotations won: those whose token was claimed, and of two requests in one batch for
/// the same token, only the first (the other is the loser of the race, as across batches).
fn first_claim_per_token(rotations: &[&Rotation], claimed: &HashSet<i64>) -> Vec<bool> {
    let mut seen = HashSet::new();
    rotations.iter().map(|r| claimed.contains(&r.token_id) && seen.insert(r.token_id)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rotation(token_id: i64) -> Rotation {
        Rotation {
            token_id,
            session_id: format!("s{token_id}"),
            successor_hash: vec![],
            successor_expires_at: 0,
            now: 0,
            user_agent: String::new(),
            ip: String::new(),
        }
    }

    #[test]
    fn of_two_claims_on_one_token_in_a_batch_only_the_first_wins() {
        let (a, b, c) = (rotation(1), rotation(2), rotation(1));
        let claimed = HashSet::from([1]);
        assert_eq!(first_claim_per_token(&[&a, &b, &c], &claimed), [true, false, false]);
    }
}
