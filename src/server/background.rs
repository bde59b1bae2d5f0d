//! Background work of each instance: learn of revocations and key rotations made elsewhere.

use std::sync::Arc;
use std::time::Duration;

use crate::auth::clock::now;
use crate::auth::keys::load_keys;
use crate::auth::revocations::{load_revocations, POLL_INTERVAL};

use super::state::AppState;

/// Re-read this far back on every poll, to tolerate clock skew between instances.
const POLL_OVERLAP_SECS: i64 = 5;
/// How often signing keys are reloaded (a rotation by the CLI reaches running servers).
const KEY_RELOAD_EVERY: Duration = Duration::from_secs(10);

/// Starts the background tasks; they stop with the runtime.
pub fn spawn_background_tasks(state: &AppState) {
    tokio::spawn(sync_revocations(state.clone()));
    tokio::spawn(reload_keys(state.clone()));
}

async fn sync_revocations(state: AppState) {
    let mut interval = tokio::time::interval(POLL_INTERVAL);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let ttl = state.config.access_token_ttl;
    loop {
        interval.tick().await;
        let now = now();
        if let Err(e) =
            load_revocations(&state.db, &state.revocations, now - POLL_OVERLAP_SECS, ttl).await
        {
            tracing::warn!(error = %e, "could not poll revocations");
        }
        state.revocations.prune(now);
    }
}

async fn reload_keys(state: AppState) {
    let keys = Arc::clone(&state.keys);
    let mut interval = tokio::time::interval(KEY_RELOAD_EVERY);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        match load_keys(&state.db, now(), state.config.access_token_ttl).await {
            Ok(Some((signing, others))) if signing.kid != keys.signing_kid() => {
                tracing::info!(kid = %signing.kid, "switching to a new signing key");
                keys.replace(&signing, &others);
            }
            Ok(Some((signing, others))) => keys.replace(&signing, &others),
            Ok(None) => {
                tracing::warn!("no active signing key in the database; keeping the current one")
            }
            Err(e) => tracing::warn!(error = %e, "could not reload signing keys"),
        }
    }
}
