//! `refresh`: exchanging a refresh token for its successor, around the pure [`decide`].
//!
//! A rotation is one read (token, session and user joined) and three writes, with no
//! transaction around them (each batched with those of concurrent refreshes by
//! [`super::rotation_batches`], and on SQLite sent in one round trip by
//! [`crate::db::rotations`]):
//! 1. store the successor, unless it is stored already. It is derived from the token, so every
//!    writer writes the same row, and a crash after this step leaves a row no one can present;
//! 2. note when and from where the session was last used (shown on the sessions page), unless
//!    it has ended. A request that then loses the race below is a use too: it gets the grace
//!    answer;
//! 3. claim the rotation with a conditional update: the linearisation point. Of two requests
//!    (two tabs, two instances) presenting the same token at once, exactly one claims it; the
//!    other finds the token just rotated and, within the grace window, gets the same successor.
//!    The claim also fails if the session was ended after the read. It comes last, so a failure
//!    of any write leaves the token unclaimed and the client retries with it.
//!
//! The winner answers only after its claim, so a client can only ever hold a successor whose
//! parent is marked rotated: reuse detection never misses a token that was handed out.

use super::clock::now;
use super::refresh::{decide, Decision, RefreshFacts, RefreshPolicy, RefreshToken};
use super::request::ClientMeta;
use super::rotation_batches::Rotation;
use super::service::{issue_access, record, IssuedSession};
use super::types::UserView;
use crate::db::audit::AuditKind;
use crate::db::refresh_tokens::TokenWithSession;
use crate::db::sessions::revoke_sessions;
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
        let found = state.rotations.find(presented.hash()).await?.ok_or(AppError::SessionEnded)?;
        let successor = presented.successor(&found.rotation_key).map_err(|_| {
            tracing::error!(session = %found.session_id, "session rotation key rejected by HMAC");
            AppError::Internal
        })?;
        let successor_row = match found.token_rotated_at {
            Some(_) => state.rotations.find(successor.hash()).await?,
            None => None,
        };
        let now = now();
        let facts = facts(&found, successor_row.as_ref(), now);
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
                let expires_at = successor_row.map_or(now, |row| row.token_expires_at);
                return respond(state, found, successor, expires_at, now);
            }
            Decision::Reuse => return Err(revoke_on_reuse(state, &found, meta, now).await),
            Decision::Expired | Decision::Revoked => return Err(AppError::SessionEnded),
        }
    }
    Err(AppError::SessionEnded)
}

fn facts(found: &TokenWithSession, successor: Option<&TokenWithSession>, now: i64) -> RefreshFacts {
    RefreshFacts {
        now,
        token_expires_at: found.token_expires_at,
        token_rotated_at: found.token_rotated_at,
        successor_is_current: successor
            .is_some_and(|s| s.token_rotated_at.is_none() && s.token_expires_at > now),
        session_revoked: found.session_revoked_at.is_some(),
        session_last_used_at: found.session_last_used_at,
        session_expires_at: found.session_expires_at,
    }
}

/// Stores the successor and claims the rotation (see the module notes); returns the
/// successor's expiry, or `None` if another request rotated the token first or the session
/// ended meanwhile.
async fn rotate(
    state: &AppState,
    found: &TokenWithSession,
    successor: &RefreshToken,
    meta: &ClientMeta,
    now: i64,
) -> Result<Option<i64>, AppError> {
    let expires_at = (now + state.config.refresh_token_ttl).min(found.session_expires_at);
    let rotation = Rotation {
        token_id: found.token_id,
        session_id: found.session_id.clone(),
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
    found: TokenWithSession,
    successor: RefreshToken,
    successor_expires_at: i64,
    now: i64,
) -> Result<IssuedSession, AppError> {
    let user = UserView { id: found.user_id, email: found.email };
    let cookie_max_age = successor_expires_at - now;
    issue_access(state, user, &found.session_id, found.session_expires_at, successor, cookie_max_age, now)
}

/// A rotated token came back after the grace window: someone holds a stolen copy. End the
/// whole session, so the newest token and its access tokens stop working too.
async fn revoke_on_reuse(
    state: &AppState,
    found: &TokenWithSession,
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
