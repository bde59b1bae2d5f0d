//! Background work of each instance: learn of revocations and key rotations made elsewhere,
//! send the outbox's mail, and purge dead rows.

use std::time::Duration;

use sea_orm::DbErr;

use super::state::AppState;
use crate::auth::clock::now;
use crate::auth::maintenance::purge_dead_rows;
use crate::auth::tokens::keys::load_keys;
use crate::auth::tokens::revocations::POLL_INTERVAL;
use crate::auth::Auth;
use crate::mail::outbox::{send_due, POLL_INTERVAL as MAIL_POLL_INTERVAL};

/// How often signing keys are reloaded (a rotation by the CLI reaches running servers).
const KEY_RELOAD_EVERY: Duration = Duration::from_secs(10);
/// How often ended sessions and expired tokens are deleted.
const PURGE_EVERY: Duration = Duration::from_secs(15 * 60);

/// Starts the background tasks; they stop with the runtime.
pub fn spawn_background_tasks(state: &AppState) {
    tokio::spawn(every(POLL_INTERVAL, state.clone(), |state| async move {
        let auth = &state.auth;
        auth.revocation_feed.catch_up(&auth.db, &auth.revocations, auth.settings.access_token_ttl).await?;
        auth.revocations.prune(now());
        Ok(())
    }));
    tokio::spawn(every(MAIL_POLL_INTERVAL, state.clone(), |state| async move {
        send_due(&state.db, &state.mailer, now()).await.map(|_| ()).map_err(|e| DbErr::Custom(e.to_string()))
    }));
    tokio::spawn(every(KEY_RELOAD_EVERY, state.clone(), |state| async move {
        reload_key_ring(&state.auth).await
    }));
    tokio::spawn(every(PURGE_EVERY, state.clone(), |state| async move {
        if let Some(limiter) = &state.ip_limiter {
            limiter.retain_recent();
        }
        purge_dead_rows(&state.auth.db, &state.auth.settings, now()).await.map(|_| ())
    }));
}

/// Reloads the signing keys from the database (after a rotation by another process).
///
/// # Errors
/// Database failure; the current keys stay in use.
pub async fn reload_key_ring(auth: &Auth) -> Result<(), DbErr> {
    match load_keys(&auth.db, now(), auth.settings.access_token_ttl).await? {
        Some((signing, others)) => {
            if signing.kid != auth.keys.signing_kid() {
                tracing::info!(kid = %signing.kid, "switching to a new signing key");
            }
            auth.keys.replace(&signing, &others);
        }
        None => tracing::warn!("no active signing key in the database; keeping the current one"),
    }
    Ok(())
}

async fn every<F, Fut>(period: Duration, state: AppState, task: F)
where
    F: Fn(AppState) -> Fut,
    Fut: std::future::Future<Output = Result<(), DbErr>>,
{
    let mut interval = tokio::time::interval(period);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        if let Err(e) = task(state.clone()).await {
            tracing::warn!(error = %e, "background task failed; will retry");
        }
    }
}
