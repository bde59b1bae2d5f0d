//! Changing the password, signed in, with the current one.
//!
//! The new password must pass the same policy as at registration; the current one is checked
//! on the re-authentication throttle (`account::proof`). Then, in one transaction: the new
//! hash is stored, this browser's session is replaced by a new one (same sign-in time, same
//! end, same "remember me"; it counts as a fresh proof for sudo), and every other session of
//! the account ends, this one's predecessor included; pending password-reset links die. So a thief holding any token of the
//! account, even a copy of this browser's own cookies, is out at once, on every instance (the
//! revocation log); the user stays signed in here. (Keycloak's offline sessions survived its
//! "sign out other devices"; axum-login's trick ended the device that made the change too.)

use sea_orm::TransactionTrait;

use super::proof::prove_password;
use super::security_notice::queue_security_notice;
use crate::auth::audit::{record, AuditKind};
use crate::auth::clock::now;
use crate::auth::credentials::common_passwords::new_password;
use crate::auth::credentials::mail_tokens::Purpose;
use crate::auth::credentials::password::hash_password;
use crate::auth::sessions::lifecycle::{refuse_at_once, start_session, IssuedSession, SessionStart};
use crate::auth::transport::client::ClientMeta;
use crate::auth::{Auth, CurrentUser};
use crate::db::email_tokens::forget_email_tokens;
use crate::db::revocations::{end_sessions, Ending};
use crate::db::sessions::find_session;
use crate::db::users::set_password_hash;
use crate::error::AppError;
use crate::mail::templates::AccountChange;

/// Changes the signed-in `user`'s password from `current` to `new`; returns the session that
/// replaces the caller's.
///
/// # Errors
/// [`AppError::InvalidInput`] for a new password the policy refuses (checked first: a typo
/// costs no attempt); as `prove_password` for the current one; [`AppError::SessionEnded`] when
/// this session ended meanwhile; database failures (then nothing changed).
#[tracing::instrument(skip_all, fields(user_id = user.id))]
pub async fn change_password(
    auth: &Auth,
    user: &CurrentUser,
    current: String,
    new: String,
    meta: &ClientMeta,
) -> Result<IssuedSession, AppError> {
    let new = new_password(new)?;
    let account = prove_password(auth, user, current, meta).await?;
    let hash = hash_password(new).await?;
    let Some(session) = find_session(&auth.db, &user.session_id).await?.filter(|s| s.revoked_at.is_none())
    else {
        return Err(AppError::SessionEnded);
    };
    let now = now();
    let view = super::user_view(auth, &account).await?;
    let txn = auth.db.begin().await?;
    set_password_hash(&txn, user.id, hash).await?;
    let replacement = start_session(&txn, auth, view, meta, &SessionStart::replacing(&session, now)).await?;
    let others = Ending::AllOf { user_id: user.id, except: Some(&replacement.session_id) };
    let ended = end_sessions(&txn, others, now, "password_changed").await?;
    forget_email_tokens(&txn, user.id, &[Purpose::Reset.as_str()]).await?;
    queue_security_notice(&txn, auth, &account.email, AccountChange::PasswordChanged, meta, now).await?;
    if !ended.contains(&session.id) {
        // This session ended while the password was being checked: so does the change.
        return Err(AppError::SessionEnded);
    }
    txn.commit().await?;
    refuse_at_once(auth, &ended, now);
    let session_id = Some(replacement.session_id.as_str());
    record(&auth.db, AuditKind::PasswordChanged, Some(user.id), session_id, None, meta).await;
    Ok(replacement)
}
