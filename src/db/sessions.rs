//! Queries on `sessions`.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, JoinType,
    QueryFilter, QueryOrder, QuerySelect, RelationTrait, Set,
};

use super::entities::sessions::{self, Entity as Sessions};
use super::entities::users;

/// Fields of a new session row.
pub struct NewSession<'a> {
    pub id: &'a str,
    pub user_id: i64,
    pub rotation_key: Vec<u8>,
    pub now: i64,
    pub expires_at: i64,
    pub user_agent: &'a str,
    pub ip: &'a str,
    /// Hash of the session's first refresh token (generation 0).
    pub refresh_hash: Vec<u8>,
    pub refresh_expires_at: i64,
    /// How the user proved who they are (space-separated `amr` values).
    pub auth_methods: &'a str,
    /// When the user proved it (a replacement session keeps its predecessor's start).
    pub created_at: i64,
    pub remember: bool,
}

/// # Errors
/// Database failure.
#[tracing::instrument(skip_all, fields(user_id = new.user_id))]
pub async fn insert_session(db: &impl ConnectionTrait, new: NewSession<'_>) -> Result<(), DbErr> {
    sessions::ActiveModel {
        id: Set(new.id.to_owned()),
        user_id: Set(new.user_id),
        rotation_key: Set(new.rotation_key),
        created_at: Set(new.created_at),
        last_used_at: Set(new.now),
        expires_at: Set(new.expires_at),
        user_agent: Set(new.user_agent.to_owned()),
        ip: Set(new.ip.to_owned()),
        revoked_at: Set(None),
        revoke_reason: Set(None),
        refresh_hash: Set(Some(new.refresh_hash)),
        refresh_generation: Set(0),
        refresh_issued_at: Set(new.now),
        refresh_expires_at: Set(new.refresh_expires_at),
        authenticated_at: Set(new.now),
        auth_methods: Set(new.auth_methods.to_owned()),
        remember: Set(new.remember),
    }
    .insert(db)
    .await
    .map(|_| ())
}

/// # Errors
/// Database failure.
pub async fn find_session(db: &impl ConnectionTrait, id: &str) -> Result<Option<sessions::Model>, DbErr> {
    Sessions::find_by_id(id.to_owned()).one(db).await
}

/// What a refresh needs of a session and its user: one query.
#[derive(Debug, Clone, FromQueryResult)]
pub struct SessionForRefresh {
    pub session_id: String,
    pub user_id: i64,
    pub email: String,
    pub rotation_key: Vec<u8>,
    pub refresh_hash: Option<Vec<u8>>,
    pub refresh_generation: i64,
    pub refresh_issued_at: i64,
    pub refresh_expires_at: i64,
    pub last_used_at: i64,
    pub expires_at: i64,
    pub revoked_at: Option<i64>,
    pub authenticated_at: i64,
    pub auth_methods: String,
    pub remember: bool,
    pub email_verified_at: Option<i64>,
    pub totp_enabled_at: Option<i64>,
    /// Whether the user has a passkey.
    pub has_passkey: bool,
}

/// Looks sessions up by id, each joined with its user, in one query; unknown ids have no row.
///
/// # Errors
/// Database failure.
pub async fn find_for_refresh(
    db: &impl ConnectionTrait,
    ids: &[String],
) -> Result<Vec<SessionForRefresh>, DbErr> {
    Sessions::find()
        .select_only()
        .column_as(sessions::Column::Id, "session_id")
        .column(sessions::Column::UserId)
        .column(users::Column::Email)
        .column(sessions::Column::RotationKey)
        .column(sessions::Column::RefreshHash)
        .column(sessions::Column::RefreshGeneration)
        .column(sessions::Column::RefreshIssuedAt)
        .column(sessions::Column::RefreshExpiresAt)
        .column(sessions::Column::LastUsedAt)
        .column(sessions::Column::ExpiresAt)
        .column(sessions::Column::RevokedAt)
        .column(sessions::Column::AuthenticatedAt)
        .column(sessions::Column::AuthMethods)
        .column(sessions::Column::Remember)
        .column(users::Column::EmailVerifiedAt)
        .column(users::Column::TotpEnabledAt)
        .expr_as(super::passkeys::has_passkey_expr((Sessions, sessions::Column::UserId)), "has_passkey")
        .join(JoinType::InnerJoin, sessions::Relation::User.def())
        .filter(sessions::Column::Id.is_in(ids.iter().cloned()))
        // A disabled user's sessions were ended; one a racing sign-in started is refused too.
        .filter(users::Column::DisabledAt.is_null())
        .into_model::<SessionForRefresh>()
        .all(db)
        .await
}

/// Sessions of one user that have not been revoked, newest first (expiry is judged by the caller).
///
/// # Errors
/// Database failure.
pub async fn list_unrevoked_sessions(
    db: &impl ConnectionTrait,
    user_id: i64,
) -> Result<Vec<sessions::Model>, DbErr> {
    Sessions::find()
        .filter(sessions::Column::UserId.eq(user_id))
        .filter(sessions::Column::RevokedAt.is_null())
        .order_by_desc(sessions::Column::LastUsedAt)
        .all(db)
        .await
}

/// Up to `limit` ids of sessions that ended (revoked, past their absolute lifetime, idle, or
/// with a refresh token that expired unused)
/// before `ended_before`: nothing can use them any more.
///
/// # Errors
/// Database failure.
pub async fn dead_session_ids(
    db: &impl ConnectionTrait,
    ended_before: i64,
    idle_timeout: i64,
    limit: u64,
) -> Result<Vec<String>, DbErr> {
    Sessions::find()
        .select_only()
        .column(sessions::Column::Id)
        .filter(
            Condition::any()
                .add(sessions::Column::RevokedAt.lt(ended_before))
                .add(sessions::Column::ExpiresAt.lt(ended_before))
                .add(sessions::Column::LastUsedAt.lt(ended_before - idle_timeout))
                .add(sessions::Column::RefreshExpiresAt.lt(ended_before)),
        )
        .limit(limit)
        .into_tuple()
        .all(db)
        .await
}

/// Deletes sessions (with them, the only trace of their refresh tokens).
///
/// # Errors
/// Database failure.
pub async fn delete_sessions(db: &impl ConnectionTrait, ids: &[String]) -> Result<u64, DbErr> {
    let result =
        Sessions::delete_many().filter(sessions::Column::Id.is_in(ids.iter().cloned())).exec(db).await?;
    Ok(result.rows_affected)
}

/// Records that the user of the live session `id` just proved who they are again; returns
/// whether the session was live.
///
/// # Errors
/// Database failure.
pub async fn mark_authenticated(
    db: &impl ConnectionTrait,
    id: &str,
    now: i64,
    methods: &str,
) -> Result<bool, DbErr> {
    let updated = Sessions::update_many()
        .col_expr(sessions::Column::AuthenticatedAt, Expr::value(now))
        .col_expr(sessions::Column::AuthMethods, Expr::value(methods))
        .filter(sessions::Column::Id.eq(id))
        .filter(sessions::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(updated.rows_affected == 1)
}

/// Deletes every session of a user (ended already: the revocation log keeps what other
/// instances need).
///
/// # Errors
/// Database failure.
pub async fn delete_sessions_of(db: &impl ConnectionTrait, user_id: i64) -> Result<u64, DbErr> {
    Ok(Sessions::delete_many().filter(sessions::Column::UserId.eq(user_id)).exec(db).await?.rows_affected)
}
