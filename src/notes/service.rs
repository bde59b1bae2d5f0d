//! What the notes server functions do, with plain arguments (testable without HTTP).

use sea_orm::DatabaseConnection;

use super::Note;
use crate::auth::clock::{now, rfc3339};
use crate::auth::CurrentUser;
use crate::db::entities::notes;
use crate::db::notes::{delete_note, insert_note, notes_of};
use crate::error::AppError;

/// The longest note, in characters.
pub const NOTE_MAX_CHARS: usize = 500;
/// The most notes a page shows.
pub const NOTES_SHOWN: u64 = 100;

/// # Errors
/// Database failure.
pub async fn list(db: &DatabaseConnection, user: &CurrentUser) -> Result<Vec<Note>, AppError> {
    Ok(notes_of(db, user.id, NOTES_SHOWN).await?.into_iter().map(to_note).collect())
}

/// # Errors
/// [`AppError::InvalidInput`] for an empty, too long or unprintable note; database failure.
pub async fn add(db: &DatabaseConnection, user: &CurrentUser, body: &str) -> Result<Note, AppError> {
    let body = body.trim();
    if body.is_empty() || body.chars().count() > NOTE_MAX_CHARS {
        return Err(AppError::InvalidInput(format!("Write between 1 and {NOTE_MAX_CHARS} characters.")));
    }
    if body.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(AppError::InvalidInput("A note cannot hold control characters.".into()));
    }
    Ok(to_note(insert_note(db, user.id, body, now()).await?))
}

/// # Errors
/// [`AppError::NotFound`] when the user has no such note; database failure.
pub async fn delete(db: &DatabaseConnection, user: &CurrentUser, id: i64) -> Result<(), AppError> {
    if delete_note(db, user.id, id).await? {
        Ok(())
    } else {
        Err(AppError::NotFound("No such note.".into()))
    }
}

fn to_note(row: notes::Model) -> Note {
    Note { id: row.id, body: row.body, created_at: rfc3339(row.created_at) }
}
