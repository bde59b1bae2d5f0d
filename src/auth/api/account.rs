//! The account around the session: proving who you are again before a sensitive action.

use leptos::prelude::*;

use crate::auth::wire::ReauthStatus;
use crate::error::AppError;

/// Checks the signed-in user's password again: for `REAUTH_WINDOW` seconds the session may take
/// sensitive actions (sudo). A new access cookie carries the new `auth_time`. Wrong passwords
/// are throttled per account (429 + `Retry-After`).
#[server(prefix = "/api/auth", endpoint = "reauthenticate")]
pub async fn reauthenticate(password: String) -> Result<ReauthStatus, AppError> {
    use crate::auth::account::sudo;
    use crate::auth::transport::client::{request_parts, ClientMeta};
    use crate::auth::transport::respond;
    let auth = super::use_auth()?;
    let user = crate::auth::current_user()?;
    let done = sudo::reauthenticate(&auth, &user, password, &ClientMeta::of(&request_parts()?)).await?;
    respond::set_access_cookie(&auth, &done.access_token, done.cookie_max_age);
    Ok(ReauthStatus { reauthenticated_until: done.fresh_until })
}
