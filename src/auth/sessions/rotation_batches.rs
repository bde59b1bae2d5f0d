//! The database side of refresh, batched: concurrent refreshes share their statements.
//!
//! Each refresh reads its session (joined with its user) and, to rotate, writes it back. Alone,
//! each of those is a round trip on SQLite's one writer connection. Through two [`Batcher`]s,
//! whatever refreshes are queued are served together: one `SELECT … IN (…)` for all their
//! reads, and one `UPDATE` for all their rotations ([`rotate_sessions`]), whatever the batch
//! size. The `UPDATE` keeps its meaning per row: only live sessions still at the generation
//! their caller read are rotated, which decides each token's one winner.

use std::collections::{HashMap, HashSet};

use sea_orm::{DatabaseConnection, DbErr};

use crate::db::batch::Batcher;
use crate::db::rotations::{rotate_sessions, SessionRotation};
use crate::db::sessions::{find_for_refresh, SessionForRefresh};
use crate::error::AppError;

/// Most requests served by one set of statements.
pub const MAX_BATCH: usize = 64;

/// The writes of one rotation.
#[derive(Debug, Clone)]
pub struct Rotation {
    pub session_id: String,
    pub from_generation: i64,
    pub successor_hash: Vec<u8>,
    pub successor_expires_at: i64,
    pub now: i64,
    pub user_agent: String,
    pub ip: String,
}

type Found = Result<Option<SessionForRefresh>, AppError>;
type Claimed = Result<bool, AppError>;

/// Handles to the two batching tasks. Cheap to clone.
#[derive(Clone)]
pub struct RotationBatches {
    reads: Batcher<String, Found>,
    writes: Batcher<Rotation, Claimed>,
}

impl RotationBatches {
    /// Starts both tasks on the current Tokio runtime.
    pub fn start(db: &DatabaseConnection) -> Self {
        let (read_db, write_db) = (db.clone(), db.clone());
        let reads = Batcher::start(MAX_BATCH, move |ids: Vec<String>| {
            let db = read_db.clone();
            async move { read_batch(&db, ids).await }
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

    /// The session with this id, joined with its user.
    ///
    /// # Errors
    /// Database failure, or [`AppError::Internal`] if the task is gone.
    pub async fn find(&self, session_id: String) -> Found {
        self.reads.call(session_id).await.unwrap_or_else(task_gone)
    }

    /// Writes `rotation`; `true` if its claim won, `false` if another request rotated the
    /// session first or the session ended meanwhile.
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

async fn read_batch(db: &DatabaseConnection, ids: Vec<String>) -> Vec<Found> {
    match find_for_refresh(db, &ids).await {
        Ok(rows) => {
            // Two tabs may present tokens of one session in one batch: each gets the row.
            let by_id: HashMap<&str, &SessionForRefresh> =
                rows.iter().map(|row| (row.session_id.as_str(), row)).collect();
            ids.iter().map(|id| Ok(by_id.get(id.as_str()).map(|row| (*row).clone()))).collect()
        }
        Err(e) => vec![Err(AppError::from(e)); ids.len()],
    }
}

/// Rotates every session of the batch in one statement; returns, for each rotation in order,
/// whether its claim won.
async fn write_batch(db: &DatabaseConnection, rotations: &[Rotation]) -> Result<Vec<bool>, DbErr> {
    let writes: Vec<SessionRotation<'_>> = rotations
        .iter()
        .map(|r| SessionRotation {
            session_id: &r.session_id,
            from_generation: r.from_generation,
            successor_hash: r.successor_hash.clone(),
            successor_expires_at: r.successor_expires_at,
            user_agent: &r.user_agent,
            ip: &r.ip,
        })
        .collect();
    let now = rotations.iter().map(|r| r.now).max().unwrap_or_default();
    let rotated: HashSet<(String, i64)> = rotate_sessions(db, &writes, now).await?.into_iter().collect();
    Ok(first_claim_per_session(rotations, &rotated))
}

/// Which rotations won: those whose session moved from their generation to the next, and of
/// two requests in one batch for the same session and generation, only the first (the other
/// is the loser of the race, as across batches).
fn first_claim_per_session(rotations: &[Rotation], rotated: &HashSet<(String, i64)>) -> Vec<bool> {
    let mut seen = HashSet::new();
    rotations
        .iter()
        .map(|r| {
            let claim = (r.session_id.clone(), r.from_generation + 1);
            rotated.contains(&claim) && seen.insert(claim)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rotation(session: &str, from_generation: i64) -> Rotation {
        Rotation {
            session_id: session.to_owned(),
            from_generation,
            successor_hash: vec![],
            successor_expires_at: 0,
            now: 0,
            user_agent: String::new(),
            ip: String::new(),
        }
    }

    #[test]
    fn of_two_claims_on_one_generation_in_a_batch_only_the_first_wins() {
        let batch = [rotation("a", 3), rotation("b", 0), rotation("a", 3), rotation("a", 2)];
        let rotated = HashSet::from([("a".to_owned(), 4)]);
        assert_eq!(first_claim_per_session(&batch, &rotated), [true, false, false, false]);
    }
}
