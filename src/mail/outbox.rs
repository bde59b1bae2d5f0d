//! Sending what the outbox holds: every instance's background task runs [`send_due`].

use std::time::Duration;

use sea_orm::DatabaseConnection;

use super::transport::{Mailer, SendError};
use crate::auth::audit::{record, AuditKind};
use crate::auth::transport::client::ClientMeta;
use crate::db::outbox::{claim_mail, due_mail_ids, record_outcome, Outcome};
use crate::error::AppError;

/// How often each instance looks for due mail.
pub const POLL_INTERVAL: Duration = Duration::from_millis(500);
/// How long a claim lasts: an instance that died while sending leaves the mail to another after it.
pub const CLAIM_SECS: i64 = 120;
/// Attempts before a mail that keeps failing is given up.
pub const MAX_ATTEMPTS: i32 = 8;
/// Mail taken per poll.
const BATCH: u64 = 20;

/// Seconds to wait before attempt `attempts + 1`: 10 s, 20 s, 40 s … at most an hour.
pub fn retry_delay(attempts: i32) -> i64 {
    let doublings = u32::try_from(attempts.saturating_sub(1)).unwrap_or(0).min(12);
    (10_i64 << doublings).min(3_600)
}

/// What to record after attempt number `attempts` ended with `result`.
pub fn outcome(result: &Result<(), SendError>, attempts: i32, now: i64) -> Outcome<'_> {
    match result {
        Ok(()) => Outcome::Sent,
        Err(e) if e.permanent || attempts >= MAX_ATTEMPTS => Outcome::Failed { error: &e.message },
        Err(e) => Outcome::Deferred { retry_at: now + retry_delay(attempts), error: &e.message },
    }
}

/// Sends the mail that is due and that no other instance is sending; returns how many were
/// sent.
///
/// # Errors
/// Database failure (what was sent stays sent; a mail whose outcome could not be recorded is
/// sent again after its claim expires: delivery is at least once).
pub async fn send_due(db: &DatabaseConnection, mailer: &Mailer, now: i64) -> Result<usize, AppError> {
    let mut sent = 0;
    for id in due_mail_ids(db, now, BATCH).await? {
        let Some(mail) = claim_mail(db, id, now, now + CLAIM_SECS).await? else { continue };
        let result = mailer.send(&mail).await;
        let outcome = outcome(&result, mail.attempts, now);
        record_outcome(db, id, outcome, now).await?;
        match outcome {
            Outcome::Sent => sent += 1,
            Outcome::Deferred { error, .. } => {
                tracing::warn!(mail = id, attempts = mail.attempts, %error, "mail not sent; will retry");
            }
            Outcome::Failed { error } => {
                tracing::error!(mail = id, attempts = mail.attempts, %error, "mail given up");
                let meta = ClientMeta::operator();
                record(db, AuditKind::MailFailed, None, None, Some(&mail.recipient), &meta).await;
            }
        }
    }
    Ok(sent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_to_an_hour_and_give_up_after_the_last_attempt() {
        let delays: Vec<i64> = (1..=4).map(retry_delay).collect();
        assert_eq!(delays, [10, 20, 40, 80]);
        assert_eq!(retry_delay(30), 3_600);
        let transient = Err(SendError { permanent: false, message: "busy".into() });
        assert!(matches!(outcome(&transient, 1, 100), Outcome::Deferred { retry_at: 110, .. }));
        assert!(matches!(outcome(&transient, MAX_ATTEMPTS, 100), Outcome::Failed { .. }));
        let refused = Err(SendError { permanent: true, message: "550".into() });
        assert!(matches!(outcome(&refused, 1, 100), Outcome::Failed { .. }));
        assert_eq!(outcome(&Ok(()), 1, 100), Outcome::Sent);
    }
}
