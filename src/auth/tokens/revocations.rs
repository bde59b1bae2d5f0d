//! The in-process set of ended sessions: how a protected request learns, without a database
//! read, that its access token belongs to a session that was logged out or revoked.
//!
//! The set is filled at start-up and kept current by a background task (`server::background`)
//! that reads the database's revocation log from the last entry it saw ([`RevocationFeed`]).
//! The log is numbered by the database, so an instance learns of every revocation made
//! anywhere within [`POLL_INTERVAL`] of it, whatever its own clock says, and after its reads
//! fail for a while it resumes where it stopped.
//!
//! An entry only has to outlive the access tokens of its session: it is forgotten
//! [`FORGET_MARGIN`] after the last of them could expire.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::RwLock;
use std::time::Duration;

use sea_orm::{DatabaseConnection, DbErr};

use crate::db::revocations::{revocations_after, sessions_revoked_since};

/// How often each instance reads the revocation log.
pub const POLL_INTERVAL: Duration = Duration::from_millis(250);

/// Extra seconds an entry is kept past `revoked_at + ACCESS_TOKEN_TTL`: an access token of the
/// session may have been signed by an instance whose clock is ahead of the revoker's. Entries
/// are compared with absolute times (`revoked_at`, the token's `exp`), so the clock of the
/// instance holding the set does not matter, only how far the signer's and revoker's differ.
pub const FORGET_MARGIN: i64 = 300;

/// Entries read per query while catching up.
const READ_BATCH: u64 = 1_000;

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
    /// Records that `session_id` ended at `revoked_at`, for access tokens living `access_ttl`.
    pub fn insert(&self, session_id: &str, revoked_at: i64, access_ttl: i64) {
        let forget_after = revoked_at.saturating_add(access_ttl).saturating_add(FORGET_MARGIN);
        let mut ended = self.ended.write().unwrap_or_else(|p| p.into_inner());
        let entry = ended.entry(session_id.to_owned()).or_insert(forget_after);
        *entry = (*entry).max(forget_after);
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

/// Where this instance stands in the database's revocation log.
#[derive(Debug, Default)]
pub struct RevocationFeed {
    last_seen: AtomicI64,
}

impl RevocationFeed {
    /// The `seq` of the last log entry read.
    pub fn last_seen(&self) -> i64 {
        self.last_seen.load(Ordering::Acquire)
    }

    /// Reads every log entry after the last one seen into `set`; returns how many it read.
    /// A failure part-way keeps what was read: the next call resumes after it.
    ///
    /// # Errors
    /// Database failure.
    pub async fn catch_up(
        &self,
        db: &DatabaseConnection,
        set: &Revocations,
        access_ttl: i64,
    ) -> Result<usize, DbErr> {
        let mut read = 0;
        loop {
            let entries = revocations_after(db, self.last_seen(), READ_BATCH).await?;
            let Some(last) = entries.last().map(|e| e.seq) else {
                return Ok(read);
            };
            for entry in &entries {
                set.insert(&entry.session_id, entry.revoked_at, access_ttl);
            }
            read += entries.len();
            self.last_seen.fetch_max(last, Ordering::AcqRel);
            if (entries.len() as u64) < READ_BATCH {
                return Ok(read);
            }
        }
    }
}

/// Fills `set` at start-up: the whole log, and sessions revoked recently according to their
/// own rows (revocations made before the log existed). Returns the feed to poll from.
///
/// # Errors
/// Database failure.
pub async fn load_revocations(
    db: &DatabaseConnection,
    set: &Revocations,
    now: i64,
    access_ttl: i64,
) -> Result<RevocationFeed, DbErr> {
    for (id, revoked_at) in sessions_revoked_since(db, now - access_ttl - FORGET_MARGIN).await? {
        set.insert(&id, revoked_at, access_ttl);
    }
    let feed = RevocationFeed::default();
    feed.catch_up(db, set, access_ttl).await?;
    Ok(feed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_revoked_session_is_remembered_until_its_tokens_expire_plus_the_margin() {
        let set = Revocations::default();
        set.insert("s1", 1_000, 300);
        assert!(set.is_revoked("s1"));
        assert!(!set.is_revoked("s2"));
        set.prune(1_300 + FORGET_MARGIN - 1);
        assert!(set.is_revoked("s1"));
        set.prune(1_300 + FORGET_MARGIN);
        assert!(!set.is_revoked("s1"));
        assert!(set.is_empty());
    }

    #[test]
    fn a_later_revocation_of_the_same_session_keeps_the_later_deadline() {
        let set = Revocations::default();
        set.insert("s1", 2_000, 300);
        set.insert("s1", 1_000, 300);
        set.prune(1_300 + FORGET_MARGIN);
        assert!(set.is_revoked("s1"));
    }
}
