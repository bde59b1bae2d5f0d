//! Signing in with email and password, behind the sign-in throttle; a browser the account
//! does not know gets a new-device notice mailed (`sign_in_notice`).

use super::sign_in_notice::notify_new_device;
use crate::auth::audit::{record, record_unauthenticated, AuditKind};
use crate::auth::clock::now;
use crate::auth::credentials::devices::DeviceId;
use crate::auth::credentials::password::verify_password;
use crate::auth::credentials::throttle::{
    account_key, device_key, forget_attempts, take_attempt, Attempt, Limit,
};
use crate::auth::sessions::lifecycle::{sign_in, IssuedSession};
use crate::auth::transport::client::Browser;
use crate::auth::validate::{Email, Password};
use crate::auth::wire::UserView;
use crate::auth::Auth;
use crate::db::devices::is_known_device;
use crate::db::entities::users;
use crate::db::users as user_queries;
use crate::error::AppError;

/// Signs a user in with email and password.
///
/// The attempt is counted before the password is checked (see `credentials::throttle`): in the
/// bucket of this browser when the account knows it (`credentials::devices`), else in the
/// account's.
///
/// # Errors
/// [`AppError::InvalidCredentials`] (the same for unknown email and wrong password),
/// [`AppError::Throttled`] after too many recent attempts in the bucket, and
/// [`AppError::Unavailable`] when the attempt cannot be counted.
#[tracing::instrument(skip_all)]
pub async fn login(
    auth: &Auth,
    email: &str,
    password: String,
    browser: Browser,
) -> Result<IssuedSession, AppError> {
    let (Ok(email), Ok(password)) = (Email::parse(email), Password::parse(password)) else {
        // Malformed input cannot match an account; answer exactly as for a wrong password.
        return Err(AppError::InvalidCredentials);
    };
    let email = email.as_str();
    let meta = &browser.meta;
    let user = user_queries::find_user_by_email(&auth.db, email).await?;
    let (bucket, known_device) = sign_in_bucket(auth, email, user.as_ref(), browser.device.as_ref()).await?;
    let limit = Limit { max: auth.settings.login_max_failures, window: auth.settings.login_failure_window };
    if let Attempt::Refused { retry_after, first } = take_attempt(&auth.db, &bucket, limit, now()).await? {
        if first {
            record_unauthenticated(auth, AuditKind::Throttled, user.as_ref().map(|u| u.id), email, meta)
                .await;
        }
        return Err(AppError::Throttled { retry_after });
    }
    let user_id = user.as_ref().map(|u| u.id);
    let stored = user.as_ref().map(|u| u.password_hash.clone());
    let verified = verify_password(password, stored).await?;
    let Some(user) = user.filter(|_| verified) else {
        record_unauthenticated(auth, AuditKind::LoginFailure, user_id, email, meta).await;
        return Err(AppError::InvalidCredentials);
    };
    if user.disabled_at.is_some() {
        // The right password for a disabled account: the same answer as a wrong one, and the
        // attempt stays counted.
        record_unauthenticated(auth, AuditKind::LoginDisabled, user_id, email, meta).await;
        return Err(AppError::InvalidCredentials);
    }
    forget_attempts(&auth.db, &bucket).await?;
    let view = UserView { id: user.id, email: user.email, email_verified: user.email_verified_at.is_some() };
    let issued =
        sign_in(auth, view, browser.device, browser.previous.as_ref(), meta, browser.remember).await?;
    let session_id = Some(issued.session_id.as_str());
    record(&auth.db, AuditKind::LoginSuccess, Some(user.id), session_id, Some(email), meta).await;
    if !known_device {
        // The session exists already: a notice that cannot be queued is logged, not fatal.
        if let Err(e) = notify_new_device(auth, &issued.status.user, &issued.session_id, meta).await {
            tracing::error!(error = %e, "could not queue a new-device notice");
        }
    }
    Ok(issued)
}

/// The throttle bucket of a sign-in attempt to `email` (the device's own when the account
/// knows this browser, the account's otherwise), and whether the account knows it.
async fn sign_in_bucket(
    auth: &Auth,
    email: &str,
    user: Option<&users::Model>,
    device: Option<&DeviceId>,
) -> Result<(String, bool), AppError> {
    if let (Some(user), Some(device)) = (user, device) {
        let hash = device.hash();
        if is_known_device(&auth.db, &hash, user.id).await? {
            return Ok((device_key(&hash, user.id), true));
        }
    }
    Ok((account_key(email), false))
}
