//! Deleting what can never be used again: ended sessions, with which goes the only trace of
//! their refresh tokens. Runs in small batches so it never holds the database for long; the
//! server runs it periodically and `latchkey purge` runs it on demand.
//!
//! A live session keeps its rotation key and current token's hash: they are how a replayed,
//! stolen token is recognised. A session is deleted only once the last access token it issued
//! has expired, so the in-process revocation sets no longer need it.

use sea_orm::{DatabaseConnection, DbErr};

use crate::db::sessions::{dead_session_ids, delete_sessions};
use crate::server::config::Config;

/// Rows deleted per statement.
pub const PURGE_BATCH: u64 = 500;

/// What one purge removed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct PurgeReport {
    pub sessions: u64,
}

/// Deletes every dead row, batch by batch.
///
/// # Errors
/// Database failure (what was deleted before it stays deleted).
#[tracing::instrument(skip_all)]
pub async fn purge_dead_rows(
    db: &DatabaseConnection,
    config: &Config,
    now: i64,
) -> Result<PurgeReport, DbErr> {
    let mut report = PurgeReport::default();
    let ended_before = now - config.access_token_ttl;
    loop {
        let ids = dead_session_ids(db, ended_before, config.session_idle_timeout, PURGE_BATCH).await?;
        if ids.is_empty() {
            break;
        }
        report.sessions += delete_sessions(db, &ids).await?;
    }
    if report != PurgeReport::default() {
        tracing::info!(sessions = report.sessions, "purged dead rows");
    }
    Ok(report)
}
