//! Changing the account's address, in two steps so that nobody can move an account to an
//! address they do not read, or away from its owner unnoticed.
//!
//! `request` (sudo): the new address must be free; a token for it is stored (only its SHA-256)
//! and, in one transaction, a confirmation link is queued to the new address and a notice
//! (naming the new address, with no link) to the current one. A newer request replaces an
//! older one. Nothing changes yet.
//!
//! `confirm`: the link's page posts the token (it travels in the fragment, so a mail scanner
//! that opens the link changes nothing); in one transaction the token is used up (a conditional
//! update: of two confirmations one wins), the account moves to the new address, proven read,
//! and every link mailed to the old address (reset, verification) stops working. If another
//! account took the address meanwhile, nothing changes and the token stays usable (409).

use sea_orm::TransactionTrait;

use super::sudo::require_sudo;
use crate::auth::audit::{record, AuditKind};
use crate::auth::clock::now;
use crate::auth::credentials::mail_tokens::{new_mail_token, parse_mail_token, Purpose};
use crate::auth::credentials::throttle::{take_attempt, Limit};
use crate::auth::transport::client::ClientMeta;
use crate::auth::validate::Email;
use crate::auth::{Auth, CurrentUser};
use crate::db::email_tokens::{consume_email_token, forget_email_tokens, insert_email_token, NewEmailToken};
use crate::db::is_unique_violation;
use crate::db::outbox::queue_mail;
use crate::db::users::{find_user_by_email, find_user_by_id, set_email};
use crate::error::AppError;
use crate::mail::templates;

/// How long a confirmation link works.
pub const CONFIRMATION_TTL: i64 = 24 * 3_600;
/// Email changes a signed-in user may ask for per hour.
pub const REQUESTS_PER_USER: Limit = Limit { max: 5, window: 3_600 };

const PURPOSE: &str = Purpose::ChangeEmail.as_str();

/// Asks to move the signed-in `user`'s account to `new_email`.
///
/// # Errors
/// [`AppError::ReauthenticationRequired`] outside sudo; [`AppError::InvalidInput`] for
/// something that is not an email address, or the account's own; [`AppError::EmailTaken`];
/// [`AppError::Throttled`] past [`REQUESTS_PER_USER`]; [`AppError::SessionEnded`] when the
/// account is gone; database failures.
#[tracing::instrument(skip_all)]
pub async fn request_change(
    auth: &Auth,
    user: &CurrentUser,
    new_email: &str,
    meta: &ClientMeta,
) -> Result<(), AppError> {
    require_sudo(auth, user)?;
    let new_email = Email::parse(new_email)?;
    let new_email = new_email.as_str();
    let now = now();
    take_attempt(&auth.db, &format!("email_change:user:{}", user.id), REQUESTS_PER_USER, now)
        .await?
        .allowed()?;
    let account = super::signed_in_account(auth, user).await?;
    if account.email == new_email {
        return Err(AppError::InvalidInput("This is already your address.".into()));
    }
    if find_user_by_email(&auth.db, new_email).await?.is_some() {
        return Err(AppError::EmailTaken);
    }
    let (token, token_hash) = new_mail_token();
    let origin = &auth.settings.link_origin;
    let confirm = templates::email_change_confirm(
        new_email,
        format!("{origin}/confirm-email-change#{token}"),
        CONFIRMATION_TTL,
    );
    let notice = templates::email_change_notice(&account.email, new_email, origin);
    let txn = auth.db.begin().await?;
    forget_email_tokens(&txn, account.id, &[PURPOSE]).await?;
    let new = NewEmailToken {
        token_hash,
        purpose: PURPOSE,
        user_id: account.id,
        email: new_email,
        now,
        expires_at: now + CONFIRMATION_TTL,
        session_id: None,
    };
    insert_email_token(&txn, new).await?;
    queue_mail(&txn, confirm.as_new_mail(), now).await?;
    queue_mail(&txn, notice.as_new_mail(), now).await?;
    txn.commit().await?;
    let session = Some(user.session_id.as_str());
    record(&auth.db, AuditKind::EmailChangeRequested, Some(user.id), session, Some(new_email), meta).await;
    Ok(())
}

/// Moves the account to the address a confirmation token was mailed to.
///
/// # Errors
/// [`AppError::InvalidToken`] for a malformed, unknown, used or expired token, or one of a
/// disabled account; [`AppError::EmailTaken`] when another account has the address now;
/// database failures.
#[tracing::instrument(skip_all)]
pub async fn confirm_change(auth: &Auth, token: &str, meta: &ClientMeta) -> Result<(), AppError> {
    let hash = parse_mail_token(token).ok_or(AppError::InvalidToken)?;
    let now = now();
    let txn = auth.db.begin().await?;
    let used = consume_email_token(&txn, &hash, PURPOSE, now).await?.ok_or(AppError::InvalidToken)?;
    let account = find_user_by_id(&txn, used.user_id).await?.filter(|u| u.disabled_at.is_none());
    let account = account.ok_or(AppError::InvalidToken)?;
    match set_email(&txn, account.id, &used.email, now).await {
        Ok(_) => {}
        Err(e) if is_unique_violation(&e) => return Err(AppError::EmailTaken),
        Err(e) => return Err(e.into()),
    }
    let old_links = [Purpose::Reset.as_str(), Purpose::Verify.as_str(), PURPOSE];
    forget_email_tokens(&txn, account.id, &old_links).await?;
    txn.commit().await?;
    record(&auth.db, AuditKind::EmailChanged, Some(account.id), None, Some(&used.email), meta).await;
    Ok(())
}
