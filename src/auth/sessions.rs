//! Ending sessions and listing them: logout, logout everywhere, the devices list, revoke.

use super::clock::{now, rfc3339};
use super::refresh::RefreshToken;
use super::refresh::{place_in_chain, ChainKey, ChainPlace};
use super::request::ClientMeta;
use super::service::record;
use super::tokens::AccessClaims;
use super::types::{ActivityView, SessionView};
use crate::db::audit::{recent_events_of_user, AuditKind};
use crate::db::sessions::{find_session, list_unrevoked_sessions, revoke_owned_session, revoke_sessions};
use crate::error::AppError;
use crate::server::state::AppState;

/// Ends the session identified by the refresh token or, failing that, the access token.
/// Idempotent: nothing to end is not an error.
///
/// # Errors
/// Database failure only.
#[tracing::instrument(skip_all)]
pub async fn logout(
    state: &AppState,
    refresh: Option<RefreshToken>,
    access: Option<&AccessClaims>,
    meta: &ClientMeta,
) -> Result<(), AppError> {
    let from_refresh = match refresh {
        Some(token) => session_of(state, &token).await?,
        None => None,
    };
    let Some(session_id) = from_refresh.or_else(|| access.map(|c| c.sid.clone())) else {
        return Ok(());
    };
    let user_id = access.and_then(|c| c.user_id().ok());
    end_sessions(state, vec![session_id.clone()], "logout").await?;
    record(&state.db, AuditKind::Logout, user_id, Some(&session_id), None, meta).await;
    Ok(())
}

/// The session `token` belongs to, if it is one of that session's tokens (any generation):
/// a token naming a session is not enough to end it.
async fn session_of(state: &AppState, token: &RefreshToken) -> Result<Option<String>, AppError> {
    let Some(session) = find_session(&state.db, token.session_id()).await? else {
        return Ok(None);
    };
    let (Ok(key), Some(current)) = (ChainKey::new(&session.rotation_key), session.refresh_hash.as_deref())
    else {
        return Ok(None);
    };
    let place = place_in_chain(token, &key, session.refresh_generation, current);
    Ok((place != ChainPlace::Unknown).then_some(session.id))
}

/// Ends every live session of the caller.
///
/// # Errors
/// Database failure.
#[tracing::instrument(skip_all)]
pub async fn logout_all(state: &AppState, caller: &AccessClaims, meta: &ClientMeta) -> Result<(), AppError> {
    let user_id = caller.user_id().map_err(|_| AppError::Unauthenticated)?;
    let ids: Vec<String> =
        list_unrevoked_sessions(&state.db, user_id).await?.into_iter().map(|s| s.id).collect();
    end_sessions(state, ids, "logout_all").await?;
    record(&state.db, AuditKind::LogoutAll, Some(user_id), Some(&caller.sid), None, meta).await;
    Ok(())
}

/// The caller's live sessions, most recently used first, the caller's own marked `current`.
///
/// # Errors
/// Database failure.
pub async fn list_sessions(state: &AppState, caller: &AccessClaims) -> Result<Vec<SessionView>, AppError> {
    let user_id = caller.user_id().map_err(|_| AppError::Unauthenticated)?;
    let now = now();
    let idle = state.config.session_idle_timeout;
    let sessions = list_unrevoked_sessions(&state.db, user_id).await?;
    Ok(sessions
        .into_iter()
        .filter(|s| s.expires_at > now && s.last_used_at + idle > now)
        .map(|s| SessionView {
            current: s.id == caller.sid,
            created_at: rfc3339(s.created_at),
            last_used_at: rfc3339(s.last_used_at),
            id: s.id,
            user_agent: s.user_agent,
            ip: s.ip,
        })
        .collect())
}

/// Ends one of the caller's sessions. Returns whether it was the caller's own.
///
/// # Errors
/// [`AppError::NotFound`] for an id that is not one of the caller's live sessions.
#[tracing::instrument(skip_all)]
pub async fn revoke_session(
    state: &AppState,
    caller: &AccessClaims,
    id: &str,
    meta: &ClientMeta,
) -> Result<bool, AppError> {
    let user_id = caller.user_id().map_err(|_| AppError::Unauthenticated)?;
    let now = now();
    if !revoke_owned_session(&state.db, user_id, id, now, "revoked").await? {
        return Err(AppError::NotFound("No such session.".into()));
    }
    state.revocations.insert(id, now + state.config.access_token_ttl);
    record(&state.db, AuditKind::Revoke, Some(user_id), Some(id), None, meta).await;
    Ok(id == caller.sid)
}

async fn end_sessions(state: &AppState, ids: Vec<String>, reason: &str) -> Result<(), AppError> {
    let now = now();
    revoke_sessions(&state.db, &ids, now, reason).await?;
    for id in &ids {
        state.revocations.insert(id, now + state.config.access_token_ttl);
    }
    Ok(())
}

/// How many activity entries the devices page shows.
pub const ACTIVITY_SHOWN: u64 = 20;

/// The caller's most recent audit events, newest first.
///
/// # Errors
/// Database failure.
pub async fn recent_activity(state: &AppState, caller: &AccessClaims) -> Result<Vec<ActivityView>, AppError> {
    let user_id = caller.user_id().map_err(|_| AppError::Unauthenticated)?;
    let events = recent_events_of_user(&state.db, user_id, ACTIVITY_SHOWN).await?;
    Ok(events
        .into_iter()
        .map(|e| ActivityView { at: rfc3339(e.at), kind: e.kind, ip: e.ip, user_agent: e.user_agent })
        .collect())
}
