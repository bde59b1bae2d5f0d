//! Sudo: a sensitive action (ending other sessions, changing credentials) needs a recent proof
//! of identity, not just a live session.
//!
//! Each session records when its user last proved who they are (`authenticated_at`): a sign-in
//! or a re-authentication sets it, a refresh never does, so a session kept alive for days is not
//! "fresh" (the mistake that made Better Auth's fresh sessions expire for good after a day). The
//! access token carries it as `auth_time`, so the check needs no database read. Outside
//! `REAUTH_WINDOW` a sensitive endpoint answers 403 `reauthentication_required`; the page then
//! asks for the password and retries.

use super::proof::prove_password;
use crate::auth::audit::{record, AuditKind};
use crate::auth::clock::now;
use crate::auth::passkeys::PASSKEY_METHODS;
use crate::auth::second_factor::proof::prove_code;
use crate::auth::sessions::lifecycle::{
    sign_access, Authentication, SessionTimes, CODE_METHOD, PASSWORD_METHOD,
};
use crate::auth::transport::client::ClientMeta;
use crate::auth::{Auth, CurrentUser};
use crate::db::sessions::{find_session, mark_authenticated};
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
    /// Seconds the access cookie lives (as long as the session's refresh token); `None` for a
    /// session without "remember me".
    pub cookie_max_age: Option<i64>,
    /// Unix seconds.
    pub fresh_until: i64,
}

/// What a re-authentication offers.
#[derive(Debug, Default)]
pub struct ReauthProof {
    pub password: Option<String>,
    /// A TOTP or recovery code.
    pub code: Option<String>,
    /// A passkey assertion (the JSON of `PublicKeyCredential.toJSON()`) for a ceremony begun at
    /// `passkey/reauth_start`.
    pub passkey: Option<String>,
}

/// Checks the strongest factor the signed-in `user`'s account has (one of its passkeys, else a
/// second factor's `code`, else the `password`, see `account::proof`) and records the proof in
/// their session.
///
/// # Errors
/// [`AppError::SecondFactorRequired`] without a code for an account with a second factor (and
/// no passkey given); [`AppError::InvalidPasskey`] for a passkey that does not verify or is
/// another account's; as [`prove_password`] or [`prove_code`]; [`AppError::SessionEnded`] when
/// the session ended meanwhile.
pub async fn reauthenticate(
    auth: &Auth,
    user: &CurrentUser,
    proof: ReauthProof,
    meta: &ClientMeta,
) -> Result<Reauthenticated, AppError> {
    let account = super::signed_in_account(auth, user).await?;
    let ReauthProof { password, code, passkey } = proof;
    let methods = if let Some(credential) = passkey {
        crate::auth::passkeys::sign_in::verify(auth, &credential, meta, Some(account.id)).await?;
        PASSKEY_METHODS
    } else if account.totp_enabled_at.is_some() {
        let code = code.ok_or(AppError::SecondFactorRequired)?;
        prove_code(auth, &account, &code, Some(&user.session_id), meta).await?;
        CODE_METHOD
    } else {
        prove_password(auth, user, password.unwrap_or_default(), meta).await?;
        PASSWORD_METHOD
    };
    let now = now();
    if !mark_authenticated(&auth.db, &user.session_id, now, methods).await? {
        return Err(AppError::SessionEnded);
    }
    let Some(session) = find_session(&auth.db, &user.session_id).await? else {
        return Err(AppError::SessionEnded);
    };
    let authentication = Authentication { at: now, methods: methods.to_owned() };
    let times =
        SessionTimes { id: &session.id, expires_at: session.expires_at, authentication: &authentication };
    let view = super::user_view(auth, &account).await?;
    let (access_token, _) = sign_access(auth, &view, &times, now)?;
    record(&auth.db, AuditKind::Reauthenticated, Some(user.id), Some(&user.session_id), None, meta).await;
    Ok(Reauthenticated {
        access_token,
        cookie_max_age: session.remember.then(|| (session.refresh_expires_at - now).max(0)),
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
