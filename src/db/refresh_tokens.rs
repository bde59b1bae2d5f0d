//! Queries on `refresh_tokens`. Tokens are looked up by hash only.

use sea_orm::sea_query::{Expr, InsertStatement, OnConflict, Query, UpdateStatement};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, Insert, JoinType, QueryFilter,
    QueryResult, QuerySelect, QueryTrait, RelationTrait, Set,
};

use super::entities::refresh_tokens::{self, Entity as RefreshTokens};
use super::entities::{sessions, users};

/// A presented refresh token with what a refresh needs of its session and user: one query.
#[derive(Debug, Clone, FromQueryResult)]
pub struct TokenWithSession {
    pub token_id: i64,
    pub token_hash: Vec<u8>,
    pub token_expires_at: i64,
    pub token_rotated_at: Option<i64>,
    pub session_id: String,
    pub rotation_key: Vec<u8>,
    pub session_last_used_at: i64,
    pub session_expires_at: i64,
    pub session_revoked_at: Option<i64>,
    pub user_id: i64,
    pub email: String,
}

/// Looks tokens up by hash, each joined with its session and the session's user, in one
/// query; unknown hashes have no row.
///
/// # Errors
/// Database failure.
pub async fn find_many_with_session(
    db: &impl ConnectionTrait,
    token_hashes: &[Vec<u8>],
) -> Result<Vec<TokenWithSession>, DbErr> {
    RefreshTokens::find()
        .select_only()
        .column_as(refresh_tokens::Column::Id, "token_id")
        .column(refresh_tokens::Column::TokenHash)
        .column_as(refresh_tokens::Column::ExpiresAt, "token_expires_at")
        .column_as(refresh_tokens::Column::RotatedAt, "token_rotated_at")
        .column(refresh_tokens::Column::SessionId)
        .column(sessions::Column::RotationKey)
        .column_as(sessions::Column::LastUsedAt, "session_last_used_at")
        .column_as(sessions::Column::ExpiresAt, "session_expires_at")
        .column_as(sessions::Column::RevokedAt, "session_revoked_at")
        .column(sessions::Column::UserId)
        .column(users::Column::Email)
        .join(JoinType::InnerJoin, refresh_tokens::Relation::Session.def())
        .join(JoinType::InnerJoin, sessions::Relation::User.def())
        .filter(refresh_tokens::Column::TokenHash.is_in(token_hashes.iter().cloned()))
        .into_model::<TokenWithSession>()
        .all(db)
        .await
}

/// A refresh token to store (by hash).
#[derive(Debug, Clone)]
pub struct NewToken<'a> {
    pub session_id: &'a str,
    pub token_hash: Vec<u8>,
    pub created_at: i64,
    pub expires_at: i64,
}

/// Stores tokens (one statement for the whole batch), skipping any already stored. A successor
/// is derived from its parent token, so two writers of the same successor write the same row:
/// storing it is idempotent, and safe to do before the rotation is claimed.
///
/// # Errors
/// Database failure.
pub async fn store_tokens(db: &impl ConnectionTrait, tokens: &[NewToken<'_>]) -> Result<(), DbErr> {
    match store_tokens_statement(tokens) {
        Some(insert) => db.execute(&insert).await.map(|_| ()),
        None => Ok(()),
    }
}

/// The statement of [`store_tokens`]; `None` for no tokens.
pub(super) fn store_tokens_statement(tokens: &[NewToken<'_>]) -> Option<InsertStatement> {
    if tokens.is_empty() {
        return None;
    }
    let rows = tokens.iter().map(|t| refresh_tokens::ActiveModel {
        session_id: Set(t.session_id.to_owned()),
        token_hash: Set(t.token_hash.clone()),
        created_at: Set(t.created_at),
        expires_at: Set(t.expires_at),
        rotated_at: Set(None),
        ..Default::default()
    });
    let insert = Insert::many(rows)
        .on_conflict(OnConflict::column(refresh_tokens::Column::TokenHash).do_nothing().to_owned())
        .into_query();
    Some(insert)
}

/// # Errors
/// Database failure.
pub async fn find_by_hash(
    db: &impl ConnectionTrait,
    token_hash: &[u8],
) -> Result<Option<refresh_tokens::Model>, DbErr> {
    RefreshTokens::find().filter(refresh_tokens::Column::TokenHash.eq(token_hash.to_vec())).one(db).await
}

/// Marks tokens as exchanged (one statement for the whole batch), each only if nobody did so
/// first and its session has not been ended meanwhile: the linearisation point of rotation.
/// Returns the ids it marked: for each, the one caller that won.
///
/// `claims` are `(token id, session id)` pairs.
///
/// # Errors
/// Database failure.
pub async fn claim_rotations(
    db: &impl ConnectionTrait,
    claims: &[(i64, &str)],
    now: i64,
) -> Result<Vec<i64>, DbErr> {
    match claim_rotations_statement(claims, now) {
        Some(claim) => claimed_ids(db.query_all(&claim).await?),
        None => Ok(Vec::new()),
    }
}

/// The statement of [`claim_rotations`], returning the claimed ids; `None` for no claims.
pub(super) fn claim_rotations_statement(claims: &[(i64, &str)], now: i64) -> Option<UpdateStatement> {
    if claims.is_empty() {
        return None;
    }
    let live_sessions = Query::select()
        .column(sessions::Column::Id)
        .from(sessions::Entity)
        .and_where(sessions::Column::Id.is_in(claims.iter().map(|(_, session)| *session)))
        .and_where(sessions::Column::RevokedAt.is_null())
        .to_owned();
    let claim = RefreshTokens::update_many()
        .col_expr(refresh_tokens::Column::RotatedAt, Expr::value(now))
        .filter(refresh_tokens::Column::Id.is_in(claims.iter().map(|(id, _)| *id)))
        .filter(refresh_tokens::Column::RotatedAt.is_null())
        .filter(refresh_tokens::Column::SessionId.in_subquery(live_sessions))
        .into_query()
        .returning_col(refresh_tokens::Column::Id)
        .to_owned();
    Some(claim)
}

/// The token ids in the rows a claim returned.
pub(super) fn claimed_ids(rows: Vec<QueryResult>) -> Result<Vec<i64>, DbErr> {
    rows.iter().map(|row| row.try_get::<i64>("", "id")).collect()
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
