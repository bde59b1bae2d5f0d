//! Queries on `users`.

use sea_orm::sea_query::Expr;
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

/// Replaces the user's password hash.
///
/// # Errors
/// Database failure.
pub async fn set_password_hash(
    db: &impl ConnectionTrait,
    id: i64,
    password_hash: String,
) -> Result<(), DbErr> {
    Users::update_many()
        .col_expr(users::Column::PasswordHash, Expr::value(password_hash))
        .filter(users::Column::Id.eq(id))
        .exec(db)
        .await
        .map(|_| ())
}

/// Disables the user (`Some(when)`) or enables them again (`None`); returns whether they exist.
///
/// # Errors
/// Database failure.
pub async fn set_disabled(
    db: &impl ConnectionTrait,
    id: i64,
    disabled_at: Option<i64>,
) -> Result<bool, DbErr> {
    let updated = Users::update_many()
        .col_expr(users::Column::DisabledAt, Expr::value(disabled_at))
        .filter(users::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(updated.rows_affected == 1)
}

/// Deletes the user; the database deletes the rows that reference them (`ON DELETE CASCADE`).
///
/// # Errors
/// Database failure.
pub async fn delete_user(db: &impl ConnectionTrait, id: i64) -> Result<bool, DbErr> {
    Ok(Users::delete_by_id(id).exec(db).await?.rows_affected == 1)
}

/// Records that the user proved they read mail at their address (once: the first time stays).
///
/// # Errors
/// Database failure.
pub async fn mark_email_verified(db: &impl ConnectionTrait, id: i64, now: i64) -> Result<(), DbErr> {
    Users::update_many()
        .col_expr(users::Column::EmailVerifiedAt, Expr::value(now))
        .filter(users::Column::Id.eq(id))
        .filter(users::Column::EmailVerifiedAt.is_null())
        .exec(db)
        .await
        .map(|_| ())
}

/// Moves the user to `email`, proven read at `now` (a confirmed email change).
///
/// # Errors
/// Database failure, including a unique violation when another account has the address.
pub async fn set_email(db: &impl ConnectionTrait, id: i64, email: &str, now: i64) -> Result<bool, DbErr> {
    let updated = Users::update_many()
        .col_expr(users::Column::Email, Expr::value(email))
        .col_expr(users::Column::EmailVerifiedAt, Expr::value(now))
        .filter(users::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(updated.rows_affected == 1)
}
