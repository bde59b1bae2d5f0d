//! Sudo: a sensitive action (ending other sessions, changing credentials) needs a recent proof
//! of identity, not just a live session.
//!
//! Each session records when its user last proved who they are (`authenticated_at`): a sign-in
//! or a re-authentication sets it, a refresh never does, so a session kept alive for days is not
//! "fresh" (the mistake that made Better Auth's fresh sessions expire for good after a day). The
//! access token carries it as `auth_time`, so the check needs no database read. Outside
//! `REAUTH_WINDOW` a sensitive endpoint answers 403 `reauthentication_required`; the page then
//! asks for the password and retries.

use crate::auth::audit::{record, AuditKind};
use crate::auth::clock::now;
use crate::auth::credentials::password::verify_password;
use crate::auth::credentials::throttle::{forget_attempts, reauth_key, take_attempt, Attempt, Limit};
use crate::auth::sessions::lifecycle::{sign_access, Authentication, SessionTimes, PASSWORD_METHOD};
use crate::auth::transport::client::ClientMeta;
use crate::auth::validate::Password;
use crate::auth::wire::UserView;
use crate::auth::{Auth, CurrentUser};
use crate::db::sessions::{find_session, mark_authenticated};
use crate::db::users::find_user_by_id;
use crate::error::AppError;

/// `Ok` when `user` proved who they are within `REAUTH_WINDOW`.
///
/// # Errors
/// [`AppError::ReauthenticationRequired`] otherwise.
pub fn require_sudo(auth: &Auth, user: &CurrentUser) -> Result<(), AppError> {
    is_recent(user.auth_time, auth.settings.reauth_window, now())
        .then_some(())
        .ok_or(AppError::ReauthenticationRequired)
}

/// Whether an authentication at `auth_time` is within `window` seconds of `now`.
pub fn is_recent(auth_time: i64, window: i64, now: i64) -> bool {
    auth_time > 0 && auth_time <= now && now - auth_time <= window
}

/// A new access token after a re-authentication, and until when the session counts as fresh.
#[derive(Debug)]
pub struct Reauthenticated {
    pub access_token: String,
    /// Seconds the access cookie lives (as long as the session's refresh token).
    pub cookie_max_age: i64,
    /// Unix seconds.
    pub fresh_until: i64,
}

/// Checks `password` for the signed-in `user` and records the proof in their session.
///
/// Attempts are counted per account before the hash (their own bucket, not the sign-in one, so
/// a guesser holding a stolen session cannot use sign-in's allowance twice, nor lock sign-in).
///
/// # Errors
/// [`AppError::InvalidCredentials`] for a wrong password, [`AppError::Throttled`] after too
/// many, [`AppError::SessionEnded`] when the session ended meanwhile; database failures.
pub async fn reauthenticate(
    auth: &Auth,
    user: &CurrentUser,
    password: String,
    meta: &ClientMeta,
) -> Result<Reauthenticated, AppError> {
    let Ok(password) = Password::parse(password) else {
        return Err(AppError::InvalidCredentials);
    };
    let bucket = reauth_key(user.id);
    let limit = Limit { max: auth.settings.login_max_failures, window: auth.settings.login_failure_window };
    if let Attempt::Refused { retry_after, .. } = take_attempt(&auth.db, &bucket, limit, now()).await? {
        return Err(AppError::Throttled { retry_after });
    }
    let stored = find_user_by_id(&auth.db, user.id).await?.map(|u| u.password_hash);
    if stored.is_none() {
        return Err(AppError::SessionEnded);
    }
    if !verify_password(password, stored).await? {
        record(&auth.db, AuditKind::ReauthFailure, Some(user.id), Some(&user.session_id), None, meta).await;
        return Err(AppError::InvalidCredentials);
    }
    forget_attempts(&auth.db, &bucket).await?;
    let now = now();
    if !mark_authenticated(&auth.db, &user.session_id, now, PASSWORD_METHOD).await? {
        return Err(AppError::SessionEnded);
    }
    let Some(session) = find_session(&auth.db, &user.session_id).await? else {
        return Err(AppError::SessionEnded);
    };
    let authentication = Authentication { at: now, methods: PASSWORD_METHOD.to_owned() };
    let times =
        SessionTimes { id: &session.id, expires_at: session.expires_at, authentication: &authentication };
    let view = UserView { id: user.id, email: user.email.clone() };
    let (access_token, _) = sign_access(auth, &view, &times, now)?;
    record(&auth.db, AuditKind::Reauthenticated, Some(user.id), Some(&user.session_id), None, meta).await;
    Ok(Reauthenticated {
        access_token,
        cookie_max_age: (session.refresh_expires_at - now).max(0),
        fresh_until: now + auth.settings.reauth_window,
    })
}

#[cfg(test)]
mod tests {
    use super::is_recent;

    #[test]
    fn only_a_recent_proof_counts() {
        assert!(is_recent(1_000, 600, 1_600));
        assert!(!is_recent(1_000, 600, 1_601));
        assert!(!is_recent(0, 600, 100), "tokens from before auth_time existed are never fresh");
        assert!(!is_recent(2_000, 600, 1_000), "a proof from the future is not trusted");
    }
}
