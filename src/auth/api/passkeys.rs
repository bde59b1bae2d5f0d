//! Passkeys: registering one (behind sudo), listing and removing them, and signing in with one
//! alone. `credential` is the JSON of the browser's `PublicKeyCredential.toJSON()`.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::auth::wire::{AuthStatus, PasskeyView, WebAuthnOptions};
use crate::error::AppError;

/// Creation options for a new passkey of the signed-in user. Sudo.
#[server(prefix = "/api/auth", endpoint = "passkey/register_start")]
pub async fn passkey_register_start() -> Result<WebAuthnOptions, AppError> {
    use crate::auth::passkeys::registration;
    let auth = super::use_auth()?;
    registration::start(&auth, &crate::auth::current_user()?).await
}

/// Keeps the passkey the browser created for [`passkey_register_start`]'s options, under `name`
/// (by default, the browser's name).
#[server(prefix = "/api/auth", endpoint = "passkey/register_finish")]
pub async fn passkey_register_finish(
    credential: String,
    name: Option<String>,
) -> Result<PasskeyView, AppError> {
    use crate::auth::passkeys::registration;
    use crate::auth::transport::client::{request_parts, ClientMeta};
    let auth = super::use_auth()?;
    let meta = ClientMeta::of(&request_parts()?);
    registration::finish(&auth, &crate::auth::current_user()?, &credential, name.as_deref(), &meta).await
}

/// The signed-in user's passkeys.
#[server(prefix = "/api/auth", endpoint = "passkeys", input = GetUrl)]
pub async fn list_passkeys() -> Result<Vec<PasskeyView>, AppError> {
    use crate::auth::passkeys::listing;
    let auth = super::use_auth()?;
    listing::list(&auth, &crate::auth::current_user()?).await
}

/// Removes one of the signed-in user's passkeys (404 if it is not theirs). Sudo.
#[server(prefix = "/api/auth", endpoint = "passkey/remove")]
pub async fn remove_passkey(id: i64) -> Result<(), AppError> {
    use crate::auth::passkeys::listing;
    use crate::auth::transport::client::{request_parts, ClientMeta};
    let auth = super::use_auth()?;
    let meta = ClientMeta::of(&request_parts()?);
    listing::remove(&auth, &crate::auth::current_user()?, id, &meta).await
}

/// Request options for a passkey sign-in (no email: the authenticator offers the account).
#[server(prefix = "/api/auth", endpoint = "passkey/login_start")]
pub async fn passkey_login_start() -> Result<WebAuthnOptions, AppError> {
    use crate::auth::passkeys::sign_in;
    use crate::auth::transport::client::{request_parts, ClientMeta};
    let auth = super::use_auth()?;
    sign_in::start(&auth, &ClientMeta::of(&request_parts()?), None).await
}

/// Request options for confirming it is you with a passkey (sudo): the answer goes to
/// `reauthenticate` as `credential`, and only there, for this user.
#[server(prefix = "/api/auth", endpoint = "passkey/reauth_start")]
pub async fn passkey_reauth_start() -> Result<WebAuthnOptions, AppError> {
    use crate::auth::passkeys::sign_in;
    use crate::auth::transport::client::{request_parts, ClientMeta};
    let auth = super::use_auth()?;
    let user = crate::auth::current_user()?;
    sign_in::start(&auth, &ClientMeta::of(&request_parts()?), Some(user.id)).await
}

/// Signs in with the passkey assertion the browser made for [`passkey_login_start`]'s options:
/// both session cookies, as a password sign-in.
#[server(prefix = "/api/auth", endpoint = "passkey/login_finish")]
pub async fn passkey_login_finish(
    credential: String,
    remember: Option<bool>,
) -> Result<AuthStatus, AppError> {
    use crate::auth::passkeys::sign_in;
    use crate::auth::transport::{client, respond};
    let auth = super::use_auth()?;
    let browser = client::browser(&auth).await?.remembering(remember);
    let issued = sign_in::finish(&auth, &credential, browser).await?;
    respond::set_session_cookies(&auth, &issued);
    Ok(issued.status)
}
