//! What a server function knows about its request, and how it answers with cookies.
//!
//! This is the only place where server functions touch HTTP: the services behind them take
//! plain values.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::ConnectInfo;
use axum::http::header::{SET_COOKIE, USER_AGENT};
use axum::http::request::Parts;
use axum::http::{Extensions, HeaderMap, HeaderName, HeaderValue};
use axum_extra::extract::cookie::Cookie;
use leptos::prelude::{use_context, with_context};
use leptos_axum::ResponseOptions;

use super::cookies::SentCookies;
use super::refresh::RefreshToken;
use super::service::IssuedSession;
use super::tokens::{AccessClaims, TokenError};
use super::types::{AuthStatus, UserView};
use crate::error::AppError;
use crate::server::state::AppState;

const USER_AGENT_MAX: usize = 512;
static CLEAR_SITE_DATA: HeaderName = HeaderName::from_static("clear-site-data");

/// Who is calling: kept on sessions and audit rows.
#[derive(Debug, Clone, Default)]
pub struct ClientMeta {
    pub ip: String,
    pub user_agent: String,
}

/// What server functions read of their request: its cookies, user agent and peer address.
/// Taking it copies no header (header values share the received bytes): the router's
/// server-function dispatch takes it, and a page render takes it from the `Parts` that Leptos
/// provides.
#[derive(Debug, Clone)]
pub struct RequestHead {
    cookies: SentCookies,
    user_agent: Option<HeaderValue>,
    peer: Option<SocketAddr>,
}

impl RequestHead {
    pub fn of(headers: &HeaderMap, extensions: &Extensions) -> Self {
        Self {
            cookies: SentCookies::of(headers),
            user_agent: headers.get(USER_AGENT).cloned(),
            peer: extensions.get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(addr)| *addr),
        }
    }

    fn client_meta(&self) -> ClientMeta {
        let ip = self.peer.map(|addr| addr.ip().to_string()).unwrap_or_default();
        let user_agent = self
            .user_agent
            .as_ref()
            .and_then(|v| v.to_str().ok())
            .map(|ua| ua.chars().take(USER_AGENT_MAX).collect())
            .unwrap_or_default();
        ClientMeta { ip, user_agent }
    }
}

tokio::task_local! {
    /// The request of the server function this task is running, set by the router's
    /// dispatch ([`AuthRequest::serve`]) for the length of the call.
    static SERVING: AuthRequest;
}

/// The request a server function is serving. Cloning it shares everything it holds.
#[derive(Clone)]
pub struct AuthRequest {
    pub state: AppState,
    head: RequestHead,
    response: ResponseOptions,
}

impl AuthRequest {
    /// A request to serve: `response` collects the status and headers its function sets.
    pub fn new(state: AppState, head: RequestHead, response: ResponseOptions) -> Self {
        Self { state, head, response }
    }

    /// Runs `call` (a server function's future) with `self` as its [`Self::current`] request.
    pub async fn serve<F: Future>(self, call: F) -> F::Output {
        SERVING.scope(self, call).await
    }

    /// The current request: the one [`Self::serve`] runs, or else, while a page renders, the
    /// one in the Leptos context that `leptos_axum` sets up.
    ///
    /// # Errors
    /// [`AppError::Internal`] when called outside a request (a programming error).
    pub fn current() -> Result<Self, AppError> {
        Self::current_if_serving().unwrap_or_else(|| Err(missing("AppState")))
    }

    /// [`Self::current`], or `None` when the app is rendered outside any request (as when the
    /// route list is generated at start-up), which is not an error.
    ///
    /// # Errors
    /// As [`Self::current`], when serving a request whose context is incomplete.
    pub fn current_if_serving() -> Option<Result<Self, AppError>> {
        if let Ok(serving) = SERVING.try_with(Self::clone) {
            return Some(Ok(serving));
        }
        let state = use_context::<AppState>()?;
        Some(Self::rendering(state))
    }

    /// The request of the page being rendered, from its Leptos context.
    fn rendering(state: AppState) -> Result<Self, AppError> {
        let head = with_context::<Parts, _>(|parts| RequestHead::of(&parts.headers, &parts.extensions))
            .ok_or_else(|| missing("the request head"))?;
        let response = use_context::<ResponseOptions>().ok_or_else(|| missing("ResponseOptions"))?;
        Ok(Self { state, head, response })
    }

    /// Who is calling (address and user agent), for the session and audit rows of the calls
    /// that write them; made on demand, since most requests only check a token.
    pub fn meta(&self) -> ClientMeta {
        self.head.client_meta()
    }

    /// The caller's access-token claims, if the token is valid and its session alive.
    ///
    /// # Errors
    /// [`AppError::Unauthenticated`] without a valid token, [`AppError::AccessExpired`] for an
    /// expired one (a refresh may renew it), [`AppError::SessionEnded`] when the token's session
    /// was revoked.
    pub fn authenticate(&self) -> Result<Arc<AccessClaims>, AppError> {
        authenticate_token(&self.state, self.access_token(), super::clock::now())
    }

    /// Who is signed in, from the access token alone (no database read).
    ///
    /// # Errors
    /// As [`Self::authenticate`].
    pub fn signed_in_status(&self) -> Result<AuthStatus, AppError> {
        let claims = self.authenticate()?;
        let id = claims.user_id().map_err(|_| AppError::Unauthenticated)?;
        Ok(AuthStatus { user: UserView { id, email: claims.email.clone() }, access_expires_at: claims.exp })
    }

    /// The access token's claims even if it has expired (signature still checked): used by
    /// logout to find the session to end.
    pub fn access_claims_ignoring_expiry(&self) -> Option<Arc<AccessClaims>> {
        let token = self.access_token()?;
        self.state.keys.verify(token, i64::MIN).ok()
    }

    /// The refresh token the browser sent, if it has the right shape.
    pub fn refresh_token(&self) -> Option<RefreshToken> {
        self.state.cookies.sent_refresh(&self.head.cookies).and_then(RefreshToken::parse)
    }

    fn access_token(&self) -> Option<&str> {
        self.state.cookies.sent_access(&self.head.cookies)
    }

    /// Sets the access and refresh cookies of a newly issued session.
    pub fn set_session_cookies(&self, issued: &IssuedSession) {
        let cookies = &self.state.cookies;
        self.append_cookie(cookies.access_cookie(&issued.access_token, issued.cookie_max_age));
        self.append_cookie(cookies.refresh_cookie(issued.refresh_token.expose(), issued.cookie_max_age));
    }

    /// Clears both cookies (same names, paths and attributes, `Max-Age=0`).
    pub fn clear_cookies(&self) {
        for cookie in self.state.cookies.clearing_cookies() {
            self.append_cookie(cookie);
        }
    }

    /// Asks the browser to drop cached pages and storage of this site (on logout).
    pub fn clear_site_data(&self) {
        self.response
            .insert_header(CLEAR_SITE_DATA.clone(), HeaderValue::from_static("\"cache\", \"storage\""));
    }

    fn append_cookie(&self, cookie: Cookie<'static>) {
        match HeaderValue::from_str(&cookie.to_string()) {
            Ok(value) => self.response.append_header(SET_COOKIE, value),
            Err(_) => tracing::error!(name = cookie.name(), "cookie value is not a valid header"),
        }
    }
}

/// Verifies an access token and checks that its session was not ended.
///
/// # Errors
/// As [`AuthRequest::authenticate`].
pub fn authenticate_token(
    state: &AppState,
    token: Option<&str>,
    now: i64,
) -> Result<Arc<AccessClaims>, AppError> {
    let token = token.ok_or(AppError::Unauthenticated)?;
    let claims = state.keys.verify(token, now).map_err(|reason| match reason {
        TokenError::Expired => AppError::AccessExpired,
        _ => {
            tracing::debug!(%reason, "access token refused");
            AppError::Unauthenticated
        }
    })?;
    if state.revocations.is_revoked(&claims.sid) {
        return Err(AppError::SessionEnded);
    }
    Ok(claims)
}

/// A context the router always provides is missing: a programming error, logged.
fn missing(what: &str) -> AppError {
    tracing::error!("server function called without {what} in context");
    AppError::Internal
}
