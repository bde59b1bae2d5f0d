//! The account around the session: proving who you are again before a sensitive action,
//! changing the password, deleting the account.

use leptos::prelude::*;

use crate::auth::wire::{AuthStatus, ReauthStatus};
use crate::error::AppError;

/// Checks the signed-in user's password again, or the code of their second factor when the
/// account has one, or one of their passkeys (`credential`, an assertion for the options of
/// `passkey/reauth_start`): for `REAUTH_WINDOW` seconds the session may take sensitive actions
/// (sudo).
/// A new access cookie carries the new `auth_time`. Wrong answers are throttled per account
/// (429 + `Retry-After`).
#[server(prefix = "/api/auth", endpoint = "reauthenticate")]
pub async fn reauthenticate(
    password: Option<String>,
    code: Option<String>,
    credential: Option<String>,
) -> Result<ReauthStatus, AppError> {
    use crate::auth::account::sudo::{self, ReauthProof};
    use crate::auth::transport::client::{request_parts, ClientMeta};
    use crate::auth::transport::respond;
    let auth = super::use_auth()?;
    let user = crate::auth::current_user()?;
    let meta = ClientMeta::of(&request_parts()?);
    let proof = ReauthProof { password, code, passkey: credential };
    let done = sudo::reauthenticate(&auth, &user, proof, &meta).await?;
    respond::set_access_cookie(&auth, &done.access_token, done.cookie_max_age);
    Ok(ReauthStatus { reauthenticated_until: done.fresh_until })
}

/// Changes the password (the current one is checked, throttled as a re-authentication; the new
/// one must pass the registration policy). Every other session of the account ends at once; this
/// browser gets a new session in place of its own (new cookies), which counts as a fresh proof.
#[server(prefix = "/api/auth", endpoint = "change_password")]
pub async fn change_password(current_password: String, new_password: String) -> Result<AuthStatus, AppError> {
    use crate::auth::account::password_change;
    use crate::auth::transport::client::{request_parts, ClientMeta};
    use crate::auth::transport::respond;
    let auth = super::use_auth()?;
    let user = crate::auth::current_user()?;
    let meta = ClientMeta::of(&request_parts()?);
    let issued =
        password_change::change_password(&auth, &user, current_password, new_password, &meta).await?;
    respond::set_session_cookies(&auth, &issued);
    Ok(issued.status)
}

/// Deletes the account after checking its password: every session ends at once, both cookies
/// are cleared, and the email can register again. A plain HTML form post goes on to the home page.
#[server(prefix = "/api/auth", endpoint = "delete_account")]
pub async fn delete_account(password: String) -> Result<(), AppError> {
    use crate::auth::account::deletion;
    use crate::auth::transport::client::{request_parts, ClientMeta};
    use crate::auth::transport::respond;
    let auth = super::use_auth()?;
    let user = crate::auth::current_user()?;
    deletion::delete_account(&auth, &user, password, &ClientMeta::of(&request_parts()?)).await?;
    respond::clear_session_cookies(&auth);
    respond::clear_site_data();
    respond::redirect_plain_form("/");
    Ok(())
}
