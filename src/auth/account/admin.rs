//! Operator tasks behind the admin CLI: plain functions over the database, no HTTP.

use sea_orm::{DatabaseConnection, DbErr, TransactionTrait};

use super::signup::create_account;
use crate::auth::audit::{record, AuditKind};
use crate::auth::clock::now;
use crate::auth::transport::client::ClientMeta;
use crate::db::entities::{sessions::Model as SessionRow, users::Model as UserRow};
use crate::db::revocations::{end_sessions, Ending};
use crate::db::sessions::list_unrevoked_sessions;
use crate::db::users::{find_user_by_email, set_disabled};
use crate::error::AppError;

/// Why an admin task failed, in words for an operator.
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error("{0}")]
    Refused(AppError),
    #[error("no user with email {0:?}")]
    NoSuchUser(String),
    #[error("{0}")]
    Input(String),
    #[error("database: {0}")]
    Database(#[from] DbErr),
}

impl From<AppError> for AdminError {
    fn from(err: AppError) -> Self {
        Self::Refused(err)
    }
}

/// Creates an account, with the same rules as registration.
///
/// # Errors
/// Invalid email or password, email taken, database failure.
pub async fn create_user(
    db: &DatabaseConnection,
    email: &str,
    password: String,
) -> Result<UserRow, AdminError> {
    Ok(create_account(db, email, password).await?)
}

/// The user's sessions that were not revoked (newest use first), live or not.
///
/// # Errors
/// Unknown user, database failure.
pub async fn sessions_of(db: &DatabaseConnection, email: &str) -> Result<Vec<SessionRow>, AdminError> {
    let user = user_by_email(db, email).await?;
    Ok(list_unrevoked_sessions(db, user.id).await?)
}

/// Revokes every session of the user; running servers refuse their tokens within a second.
/// Returns how many sessions were ended.
///
/// # Errors
/// Unknown user, database failure.
pub async fn revoke_all_sessions(db: &DatabaseConnection, email: &str) -> Result<usize, AdminError> {
    let user = user_by_email(db, email).await?;
    let ended = end_sessions(db, Ending::AllOf { user_id: user.id, except: None }, now(), "admin").await?;
    record(db, AuditKind::LogoutAll, Some(user.id), None, None, &ClientMeta::operator()).await;
    Ok(ended.len())
}

/// Disables the user: their sessions end (running servers refuse their tokens within a
/// second) and sign-in is refused with the same answer as a wrong password, until
/// [`enable_user`]. Returns the user's email and how many sessions were ended.
///
/// # Errors
/// Unknown user, database failure (then nothing changed).
pub async fn disable_user(db: &DatabaseConnection, email: &str) -> Result<(String, usize), AdminError> {
    let user = user_by_email(db, email).await?;
    let now = now();
    let txn = db.begin().await?;
    set_disabled(&txn, user.id, Some(now)).await?;
    let ended = end_sessions(&txn, Ending::AllOf { user_id: user.id, except: None }, now, "disabled").await?;
    txn.commit().await?;
    record(db, AuditKind::Disabled, Some(user.id), None, None, &ClientMeta::operator()).await;
    Ok((user.email, ended.len()))
}

/// Lets a disabled user sign in again; returns their email.
///
/// # Errors
/// Unknown user, database failure.
pub async fn enable_user(db: &DatabaseConnection, email: &str) -> Result<String, AdminError> {
    let user = user_by_email(db, email).await?;
    set_disabled(db, user.id, None).await?;
    record(db, AuditKind::Enabled, Some(user.id), None, None, &ClientMeta::operator()).await;
    Ok(user.email)
}

async fn user_by_email(db: &DatabaseConnection, email: &str) -> Result<UserRow, AdminError> {
    let normalized = email.trim().to_lowercase();
    find_user_by_email(db, &normalized).await?.ok_or(AdminError::NoSuchUser(normalized))
}
