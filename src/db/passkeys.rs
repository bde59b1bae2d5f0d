//! Queries on passkeys and their ceremonies. A ceremony is taken by deleting its row: of two
//! requests (or instances) finishing the same ceremony, only the one whose delete removed the
//! row goes on.

use sea_orm::sea_query::{Expr, ExprTrait, IntoColumnRef, Query, SimpleExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set,
};

use super::entities::passkey_ceremonies::{self, Entity as PasskeyCeremonies};
use super::entities::passkeys::{self, Entity as Passkeys};

/// A passkey to store.
#[derive(Debug, Clone)]
pub struct NewPasskey {
    pub user_id: i64,
    pub credential_id: String,
    pub user_handle: Vec<u8>,
    pub name: String,
    pub credential: String,
    pub created_at: i64,
}

/// Stores a passkey; returns its row.
///
/// # Errors
/// Database failure, or a unique violation when the credential is registered already.
pub async fn insert_passkey(db: &impl ConnectionTrait, new: NewPasskey) -> Result<passkeys::Model, DbErr> {
    passkeys::ActiveModel {
        user_id: Set(new.user_id),
        credential_id: Set(new.credential_id),
        user_handle: Set(new.user_handle),
        name: Set(new.name),
        credential: Set(new.credential),
        created_at: Set(new.created_at),
        last_used_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// The user's passkeys, oldest first.
///
/// # Errors
/// Database failure.
pub async fn list_passkeys(db: &impl ConnectionTrait, user_id: i64) -> Result<Vec<passkeys::Model>, DbErr> {
    Passkeys::find()
        .filter(passkeys::Column::UserId.eq(user_id))
        .order_by_asc(passkeys::Column::Id)
        .all(db)
        .await
}

/// The passkey with this credential id (base64url), whoever it belongs to.
///
/// # Errors
/// Database failure.
pub async fn find_passkey(
    db: &impl ConnectionTrait,
    credential_id: &str,
) -> Result<Option<passkeys::Model>, DbErr> {
    Passkeys::find().filter(passkeys::Column::CredentialId.eq(credential_id)).one(db).await
}

/// Records a sign-in with passkey `id`: when, and, with `moved = Some((read, now))`, the
/// credential as it now stands (its signature counter moved on) in place of the one `read`
/// before the check: a compare-and-set, so of two assertions checked against the same counter
/// (a cloned authenticator racing the real one) one is recorded. Returns whether it was, which
/// is also false when the passkey was removed meanwhile.
///
/// # Errors
/// Database failure.
pub async fn record_passkey_use(
    db: &impl ConnectionTrait,
    id: i64,
    moved: Option<(&str, String)>,
    now: i64,
) -> Result<bool, DbErr> {
    let mut update = Passkeys::update_many()
        .col_expr(passkeys::Column::LastUsedAt, Expr::value(now))
        .filter(passkeys::Column::Id.eq(id));
    if let Some((read, credential)) = moved {
        update = update
            .col_expr(passkeys::Column::Credential, Expr::value(credential))
            .filter(passkeys::Column::Credential.eq(read));
    }
    Ok(update.exec(db).await?.rows_affected == 1)
}

/// Removes the user's passkey `id`; returns whether there was one.
///
/// # Errors
/// Database failure.
pub async fn remove_passkey(db: &impl ConnectionTrait, user_id: i64, id: i64) -> Result<bool, DbErr> {
    let deleted = Passkeys::delete_by_id(id).filter(passkeys::Column::UserId.eq(user_id)).exec(db).await?;
    Ok(deleted.rows_affected == 1)
}

/// A ceremony to store.
#[derive(Debug, Clone)]
pub struct NewCeremony {
    pub challenge_hash: Vec<u8>,
    pub kind: &'static str,
    pub user_id: Option<i64>,
    pub state: String,
    pub expires_at: i64,
}

/// Stores the server half of a ceremony.
///
/// # Errors
/// Database failure.
pub async fn insert_ceremony(db: &impl ConnectionTrait, new: NewCeremony) -> Result<(), DbErr> {
    passkey_ceremonies::ActiveModel {
        challenge_hash: Set(new.challenge_hash),
        kind: Set(new.kind.to_owned()),
        user_id: Set(new.user_id),
        state: Set(new.state),
        expires_at: Set(new.expires_at),
    }
    .insert(db)
    .await
    .map(|_| ())
}

/// Takes the ceremony of `kind` and of user `user_id` (none for a sign-in) with this challenge
/// hash: deletes it and returns it when this call deleted it and it had not expired by `now`.
/// A ceremony is taken once, whatever comes of finishing it; nobody else can take it.
///
/// # Errors
/// Database failure.
pub async fn take_ceremony(
    db: &impl ConnectionTrait,
    challenge_hash: &[u8],
    kind: &str,
    user_id: Option<i64>,
    now: i64,
) -> Result<Option<passkey_ceremonies::Model>, DbErr> {
    let of_user = match user_id {
        Some(id) => passkey_ceremonies::Column::UserId.eq(id),
        None => passkey_ceremonies::Column::UserId.is_null(),
    };
    let Some(found) = PasskeyCeremonies::find_by_id(challenge_hash.to_vec())
        .filter(passkey_ceremonies::Column::Kind.eq(kind))
        .filter(of_user.clone())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let deleted = PasskeyCeremonies::delete_by_id(challenge_hash.to_vec()).filter(of_user).exec(db).await?;
    Ok((deleted.rows_affected == 1 && found.expires_at > now).then_some(found))
}

/// Deletes ceremonies that expired before `before`; returns how many.
///
/// # Errors
/// Database failure.
pub async fn purge_ceremonies(db: &impl ConnectionTrait, before: i64) -> Result<u64, DbErr> {
    let deleted = PasskeyCeremonies::delete_many()
        .filter(passkey_ceremonies::Column::ExpiresAt.lt(before))
        .exec(db)
        .await?;
    Ok(deleted.rows_affected)
}

/// `EXISTS (a passkey of the user in column `user_id`)`, for a query that selects users.
pub fn has_passkey_expr(user_id: impl IntoColumnRef) -> SimpleExpr {
    let of_user = Query::select()
        .expr(Expr::val(1))
        .from(Passkeys)
        .and_where(Expr::col((Passkeys, passkeys::Column::UserId)).equals(user_id))
        .to_owned();
    Expr::exists(of_user)
}

/// Whether user `user_id` has a passkey.
///
/// # Errors
/// Database failure.
pub async fn has_passkey(db: &impl ConnectionTrait, user_id: i64) -> Result<bool, DbErr> {
    use sea_orm::PaginatorTrait;
    Ok(Passkeys::find().filter(passkeys::Column::UserId.eq(user_id)).count(db).await? > 0)
}
