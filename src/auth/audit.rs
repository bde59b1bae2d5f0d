//! Recording what happens to accounts and sessions in the audit log (never a token or a
//! password). A failure to record is logged, never shown to the user.

use sea_orm::DatabaseConnection;

use super::clock::now;
use super::credentials::throttle::{address_key, take_attempt, Attempt, Limit};
use super::transport::client::ClientMeta;
use super::Auth;
pub use crate::db::audit::AuditKind;
use crate::db::audit::{record_event, AuditEvent};

/// At most this many audit rows per hour from one address for events of nobody signed in
/// (failed and throttled sign-ins): anyone can cause them, so they are bounded per address as
/// well as per account (by the sign-in throttle).
pub const UNAUTHENTICATED_EVENTS_PER_ADDRESS: Limit = Limit { max: 100, window: 3_600 };

/// Appends an audit row.
pub async fn record(
    db: &DatabaseConnection,
    kind: AuditKind,
    user_id: Option<i64>,
    session_id: Option<&str>,
    email: Option<&str>,
    meta: &ClientMeta,
) {
    let event = AuditEvent { kind, user_id, session_id, email, ip: &meta.ip, user_agent: &meta.user_agent };
    if let Err(e) = record_event(db, event, now()).await {
        tracing::warn!(error = %e, kind = kind.as_str(), "could not record an audit event");
    }
}

/// [`record`] for an event of nobody signed in, unless this address caused more than
/// [`UNAUTHENTICATED_EVENTS_PER_ADDRESS`] of them lately.
pub async fn record_unauthenticated(
    auth: &Auth,
    kind: AuditKind,
    user_id: Option<i64>,
    email: &str,
    meta: &ClientMeta,
) {
    let key = address_key("audit", meta.addr);
    match take_attempt(&auth.db, &key, UNAUTHENTICATED_EVENTS_PER_ADDRESS, now()).await {
        Ok(Attempt::Allowed) => record(&auth.db, kind, user_id, None, Some(email), meta).await,
        Ok(Attempt::Refused { first, .. }) => {
            if first {
                tracing::warn!(
                    kind = kind.as_str(),
                    "too many events from one address: not recording more for now"
                );
            }
        }
        Err(e) => tracing::warn!(error = %e, kind = kind.as_str(), "could not record an audit event"),
    }
}
