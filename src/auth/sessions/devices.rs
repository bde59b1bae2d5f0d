//! A user's devices: their live sessions (listed, revoked one by one, or all at once) and
//! their account's recent activity.

use super::lifecycle::end_sessions;
use crate::auth::audit::{record, AuditKind};
use crate::auth::clock::{now, rfc3339};
use crate::auth::random::is_session_id;
use crate::auth::transport::client::ClientMeta;
use crate::auth::wire::{ActivityView, SessionView};
use crate::auth::{Auth, CurrentUser};
use crate::db::audit::recent_events_of_user;
use crate::db::revocations::Ending;
use crate::db::sessions::list_unrevoked_sessions;
use crate::error::AppError;

/// How many activity entries the devices page shows.
pub const ACTIVITY_SHOWN: u64 = 20;

/// The user's live sessions, most recently used first, the caller's own marked `current`.
///
/// # Errors
/// Database failure.
pub async fn list_sessions(auth: &Auth, user: &CurrentUser) -> Result<Vec<SessionView>, AppError> {
    let now = now();
    let sessions = list_unrevoked_sessions(&auth.db, user.id).await?;
    let live = |s: &crate::db::entities::sessions::Model| {
        s.expires_at > now
            && s.refresh_expires_at > now
            && s.last_used_at + auth.settings.idle_timeout(s.remember) > now
    };
    Ok(sessions
        .into_iter()
        .filter(live)
        .map(|s| SessionView {
            current: s.id == user.session_id,
            created_at: rfc3339(s.created_at),
            last_used_at: rfc3339(s.last_used_at),
            id: s.id,
            user_agent: s.user_agent,
            ip: s.ip,
        })
        .collect())
}

/// Ends one of the user's sessions. Returns whether it was the caller's own.
///
/// # Errors
/// [`AppError::NotFound`] for an id that is not one of the user's live sessions (one that is
/// not even shaped like a session id is refused before any query).
#[tracing::instrument(skip_all)]
pub async fn revoke_session(
    auth: &Auth,
    user: &CurrentUser,
    id: &str,
    meta: &ClientMeta,
) -> Result<bool, AppError> {
    let not_found = || AppError::NotFound("No such session.".into());
    if !is_session_id(id) {
        return Err(not_found());
    }
    let ended = end_sessions(auth, Ending::OwnedBy { user_id: user.id, id }, "revoked").await?;
    if ended.is_empty() {
        return Err(not_found());
    }
    record(&auth.db, AuditKind::Revoke, Some(user.id), Some(id), None, meta).await;
    Ok(id == user.session_id)
}

/// Ends every live session of the user.
///
/// # Errors
/// Database failure.
#[tracing::instrument(skip_all)]
pub async fn logout_all(auth: &Auth, user: &CurrentUser, meta: &ClientMeta) -> Result<(), AppError> {
    end_sessions(auth, Ending::AllOf { user_id: user.id, except: None }, "logout_all").await?;
    record(&auth.db, AuditKind::LogoutAll, Some(user.id), Some(&user.session_id), None, meta).await;
    Ok(())
}

/// Ends every live session of the user but the caller's own (which stays signed in).
///
/// # Errors
/// Database failure.
#[tracing::instrument(skip_all)]
pub async fn logout_others(auth: &Auth, user: &CurrentUser, meta: &ClientMeta) -> Result<usize, AppError> {
    let except = Some(user.session_id.as_str());
    let ended = end_sessions(auth, Ending::AllOf { user_id: user.id, except }, "logout_others").await?;
    record(&auth.db, AuditKind::LogoutOthers, Some(user.id), Some(&user.session_id), None, meta).await;
    Ok(ended.len())
}

/// The user's most recent audit events, newest first.
///
/// # Errors
/// Database failure.
pub async fn recent_activity(auth: &Auth, user: &CurrentUser) -> Result<Vec<ActivityView>, AppError> {
    let events = recent_events_of_user(&auth.db, user.id, ACTIVITY_SHOWN).await?;
    Ok(events
        .into_iter()
        .map(|e| ActivityView { at: rfc3339(e.at), kind: e.kind, ip: e.ip, user_agent: e.user_agent })
        .collect())
}
