//! `CurrentUser`: the signed-in caller of a request, from its access token.
//!
//! The `require_session` layer (`server::layers`) authenticates every request that is not
//! for a public server function or a static file, once, and leaves what it found in the
//! request's extensions (a [`Caller`]); it refuses a protected server function with 401 before
//! the function runs. So a server function or a page reads the caller without verifying
//! anything again:
//!
//! - `let user = current_user()?;` in a server function or while a page renders (it reads the
//!   request from the Leptos context that `leptos_axum` provides), or
//! - `let user: CurrentUser = leptos_axum::extract().await?;`, or `CurrentUser` as an axum
//!   extractor in a plain handler.

use std::convert::Infallible;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum_extra::extract::cookie::CookieJar;

use crate::auth::tokens::TokenError;
use crate::auth::wire::{AuthStatus, UserView};
use crate::auth::Auth;
use crate::error::AppError;

/// The signed-in caller: who they are and which session they are signed in with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentUser {
    pub id: i64,
    pub email: String,
    pub session_id: String,
    /// When the access token expires (Unix seconds).
    pub access_expires_at: i64,
    /// When the user last proved who they are in this session (the token's `auth_time`).
    pub auth_time: i64,
    /// The token's `email_verified`.
    pub email_verified: bool,
    /// The token's `second_factors`.
    pub second_factors: Vec<String>,
}

impl CurrentUser {
    /// The user as the access token describes them.
    pub fn view(&self) -> UserView {
        UserView {
            id: self.id,
            email: self.email.clone(),
            email_verified: self.email_verified,
            second_factors: self.second_factors.clone(),
        }
    }

    /// The user as the `me` endpoint shows them.
    pub fn status(&self) -> AuthStatus {
        AuthStatus { user: self.view(), access_expires_at: self.access_expires_at }
    }
}

/// What authenticating a request found, kept in its extensions.
#[derive(Debug, Clone)]
pub enum Caller {
    SignedIn(CurrentUser),
    /// Nobody is signed in, and why: no token, a bad one ([`AppError::Unauthenticated`]), an
    /// expired one ([`AppError::AccessExpired`]: a refresh may renew it) or one whose session
    /// ended ([`AppError::SessionEnded`]).
    Absent(AppError),
}

impl Caller {
    /// The caller as a result.
    ///
    /// # Errors
    /// Why nobody is signed in.
    pub fn into_user(self) -> Result<CurrentUser, AppError> {
        match self {
            Self::SignedIn(user) => Ok(user),
            Self::Absent(why) => Err(why),
        }
    }
}

/// Verifies the access cookie in `jar` and checks that its session has not ended.
pub fn authenticate(auth: &Auth, jar: &CookieJar) -> Caller {
    let Some(token) = auth.cookies.access(jar) else {
        return Caller::Absent(AppError::Unauthenticated);
    };
    let claims = match auth.keys.verify(token) {
        Ok(claims) => claims,
        Err(TokenError::Expired) => return Caller::Absent(AppError::AccessExpired),
        Err(reason) => {
            tracing::debug!(%reason, "access token refused");
            return Caller::Absent(AppError::Unauthenticated);
        }
    };
    if auth.revocations.is_revoked(&claims.sid) {
        return Caller::Absent(AppError::SessionEnded);
    }
    match claims.user_id() {
        Ok(id) => Caller::SignedIn(CurrentUser {
            id,
            email: claims.email,
            session_id: claims.sid,
            access_expires_at: claims.exp,
            auth_time: claims.auth_time,
            email_verified: claims.email_verified,
            second_factors: claims.second_factors,
        }),
        Err(_) => Caller::Absent(AppError::Unauthenticated),
    }
}

/// The caller of the request whose parts these are.
///
/// # Errors
/// Why nobody is signed in ([`AppError::Unauthenticated`] when the request was never
/// authenticated, as outside the router).
pub fn caller_of(parts: &Parts) -> Result<CurrentUser, AppError> {
    parts.extensions.get::<Caller>().cloned().map_or(Err(AppError::Unauthenticated), Caller::into_user)
}

/// The signed-in caller of the request being served: the one a server function answers, or
/// the one a page is being rendered for.
///
/// # Errors
/// Why nobody is signed in.
pub fn current_user() -> Result<CurrentUser, AppError> {
    leptos::prelude::with_context::<Parts, _>(caller_of).unwrap_or(Err(AppError::Unauthenticated))
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, AppError> {
        caller_of(parts)
    }
}

/// The caller, or why there is none, as an extractor that never rejects.
impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Infallible> {
        Ok(parts.extensions.get::<Caller>().cloned().unwrap_or(Caller::Absent(AppError::Unauthenticated)))
    }
}
