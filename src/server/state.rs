//! `AppState`: what every request handler shares. Server functions and pages find it, and the
//! auth state inside it, in their Leptos context (`use_context::<AppState>()`).

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;

use super::config::Config;
use super::layers::ip_limit::IpRateLimiter;
use crate::auth::Auth;
use crate::mail::transport::Mailer;

/// Shared application state. Cloning is one reference-count increment: axum and Leptos clone it
/// several times per request, so it must not copy its fields.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl AppState {
    pub fn new(shared: Shared) -> Self {
        Self(Arc::new(shared))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What [`AppState`] shares.
pub struct Shared {
    /// The database pool (the one the auth services use too).
    pub db: sea_orm::DatabaseConnection,
    pub auth: Auth,
    pub config: Arc<Config>,
    /// `None` when `IP_RATE_LIMIT=0`.
    pub ip_limiter: Option<Arc<IpRateLimiter>>,
    pub leptos_options: LeptosOptions,
    /// Where the outbox's mail goes.
    pub mailer: Arc<Mailer>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl FromRef<AppState> for Auth {
    fn from_ref(state: &AppState) -> Self {
        state.auth.clone()
    }
}
