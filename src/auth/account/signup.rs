//! Signing up: a new account, signed in at once.

use sea_orm::DatabaseConnection;

use super::email_verification::queue_verification;
use crate::auth::audit::{record, AuditKind};
use crate::auth::clock::now;
use crate::auth::credentials::common_passwords::new_password;
use crate::auth::credentials::password::hash_password;
use crate::auth::sessions::lifecycle::{sign_in, IssuedSession, PASSWORD_METHOD};
use crate::auth::transport::client::Browser;
use crate::auth::validate::Email;
use crate::auth::Auth;
use crate::db::entities::users;
use crate::db::{is_unique_violation, users as user_queries};
use crate::error::AppError;

/// Creates an account and signs it in.
///
/// # Errors
/// As [`create_account`].
#[tracing::instrument(skip_all)]
pub async fn register(
    auth: &Auth,
    email: &str,
    password: String,
    browser: Browser,
) -> Result<IssuedSession, AppError> {
    let user = create_account(&auth.db, email, password).await?;
    let view = super::user_view(auth, &user).await?;
    let (previous, meta) = (browser.previous.as_ref(), &browser.meta);
    let issued =
        sign_in(auth, view, browser.device, previous, meta, browser.remember, PASSWORD_METHOD).await?;
    let session_id = Some(issued.session_id.as_str());
    record(&auth.db, AuditKind::Register, Some(user.id), session_id, None, &browser.meta).await;
    if let Err(e) = queue_verification(&auth.db, auth, user.id, &user.email, now()).await {
        // The account exists and is signed in; the user can ask for the link again.
        tracing::warn!(error = %e, "could not queue the verification mail");
    }
    Ok(issued)
}

/// Validates the email and password, hashes the password and stores the account.
///
/// # Errors
/// [`AppError::InvalidInput`] for a bad email or a short, long or common password;
/// [`AppError::EmailTaken`].
pub async fn create_account(
    db: &DatabaseConnection,
    email: &str,
    password: String,
) -> Result<users::Model, AppError> {
    let email = Email::parse(email)?;
    let password = new_password(password)?;
    let hash = hash_password(password).await?;
    user_queries::insert_user(db, email.as_str(), hash, now()).await.map_err(|e| {
        if is_unique_violation(&e) {
            AppError::EmailTaken
        } else {
            AppError::from(e)
        }
    })
}
