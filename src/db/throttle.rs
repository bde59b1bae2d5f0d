//! Queries on `throttle_buckets`: count an attempt atomically, reset a key, purge old windows.

use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};

use super::entities::throttle_buckets::{self, Column, Entity as ThrottleBuckets};

/// Counts one attempt under `key` and returns the bucket as it now stands. A window that opened
/// at or before `expired_before` is over: the attempt opens a new one at `now`.
///
/// One statement (`INSERT … ON CONFLICT DO UPDATE … RETURNING`), so concurrent attempts each
/// see their own count, on one instance or several.
///
/// # Errors
/// Database failure: then nothing was counted, and the caller must refuse the attempt.
pub async fn count_attempt(
    db: &impl ConnectionTrait,
    key: &str,
    now: i64,
    expired_before: i64,
) -> Result<throttle_buckets::Model, DbErr> {
    let old = |column: Column| Expr::col((ThrottleBuckets, column));
    let window_over = || old(Column::WindowStart).lte(expired_before);
    let upsert = OnConflict::column(Column::Key)
        .value(Column::Attempts, Expr::case(window_over(), 1).finally(old(Column::Attempts).add(1)))
        .value(Column::WindowStart, Expr::case(window_over(), now).finally(old(Column::WindowStart)))
        .to_owned();
    let first =
        throttle_buckets::ActiveModel { key: Set(key.to_owned()), window_start: Set(now), attempts: Set(1) };
    ThrottleBuckets::insert(first).on_conflict(upsert).exec_with_returning(db).await
}

/// Forgets the attempts counted under `key` (after a success).
///
/// # Errors
/// Database failure.
pub async fn reset(db: &impl ConnectionTrait, key: &str) -> Result<(), DbErr> {
    ThrottleBuckets::delete_by_id(key.to_owned()).exec(db).await.map(|_| ())
}

/// Deletes buckets whose window opened before `opened_before`; returns how many.
///
/// # Errors
/// Database failure.
pub async fn purge_buckets(db: &impl ConnectionTrait, opened_before: i64) -> Result<u64, DbErr> {
    let deleted =
        ThrottleBuckets::delete_many().filter(Column::WindowStart.lt(opened_before)).exec(db).await?;
    Ok(deleted.rows_affected)
}
