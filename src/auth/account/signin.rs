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
use crate::auth::second_factor::factors_of;
use crate::auth::second_factor::pending::start_pending;
use crate::auth::sessions::lifecycle::{sign_in, IssuedSession, PASSWORD_METHOD};
use crate::auth::transport::client::{Browser, ClientMeta};
use crate::auth::validate::{Email, Password};
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
) -> Result<SignInStep, AppError> {
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
    if user.totp_enabled_at.is_some() {
        let pending = start_pending(auth, user.id, browser.remember).await?;
        return Ok(SignInStep::SecondFactor { pending, methods: factors_of(user.totp_enabled_at, false) });
    }
    let remember = browser.remember;
    let how = SignedInWith { methods: PASSWORD_METHOD, words: "password" };
    let issued = start_signed_in(auth, &user, browser, remember, known_device, how).await?;
    Ok(SignInStep::SignedIn(issued))
}

/// How a sign-in was proven: as the session records it, and in words for the notice.
#[derive(Debug, Clone, Copy)]
pub struct SignedInWith {
    pub methods: &'static str,
    pub words: &'static str,
}

/// Starts the session of a sign-in that is proven (`account` is the user's row; `known_device`:
/// whether the account knew this browser before), records it, and mails the new-device notice
/// when the browser was new to the account.
///
/// # Errors
/// Database failure.
pub async fn start_signed_in(
    auth: &Auth,
    account: &users::Model,
    browser: Browser,
    remember: bool,
    known_device: bool,
    how: SignedInWith,
) -> Result<IssuedSession, AppError> {
    let Browser { meta, device, previous, .. } = browser;
    let meta = &meta;
    let view = super::user_view(auth, account).await?;
    let issued = sign_in(auth, view, device, previous.as_ref(), meta, remember, how.methods).await?;
    let session_id = Some(issued.session_id.as_str());
    record(&auth.db, AuditKind::LoginSuccess, Some(account.id), session_id, Some(&account.email), meta).await;
    if !known_device {
        notify_if_new_device(auth, &issued, meta, how.words).await;
    }
    Ok(issued)
}

/// Where a correct password leads.
#[derive(Debug)]
pub enum SignInStep {
    /// A session started.
    SignedIn(IssuedSession),
    /// The account has a second factor: a pending sign-in (`pending`, the cookie's value)
    /// waits for its code.
    SecondFactor { pending: String, methods: Vec<String> },
}

/// Mails the new-device notice of a session just started (`how`: the factors used, in words).
/// The session exists already: a notice that cannot be queued is logged, not fatal.
pub async fn notify_if_new_device(auth: &Auth, issued: &IssuedSession, meta: &ClientMeta, how: &str) {
    if let Err(e) = notify_new_device(auth, &issued.status.user, &issued.session_id, meta, how).await {
        tracing::error!(error = %e, "could not queue a new-device notice");
    }
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
        if knows_browser(auth, Some(device), user.id).await? {
            return Ok((device_key(&device.hash(), user.id), true));
        }
    }
    Ok((account_key(email), false))
}

/// Whether account `user_id` knows the browser whose device cookie is `device`.
///
/// # Errors
/// Database failure.
pub async fn knows_browser(auth: &Auth, device: Option<&DeviceId>, user_id: i64) -> Result<bool, AppError> {
    match device {
        Some(device) => Ok(is_known_device(&auth.db, &device.hash(), user_id).await?),
        None => Ok(false),
    }
}
