//! Queries on `password_reset_tokens`: store a token's hash, find and consume one, forget a
//! user's.

use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};

use super::entities::password_reset_tokens::{self, Column, Entity as ResetTokens};

/// # Errors
/// Database failure.
pub async fn insert_reset_token(
    db: &impl ConnectionTrait,
    token_hash: Vec<u8>,
    user_id: i64,
    now: i64,
    expires_at: i64,
) -> Result<(), DbErr> {
    password_reset_tokens::ActiveModel {
        token_hash: Set(token_hash),
        user_id: Set(user_id),
        created_at: Set(now),
        expires_at: Set(expires_at),
        used_at: Set(None),
    }
    .insert(db)
    .await
    .map(|_| ())
}

/// The user a token is for, if it is unused and unexpired at `now`.
///
/// # Errors
/// Database failure.
pub async fn find_usable_token(
    db: &impl ConnectionTrait,
    token_hash: &[u8],
    now: i64,
) -> Result<Option<i64>, DbErr> {
    let found = ResetTokens::find_by_id(token_hash.to_vec())
        .filter(Column::UsedAt.is_null())
        .filter(Column::ExpiresAt.gt(now))
        .one(db)
        .await?;
    Ok(found.map(|t| t.user_id))
}

/// Uses the token (one conditional update: of two requests with one token, one wins); returns
/// whether this call did.
///
/// # Errors
/// Database failure.
pub async fn consume_token(db: &impl ConnectionTrait, token_hash: &[u8], now: i64) -> Result<bool, DbErr> {
    let used = ResetTokens::update_many()
        .col_expr(Column::UsedAt, Expr::value(now))
        .filter(Column::TokenHash.eq(token_hash.to_vec()))
        .filter(Column::UsedAt.is_null())
        .filter(Column::ExpiresAt.gt(now))
        .exec(db)
        .await?;
    Ok(used.rows_affected == 1)
}

/// Deletes every reset token of the user (after the password changed).
///
/// # Errors
/// Database failure.
pub async fn forget_reset_tokens(db: &impl ConnectionTrait, user_id: i64) -> Result<u64, DbErr> {
    Ok(ResetTokens::delete_many().filter(Column::UserId.eq(user_id)).exec(db).await?.rows_affected)
}

/// Deletes tokens that expired before `before`; returns how many.
///
/// # Errors
/// Database failure.
pub async fn purge_reset_tokens(db: &impl ConnectionTrait, before: i64) -> Result<u64, DbErr> {
    Ok(ResetTokens::delete_many().filter(Column::ExpiresAt.lt(before)).exec(db).await?.rows_affected)
}
