//! Queries on `email_tokens`: store a token's hash, look one up, use one up, forget a user's, purge.

use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};

use super::entities::email_tokens::{self, Column, Entity as EmailTokens};

/// A token to store.
#[derive(Debug)]
pub struct NewEmailToken<'a> {
    pub token_hash: Vec<u8>,
    pub purpose: &'a str,
    pub user_id: i64,
    pub email: &'a str,
    pub now: i64,
    pub expires_at: i64,
    /// The session the token is about (a new-device notice's).
    pub session_id: Option<&'a str>,
}

/// # Errors
/// Database failure.
pub async fn insert_email_token(db: &impl ConnectionTrait, new: NewEmailToken<'_>) -> Result<(), DbErr> {
    email_tokens::ActiveModel {
        token_hash: Set(new.token_hash),
        purpose: Set(new.purpose.to_owned()),
        user_id: Set(new.user_id),
        email: Set(new.email.to_owned()),
        created_at: Set(new.now),
        expires_at: Set(new.expires_at),
        used_at: Set(None),
        session_id: Set(new.session_id.map(str::to_owned)),
    }
    .insert(db)
    .await
    .map(|_| ())
}

/// The unused, unexpired token of `purpose` with this hash, without using it up.
///
/// # Errors
/// Database failure.
pub async fn find_usable_email_token(
    db: &impl ConnectionTrait,
    token_hash: &[u8],
    purpose: &str,
    now: i64,
) -> Result<Option<email_tokens::Model>, DbErr> {
    EmailTokens::find_by_id(token_hash.to_vec())
        .filter(Column::Purpose.eq(purpose))
        .filter(Column::UsedAt.is_null())
        .filter(Column::ExpiresAt.gt(now))
        .one(db)
        .await
}

/// Uses up an unused, unexpired token of `purpose` (one conditional update: of two requests
/// with one token, one wins); returns it if this call did.
///
/// # Errors
/// Database failure.
pub async fn consume_email_token(
    db: &impl ConnectionTrait,
    token_hash: &[u8],
    purpose: &str,
    now: i64,
) -> Result<Option<email_tokens::Model>, DbErr> {
    let used = EmailTokens::update_many()
        .col_expr(Column::UsedAt, Expr::value(now))
        .filter(Column::TokenHash.eq(token_hash.to_vec()))
        .filter(Column::Purpose.eq(purpose))
        .filter(Column::UsedAt.is_null())
        .filter(Column::ExpiresAt.gt(now))
        .exec(db)
        .await?;
    if used.rows_affected != 1 {
        return Ok(None);
    }
    EmailTokens::find_by_id(token_hash.to_vec()).one(db).await
}

/// Deletes the user's tokens of these purposes (links that must stop working); returns how many.
///
/// # Errors
/// Database failure.
pub async fn forget_email_tokens(
    db: &impl ConnectionTrait,
    user_id: i64,
    purposes: &[&str],
) -> Result<u64, DbErr> {
    let deleted = EmailTokens::delete_many()
        .filter(Column::UserId.eq(user_id))
        .filter(Column::Purpose.is_in(purposes.iter().copied()))
        .exec(db)
        .await?;
    Ok(deleted.rows_affected)
}

/// Deletes tokens that expired before `before`; returns how many.
///
/// # Errors
/// Database failure.
pub async fn purge_email_tokens(db: &impl ConnectionTrait, before: i64) -> Result<u64, DbErr> {
    Ok(EmailTokens::delete_many().filter(Column::ExpiresAt.lt(before)).exec(db).await?.rows_affected)
}
