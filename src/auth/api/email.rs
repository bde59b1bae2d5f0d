//! The account's email address: proving it is read, and moving the account to another.

use leptos::prelude::*;

use crate::error::AppError;

/// Mails the signed-in user a link that verifies their address (nothing when it is verified
/// already). Limited per user (429).
#[server(prefix = "/api/auth", endpoint = "request_email_verification")]
pub async fn request_email_verification() -> Result<(), AppError> {
    use crate::auth::account::email_verification;
    use crate::auth::transport::client::{request_parts, ClientMeta};
    let auth = super::use_auth()?;
    let user = crate::auth::current_user()?;
    email_verification::request_verification(&auth, &user, &ClientMeta::of(&request_parts()?)).await
}

/// Verifies the address with the token of a mailed link (public: the link may be opened in a
/// browser that is not signed in). A session's access token says so from its next refresh.
#[server(prefix = "/api/auth", endpoint = "verify_email")]
pub async fn verify_email(token: String) -> Result<(), AppError> {
    use crate::auth::account::email_verification;
    use crate::auth::transport::client::{request_parts, ClientMeta};
    let auth = super::use_auth()?;
    email_verification::verify_email(&auth, &token, &ClientMeta::of(&request_parts()?)).await
}

/// Asks to move the account to `new_email` (sudo): a confirmation link goes to the new
/// address and a notice to the current one; the address changes only when the link is used.
#[server(prefix = "/api/auth", endpoint = "change_email")]
pub async fn change_email(new_email: String) -> Result<(), AppError> {
    use crate::auth::account::email_change;
    use crate::auth::transport::client::{request_parts, ClientMeta};
    let auth = super::use_auth()?;
    let user = crate::auth::current_user()?;
    email_change::request_change(&auth, &user, &new_email, &ClientMeta::of(&request_parts()?)).await
}

/// Moves the account to the address a confirmation link was mailed to (public, like
/// `verify_email`). Sessions show the new address from their next refresh.
#[server(prefix = "/api/auth", endpoint = "confirm_email_change")]
pub async fn confirm_email_change(token: String) -> Result<(), AppError> {
    use crate::auth::account::email_change;
    use crate::auth::transport::client::{request_parts, ClientMeta};
    let auth = super::use_auth()?;
    email_change::confirm_change(&auth, &token, &ClientMeta::of(&request_parts()?)).await
}
