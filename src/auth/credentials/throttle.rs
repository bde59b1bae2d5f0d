//! Attempt throttling shared by every instance: fixed windows counted in the database.
//!
//! An attempt is counted *before* the work it guards (a password hash), by one atomic
//! statement ([`crate::db::throttle::count_attempt`]), so a burst of concurrent attempts cannot
//! all be checked: at most `max` per window pass, the rest get 429 with `Retry-After` until
//! the window ends. When the count cannot be written, the attempt is refused (fail closed).
//!
//! Sign-in attempts are counted per account, and separately per known device of that account
//! (see `auth::devices`): failures from elsewhere fill the account's bucket, not the buckets of
//! browsers the owner has signed in from before, so they cannot lock the owner out.

use std::net::IpAddr;

use sea_orm::ConnectionTrait;
use sha2::{Digest, Sha256};

use crate::auth::transport::client::address_group;
use crate::db::throttle::{count_attempt, reset};
use crate::error::AppError;

/// How many attempts a window allows, and how long a window lasts (seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub max: u32,
    pub window: i64,
}

/// The verdict on one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    /// Counted; go ahead.
    Allowed,
    /// Over the limit for `retry_after` more seconds. `first` is true for the first refusal of
    /// the window (the one worth recording).
    Refused { retry_after: u64, first: bool },
}

impl Attempt {
    /// `Ok` when allowed, [`AppError::Throttled`] when refused.
    ///
    /// # Errors
    /// [`AppError::Throttled`].
    pub fn allowed(self) -> Result<(), AppError> {
        match self {
            Self::Allowed => Ok(()),
            Self::Refused { retry_after, .. } => Err(AppError::Throttled { retry_after }),
        }
    }
}

/// Counts an attempt under `key` and judges it against `limit`.
///
/// # Errors
/// Database failure ([`AppError::Unavailable`] when it is down): the attempt must be refused.
pub async fn take_attempt(
    db: &impl ConnectionTrait,
    key: &str,
    limit: Limit,
    now: i64,
) -> Result<Attempt, AppError> {
    let bucket = count_attempt(db, key, now, now - limit.window).await?;
    Ok(judge(bucket.attempts, bucket.window_start, limit, now))
}

/// The verdict for the `attempts`-th attempt of a window that opened at `window_start`.
pub fn judge(attempts: i64, window_start: i64, limit: Limit, now: i64) -> Attempt {
    if attempts <= i64::from(limit.max) {
        return Attempt::Allowed;
    }
    let wait = (window_start + limit.window - now).max(1);
    Attempt::Refused {
        retry_after: u64::try_from(wait).unwrap_or(1),
        first: attempts == i64::from(limit.max) + 1,
    }
}

/// Forgets the attempts under `key` (a success).
///
/// # Errors
/// Database failure.
pub async fn forget_attempts(db: &impl ConnectionTrait, key: &str) -> Result<(), AppError> {
    Ok(reset(db, key).await?)
}

/// The bucket of sign-ins to the account `email` from browsers it does not know.
pub fn account_key(email: &str) -> String {
    format!("login:account:{}", hex(&Sha256::digest(email.as_bytes())))
}

/// The bucket of password-reset mails to the address `email`.
pub fn reset_address_key(email: &str) -> String {
    format!("reset:address:{}", hex(&Sha256::digest(email.as_bytes())))
}

/// The bucket of re-authentication attempts of one signed-in user.
pub fn reauth_key(user_id: i64) -> String {
    format!("reauth:{user_id}")
}

/// The bucket of sign-ins to account `user_id` from the known device `device_hash`.
pub fn device_key(device_hash: &[u8], user_id: i64) -> String {
    format!("login:device:{user_id}:{}", hex(device_hash))
}

/// The bucket of `prefix` for a client address (its group: IPv6 by /64).
pub fn address_key(prefix: &str, ip: Option<IpAddr>) -> String {
    match ip {
        Some(ip) => format!("{prefix}:{}", address_group(ip)),
        None => format!("{prefix}:unknown"),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMIT: Limit = Limit { max: 3, window: 900 };
    const NOW: i64 = 10_000;

    #[test]
    fn attempts_up_to_the_limit_are_allowed() {
        for n in 1..=3 {
            assert_eq!(judge(n, NOW - 10, LIMIT, NOW), Attempt::Allowed);
        }
    }

    #[test]
    fn attempts_past_the_limit_wait_for_the_window_to_end_and_only_the_first_is_marked() {
        assert_eq!(judge(4, NOW - 100, LIMIT, NOW), Attempt::Refused { retry_after: 800, first: true });
        assert_eq!(judge(5, NOW - 100, LIMIT, NOW), Attempt::Refused { retry_after: 800, first: false });
    }

    #[test]
    fn the_wait_is_at_least_one_second() {
        assert_eq!(judge(9, NOW - 900, LIMIT, NOW), Attempt::Refused { retry_after: 1, first: false });
    }

    #[test]
    fn ipv6_clients_share_a_bucket_per_64() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().expect("ip");
        let b: IpAddr = "2001:db8:1:2:ffff::9".parse().expect("ip");
        assert_eq!(address_key("x", Some(a)), address_key("x", Some(b)));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().expect("ip");
        assert_eq!(address_key("x", Some(mapped)), "x:192.0.2.7");
    }

    #[test]
    fn account_keys_do_not_hold_the_email() {
        assert!(!account_key("ada@example.com").contains("ada"));
        assert_ne!(account_key("ada@example.com"), account_key("bob@example.com"));
    }
}
