//! `refresh`: exchanging a refresh token for its successor, around the pure [`decide`].
//!
//! A rotation is one read (session and user joined) and one write, batched with those of
//! concurrent refreshes by [`super::rotation_batches`]. The write is a conditional update: the
//! linearisation point. It replaces the session's current token by its successor only if the
//! session is live and still at the generation read. Of two requests (two tabs, two instances)
//! presenting the same token at once, exactly one claims it; the other finds the token just
//! rotated and, within the grace window, gets the same successor (it is derived, not drawn).
//! The claim also fails if the session was ended after the read.
//!
//! The winner answers only after its claim, so a client can only ever hold the current token
//! or one the session has moved past: reuse detection never misses a token that was handed out.

use super::clock::now;
use super::refresh::{
    decide, place_in_chain, ChainKey, ChainPlace, Decision, RefreshFacts, RefreshPolicy, RefreshToken,
};
use super::request::ClientMeta;
use super::rotation_batches::Rotation;
use super::service::{issue_access, record, IssuedSession};
use super::types::UserView;
use crate::db::audit::AuditKind;
use crate::db::sessions::{revoke_sessions, SessionForRefresh};
use crate::error::AppError;
use crate::server::state::AppState;

/// Exchanges `presented` for a new access token and the next refresh token.
///
/// # Errors
/// [`AppError::SessionEnded`] for a missing, unknown, expired, revoked or reused token (a reuse
/// after the grace window also revokes the session).
#[tracing::instrument(skip_all)]
pub async fn refresh(
    state: &AppState,
    presented: Option<RefreshToken>,
    meta: &ClientMeta,
) -> Result<IssuedSession, AppError> {
    let presented = presented.ok_or(AppError::SessionEnded)?;
    // Two passes at most: losing the race to rotate turns this request into a grace answer.
    for _ in 0..2 {
        let found =
            state.rotations.find(presented.session_id().to_owned()).await?.ok_or(AppError::SessionEnded)?;
        let key = ChainKey::new(&found.rotation_key).map_err(|_| {
            tracing::error!(session = %found.session_id, "session rotation key rejected by HMAC");
            AppError::Internal
        })?;
        let place = found.refresh_hash.as_deref().map_or(ChainPlace::Unknown, |current| {
            place_in_chain(&presented, &key, found.refresh_generation, current)
        });
        let successor = presented.successor(&key);
        let now = now();
        let facts = facts(&found, place, now);
        let policy = RefreshPolicy {
            reuse_grace: state.config.refresh_reuse_grace,
            idle_timeout: state.config.session_idle_timeout,
        };
        match decide(&facts, &policy) {
            Decision::Rotate => {
                if let Some(expires_at) = rotate(state, &found, &successor, meta, now).await? {
                    return respond(state, found, successor, expires_at, now);
                }
            }
            Decision::Grace => {
                tracing::info!(session = %found.session_id, "refresh token replayed within grace");
                let expires_at = found.refresh_expires_at;
                return respond(state, found, successor, expires_at, now);
            }
            Decision::Reuse => return Err(revoke_on_reuse(state, &found, meta, now).await),
            Decision::Expired | Decision::Revoked | Decision::Unknown => return Err(AppError::SessionEnded),
        }
    }
    Err(AppError::SessionEnded)
}

fn facts(found: &SessionForRefresh, place: ChainPlace, now: i64) -> RefreshFacts {
    RefreshFacts {
        now,
        place,
        current_issued_at: found.refresh_issued_at,
        current_expires_at: found.refresh_expires_at,
        session_revoked: found.revoked_at.is_some(),
        session_last_used_at: found.last_used_at,
        session_expires_at: found.expires_at,
    }
}

/// Claims the rotation (see the module notes); returns the successor's expiry, or `None` if
/// another request rotated the session first or it ended meanwhile.
async fn rotate(
    state: &AppState,
    found: &SessionForRefresh,
    successor: &RefreshToken,
    meta: &ClientMeta,
    now: i64,
) -> Result<Option<i64>, AppError> {
    let expires_at = (now + state.config.refresh_token_ttl).min(found.expires_at);
    let rotation = Rotation {
        session_id: found.session_id.clone(),
        from_generation: found.refresh_generation,
        successor_hash: successor.hash(),
        successor_expires_at: expires_at,
        now,
        user_agent: meta.user_agent.clone(),
        ip: meta.ip.clone(),
    };
    Ok(state.rotations.rotate(rotation).await?.then_some(expires_at))
}

fn respond(
    state: &AppState,
    found: SessionForRefresh,
    successor: RefreshToken,
    successor_expires_at: i64,
    now: i64,
) -> Result<IssuedSession, AppError> {
    let user = UserView { id: found.user_id, email: found.email };
    let cookie_max_age = successor_expires_at - now;
    issue_access(state, user, &found.session_id, found.expires_at, successor, cookie_max_age, now)
}

/// A rotated token came back after the grace window: someone holds a stolen copy. End the
/// whole session, so the newest token and its access tokens stop working too.
async fn revoke_on_reuse(
    state: &AppState,
    found: &SessionForRefresh,
    meta: &ClientMeta,
    now: i64,
) -> AppError {
    let session_id = &found.session_id;
    tracing::warn!(session = %session_id, user = found.user_id, "refresh token reuse detected; revoking session");
    let ids = [session_id.clone()];
    if let Err(e) = revoke_sessions(&state.db, &ids, now, "reuse_detected").await {
        return AppError::from(e);
    }
    state.revocations.insert(session_id, now + state.config.access_token_ttl);
    record(&state.db, AuditKind::ReuseDetected, Some(found.user_id), Some(session_id), None, meta).await;
    AppError::SessionEnded
}
