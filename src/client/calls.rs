//! The server calls that the part of the app every page loads can make, each behind a split
//! point (`#[lazy]`). With `cargo leptos build --split`, their code, and the server-function
//! client machinery under it (request building, fetch, response and error decoding), is a
//! separate WASM chunk fetched the first time one of them runs: usually never before the first
//! refresh, and never for a page that only shows who is signed in.
//!
//! Without `--split` (and on the server) these are ordinary async functions.

use leptos::lazy;

use crate::auth::server_fns::{logout, me, refresh};
use crate::auth::types::{AuthStatus, RefreshStatus};
use crate::error::AppError;

/// `me`: who the access cookie says is signed in.
#[lazy]
pub async fn who_is_signed_in() -> Result<AuthStatus, AppError> {
    me().await
}

/// `refresh`: rotates the refresh token and renews the access token.
#[lazy]
pub async fn renew_session() -> Result<RefreshStatus, AppError> {
    refresh().await
}

/// `logout`: ends this browser's session on the server.
#[lazy]
pub async fn end_this_session() -> Result<(), AppError> {
    logout().await
}
