//! The signed-in user's devices (sessions) and account activity: list, revoke one, log out
//! everywhere. All need a live session (the `require_session` layer checks before they run).

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::auth::wire::{ActivityView, SessionView};
use crate::error::AppError;

/// The signed-in user's live sessions.
#[server(prefix = "/api/auth", endpoint = "sessions", input = GetUrl)]
pub async fn list_sessions() -> Result<Vec<SessionView>, AppError> {
    use crate::auth::sessions::devices;
    let auth = super::use_auth()?;
    devices::list_sessions(&auth, &crate::auth::current_user()?).await
}

/// Ends one of the signed-in user's sessions (404 if it is not theirs). Another device's needs
/// sudo (403 `reauthentication_required` outside `REAUTH_WINDOW`); this browser's own is a
/// logout, which is never refused.
#[server(prefix = "/api/auth", endpoint = "revoke_session")]
pub async fn revoke_session(id: String) -> Result<(), AppError> {
    use crate::auth::account::sudo::require_sudo;
    use crate::auth::sessions::devices;
    use crate::auth::transport::client::{request_parts, ClientMeta};
    use crate::auth::transport::respond;
    let auth = super::use_auth()?;
    let user = crate::auth::current_user()?;
    if id != user.session_id {
        require_sudo(&auth, &user)?;
    }
    if devices::revoke_session(&auth, &user, &id, &ClientMeta::of(&request_parts()?)).await? {
        // It was this browser's own session: as a logout.
        respond::clear_session_cookies(&auth);
        respond::clear_site_data();
    }
    Ok(())
}

/// Ends every session of the signed-in user (sudo).
#[server(prefix = "/api/auth", endpoint = "logout_all")]
pub async fn logout_all() -> Result<(), AppError> {
    use crate::auth::account::sudo::require_sudo;
    use crate::auth::sessions::devices;
    use crate::auth::transport::client::{request_parts, ClientMeta};
    use crate::auth::transport::respond;
    let auth = super::use_auth()?;
    let user = crate::auth::current_user()?;
    require_sudo(&auth, &user)?;
    devices::logout_all(&auth, &user, &ClientMeta::of(&request_parts()?)).await?;
    respond::clear_session_cookies(&auth);
    respond::clear_site_data();
    Ok(())
}

/// Ends every other session of the signed-in user, keeping this one (sudo).
#[server(prefix = "/api/auth", endpoint = "logout_others")]
pub async fn logout_others() -> Result<(), AppError> {
    use crate::auth::account::sudo::require_sudo;
    use crate::auth::sessions::devices;
    use crate::auth::transport::client::{request_parts, ClientMeta};
    let auth = super::use_auth()?;
    let user = crate::auth::current_user()?;
    require_sudo(&auth, &user)?;
    devices::logout_others(&auth, &user, &ClientMeta::of(&request_parts()?)).await?;
    Ok(())
}

/// The signed-in user's recent account activity, newest first.
#[server(prefix = "/api/auth", endpoint = "activity", input = GetUrl)]
pub async fn recent_activity() -> Result<Vec<ActivityView>, AppError> {
    use crate::auth::sessions::devices;
    let auth = super::use_auth()?;
    devices::recent_activity(&auth, &crate::auth::current_user()?).await
}
