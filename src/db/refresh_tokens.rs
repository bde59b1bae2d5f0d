//! Queries on `refresh_tokens`. Tokens are looked up by hash only.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
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
    RefreshTokens::find()
        .filter(refresh_tokens::Column::TokenHash.eq(token_hash.to_vec()))
        .one(db)
        .await
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
