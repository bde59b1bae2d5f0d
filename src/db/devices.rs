//! Queries on `known_devices`: the browsers that have signed in to an account.

use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};

use super::entities::known_devices::{self, Column, Entity as KnownDevices};

/// Whether the browser whose device cookie hashes to `device_hash` has signed in to `user_id`.
///
/// # Errors
/// Database failure.
pub async fn is_known_device(
    db: &impl ConnectionTrait,
    device_hash: &[u8],
    user_id: i64,
) -> Result<bool, DbErr> {
    let found = KnownDevices::find_by_id((device_hash.to_vec(), user_id)).one(db).await?;
    Ok(found.is_some())
}

/// Records that the browser signed in to `user_id` now (first time or again).
///
/// # Errors
/// Database failure.
pub async fn remember_device(
    db: &impl ConnectionTrait,
    device_hash: &[u8],
    user_id: i64,
    now: i64,
) -> Result<(), DbErr> {
    let row = known_devices::ActiveModel {
        device_hash: Set(device_hash.to_vec()),
        user_id: Set(user_id),
        first_seen_at: Set(now),
        last_seen_at: Set(now),
    };
    let again = OnConflict::columns([Column::DeviceHash, Column::UserId])
        .update_column(Column::LastSeenAt)
        .to_owned();
    KnownDevices::insert(row).on_conflict(again).exec_without_returning(db).await.map(|_| ())
}

/// Forgets devices not seen since `seen_before`; returns how many.
///
/// # Errors
/// Database failure.
pub async fn purge_devices(db: &impl ConnectionTrait, seen_before: i64) -> Result<u64, DbErr> {
    let deleted = KnownDevices::delete_many().filter(Column::LastSeenAt.lt(seen_before)).exec(db).await?;
    Ok(deleted.rows_affected)
}

/// Forgets every browser that signed in to `user_id`.
///
/// # Errors
/// Database failure.
pub async fn forget_devices_of(db: &impl ConnectionTrait, user_id: i64) -> Result<u64, DbErr> {
    Ok(KnownDevices::delete_many().filter(Column::UserId.eq(user_id)).exec(db).await?.rows_affected)
}
