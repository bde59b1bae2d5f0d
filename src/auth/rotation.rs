//! `refresh`: exchanging a refresh token for its successor, around the pure [`decide`].
//!
//! The conditional update in [`claim_rotation`] is the linearisation point: of two requests
//! (two tabs, two instances) presenting the same token at once, exactly one rotates; the other
//! finds the token just rotated and, within the grace window, gets the same derived successor.

use sea_orm::TransactionTrait;

use super::clock::now;
use super::refresh::{decide, Decision, RefreshFacts, RefreshPolicy, RefreshToken};
use super::request::ClientMeta;
use super::service::{issue_access, record, IssuedSession};
use super::types::UserView;
use crate::db::audit::AuditKind;
use crate::db::entities::{refresh_tokens::Model as TokenRow, sessions::Model as SessionRow};
use crate::db::refresh_tokens::{claim_rotation, find_by_hash, insert_refresh_token};
use crate::db::sessions::{find_session, revoke_sessions, touch_session};
use crate::db::users::find_user_by_id;
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
        let (token, session) = load(state, &presented).await?;
        let successor = presented.successor(&session.rotation_key).map_err(|_| {
            tracing::error!(session = %session.id, "session rotation key rejected by HMAC");
            AppError::Internal
        })?;
        let successor_row = match token.rotated_at {
            Some(_) => find_by_hash(&state.db, &successor.hash()).await?,
            None => None,
        };
        let now = now();
        let facts = facts(&token, successor_row.as_ref(), &session, now);
        let policy = RefreshPolicy {
            reuse_grace: state.config.refresh_reuse_grace,
            idle_timeout: state.config.session_idle_timeout,
        };
        match decide(&facts, &policy) {
            Decision::Rotate => {
                if let Some(expires_at) = rotate(state, &token, &session, &successor, meta, now).await? {
                    return respond(state, &session, successor, expires_at, meta, now).await;
                }
            }
            Decision::Grace => {
                tracing::info!(session = %session.id, "refresh token replayed within grace");
                let expires_at = successor_row.map_or(now, |row| row.expires_at);
                return respond(state, &session, successor, expires_at, meta, now).await;
            }
            Decision::Reuse => return Err(revoke_on_reuse(state, &session, meta, now).await),
            Decision::Expired | Decision::Revoked => return Err(AppError::SessionEnded),
        }
    }
    Err(AppError::SessionEnded)
}

async fn load(state: &AppState, presented: &RefreshToken) -> Result<(TokenRow, SessionRow), AppError> {
    let token = find_by_hash(&state.db, &presented.hash()).await?.ok_or(AppError::SessionEnded)?;
    let session = find_session(&state.db, &token.session_id).await?.ok_or(AppError::SessionEnded)?;
    Ok((token, session))
}

fn facts(token: &TokenRow, successor: Option<&TokenRow>, session: &SessionRow, now: i64) -> RefreshFacts {
    RefreshFacts {
        now,
        token_expires_at: token.expires_at,
        token_rotated_at: token.rotated_at,
        successor_is_current: successor.is_some_and(|s| s.rotated_at.is_none() && s.expires_at > now),
        session_revoked: session.revoked_at.is_some(),
        session_last_used_at: session.last_used_at,
        session_expires_at: session.expires_at,
    }
}

/// Marks `token` rotated and stores its successor, in one transaction; returns the successor's
/// expiry, or `None` if another request rotated the token first.
async fn rotate(
    state: &AppState,
    token: &TokenRow,
    session: &SessionRow,
    successor: &RefreshToken,
    meta: &ClientMeta,
    now: i64,
) -> Result<Option<i64>, AppError> {
    let txn = state.db.begin().await?;
    if !claim_rotation(&txn, token.id, now).await? {
        txn.rollback().await?;
        return Ok(None);
    }
    let expires_at = (now + state.config.refresh_token_ttl).min(session.expires_at);
    insert_refresh_token(&txn, &session.id, successor.hash(), now, expires_at).await?;
    touch_session(&txn, &session.id, now, &meta.user_agent, &meta.ip).await?;
    txn.commit().await?;
    Ok(Some(expires_at))
}

async fn respond(
    state: &AppState,
    session: &SessionRow,
    successor: RefreshToken,
    successor_expires_at: i64,
    meta: &ClientMeta,
    now: i64,
) -> Result<IssuedSession, AppError> {
    let user = find_user_by_id(&state.db, session.user_id).await?.ok_or(AppError::SessionEnded)?;
    let user = UserView { id: user.id, email: user.email };
    let cookie_max_age = successor_expires_at - now;
    record(&state.db, AuditKind::Refresh, Some(user.id), Some(&session.id), None, meta).await;
    issue_access(state, user, &session.id, session.expires_at, successor, cookie_max_age, now)
}

/// A rotated token came back after the grace window: someone holds a stolen copy. End the
/// whole session, so the newest token and its access tokens stop working too.
async fn revoke_on_reuse(state: &AppState, session: &SessionRow, meta: &ClientMeta, now: i64) -> AppError {
    tracing::warn!(session = %session.id, user = session.user_id, "refresh token reuse detected; revoking session");
    let ids = [session.id.clone()];
    if let Err(e) = revoke_sessions(&state.db, &ids, now, "reuse_detected").await {
        return AppError::from(e);
    }
    state.revocations.insert(&session.id, now + state.config.access_token_ttl);
    record(&state.db, AuditKind::ReuseDetected, Some(session.user_id), Some(&session.id), None, meta).await;
    AppError::SessionEnded
}
