//! `Application`: builds everything the server needs and serves it. `main` and the integration
//! tests both start the server through it (tests with port 0 and a fresh database).

use std::net::SocketAddr;
use std::sync::Arc;

use axum::ServiceExt as _;
use leptos::config::LeptosOptions;
use tokio::net::TcpListener;

use super::background::spawn_background_tasks;
use super::config::Config;
use super::rate_limit::ip_rate_limiter;
use super::router::build_app;
use super::state::{AppState, SharedState};
use crate::auth::clock::now;
use crate::auth::cookies::CookiePolicy;
use crate::auth::keys::load_or_create_key_ring;
use crate::auth::password;
use crate::auth::revocations::{load_revocations, Revocations};
use crate::auth::rotation_batches::RotationBatches;
use crate::db::connect_and_migrate;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("database: {0}")]
    Database(#[from] sea_orm::DbErr),
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
}

/// A server that is bound to its address and ready to run.
pub struct Application {
    listener: TcpListener,
    state: AppState,
}

impl Application {
    /// Connects and migrates the database, loads keys and revocations, binds the listener.
    ///
    /// # Errors
    /// The database is unreachable or the address cannot be bound.
    pub async fn build(config: Config, leptos_options: LeptosOptions) -> Result<Self, StartupError> {
        let db = connect_and_migrate(&config).await?;
        let ttl = config.access_token_ttl;
        let keys = load_or_create_key_ring(&db, now(), ttl).await?;
        let revocations = Revocations::default();
        load_revocations(&db, &revocations, now() - ttl, ttl).await?;
        tokio::task::spawn_blocking(password::warm_up);
        let addr = leptos_options.site_addr;
        let listener = TcpListener::bind(addr).await.map_err(|source| StartupError::Bind { addr, source })?;
        let state = AppState::new(SharedState {
            rotations: RotationBatches::start(&db),
            db,
            cookies: Arc::new(CookiePolicy::new(config.cookie_secure)),
            ip_limiter: ip_rate_limiter(config.ip_rate_limit),
            config: Arc::new(config),
            keys: Arc::new(keys),
            revocations: Arc::new(revocations),
            leptos_options,
        });
        Ok(Self { listener, state })
    }

    /// The address actually bound (port 0 in tests becomes a real port).
    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().unwrap_or(self.state.leptos_options.site_addr)
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until Ctrl-C or SIGTERM.
    ///
    /// # Errors
    /// The server stopped on an I/O error.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        spawn_background_tasks(&self.state);
        let app = build_app(self.state).into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(self.listener, app).with_graceful_shutdown(shutdown_signal()).await
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut sig) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            sig.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = terminate => {} }
    tracing::info!("shutting down");
}
