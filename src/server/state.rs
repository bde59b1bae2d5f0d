//! `AppState`: what every request handler shares.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sea_orm::DatabaseConnection;

use super::config::Config;
use super::rate_limit::IpRateLimiter;
use crate::auth::cookies::CookiePolicy;
use crate::auth::revocations::Revocations;
use crate::auth::tokens::KeyRing;

/// Shared, cheaply clonable application state.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub config: Arc<Config>,
    pub keys: Arc<KeyRing>,
    pub revocations: Arc<Revocations>,
    pub cookies: Arc<CookiePolicy>,
    /// `None` when `IP_RATE_LIMIT=0`.
    pub ip_limiter: Option<Arc<IpRateLimiter>>,
    pub leptos_options: LeptosOptions,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
