//! The HTTP contract's endpoints under `/api/auth`, as Leptos server functions.
//!
//! Each is thin: read the request, call a service, set cookies, answer. Errors are
//! [`AppError`]s; their status is set where server functions are served
//! (`server::server_fns`). Every answer is `Cache-Control: no-store`: the guard in front of the
//! router (`server::guard`) marks every response but the static assets so.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use super::types::{ActivityView, AuthStatus, RefreshStatus, SessionView};
use crate::error::AppError;

/// Creates an account and signs it in (both cookies).
#[server(prefix = "/api/auth", endpoint = "register")]
pub async fn register(email: String, password: String) -> Result<AuthStatus, AppError> {
    use super::{request::AuthRequest, service};
    let req = AuthRequest::current()?;
    let issued = service::register(&req.state, &email, password, &req.meta()).await?;
    req.set_session_cookies(&issued);
    Ok(issued.status)
}

/// Signs in with email and password (both cookies).
#[server(prefix = "/api/auth", endpoint = "login")]
pub async fn login(email: String, password: String) -> Result<AuthStatus, AppError> {
    use super::{request::AuthRequest, service};
    let req = AuthRequest::current()?;
    let issued = service::login(&req.state, &email, password, &req.meta()).await?;
    req.set_session_cookies(&issued);
    Ok(issued.status)
}

/// Rotates the refresh token and issues a new access token. When the token is refused (401) both
/// cookies are cleared; a transient failure (503) leaves them, so an outage signs nobody out.
#[server(prefix = "/api/auth", endpoint = "refresh")]
pub async fn refresh() -> Result<RefreshStatus, AppError> {
    use super::{request::AuthRequest, rotation};
    let req = AuthRequest::current()?;
    match rotation::refresh(&req.state, req.refresh_token(), &req.meta()).await {
        Ok(issued) => {
            req.set_session_cookies(&issued);
            Ok(RefreshStatus { access_expires_at: issued.status.access_expires_at })
        }
        Err(err) => {
            if err.is_auth_failure() {
                req.clear_cookies();
            }
            Err(err)
        }
    }
}

/// Ends the current session; always succeeds and always clears both cookies.
#[server(prefix = "/api/auth", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use super::{request::AuthRequest, sessions};
    let req = AuthRequest::current()?;
    req.clear_cookies();
    req.clear_site_data();
    let access = req.access_claims_ignoring_expiry();
    sessions::logout(&req.state, req.refresh_token(), access.as_deref(), &req.meta()).await
}

/// Ends every session of the signed-in user.
#[server(prefix = "/api/auth", endpoint = "logout_all")]
pub async fn logout_all() -> Result<(), AppError> {
    use super::{request::AuthRequest, sessions};
    let req = AuthRequest::current()?;
    let caller = req.authenticate()?;
    sessions::logout_all(&req.state, &caller, &req.meta()).await?;
    req.clear_cookies();
    req.clear_site_data();
    Ok(())
}

/// The signed-in user, from the access token alone.
#[server(prefix = "/api/auth", endpoint = "me", input = GetUrl)]
pub async fn me() -> Result<AuthStatus, AppError> {
    use super::request::AuthRequest;
    let req = AuthRequest::current()?;
    req.signed_in_status()
}

/// The signed-in user's live sessions.
#[server(prefix = "/api/auth", endpoint = "sessions", input = GetUrl)]
pub async fn list_sessions() -> Result<Vec<SessionView>, AppError> {
    use super::{request::AuthRequest, sessions};
    let req = AuthRequest::current()?;
    let caller = req.authenticate()?;
    sessions::list_sessions(&req.state, &caller).await
}

/// Ends one of the signed-in user's sessions (404 if it is not theirs).
#[server(prefix = "/api/auth", endpoint = "revoke_session")]
pub async fn revoke_session(id: String) -> Result<(), AppError> {
    use super::{request::AuthRequest, sessions};
    let req = AuthRequest::current()?;
    let caller = req.authenticate()?;
    if sessions::revoke_session(&req.state, &caller, &id, &req.meta()).await? {
        // It was this browser's own session: as a logout.
        req.clear_cookies();
        req.clear_site_data();
    }
    Ok(())
}

/// The signed-in user's recent account activity, newest first.
#[server(prefix = "/api/auth", endpoint = "activity", input = GetUrl)]
pub async fn recent_activity() -> Result<Vec<ActivityView>, AppError> {
    use super::{request::AuthRequest, sessions};
    let req = AuthRequest::current()?;
    let caller = req.authenticate()?;
    sessions::recent_activity(&req.state, &caller).await
}
