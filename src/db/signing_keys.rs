//! Queries on `signing_keys`.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};

use super::entities::signing_keys::{self, Entity as SigningKeys};

/// Keys that may still verify a live token: active ones and those retired after `retired_after`.
///
/// # Errors
/// Database failure.
pub async fn usable_keys(
    db: &impl ConnectionTrait,
    retired_after: i64,
) -> Result<Vec<signing_keys::Model>, DbErr> {
    SigningKeys::find()
        .filter(
            Condition::any()
                .add(signing_keys::Column::RetiredAt.is_null())
                .add(signing_keys::Column::RetiredAt.gt(retired_after)),
        )
        .order_by_desc(signing_keys::Column::CreatedAt)
        .all(db)
        .await
}

/// # Errors
/// Database failure.
pub async fn insert_key(db: &impl ConnectionTrait, key: signing_keys::Model) -> Result<(), DbErr> {
    signing_keys::ActiveModel {
        kid: Set(key.kid),
        algorithm: Set(key.algorithm),
        secret: Set(key.secret),
        created_at: Set(key.created_at),
        retired_at: Set(key.retired_at),
    }
    .insert(db)
    .await
    .map(|_| ())
}

/// Retires every active key except `keep`: it stops signing but still verifies.
///
/// # Errors
/// Database failure.
pub async fn retire_keys_except(db: &impl ConnectionTrait, keep: &str, now: i64) -> Result<u64, DbErr> {
    let result = SigningKeys::update_many()
        .col_expr(signing_keys::Column::RetiredAt, Expr::value(now))
        .filter(signing_keys::Column::Kid.ne(keep))
        .filter(signing_keys::Column::RetiredAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}
