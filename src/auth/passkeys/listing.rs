//! The account's passkeys: listed for the account page, removed one at a time behind sudo.

use sea_orm::TransactionTrait;

use crate::auth::account::security_notice::queue_security_notice;
use crate::auth::account::sudo::require_sudo;
use crate::auth::audit::{record, AuditKind};
use crate::auth::clock::{now, rfc3339};
use crate::auth::transport::client::ClientMeta;
use crate::auth::wire::PasskeyView;
use crate::auth::{Auth, CurrentUser};
use crate::db::passkeys::{list_passkeys, remove_passkey};
use crate::error::AppError;
use crate::mail::templates::AccountChange;

/// The signed-in user's passkeys, oldest first.
///
/// # Errors
/// Database failure.
pub async fn list(auth: &Auth, user: &CurrentUser) -> Result<Vec<PasskeyView>, AppError> {
    let rows = list_passkeys(&auth.db, user.id).await?;
    Ok(rows
        .into_iter()
        .map(|p| PasskeyView {
            id: p.id,
            name: p.name,
            created_at: rfc3339(p.created_at),
            last_used_at: p.last_used_at.map(rfc3339),
        })
        .collect())
}

/// Removes the user's passkey `id`: it signs nobody in any more.
///
/// # Errors
/// [`AppError::ReauthenticationRequired`] outside sudo; [`AppError::NotFound`] for an id that
/// is not one of the user's passkeys; database failures.
pub async fn remove(auth: &Auth, user: &CurrentUser, id: i64, meta: &ClientMeta) -> Result<(), AppError> {
    require_sudo(auth, user)?;
    let txn = auth.db.begin().await?;
    if !remove_passkey(&txn, user.id, id).await? {
        return Err(AppError::NotFound("No such passkey.".into()));
    }
    queue_security_notice(&txn, auth, &user.email, AccountChange::PasskeyRemoved, meta, now()).await?;
    txn.commit().await?;
    record(&auth.db, AuditKind::PasskeyRemoved, Some(user.id), Some(&user.session_id), None, meta).await;
    Ok(())
}
