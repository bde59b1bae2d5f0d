//! Queries on `notes`: always for one user, so one user can never read or delete another's.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Set,
};

use super::entities::notes::{self, Entity as Notes};

/// The user's newest notes first, at most `limit`.
///
/// # Errors
/// Database failure.
pub async fn notes_of(
    db: &impl ConnectionTrait,
    user_id: i64,
    limit: u64,
) -> Result<Vec<notes::Model>, DbErr> {
    Notes::find()
        .filter(notes::Column::UserId.eq(user_id))
        .order_by_desc(notes::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// # Errors
/// Database failure.
pub async fn insert_note(
    db: &impl ConnectionTrait,
    user_id: i64,
    body: &str,
    now: i64,
) -> Result<notes::Model, DbErr> {
    notes::ActiveModel {
        user_id: Set(user_id),
        body: Set(body.to_owned()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// Deletes the note `id` if `user_id` owns it; returns whether one was deleted.
///
/// # Errors
/// Database failure.
pub async fn delete_note(db: &impl ConnectionTrait, user_id: i64, id: i64) -> Result<bool, DbErr> {
    let deleted = Notes::delete_many()
        .filter(notes::Column::Id.eq(id))
        .filter(notes::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(deleted.rows_affected == 1)
}
