//! The database side of refresh, batched: concurrent refreshes share their statements.
//!
//! Each refresh reads its token (joined with session and user) and, to rotate, writes three
//! things: the successor, the session's use, the claim on the parent. Alone, each of those is
//! a round trip on SQLite's one writer connection. Through two [`Batcher`]s, whatever refreshes
//! are queued are served together: one `SELECT … IN (…)` for all their reads, and three
//! statements for all their rotations, whatever the batch size ([`write_rotations`]: one round
//! trip on SQLite).
//!
//! Each statement keeps its meaning per row (see [`super::rotation`]): successors are stored
//! idempotently, only live sessions are touched, and the conditional claim still decides each
//! token's one winner.

use std::collections::{HashMap, HashSet};

use sea_orm::{DatabaseConnection, DbErr};

use crate::db::batch::Batcher;
use crate::db::refresh_tokens::{find_many_with_session, NewToken, TokenWithSession};
use crate::db::rotations::{write_rotations, RotationWrites};
use crate::db::sessions::SessionUse;
use crate::error::AppError;

/// Most requests served by one set of statements.
pub const MAX_BATCH: usize = 64;

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

type Found = Result<Option<TokenWithSession>, AppError>;
type Claimed = Result<bool, AppError>;

/// Handles to the two batching tasks. Cheap to clone.
#[derive(Clone)]
pub struct RotationBatches {
    reads: Batcher<Vec<u8>, Found>,
    writes: Batcher<Rotation, Claimed>,
}

impl RotationBatches {
    /// Starts both tasks on the current Tokio runtime.
    pub fn start(db: &DatabaseConnection) -> Self {
        let (read_db, write_db) = (db.clone(), db.clone());
        let reads = Batcher::start(MAX_BATCH, move |hashes: Vec<Vec<u8>>| {
            let db = read_db.clone();
            async move { read_batch(&db, hashes).await }
        });
        let writes = Batcher::start(MAX_BATCH, move |rotations: Vec<Rotation>| {
            let db = write_db.clone();
            async move {
                let len = rotations.len();
                match write_batch(&db, &rotations).await {
                    Ok(won) => won.into_iter().map(Ok).collect(),
                    Err(e) => vec![Err(AppError::from(e)); len],
                }
            }
        });
        Self { reads, writes }
    }

    /// The token with this hash, joined with its session and user.
    ///
    /// # Errors
    /// Database failure, or [`AppError::Internal`] if the task is gone.
    pub async fn find(&self, token_hash: Vec<u8>) -> Found {
        self.reads.call(token_hash).await.unwrap_or_else(task_gone)
    }

    /// Writes `rotation`; `true` if its claim won, `false` if another request rotated the
    /// token first or the session ended meanwhile.
    ///
    /// # Errors
    /// Database failure ([`AppError::Unavailable`] when the database is down), or
    /// [`AppError::Internal`] if the task is gone.
    pub async fn rotate(&self, rotation: Rotation) -> Claimed {
        self.writes.call(rotation).await.unwrap_or_else(task_gone)
    }
}

fn task_gone<T>() -> Result<T, AppError> {
    tracing::error!("refresh batching task is gone");
    Err(AppError::Internal)
}

async fn read_batch(db: &DatabaseConnection, hashes: Vec<Vec<u8>>) -> Vec<Found> {
    match find_many_with_session(db, &hashes).await {
        Ok(rows) => {
            // Two tabs may present the same token in one batch: each gets the row.
            let by_hash: HashMap<&[u8], &TokenWithSession> =
                rows.iter().map(|row| (row.token_hash.as_slice(), row)).collect();
            hashes.iter().map(|hash| Ok(by_hash.get(hash.as_slice()).map(|row| (*row).clone()))).collect()
        }
        Err(e) => vec![Err(AppError::from(e)); hashes.len()],
    }
}

/// Stores every successor, notes each session's use, then claims every parent; returns, for
/// each rotation in order, whether its claim won.
async fn write_batch(db: &DatabaseConnection, rotations: &[Rotation]) -> Result<Vec<bool>, DbErr> {
    let writes = RotationWrites {
        successors: rotations
            .iter()
            .map(|r| NewToken {
                session_id: &r.session_id,
                token_hash: r.successor_hash.clone(),
                created_at: r.now,
                expires_at: r.successor_expires_at,
            })
            .collect(),
        uses: rotations
            .iter()
            .map(|r| SessionUse { id: &r.session_id, user_agent: &r.user_agent, ip: &r.ip })
            .collect(),
        claims: rotations.iter().map(|r| (r.token_id, r.session_id.as_str())).collect(),
        now: rotations.iter().map(|r| r.now).max().unwrap_or_default(),
    };
    let claimed: HashSet<i64> = write_rotations(db, &writes).await?.into_iter().collect();
    Ok(first_claim_per_token(rotations, &claimed))
}

/// Which rotations won: those whose token was claimed, and of two requests in one batch for
/// the same token, only the first (the other is the loser of the race, as across batches).
fn first_claim_per_token(rotations: &[Rotation], claimed: &HashSet<i64>) -> Vec<bool> {
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
        assert_eq!(first_claim_per_token(&[a, b, c], &claimed), [true, false, false]);
    }
}
