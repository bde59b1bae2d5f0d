//! Signing up, in and out, refreshing, and who is signed in.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::auth::wire::{AuthStatus, LoginAnswer, RefreshStatus};
use crate::error::AppError;

/// The auth state of the server, from the Leptos context that `leptos_axum` provides to every
/// server function and page render.
///
/// # Errors
/// [`AppError::Internal`] when it is missing (a programming error, logged).
#[cfg(feature = "ssr")]
pub fn use_auth() -> Result<crate::auth::Auth, AppError> {
    use_context::<crate::auth::Auth>().ok_or_else(|| {
        tracing::error!("no Auth in the Leptos context");
        AppError::Internal
    })
}

/// Creates an account and signs it in (both cookies). A plain HTML form post goes on to the
/// dashboard. `remember` as for [`login`].
#[server(prefix = "/api/auth", endpoint = "register")]
pub async fn register(
    email: String,
    password: String,
    remember: Option<bool>,
    remember_offered: Option<bool>,
) -> Result<AuthStatus, AppError> {
    use crate::auth::account::signup;
    use crate::auth::transport::{client, respond};
    let auth = use_auth()?;
    let browser = client::browser(&auth).await?.remembering(remember_choice(remember, remember_offered));
    let issued = signup::register(&auth, &email, password, browser).await?;
    respond::set_session_cookies(&auth, &issued);
    respond::redirect_plain_form(crate::client::redirect::DEFAULT_AFTER_LOGIN);
    Ok(issued.status)
}

/// Signs in with email and password (both cookies). A plain HTML form post goes on to `next`
/// (a path on this site; the dashboard otherwise). For an account with a second factor a
/// correct password sets only the pending cookie and answers `second_factor_required`; the
/// code goes to [`super::login_second_factor`] (a plain post goes on to `/login/code`).
///
/// `remember` ("remember me", `true` when absent): `false` gives browser-session cookies and the
/// shorter `SESSION_IDLE_TIMEOUT_FORGET`. An HTML checkbox sends nothing when unchecked, so a
/// form that offers the choice says so with `remember_offered=true`: then no `remember` means
/// `false`.
#[server(prefix = "/api/auth", endpoint = "login")]
pub async fn login(
    email: String,
    password: String,
    next: Option<String>,
    remember: Option<bool>,
    remember_offered: Option<bool>,
) -> Result<LoginAnswer, AppError> {
    use crate::auth::account::signin::{self, SignInStep};
    use crate::auth::transport::{client, respond};
    use crate::auth::wire::SecondFactorRequired;
    let auth = use_auth()?;
    let browser = client::browser(&auth).await?.remembering(remember_choice(remember, remember_offered));
    let next = crate::client::redirect::safe_next(next.as_deref());
    match signin::login(&auth, &email, password, browser).await? {
        SignInStep::SignedIn(issued) => {
            respond::set_session_cookies(&auth, &issued);
            respond::redirect_plain_form(&next);
            Ok(LoginAnswer::SignedIn(issued.status))
        }
        SignInStep::SecondFactor { pending, methods } => {
            respond::set_pending_cookie(&auth, Some(&pending));
            respond::redirect_plain_form(&crate::client::redirect::code_page(&next));
            Ok(LoginAnswer::SecondFactor(SecondFactorRequired { second_factor_required: true, methods }))
        }
    }
}

/// The "remember me" choice of a sign-in form: what it sent, else what an unchecked box means
/// (`false`) when the form offered one, else the default.
pub fn remember_choice(remember: Option<bool>, offered: Option<bool>) -> Option<bool> {
    remember.or_else(|| (offered == Some(true)).then_some(false))
}

/// Rotates the refresh token and issues a new access token. When the token is refused (401) both
/// cookies are cleared; a transient failure (503) leaves them, so an outage signs nobody out.
#[server(prefix = "/api/auth", endpoint = "refresh")]
pub async fn refresh() -> Result<RefreshStatus, AppError> {
    use crate::auth::sessions::rotation;
    use crate::auth::transport::client::{refresh_token, request_cookies, request_parts, ClientMeta};
    use crate::auth::transport::respond;
    let auth = use_auth()?;
    let presented = refresh_token(&auth, &request_cookies().await?);
    match rotation::refresh(&auth, presented, &ClientMeta::of(&request_parts()?)).await {
        Ok(issued) => {
            respond::set_session_cookies(&auth, &issued);
            Ok(RefreshStatus { access_expires_at: issued.status.access_expires_at })
        }
        Err(err) => {
            if err.is_auth_failure() {
                respond::clear_session_cookies(&auth);
            }
            Err(err)
        }
    }
}

/// Ends the current session and clears both cookies; with no session (or a dead one) too.
/// When the session cannot be ended (the database is down) it answers 503 and clears nothing:
/// the browser must not act signed out while the session lives.
#[server(prefix = "/api/auth", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::auth::sessions::lifecycle;
    use crate::auth::transport::client::{refresh_token, request_cookies, request_parts, ClientMeta};
    use crate::auth::transport::respond;
    let auth = use_auth()?;
    let jar = request_cookies().await?;
    let access = auth.cookies.access(&jar).and_then(|token| auth.keys.verify_ignoring_expiry(token).ok());
    let meta = ClientMeta::of(&request_parts()?);
    lifecycle::logout(&auth, refresh_token(&auth, &jar), access.as_ref(), &meta).await?;
    respond::clear_session_cookies(&auth);
    respond::clear_site_data();
    Ok(())
}

/// The signed-in user, from the access token alone.
#[server(prefix = "/api/auth", endpoint = "me", input = GetUrl)]
pub async fn me() -> Result<AuthStatus, AppError> {
    Ok(crate::auth::current_user()?.status())
}
