//! Per-IP rate limit on the state-changing auth endpoints (sign-up, sign-in, refresh, logout,
//! revoke): `IP_RATE_LIMIT` requests per minute per client address, 0 = off. Over the limit:
//! 429 with `Retry-After`, before any handler runs.
//!
//! The limit is kept per instance, in memory: it is a coarse brake on floods from one address,
//! and with N instances the effective limit is at most N times the setting. Per-account sign-in
//! throttling (`auth::throttle`) is the one that must be global, and lives in the database.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request};
use axum::http::Method;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::error::AppError;

/// Requests per minute per IP address.
pub type IpRateLimiter = DefaultKeyedRateLimiter<IpAddr>;

/// The limiter for `per_minute` requests per IP, or `None` when the limit is off.
pub fn ip_rate_limiter(per_minute: u32) -> Option<Arc<IpRateLimiter>> {
    NonZeroU32::new(per_minute).map(|n| Arc::new(RateLimiter::keyed(Quota::per_minute(n))))
}

/// 429 for an address over its quota of auth POSTs.
pub fn limit_auth_requests_per_ip(
    request: &Request,
    limiter: Option<&IpRateLimiter>,
) -> Result<(), AppError> {
    let limited = request.method() == Method::POST && request.uri().path().starts_with("/api/auth/");
    let ip = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(addr)| addr.ip());
    if let (true, Some(limiter), Some(ip)) = (limited, limiter, ip) {
        if let Err(not_until) = limiter.check_key(&ip) {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            tracing::warn!(%ip, "per-IP rate limit reached on auth endpoints");
            return Err(AppError::Throttled { retry_after: wait.as_secs().max(1) });
        }
    }
    Ok(())
}
