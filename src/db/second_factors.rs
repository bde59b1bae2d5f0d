//! Queries on the second factors: the account's TOTP columns, its recovery codes, and pending
//! sign-ins. Every "use once" is one conditional update, so of two racing requests one wins.

use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};

use super::entities::pending_sign_ins::{self, Entity as PendingSignIns};
use super::entities::recovery_codes::{self, Entity as RecoveryCodes};
use super::entities::users::{self, Entity as Users};

/// Stores a TOTP secret that is set up but not enabled (replacing one set up before), unless
/// TOTP is enabled already; returns whether it was stored.
///
/// # Errors
/// Database failure.
pub async fn set_up_totp(db: &impl ConnectionTrait, user_id: i64, secret: Vec<u8>) -> Result<bool, DbErr> {
    let updated = Users::update_many()
        .col_expr(users::Column::TotpSecret, Expr::value(secret))
        .col_expr(users::Column::TotpLastStep, Expr::value(0i64))
        .filter(users::Column::Id.eq(user_id))
        .filter(users::Column::TotpEnabledAt.is_null())
        .exec(db)
        .await?;
    Ok(updated.rows_affected == 1)
}

/// Accepts TOTP time step `step` for the user if it is later than the last one accepted (a
/// compare-and-set: a code is accepted once, even by two instances at once); `enable` also
/// switches TOTP on (for the first code after setup). Returns whether this call accepted it.
///
/// # Errors
/// Database failure.
pub async fn accept_totp_step(
    db: &impl ConnectionTrait,
    user_id: i64,
    step: i64,
    enable_at: Option<i64>,
) -> Result<bool, DbErr> {
    let mut update = Users::update_many()
        .col_expr(users::Column::TotpLastStep, Expr::value(step))
        .filter(users::Column::Id.eq(user_id))
        .filter(users::Column::TotpSecret.is_not_null())
        .filter(users::Column::TotpLastStep.lt(step));
    update = match enable_at {
        Some(now) => update
            .col_expr(users::Column::TotpEnabledAt, Expr::value(now))
            .filter(users::Column::TotpEnabledAt.is_null()),
        None => update.filter(users::Column::TotpEnabledAt.is_not_null()),
    };
    Ok(update.exec(db).await?.rows_affected == 1)
}

/// Switches TOTP off and forgets its secret.
///
/// # Errors
/// Database failure.
pub async fn remove_totp(db: &impl ConnectionTrait, user_id: i64) -> Result<(), DbErr> {
    Users::update_many()
        .col_expr(users::Column::TotpSecret, Expr::value(Option::<Vec<u8>>::None))
        .col_expr(users::Column::TotpEnabledAt, Expr::value(Option::<i64>::None))
        .col_expr(users::Column::TotpLastStep, Expr::value(0i64))
        .filter(users::Column::Id.eq(user_id))
        .exec(db)
        .await?;
    forget_recovery_codes(db, user_id).await.map(|_| ())
}

/// Replaces the user's recovery codes with these hashes.
///
/// # Errors
/// Database failure.
pub async fn replace_recovery_codes(
    db: &impl ConnectionTrait,
    user_id: i64,
    hashes: Vec<Vec<u8>>,
    now: i64,
) -> Result<(), DbErr> {
    forget_recovery_codes(db, user_id).await?;
    let rows = hashes.into_iter().map(|code_hash| recovery_codes::ActiveModel {
        code_hash: Set(code_hash),
        user_id: Set(user_id),
        created_at: Set(now),
        used_at: Set(None),
    });
    RecoveryCodes::insert_many(rows).exec_without_returning(db).await.map(|_| ())
}

/// Uses up the user's unused recovery code with this hash; returns whether this call did.
///
/// # Errors
/// Database failure.
pub async fn use_recovery_code(
    db: &impl ConnectionTrait,
    user_id: i64,
    code_hash: &[u8],
    now: i64,
) -> Result<bool, DbErr> {
    let used = RecoveryCodes::update_many()
        .col_expr(recovery_codes::Column::UsedAt, Expr::value(now))
        .filter(recovery_codes::Column::CodeHash.eq(code_hash.to_vec()))
        .filter(recovery_codes::Column::UserId.eq(user_id))
        .filter(recovery_codes::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok(used.rows_affected == 1)
}

async fn forget_recovery_codes(db: &impl ConnectionTrait, user_id: i64) -> Result<u64, DbErr> {
    let deleted =
        RecoveryCodes::delete_many().filter(recovery_codes::Column::UserId.eq(user_id)).exec(db).await?;
    Ok(deleted.rows_affected)
}

/// Stores a pending sign-in.
///
/// # Errors
/// Database failure.
pub async fn insert_pending_sign_in(
    db: &impl ConnectionTrait,
    token_hash: Vec<u8>,
    user_id: i64,
    remember: bool,
    now: i64,
    expires_at: i64,
) -> Result<(), DbErr> {
    pending_sign_ins::ActiveModel {
        token_hash: Set(token_hash),
        user_id: Set(user_id),
        remember: Set(remember),
        created_at: Set(now),
        expires_at: Set(expires_at),
        used_at: Set(None),
    }
    .insert(db)
    .await
    .map(|_| ())
}

/// The unused, unexpired pending sign-in with this hash.
///
/// # Errors
/// Database failure.
pub async fn find_pending_sign_in(
    db: &impl ConnectionTrait,
    token_hash: &[u8],
    now: i64,
) -> Result<Option<pending_sign_ins::Model>, DbErr> {
    PendingSignIns::find_by_id(token_hash.to_vec())
        .filter(pending_sign_ins::Column::UsedAt.is_null())
        .filter(pending_sign_ins::Column::ExpiresAt.gt(now))
        .one(db)
        .await
}

/// Uses up a pending sign-in; returns whether this call did.
///
/// # Errors
/// Database failure.
pub async fn consume_pending_sign_in(
    db: &impl ConnectionTrait,
    token_hash: &[u8],
    now: i64,
) -> Result<bool, DbErr> {
    let used = PendingSignIns::update_many()
        .col_expr(pending_sign_ins::Column::UsedAt, Expr::value(now))
        .filter(pending_sign_ins::Column::TokenHash.eq(token_hash.to_vec()))
        .filter(pending_sign_ins::Column::UsedAt.is_null())
        .filter(pending_sign_ins::Column::ExpiresAt.gt(now))
        .exec(db)
        .await?;
    Ok(used.rows_affected == 1)
}

/// Deletes pending sign-ins that expired before `before`; returns how many.
///
/// # Errors
/// Database failure.
pub async fn purge_pending_sign_ins(db: &impl ConnectionTrait, before: i64) -> Result<u64, DbErr> {
    let deleted =
        PendingSignIns::delete_many().filter(pending_sign_ins::Column::ExpiresAt.lt(before)).exec(db).await?;
    Ok(deleted.rows_affected)
}
