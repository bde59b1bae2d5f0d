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

use super::lifecycle::{end_sessions, issue_access, Authentication, IssuedSession, SessionTimes};
use super::refresh_token::{
    decide, place_in_chain, ChainKey, ChainPlace, Decision, RefreshFacts, RefreshPolicy, RefreshToken,
};
use super::rotation_batches::Rotation;
use crate::auth::audit::{record, AuditKind};
use crate::auth::clock::now;
use crate::auth::transport::client::ClientMeta;
use crate::auth::wire::UserView;
use crate::auth::Auth;
use crate::db::revocations::Ending;
use crate::db::sessions::SessionForRefresh;
use crate::error::AppError;

/// Exchanges `presented` for a new access token and the next refresh token.
///
/// # Errors
/// [`AppError::SessionEnded`] for a missing, unknown, expired, revoked or reused token (a reuse
/// after the grace window also revokes the session).
#[tracing::instrument(skip_all)]
pub async fn refresh(
    auth: &Auth,
    presented: Option<RefreshToken>,
    meta: &ClientMeta,
) -> Result<IssuedSession, AppError> {
    let presented = presented.ok_or(AppError::SessionEnded)?;
    // Two passes at most: losing the race to rotate turns this request into a grace answer.
    for _ in 0..2 {
        let found =
            auth.rotations.find(presented.session_id().to_owned()).await?.ok_or(AppError::SessionEnded)?;
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
            reuse_grace: auth.settings.refresh_reuse_grace,
            idle_timeout: auth.settings.idle_timeout(found.remember),
        };
        match decide(&facts, &policy) {
            Decision::Rotate => {
                if let Some(expires_at) = rotate(auth, &found, &successor, meta, now).await? {
                    return respond(auth, found, successor, expires_at, now);
                }
            }
            Decision::Grace => {
                tracing::info!(session = %found.session_id, "refresh token replayed within grace");
                let expires_at = found.refresh_expires_at;
                return respond(auth, found, successor, expires_at, now);
            }
            Decision::Reuse => return Err(revoke_on_reuse(auth, &found, meta).await),
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
    auth: &Auth,
    found: &SessionForRefresh,
    successor: &RefreshToken,
    meta: &ClientMeta,
    now: i64,
) -> Result<Option<i64>, AppError> {
    let expires_at = (now + auth.settings.refresh_lifetime(found.remember)).min(found.expires_at);
    let rotation = Rotation {
        session_id: found.session_id.clone(),
        from_generation: found.refresh_generation,
        successor_hash: successor.hash(),
        successor_expires_at: expires_at,
        now,
        user_agent: meta.user_agent.clone(),
        ip: meta.ip.clone(),
    };
    Ok(auth.rotations.rotate(rotation).await?.then_some(expires_at))
}

fn respond(
    auth: &Auth,
    found: SessionForRefresh,
    successor: RefreshToken,
    successor_expires_at: i64,
    now: i64,
) -> Result<IssuedSession, AppError> {
    let verified = found.email_verified_at.is_some();
    let second_factors = crate::auth::second_factor::factors_of(found.totp_enabled_at, found.has_passkey);
    let user = UserView { id: found.user_id, email: found.email, email_verified: verified, second_factors };
    // Without "remember me" the cookies stay browser-session cookies.
    let cookie_max_age = found.remember.then_some(successor_expires_at - now);
    // A refresh carries the session's last authentication over: it never makes a session fresh.
    let authentication = Authentication { at: found.authenticated_at, methods: found.auth_methods };
    let session =
        SessionTimes { id: &found.session_id, expires_at: found.expires_at, authentication: &authentication };
    issue_access(auth, user, &session, successor, cookie_max_age, now)
}

/// A rotated token came back after the grace window: someone holds a stolen copy. End the
/// whole session, so the newest token and its access tokens stop working too.
async fn revoke_on_reuse(auth: &Auth, found: &SessionForRefresh, meta: &ClientMeta) -> AppError {
    let session_id = &found.session_id;
    tracing::warn!(session = %session_id, user = found.user_id, "refresh token reuse detected; revoking session");
    let ids = [session_id.clone()];
    if let Err(e) = end_sessions(auth, Ending::Ids(&ids), "reuse_detected").await {
        return e;
    }
    record(&auth.db, AuditKind::ReuseDetected, Some(found.user_id), Some(session_id), None, meta).await;
    AppError::SessionEnded
}
