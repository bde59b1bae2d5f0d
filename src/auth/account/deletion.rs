//! Deleting an account, signed in, with its password.
//!
//! In one transaction: every session of the account ends (logged for every instance, so its
//! access tokens are refused at once everywhere), its audit events are pseudonymised (they no
//! longer name its id or email, only a random pseudonym, so they still read together), and the
//! account goes with everything that references it (sessions, known devices, and through
//! `ON DELETE CASCADE` the app's own rows, such as notes). The email can register again; ids are
//! never reused (`AUTOINCREMENT` on SQLite, a sequence on PostgreSQL), so nothing of the old
//! account can reach a new one.

use sea_orm::TransactionTrait;

use super::proof::prove_password;
use crate::auth::audit::AuditKind;
use crate::auth::clock::now;
use crate::auth::credentials::throttle::{forget_attempts, reauth_key};
use crate::auth::random::random_id;
use crate::auth::sessions::lifecycle::refuse_at_once;
use crate::auth::transport::client::ClientMeta;
use crate::auth::{Auth, CurrentUser};
use crate::db::audit::{pseudonymise_events, record_event, AuditEvent};
use crate::db::devices::forget_devices_of;
use crate::db::revocations::{end_sessions, Ending};
use crate::db::sessions::delete_sessions_of;
use crate::db::users::delete_user;
use crate::error::AppError;

/// Deletes the signed-in `user`'s account after checking `password`.
///
/// # Errors
/// As `prove_password`; database failures (then nothing was deleted).
#[tracing::instrument(skip_all, fields(user_id = user.id))]
pub async fn delete_account(
    auth: &Auth,
    user: &CurrentUser,
    password: String,
    meta: &ClientMeta,
) -> Result<(), AppError> {
    let account = prove_password(auth, user, password, meta).await?;
    let now = now();
    let pseudonym = format!("deleted-account-{}", random_id());
    let txn = auth.db.begin().await?;
    let ended =
        end_sessions(&txn, Ending::AllOf { user_id: user.id, except: None }, now, "account_deleted").await?;
    pseudonymise_events(&txn, user.id, &account.email, &pseudonym).await?;
    let event = AuditEvent {
        kind: AuditKind::AccountDeleted,
        user_id: None,
        session_id: Some(&user.session_id),
        email: Some(&pseudonym),
        ip: &meta.ip,
        user_agent: &meta.user_agent,
    };
    record_event(&txn, event, now).await?;
    delete_sessions_of(&txn, user.id).await?;
    forget_devices_of(&txn, user.id).await?;
    forget_attempts(&txn, &reauth_key(user.id)).await?;
    if !delete_user(&txn, user.id).await? {
        return Err(AppError::SessionEnded);
    }
    txn.commit().await?;
    refuse_at_once(auth, &ended, now);
    tracing::info!(user_id = user.id, sessions = ended.len(), "account deleted");
    Ok(())
}
