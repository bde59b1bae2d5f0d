//! The in-process set of ended sessions: how a protected request learns, without a database
//! read, that its access token belongs to a session that was logged out or revoked.
//!
//! An entry only has to outlive the access tokens of its session, so each is forgotten once the
//! longest-lived of them would have expired. The set is filled at start-up and kept current by
//! a background task that polls the database (`server::background`), so every instance learns
//! of a revoke made by another within [`POLL_INTERVAL`].

use std::sync::RwLock;
use std::time::Duration;

use sea_orm::DatabaseConnection;

use crate::db::sessions::revoked_since;

/// How often each instance looks for revocations made elsewhere.
pub const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// Session id → the time after which no access token of it can still be valid.
///
/// Looked up on every authenticated request, so hashed with foldhash rather than SipHash: the
/// ids in it and the ids looked up (from verified tokens) are all ours, random, so there is no
/// collision flood to defend against.
#[derive(Default)]
pub struct Revocations {
    ended: RwLock<foldhash::HashMap<String, i64>>,
}

impl Revocations {
    /// Records that `session_id` ended; it is remembered until `forget_after`.
    pub fn insert(&self, session_id: &str, forget_after: i64) {
        let mut ended = self.ended.write().unwrap_or_else(|p| p.into_inner());
        ended.insert(session_id.to_owned(), forget_after);
    }

    pub fn is_revoked(&self, session_id: &str) -> bool {
        self.ended.read().unwrap_or_else(|p| p.into_inner()).contains_key(session_id)
    }

    /// Drops entries whose access tokens have all expired.
    pub fn prune(&self, now: i64) {
        self.ended.write().unwrap_or_else(|p| p.into_inner()).retain(|_, forget_after| *forget_after > now);
    }

    pub fn len(&self) -> usize {
        self.ended.read().unwrap_or_else(|p| p.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Loads revocations made since `since` into `set`; returns how many rows it read.
///
/// # Errors
/// Database failure.
pub async fn load_revocations(
    db: &DatabaseConnection,
    set: &Revocations,
    since: i64,
    access_ttl: i64,
) -> Result<usize, sea_orm::DbErr> {
    let rows = revoked_since(db, since).await?;
    for (id, revoked_at) in &rows {
        set.insert(id, revoked_at + access_ttl);
    }
    Ok(rows.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_revoked_session_is_remembered_until_its_tokens_expire() {
        let set = Revocations::default();
        set.insert("s1", 1_000);
        assert!(set.is_revoked("s1"));
        assert!(!set.is_revoked("s2"));
        set.prune(999);
        assert!(set.is_revoked("s1"));
        set.prune(1_000);
        assert!(!set.is_revoked("s1"));
        assert!(set.is_empty());
    }
}
