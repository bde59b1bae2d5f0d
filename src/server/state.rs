//! `AppState`: what every request handler shares.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sea_orm::DatabaseConnection;

use super::config::Config;
use super::rate_limit::IpRateLimiter;
use crate::auth::cookies::CookiePolicy;
use crate::auth::revocations::Revocations;
use crate::auth::rotation_batches::RotationBatches;
use crate::auth::tokens::KeyRing;

/// Shared application state. Cloning is one reference-count increment: axum and Leptos clone it
/// several times per request (each stateful layer and the server-function context), so it must
/// not copy its fields.
#[derive(Clone)]
pub struct AppState(Arc<SharedState>);

impl AppState {
    pub fn new(shared: SharedState) -> Self {
        Self(Arc::new(shared))
    }
}

impl std::ops::Deref for AppState {
    type Target = SharedState;

    fn deref(&self) -> &SharedState {
        &self.0
    }
}

/// What [`AppState`] shares.
pub struct SharedState {
    pub db: DatabaseConnection,
    pub config: Arc<Config>,
    pub keys: Arc<KeyRing>,
    pub revocations: Arc<Revocations>,
    /// Refresh-token reads and rotations, batched across concurrent refreshes.
    pub rotations: RotationBatches,
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
