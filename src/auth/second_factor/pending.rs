//! The sign-in gate. A correct password for an account with a second factor starts no
//! session: it gets a pending sign-in, a 256-bit token in an `HttpOnly` cookie (`Path=/api/auth`,
//! [`PENDING_TTL`] seconds) of which only the SHA-256 is stored, bound to the account (and to
//! this browser: nobody else has the cookie). `login_second_factor` completes it with a code,
//! once: the pending sign-in is used up by a conditional update, so of two completions one wins.

use crate::auth::account::signin::{knows_browser, start_signed_in, SignedInWith};
use crate::auth::clock::now;
use crate::auth::credentials::mail_tokens::{new_mail_token, parse_mail_token};
use crate::auth::sessions::lifecycle::{IssuedSession, SECOND_FACTOR_METHODS};
use crate::auth::transport::client::Browser;
use crate::auth::Auth;
use crate::db::second_factors::{consume_pending_sign_in, find_pending_sign_in, insert_pending_sign_in};
use crate::db::users::find_user_by_id;
use crate::error::AppError;

use super::proof::prove_code;

/// Seconds a pending sign-in waits for its code.
pub const PENDING_TTL: i64 = 300;

/// Starts a pending sign-in of `user_id`; returns the cookie's value.
///
/// # Errors
/// Database failure.
pub async fn start_pending(auth: &Auth, user_id: i64, remember: bool) -> Result<String, AppError> {
    let (token, hash) = new_mail_token();
    let now = now();
    insert_pending_sign_in(&auth.db, hash, user_id, remember, now, now + PENDING_TTL).await?;
    Ok(token)
}

/// Completes the pending sign-in of this browser (`pending`: its cookie) with `code`.
///
/// # Errors
/// [`AppError::Unauthenticated`] without a live pending sign-in (none, expired, used, or of an
/// account that is disabled or has no second factor now); as
/// [`super::proof::prove_code`] for the code; database failures.
#[tracing::instrument(skip_all)]
pub async fn complete(
    auth: &Auth,
    pending: Option<&str>,
    code: &str,
    browser: Browser,
) -> Result<IssuedSession, AppError> {
    let hash = pending.and_then(parse_mail_token).ok_or(AppError::Unauthenticated)?;
    let found = find_pending_sign_in(&auth.db, &hash, now()).await?.ok_or(AppError::Unauthenticated)?;
    let account = find_user_by_id(&auth.db, found.user_id).await?;
    let account = account.filter(|u| u.disabled_at.is_none() && u.totp_enabled_at.is_some());
    let account = account.ok_or(AppError::Unauthenticated)?;
    let meta = &browser.meta;
    let proven = prove_code(auth, &account, code, None, meta).await?;
    if !consume_pending_sign_in(&auth.db, &hash, now()).await? {
        return Err(AppError::Unauthenticated);
    }
    let known = knows_browser(auth, browser.device.as_ref(), account.id).await?;
    let how = SignedInWith { methods: SECOND_FACTOR_METHODS, words: proven.describe() };
    start_signed_in(auth, &account, browser, found.remember, known, how).await
}
