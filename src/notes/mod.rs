//! Notes: the worked example of a protected feature that a fork copies (README, "Add a
//! protected page and server function"). A note is a short text only its author can see.
//!
//! The server functions are under `/api/notes`, not listed as public, so the session layer
//! refuses them with 401 before they run for anyone signed out. Each reads the app's state
//! with `use_context` and the caller with `current_user()`, as any server function of a fork
//! does; the page is `pages/notes.rs`.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[cfg(feature = "ssr")]
pub mod service;

/// One note, as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub id: i64,
    pub body: String,
    /// RFC 3339.
    pub created_at: String,
}

/// The signed-in user's notes, newest first.
#[server(prefix = "/api/notes", endpoint = "list", input = GetUrl)]
pub async fn list_notes() -> Result<Vec<Note>, AppError> {
    let state = use_context::<crate::server::state::AppState>().ok_or(AppError::Internal)?;
    service::list(&state.db, &crate::auth::current_user()?).await
}

/// Adds a note for the signed-in user. A plain HTML form post comes back to the notes page.
#[server(prefix = "/api/notes", endpoint = "add")]
pub async fn add_note(body: String) -> Result<Note, AppError> {
    let state = use_context::<crate::server::state::AppState>().ok_or(AppError::Internal)?;
    let note = service::add(&state.db, &crate::auth::current_user()?, &body).await?;
    crate::auth::transport::respond::redirect_plain_form("/notes");
    Ok(note)
}

/// Deletes one of the signed-in user's notes (404 if it is not theirs).
#[server(prefix = "/api/notes", endpoint = "delete")]
pub async fn delete_note(id: i64) -> Result<(), AppError> {
    let state = use_context::<crate::server::state::AppState>().ok_or(AppError::Internal)?;
    service::delete(&state.db, &crate::auth::current_user()?, id).await?;
    crate::auth::transport::respond::redirect_plain_form("/notes");
    Ok(())
}
