//! What a server function knows about its request, and how it answers with cookies.
//!
//! This is the only place where server functions touch HTTP: the services behind them take
//! plain values.

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use axum::http::header::{CACHE_CONTROL, SET_COOKIE, USER_AGENT};
use axum::http::request::Parts;
use axum::http::{Extensions, HeaderMap, HeaderName, HeaderValue};
use axum_extra::extract::cookie::Cookie;
use leptos::prelude::{use_context, with_context};
use leptos_axum::ResponseOptions;

use super::cookies::{CookiePolicy, SentTokens};
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

/// What server functions read of their request: our two cookies, the user agent and the peer
/// address. Taking it copies no header (the user agent is a reference-counted value): the
/// router's server-function dispatch provides it, and a page render builds it from the `Parts`
/// that Leptos provides.
#[derive(Debug, Clone, Default)]
pub struct RequestHead {
    tokens: SentTokens,
    user_agent: Option<HeaderValue>,
    peer: Option<SocketAddr>,
}

impl RequestHead {
    pub fn of(headers: &HeaderMap, extensions: &Extensions, cookies: &CookiePolicy) -> Self {
        Self {
            tokens: cookies.sent_tokens(headers),
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

/// The request a server function is serving.
pub struct AuthRequest {
    pub state: AppState,
    head: RequestHead,
    response: ResponseOptions,
}

impl AuthRequest {
    /// The current request, from the Leptos context set up by the router.
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
        let state = use_context::<AppState>()?;
        Some(Self::serving(state))
    }

    fn serving(state: AppState) -> Result<Self, AppError> {
        let head = use_context::<RequestHead>()
            .or_else(|| {
                with_context::<Parts, _>(|parts| {
                    RequestHead::of(&parts.headers, &parts.extensions, &state.cookies)
                })
            })
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
    pub fn authenticate(&self) -> Result<AccessClaims, AppError> {
        authenticate_token(&self.state, self.head.tokens.access.as_deref(), super::clock::now())
    }

    /// Who is signed in, from the access token alone (no database read).
    ///
    /// # Errors
    /// As [`Self::authenticate`].
    pub fn signed_in_status(&self) -> Result<AuthStatus, AppError> {
        let claims = self.authenticate()?;
        let id = claims.user_id().map_err(|_| AppError::Unauthenticated)?;
        Ok(AuthStatus { user: UserView { id, email: claims.email }, access_expires_at: claims.exp })
    }

    /// The access token's claims even if it has expired (signature still checked): used by
    /// logout to find the session to end.
    pub fn access_claims_ignoring_expiry(&self) -> Option<AccessClaims> {
        let token = self.head.tokens.access.as_deref()?;
        self.state.keys.verify(token, i64::MIN).ok()
    }

    /// The refresh token the browser sent, if it has the right shape.
    pub fn refresh_token(&self) -> Option<RefreshToken> {
        self.head.tokens.refresh.as_deref().and_then(RefreshToken::parse)
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

    /// Marks the response as never to be stored by any cache.
    pub fn no_store(&self) {
        self.response.insert_header(CACHE_CONTROL, HeaderValue::from_static("no-store"));
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
pub fn authenticate_token(state: &AppState, token: Option<&str>, now: i64) -> Result<AccessClaims, AppError> {
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
