//! `Application`: builds everything the server needs and serves it. `main` and the integration
//! tests both start the server through it (tests with port 0 and a fresh database).

use std::net::SocketAddr;
use std::sync::Arc;

use leptos::config::{get_configuration, LeptosOptions};
use tokio::net::TcpListener;

use super::background::spawn_background_tasks;
use super::config::Config;
use super::layers::ip_limit::ip_rate_limiter;
use super::listener::serve;
use super::router::build_app;
use super::state::{AppState, Shared};
use crate::auth::Auth;
use crate::db::connect_and_migrate;
use crate::mail::transport::Mailer;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("database: {0}")]
    Database(#[from] sea_orm::DbErr),
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error("Leptos configuration: {0}")]
    Leptos(String),
    #[error("mail: {0}")]
    Mail(String),
}

/// The Leptos options from the environment (cargo-leptos's `LEPTOS_*` variables). When
/// `LEPTOS_HASH_FILES` is not set, file hashing is on if cargo-leptos left its hash file
/// beside this binary, so a release build started by hand finds its hashed assets.
///
/// # Errors
/// A `LEPTOS_*` variable is malformed.
pub fn leptos_options() -> Result<LeptosOptions, StartupError> {
    let mut options =
        get_configuration(None).map_err(|e| StartupError::Leptos(e.to_string()))?.leptos_options;
    if std::env::var_os("LEPTOS_HASH_FILES").is_none() {
        let beside_exe = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|dir| dir.join(&*options.hash_file)));
        options.hash_files = beside_exe.is_some_and(|file| file.exists());
    }
    Ok(options)
}

/// A server that is bound to its address and ready to run.
pub struct Application {
    listener: TcpListener,
    state: AppState,
}

impl Application {
    /// Connects and migrates the database, starts the auth state, binds the listener.
    ///
    /// # Errors
    /// The database is unreachable or the address cannot be bound.
    pub async fn build(config: Config, leptos_options: LeptosOptions) -> Result<Self, StartupError> {
        let addr = leptos_options.site_addr;
        let listener = TcpListener::bind(addr).await.map_err(|source| StartupError::Bind { addr, source })?;
        let db = connect_and_migrate(config.pool_settings()).await?;
        let mut settings = config.auth_settings();
        if settings.link_origin.is_empty() {
            let scheme = if config.cookie_secure { "https" } else { "http" };
            settings.link_origin = format!("{scheme}://{}", listener.local_addr().unwrap_or(addr));
            if config.smtp_url.is_some() {
                tracing::warn!(origin = %settings.link_origin, "PUBLIC_ORIGIN is not set: mailed links point here");
            }
        }
        let auth = Auth::start(db.clone(), settings).await?;
        let smtp_url = config.smtp_url.as_ref().map(|url| url.expose());
        let mailer =
            Mailer::new(smtp_url, &config.mail_from, !config.cookie_secure).map_err(StartupError::Mail)?;
        let state = AppState::new(Shared {
            mailer: Arc::new(mailer),
            db,
            auth,
            ip_limiter: ip_rate_limiter(config.ip_rate_limit),
            config: Arc::new(config),
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
        let limits = self.state.config.connection_limits().within_descriptor_limit();
        serve(self.listener, build_app(self.state), limits, shutdown_signal()).await
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
