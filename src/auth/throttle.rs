//! Per-account login throttling: after `LOGIN_MAX_FAILURES` failed sign-ins for one email within
//! `LOGIN_FAILURE_WINDOW`, further attempts get 429 with `Retry-After` until the oldest of those
//! failures leaves the window. A success resets the count. Other accounts are never affected.
//!
//! The failures are the audit log's `login_failure` rows, so the state is shared by every
//! instance on one database.

use sea_orm::DatabaseConnection;

use crate::db::audit::recent_login_outcomes;
use crate::error::AppError;
use crate::server::config::Config;

/// `Ok(Ok(()))` when a sign-in may be attempted, `Ok(Err(Throttled))` when not.
///
/// # Errors
/// Database failure.
pub async fn check_login_throttle(
    db: &DatabaseConnection,
    config: &Config,
    email: &str,
    now: i64,
) -> Result<Result<(), AppError>, AppError> {
    let window = config.login_failure_window;
    let max = config.login_max_failures;
    let outcomes = recent_login_outcomes(db, email, now - window + 1, u64::from(max)).await?;
    Ok(match retry_after(&outcomes, max, window, now) {
        Some(retry_after) => Err(AppError::Throttled { retry_after }),
        None => Ok(()),
    })
}

/// Seconds to wait, given recent outcomes `(at, succeeded)` newest first; `None` when allowed.
pub fn retry_after(outcomes: &[(i64, bool)], max_failures: u32, window: i64, now: i64) -> Option<u64> {
    let failures: Vec<i64> = outcomes.iter().take_while(|(_, ok)| !ok).map(|(at, _)| *at).collect();
    let limit = usize::try_from(max_failures).unwrap_or(usize::MAX);
    if failures.len() < limit {
        return None;
    }
    let oldest_counted = failures[limit - 1];
    let wait = (oldest_counted + window - now).max(1);
    Some(u64::try_from(wait).unwrap_or(1))
}

#[cfg(test)]
mod tests {
    use super::retry_after;

    const NOW: i64 = 10_000;

    #[test]
    fn fewer_failures_than_the_limit_are_allowed() {
        let outcomes = [(NOW - 1, false), (NOW - 2, false)];
        assert_eq!(retry_after(&outcomes, 3, 900, NOW), None);
    }

    #[test]
    fn reaching_the_limit_blocks_until_the_oldest_counted_failure_leaves_the_window() {
        let outcomes = [(NOW - 1, false), (NOW - 5, false), (NOW - 100, false)];
        assert_eq!(retry_after(&outcomes, 3, 900, NOW), Some(800));
    }

    #[test]
    fn a_success_resets_the_count() {
        let outcomes = [(NOW - 1, false), (NOW - 2, true), (NOW - 3, false), (NOW - 4, false)];
        assert_eq!(retry_after(&outcomes, 3, 900, NOW), None);
    }

    #[test]
    fn the_wait_is_at_least_one_second() {
        let outcomes = [(NOW - 900, false)];
        assert_eq!(retry_after(&outcomes, 1, 900, NOW), Some(1));
    }
}
