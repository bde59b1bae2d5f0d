//! Queries on `users`.

use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};

use super::entities::users::{self, Entity as Users};

/// # Errors
/// Database failure, including a unique violation when the email is taken.
#[tracing::instrument(skip(db, password_hash))]
pub async fn insert_user(
    db: &impl ConnectionTrait,
    email: &str,
    password_hash: String,
    now: i64,
) -> Result<users::Model, DbErr> {
    users::ActiveModel {
        email: Set(email.to_owned()),
        password_hash: Set(password_hash),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// # Errors
/// Database failure.
#[tracing::instrument(skip(db))]
pub async fn find_user_by_email(
    db: &impl ConnectionTrait,
    email: &str,
) -> Result<Option<users::Model>, DbErr> {
    Users::find().filter(users::Column::Email.eq(email)).one(db).await
}

/// # Errors
/// Database failure.
pub async fn find_user_by_id(db: &impl ConnectionTrait, id: i64) -> Result<Option<users::Model>, DbErr> {
    Users::find_by_id(id).one(db).await
}
