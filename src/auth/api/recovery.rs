//! Getting back in without the password: a reset link by mail.

use leptos::prelude::*;

use crate::auth::wire::AuthStatus;
use crate::error::AppError;

/// Mails a password-reset link to `email` if an account has it; the same answer either way. A
/// plain HTML form post goes back to the page, which says a mail is on its way.
#[server(prefix = "/api/auth", endpoint = "request_password_reset")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    use crate::auth::account::password_reset;
    use crate::auth::transport::client::{request_parts, ClientMeta};
    use crate::auth::transport::respond;
    let auth = super::use_auth()?;
    password_reset::request_reset(&auth, &email, &ClientMeta::of(&request_parts()?)).await?;
    respond::redirect_plain_form("/forgot-password?sent=1");
    Ok(())
}

/// Sets a new password with the token of a reset link: every session of the account ends, and
/// this browser is signed in (both cookies).
#[server(prefix = "/api/auth", endpoint = "reset_password")]
pub async fn reset_password(token: String, new_password: String) -> Result<AuthStatus, AppError> {
    use crate::auth::account::password_reset;
    use crate::auth::transport::{client, respond};
    let auth = super::use_auth()?;
    let issued =
        password_reset::reset_password(&auth, &token, new_password, client::browser(&auth).await?).await?;
    respond::set_session_cookies(&auth, &issued);
    Ok(issued.status)
}
