//! Getting back in without the password (a reset link by mail), and throwing an intruder out
//! (a new-device notice's "this wasn't me" link).

use leptos::prelude::*;

use crate::auth::wire::{AuthStatus, ReportedSignIn};
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
/// this browser is signed in (both cookies). An account with a second factor needs its `code`
/// too (401 `second_factor_required` without it).
#[server(prefix = "/api/auth", endpoint = "reset_password")]
pub async fn reset_password(
    token: String,
    new_password: String,
    code: Option<String>,
) -> Result<AuthStatus, AppError> {
    use crate::auth::account::password_reset;
    use crate::auth::transport::{client, respond};
    let auth = super::use_auth()?;
    let browser = client::browser(&auth).await?;
    let issued =
        password_reset::reset_password(&auth, &token, new_password, code.as_deref(), browser).await?;
    respond::set_session_cookies(&auth, &issued);
    Ok(issued.status)
}

/// Ends the session a new-device notice was about, with the token of its "this wasn't me"
/// link (public: it may be opened anywhere). The answer asks for a password change.
#[server(prefix = "/api/auth", endpoint = "report_sign_in")]
pub async fn report_sign_in(token: String) -> Result<ReportedSignIn, AppError> {
    use crate::auth::account::sign_in_notice;
    use crate::auth::transport::client::{request_parts, ClientMeta};
    let auth = super::use_auth()?;
    sign_in_notice::report_sign_in(&auth, &token, &ClientMeta::of(&request_parts()?)).await
}
