//! Ending sessions, and the log every instance reads to learn of it.
//!
//! [`end_sessions`] revokes sessions and appends one `revocation_log` row per session it ended,
//! in one transaction. The log's `seq` is assigned by the database, and on PostgreSQL the
//! transaction first takes an advisory lock, so rows become visible in `seq` order: a reader
//! that resumes after the last `seq` it saw ([`revocations_after`]) never skips one, whatever
//! the clocks of the instances say and however long it could not read. (On SQLite, writers are
//! serialised anyway.)

use sea_orm::sea_query::{Expr, UpdateStatement};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, Set, TransactionSession, TransactionTrait,
};

use super::entities::revocation_log::{self, Entity as RevocationLog};
use super::entities::sessions::{self, Entity as Sessions};

/// Which sessions to end.
#[derive(Debug, Clone, Copy)]
pub enum Ending<'a> {
    /// These sessions, whoever owns them.
    Ids(&'a [String]),
    /// One session, only if `user_id` owns it.
    OwnedBy { user_id: i64, id: &'a str },
    /// Every session of `user_id`, but `except` if given.
    AllOf { user_id: i64, except: Option<&'a str> },
}

/// Key of the PostgreSQL advisory lock that orders revocation-log writers.
const LOG_WRITERS_LOCK: i64 = 0x4c4b_5245_564f_4b45;

/// Ends the sessions `which` names that are still live; returns the ids it ended. `db` is the
/// pool, or a transaction this becomes part of (the revocation is then made, and seen by other
/// instances, when that transaction commits).
///
/// # Errors
/// Database failure: then nothing was ended.
#[tracing::instrument(skip(db), fields(reason))]
pub async fn end_sessions<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    which: Ending<'_>,
    now: i64,
    reason: &str,
) -> Result<Vec<String>, DbErr> {
    if matches!(which, Ending::Ids([])) {
        return Ok(Vec::new());
    }
    let txn = db.begin().await?;
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        txn.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({LOG_WRITERS_LOCK})")).await?;
    }
    let rows = txn.query_all(&revoke_statement(which, now, reason)).await?;
    let ended: Vec<String> =
        rows.iter().map(|row| row.try_get::<String>("", "id")).collect::<Result<_, _>>()?;
    if !ended.is_empty() {
        let entries = ended.iter().map(|id| revocation_log::ActiveModel {
            session_id: Set(id.clone()),
            revoked_at: Set(now),
            ..Default::default()
        });
        RevocationLog::insert_many(entries).exec_without_returning(&txn).await?;
    }
    txn.commit().await?;
    Ok(ended)
}

/// The `UPDATE … RETURNING id` that [`end_sessions`] runs. Public for the test that checks how
/// the database finds its rows: through the primary key, never by reading every live session.
pub fn revoke_statement(which: Ending<'_>, now: i64, reason: &str) -> UpdateStatement {
    let chosen = match which {
        Ending::Ids(ids) => Condition::all().add(sessions::Column::Id.is_in(ids.iter().cloned())),
        Ending::OwnedBy { user_id, id } => {
            Condition::all().add(sessions::Column::Id.eq(id)).add(sessions::Column::UserId.eq(user_id))
        }
        Ending::AllOf { user_id, except } => {
            let all = Condition::all().add(sessions::Column::UserId.eq(user_id));
            match except {
                Some(kept) => all.add(sessions::Column::Id.ne(kept)),
                None => all,
            }
        }
    };
    Sessions::update_many()
        .col_expr(sessions::Column::RevokedAt, Expr::value(now))
        .col_expr(sessions::Column::RevokeReason, Expr::value(reason))
        .filter(chosen)
        .filter(sessions::Column::RevokedAt.is_null())
        .into_query()
        .returning_col(sessions::Column::Id)
        .to_owned()
}

/// Up to `limit` log entries after `seq`, in order.
///
/// # Errors
/// Database failure.
pub async fn revocations_after(
    db: &impl ConnectionTrait,
    seq: i64,
    limit: u64,
) -> Result<Vec<revocation_log::Model>, DbErr> {
    RevocationLog::find()
        .filter(revocation_log::Column::Seq.gt(seq))
        .order_by_asc(revocation_log::Column::Seq)
        .limit(limit)
        .all(db)
        .await
}

/// Ids and revocation times of sessions revoked at or after `since`, read from the sessions
/// themselves: at start-up, for revocations made before the log existed.
///
/// # Errors
/// Database failure.
pub async fn sessions_revoked_since(
    db: &impl ConnectionTrait,
    since: i64,
) -> Result<Vec<(String, i64)>, DbErr> {
    Sessions::find()
        .select_only()
        .column(sessions::Column::Id)
        .column(sessions::Column::RevokedAt)
        .filter(sessions::Column::RevokedAt.gte(since))
        .into_tuple::<(String, i64)>()
        .all(db)
        .await
}

/// Deletes log entries of revocations made before `before`; returns how many.
///
/// # Errors
/// Database failure.
pub async fn purge_log(db: &impl ConnectionTrait, before: i64) -> Result<u64, DbErr> {
    let deleted =
        RevocationLog::delete_many().filter(revocation_log::Column::RevokedAt.lt(before)).exec(db).await?;
    Ok(deleted.rows_affected)
}
