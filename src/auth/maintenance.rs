//! Deleting what can never be used again, and what is kept no longer than it should be: ended
//! sessions (with them goes the only trace of their refresh tokens), audit events older than
//! `AUDIT_RETENTION`, throttle windows that are over, devices unseen for longer than a device
//! cookie lives, and revocation-log entries older than any access token. Runs in small batches
//! so it never holds the database for long; the server runs it periodically and `latchkey
//! purge` runs it on demand.
//!
//! A live session keeps its rotation key and current token's hash: they are how a replayed,
//! stolen token is recognised. A session is deleted only once the last access token it issued
//! has expired, so the in-process revocation sets no longer need it.

use sea_orm::{DatabaseConnection, DbErr};

use super::settings::AuthSettings;
use super::tokens::revocations::FORGET_MARGIN;
use crate::db::audit::purge_events;
use crate::db::devices::purge_devices;
use crate::db::email_tokens::purge_email_tokens;
use crate::db::outbox::purge_mail;
use crate::db::passkeys::purge_ceremonies;
use crate::db::revocations::purge_log;
use crate::db::second_factors::purge_pending_sign_ins;
use crate::db::sessions::{dead_session_ids, delete_sessions};
use crate::db::throttle::purge_buckets;

/// Rows deleted per statement.
pub const PURGE_BATCH: u64 = 500;

/// A known device is forgotten after this long unseen: browsers drop the cookie by then.
pub const DEVICE_UNSEEN_LIMIT: i64 = 400 * 24 * 3600;

/// Sent (or given-up) mail is kept this long, for the operator.
pub const MAIL_KEPT: i64 = 7 * 24 * 3600;

/// The longest throttle window in use (sign-in windows are configured; the others are an hour).
fn longest_window(config: &AuthSettings) -> i64 {
    config.login_failure_window.max(3_600)
}

/// What one purge removed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct PurgeReport {
    pub sessions: u64,
    pub audit_events: u64,
    pub other: u64,
}

/// Deletes every dead row, batch by batch.
///
/// # Errors
/// Database failure (what was deleted before it stays deleted).
#[tracing::instrument(skip_all)]
pub async fn purge_dead_rows(
    db: &DatabaseConnection,
    config: &AuthSettings,
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
    report.audit_events = purge_events(db, now - config.audit_retention).await?;
    report.other += purge_buckets(db, now - longest_window(config)).await?;
    report.other += purge_devices(db, now - DEVICE_UNSEEN_LIMIT).await?;
    report.other += purge_log(db, now - config.access_token_ttl - FORGET_MARGIN - 3_600).await?;
    report.other += purge_mail(db, now - MAIL_KEPT).await?;
    report.other += purge_email_tokens(db, now).await?;
    report.other += purge_pending_sign_ins(db, now).await?;
    report.other += purge_ceremonies(db, now).await?;
    if report != PurgeReport::default() {
        tracing::info!(sessions = report.sessions, audit_events = report.audit_events, "purged dead rows");
    }
    Ok(report)
}
