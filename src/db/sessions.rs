//! Queries on `sessions`.

use sea_orm::sea_query::{Expr, UpdateStatement};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, Set,
};

use super::entities::refresh_tokens;
use super::entities::sessions::{self, Entity as Sessions};

/// Fields of a new session row.
pub struct NewSession<'a> {
    pub id: &'a str,
    pub user_id: i64,
    pub rotation_key: Vec<u8>,
    pub now: i64,
    pub expires_at: i64,
    pub user_agent: &'a str,
    pub ip: &'a str,
}

/// # Errors
/// Database failure.
#[tracing::instrument(skip_all, fields(user_id = new.user_id))]
pub async fn insert_session(db: &impl ConnectionTrait, new: NewSession<'_>) -> Result<(), DbErr> {
    sessions::ActiveModel {
        id: Set(new.id.to_owned()),
        user_id: Set(new.user_id),
        rotation_key: Set(new.rotation_key),
        created_at: Set(new.now),
        last_used_at: Set(new.now),
        expires_at: Set(new.expires_at),
        user_agent: Set(new.user_agent.to_owned()),
        ip: Set(new.ip.to_owned()),
        revoked_at: Set(None),
        revoke_reason: Set(None),
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

/// One use of a session: from which device and address.
#[derive(Debug, Clone, Copy)]
pub struct SessionUse<'a> {
    pub id: &'a str,
    pub user_agent: &'a str,
    pub ip: &'a str,
}

/// Records uses of sessions (one statement for the whole batch): when and from where each
/// session was last used. Ended sessions are left as they are. Of two uses of one session, the
/// first one's device and address are kept.
///
/// # Errors
/// Database failure.
pub async fn touch_sessions(
    db: &impl ConnectionTrait,
    uses: &[SessionUse<'_>],
    now: i64,
) -> Result<(), DbErr> {
    match touch_sessions_statement(uses, now) {
        Some(touch) => db.execute(&touch).await.map(|_| ()),
        None => Ok(()),
    }
}

/// The statement of [`touch_sessions`]; `None` for no uses.
pub(super) fn touch_sessions_statement<'a>(uses: &[SessionUse<'a>], now: i64) -> Option<UpdateStatement> {
    let first = uses.first()?;
    let per_session = |value: fn(&SessionUse<'a>) -> &'a str| {
        uses[1..].iter().fold(Expr::case(sessions::Column::Id.eq(first.id), value(first)), |case, u| {
            case.case(sessions::Column::Id.eq(u.id), value(u))
        })
    };
    let touch = Sessions::update_many()
        .col_expr(sessions::Column::LastUsedAt, Expr::value(now))
        .col_expr(sessions::Column::UserAgent, per_session(|u| u.user_agent).into())
        .col_expr(sessions::Column::Ip, per_session(|u| u.ip).into())
        .filter(sessions::Column::Id.is_in(uses.iter().map(|u| u.id)))
        .filter(sessions::Column::RevokedAt.is_null())
        .into_query();
    Some(touch)
}

/// Ends the given sessions (those not ended already) and returns the ids it ended.
///
/// # Errors
/// Database failure.
#[tracing::instrument(skip(db, ids), fields(count = ids.len()))]
pub async fn revoke_sessions(
    db: &impl ConnectionTrait,
    ids: &[String],
    now: i64,
    reason: &str,
) -> Result<u64, DbErr> {
    if ids.is_empty() {
        return Ok(0);
    }
    let result = Sessions::update_many()
        .col_expr(sessions::Column::RevokedAt, Expr::value(now))
        .col_expr(sessions::Column::RevokeReason, Expr::value(reason))
        .filter(sessions::Column::Id.is_in(ids.iter().cloned()))
        .filter(sessions::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected)
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

/// Ids and revocation times of sessions revoked at or after `since`.
///
/// # Errors
/// Database failure.
pub async fn revoked_since(db: &impl ConnectionTrait, since: i64) -> Result<Vec<(String, i64)>, DbErr> {
    Sessions::find()
        .select_only()
        .column(sessions::Column::Id)
        .column(sessions::Column::RevokedAt)
        .filter(sessions::Column::RevokedAt.gte(since))
        .into_tuple::<(String, i64)>()
        .all(db)
        .await
}

/// Revoke a session only if it belongs to `user_id`; returns whether one was revoked.
///
/// # Errors
/// Database failure.
pub async fn revoke_owned_session(
    db: &impl ConnectionTrait,
    user_id: i64,
    id: &str,
    now: i64,
    reason: &str,
) -> Result<bool, DbErr> {
    let result = Sessions::update_many()
        .col_expr(sessions::Column::RevokedAt, Expr::value(now))
        .col_expr(sessions::Column::RevokeReason, Expr::value(reason))
        .filter(sessions::Column::Id.eq(id))
        .filter(sessions::Column::UserId.eq(user_id))
        .filter(sessions::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Up to `limit` ids of sessions that ended (revoked, past their absolute lifetime, or idle)
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
                .add(sessions::Column::LastUsedAt.lt(ended_before - idle_timeout)),
        )
        .limit(limit)
        .into_tuple()
        .all(db)
        .await
}

/// Deletes sessions (their refresh tokens go with them: `ON DELETE CASCADE`).
///
/// # Errors
/// Database failure.
pub async fn delete_sessions(db: &impl ConnectionTrait, ids: &[String]) -> Result<u64, DbErr> {
    refresh_tokens::Entity::delete_many()
        .filter(refresh_tokens::Column::SessionId.is_in(ids.iter().cloned()))
        .exec(db)
        .await?;
    let result =
        Sessions::delete_many().filter(sessions::Column::Id.is_in(ids.iter().cloned())).exec(db).await?;
    Ok(result.rows_affected)
}
