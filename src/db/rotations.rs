//! Rotating the refresh tokens of many sessions in one statement.
//!
//! A rotation replaces a session's current token by its successor, notes when and from where
//! the session was used, and is *claimed* by its condition: the session is live and still at
//! the generation the caller read. Of two callers that read the same generation (two tabs, two
//! instances), exactly one claims it; the other finds the token just rotated. One `UPDATE` does
//! all of this for a whole batch of sessions, on SQLite and PostgreSQL alike; being one
//! statement, each rotation is atomic.

use sea_orm::sea_query::{Expr, ExprTrait, Query, UpdateStatement};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryTrait, Value};

use super::entities::sessions::{Column, Entity as Sessions};

/// One session's rotation.
#[derive(Debug, Clone)]
pub struct SessionRotation<'a> {
    pub session_id: &'a str,
    /// The generation the caller read: the rotation is claimed only if it is still current.
    pub from_generation: i64,
    pub successor_hash: Vec<u8>,
    pub successor_expires_at: i64,
    pub user_agent: &'a str,
    pub ip: &'a str,
}

/// Rotates every session of `rotations` that is live and still at its `from_generation`.
/// Returns, of each session it rotated, its id and new generation.
///
/// Of two rotations of one session from the same generation, the first one's values are
/// written.
///
/// # Errors
/// Database failure (then nothing was written).
pub async fn rotate_sessions(
    db: &impl ConnectionTrait,
    rotations: &[SessionRotation<'_>],
    now: i64,
) -> Result<Vec<(String, i64)>, DbErr> {
    let Some(statement) = rotation_statement(rotations, now) else {
        return Ok(Vec::new());
    };
    db.query_all(&statement)
        .await?
        .iter()
        .map(|row| Ok((row.try_get::<String>("", "id")?, row.try_get::<i64>("", "refresh_generation")?)))
        .collect()
}

/// The statement [`rotate_sessions`] runs (`None` for no rotations). Public for the test that
/// checks how the database finds its rows: through the primary key, never by reading every
/// live session.
pub fn rotation_statement(rotations: &[SessionRotation<'_>], now: i64) -> Option<UpdateStatement> {
    let (first, rest) = rotations.split_first()?;
    let claimed = |r: &SessionRotation<'_>| {
        Condition::all().add(Column::Id.eq(r.session_id)).add(Column::RefreshGeneration.eq(r.from_generation))
    };
    // Each column's new value, per claimed row; `ELSE` keeps it (no row outside a claim is
    // updated, but the statement does not rely on the two lists agreeing).
    let per_row = |column: Column, value: fn(&SessionRotation<'_>) -> Value| -> Expr {
        rest.iter()
            .fold(Expr::case(claimed(first), value(first)), |case, r| case.case(claimed(r), value(r)))
            .finally(Expr::col(column))
            .into()
    };
    let statement = Sessions::update_many()
        .col_expr(Column::RefreshHash, per_row(Column::RefreshHash, |r| r.successor_hash.clone().into()))
        .col_expr(
            Column::RefreshExpiresAt,
            per_row(Column::RefreshExpiresAt, |r| r.successor_expires_at.into()),
        )
        .col_expr(Column::UserAgent, per_row(Column::UserAgent, |r| r.user_agent.into()))
        .col_expr(Column::Ip, per_row(Column::Ip, |r| r.ip.into()))
        .col_expr(Column::RefreshGeneration, Expr::col(Column::RefreshGeneration).add(1))
        .col_expr(Column::RefreshIssuedAt, Expr::value(now))
        .col_expr(Column::LastUsedAt, Expr::value(now))
        .filter(Column::RevokedAt.is_null())
        .filter(rotations.iter().fold(Condition::any(), |any, r| any.add(claimed(r))))
        .into_query()
        .returning(Query::returning().columns([Column::Id, Column::RefreshGeneration]))
        .to_owned();
    Some(statement)
}
