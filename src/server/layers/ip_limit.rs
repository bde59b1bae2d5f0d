//! Per-IP rate limit on the state-changing auth endpoints (sign-up, sign-in, refresh):
//! `IP_RATE_LIMIT` requests per minute per client address (IPv6 per /64, the block one
//! subscriber is given), 0 = off. Over the limit: 429 with `Retry-After`, before any handler
//! runs. Ending a session (logout, logout everywhere, revoke) is never limited: a user sharing
//! an address with a flood must still be able to sign out.
//!
//! The limit is kept per instance, in memory (governor): a coarse brake on floods from one
//! address, and with N instances the effective limit is at most N times the setting. The
//! per-account sign-in throttle (`auth::credentials::throttle`) is the one that must be
//! global, and lives in the database.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

use axum::extract::Request;
use axum::http::Method;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::auth::transport::client::{address_group, ClientIp};
use crate::error::AppError;

/// Requests per minute per address (or IPv6 /64).
pub type IpRateLimiter = DefaultKeyedRateLimiter<IpAddr>;

/// The endpoints that end sessions: never rate-limited.
const ENDS_SESSIONS: [&str; 3] = ["/api/auth/logout", "/api/auth/logout_all", "/api/auth/revoke_session"];

/// The limiter for `per_minute` requests per address, or `None` when the limit is off.
pub fn ip_rate_limiter(per_minute: u32) -> Option<Arc<IpRateLimiter>> {
    NonZeroU32::new(per_minute).map(|n| Arc::new(RateLimiter::keyed(Quota::per_minute(n))))
}

/// 429 for an address over its quota of auth POSTs (a `CheckLayer` check).
///
/// # Errors
/// [`AppError::Throttled`].
pub fn limit_auth_requests_per_ip(
    limiter: Option<&IpRateLimiter>,
    request: &mut Request,
) -> Result<(), AppError> {
    let path = request.uri().path();
    let limited =
        request.method() == Method::POST && path.starts_with("/api/auth/") && !ENDS_SESSIONS.contains(&path);
    let ip = request.extensions().get::<ClientIp>().map(|ClientIp(ip)| address_group(*ip));
    if let (true, Some(limiter), Some(ip)) = (limited, limiter, ip) {
        if let Err(not_until) = limiter.check_key(&ip) {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            tracing::warn!(%ip, "per-IP rate limit reached on auth endpoints");
            return Err(AppError::Throttled { retry_after: wait.as_secs().max(1) });
        }
    }
    Ok(())
}
