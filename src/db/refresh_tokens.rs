//! Queries on `refresh_tokens`. Tokens are looked up by hash only.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
    QuerySelect, Set,
};

use super::entities::refresh_tokens::{self, Entity as RefreshTokens};

/// # Errors
/// Database failure (a unique violation if the same hash is inserted twice).
pub async fn insert_refresh_token(
    db: &impl ConnectionTrait,
    session_id: &str,
    token_hash: Vec<u8>,
    now: i64,
    expires_at: i64,
) -> Result<(), DbErr> {
    refresh_tokens::ActiveModel {
        session_id: Set(session_id.to_owned()),
        token_hash: Set(token_hash),
        created_at: Set(now),
        expires_at: Set(expires_at),
        rotated_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
    .map(|_| ())
}

/// # Errors
/// Database failure.
pub async fn find_by_hash(
    db: &impl ConnectionTrait,
    token_hash: &[u8],
) -> Result<Option<refresh_tokens::Model>, DbErr> {
    RefreshTokens::find().filter(refresh_tokens::Column::TokenHash.eq(token_hash.to_vec())).one(db).await
}

/// Marks a token as exchanged, only if nobody did so first: the linearisation point of rotation.
/// Returns `true` for the one caller that won.
///
/// # Errors
/// Database failure.
pub async fn claim_rotation(db: &impl ConnectionTrait, id: i64, now: i64) -> Result<bool, DbErr> {
    let result = RefreshTokens::update_many()
        .col_expr(refresh_tokens::Column::RotatedAt, Expr::value(now))
        .filter(refresh_tokens::Column::Id.eq(id))
        .filter(refresh_tokens::Column::RotatedAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Deletes up to `limit` refresh tokens that expired before `expired_before`; returns how many.
///
/// # Errors
/// Database failure.
pub async fn delete_expired_tokens(
    db: &impl ConnectionTrait,
    expired_before: i64,
    limit: u64,
) -> Result<u64, DbErr> {
    let ids: Vec<i64> = RefreshTokens::find()
        .select_only()
        .column(refresh_tokens::Column::Id)
        .filter(refresh_tokens::Column::ExpiresAt.lt(expired_before))
        .limit(limit)
        .into_tuple()
        .all(db)
        .await?;
    if ids.is_empty() {
        return Ok(0);
    }
    let result = RefreshTokens::delete_many().filter(refresh_tokens::Column::Id.is_in(ids)).exec(db).await?;
    Ok(result.rows_affected)
}

/// Refresh tokens of one session that have not been rotated (live or merely expired).
///
/// # Errors
/// Database failure.
pub async fn count_unrotated_tokens(db: &impl ConnectionTrait, session_id: &str) -> Result<u64, DbErr> {
    RefreshTokens::find()
        .filter(refresh_tokens::Column::SessionId.eq(session_id))
        .filter(refresh_tokens::Column::RotatedAt.is_null())
        .count(db)
        .await
}
