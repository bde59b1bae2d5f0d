//! Accounts: signing up and in (the paths that start a session from a password), proving who
//! you are again while signed in (`proof`) for sudo, a password change or deleting the account,
//! and the operator's tasks behind the admin CLI.

pub mod admin;
pub mod deletion;
pub mod email_change;
pub mod email_verification;
pub mod password_change;
pub mod password_reset;
pub mod proof;
pub mod security_notice;
pub mod sign_in_notice;
pub mod signin;
pub mod signup;
pub mod sudo;

use crate::auth::wire::UserView;
use crate::auth::Auth;
use crate::auth::CurrentUser;
use crate::db::entities::users;
use crate::db::passkeys::has_passkey;
use crate::db::users::find_user_by_id;
use crate::error::AppError;

/// The signed-in `user`'s account row, as long as it exists and is not disabled.
///
/// # Errors
/// [`AppError::SessionEnded`] otherwise; database failure.
pub async fn signed_in_account(auth: &Auth, user: &CurrentUser) -> Result<users::Model, AppError> {
    find_user_by_id(&auth.db, user.id)
        .await?
        .filter(|u| u.disabled_at.is_none())
        .ok_or(AppError::SessionEnded)
}

/// The account as the client sees it (and its access tokens say).
///
/// # Errors
/// Database failure.
pub async fn user_view(auth: &Auth, account: &users::Model) -> Result<UserView, AppError> {
    let passkey = has_passkey(&auth.db, account.id).await?;
    Ok(UserView {
        id: account.id,
        email: account.email.clone(),
        email_verified: account.email_verified_at.is_some(),
        second_factors: crate::auth::second_factor::factors_of(account.totp_enabled_at, passkey),
    })
}
