//! Proving who you are while signed in: the password of the signed-in user, checked for a
//! re-authentication (sudo), a password change or an account deletion.
//!
//! Attempts are counted per account before the hash, in a bucket of their own (not the
//! sign-in one: a guesser holding a stolen session can neither use sign-in's allowance twice
//! nor lock the owner's sign-in), and refused with 429 + `Retry-After` past the limit.

use crate::auth::audit::{record, AuditKind};
use crate::auth::clock::now;
use crate::auth::credentials::password::verify_password;
use crate::auth::credentials::throttle::{forget_attempts, reauth_key, take_attempt, Attempt, Limit};
use crate::auth::transport::client::ClientMeta;
use crate::auth::validate::Password;
use crate::auth::{Auth, CurrentUser};
use crate::db::entities::users;
use crate::error::AppError;

/// Checks `password` against the signed-in `user`'s; returns the user's row.
///
/// # Errors
/// [`AppError::InvalidCredentials`] for a wrong password, [`AppError::Throttled`] after too
/// many, [`AppError::SessionEnded`] when the account is gone or disabled; database failures
/// ([`AppError::Unavailable`] when the attempt cannot be counted: it is not checked).
pub async fn prove_password(
    auth: &Auth,
    user: &CurrentUser,
    password: String,
    meta: &ClientMeta,
) -> Result<users::Model, AppError> {
    let Ok(password) = Password::parse(password) else {
        return Err(AppError::InvalidCredentials);
    };
    let bucket = reauth_key(user.id);
    let limit = Limit { max: auth.settings.login_max_failures, window: auth.settings.login_failure_window };
    if let Attempt::Refused { retry_after, .. } = take_attempt(&auth.db, &bucket, limit, now()).await? {
        return Err(AppError::Throttled { retry_after });
    }
    let row = super::signed_in_account(auth, user).await?;
    if !verify_password(password, Some(row.password_hash.clone())).await? {
        record(&auth.db, AuditKind::ReauthFailure, Some(user.id), Some(&user.session_id), None, meta).await;
        return Err(AppError::InvalidCredentials);
    }
    forget_attempts(&auth.db, &bucket).await?;
    Ok(row)
}
