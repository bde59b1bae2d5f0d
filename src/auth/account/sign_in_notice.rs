//! New-device notices: a sign-in from a browser that does not carry this account's device
//! cookie (`credentials::devices`) mails the account when, from what browser and from what
//! address it happened, with a "this wasn't me" link (`/report-sign-in#<token>`). Posting that
//! link's token ends the session it is about, forgets every browser the account knew (so the
//! next sign-in anywhere, the intruder's included, is announced again) and asks the user to
//! change their password. The sign-in right after registration sends nothing: it is the
//! browser that created the account.

use sea_orm::TransactionTrait;

use super::security_notice::facts_of;
use crate::auth::audit::{record, AuditKind};
use crate::auth::clock::now;
use crate::auth::credentials::mail_tokens::{new_mail_token, parse_mail_token, Purpose};
use crate::auth::sessions::lifecycle::refuse_at_once;
use crate::auth::transport::client::ClientMeta;
use crate::auth::wire::{ReportedSignIn, UserView};
use crate::auth::Auth;
use crate::db::devices::forget_devices_of;
use crate::db::email_tokens::{consume_email_token, insert_email_token, NewEmailToken};
use crate::db::outbox::queue_mail;
use crate::db::revocations::{end_sessions, Ending};
use crate::error::AppError;
use crate::mail::templates;

/// How long a notice's "this wasn't me" link works.
pub const REPORT_TTL: i64 = 7 * 24 * 3_600;

const PURPOSE: &str = Purpose::ReportSignIn.as_str();

/// Queues the notice of `session_id`'s sign-in as `user`, from the client `meta` describes,
/// with `how` (the factors used, in words).
///
/// # Errors
/// Database failure.
pub async fn notify_new_device(
    auth: &Auth,
    user: &UserView,
    session_id: &str,
    meta: &ClientMeta,
    how: &str,
) -> Result<(), AppError> {
    let now = now();
    let (token, token_hash) = new_mail_token();
    let facts = facts_of(meta, now, how);
    let link = format!("{}/report-sign-in#{token}", auth.settings.link_origin);
    let mail = templates::new_device(&user.email, &facts, link);
    let txn = auth.db.begin().await?;
    let new = NewEmailToken {
        token_hash,
        purpose: PURPOSE,
        user_id: user.id,
        email: &user.email,
        now,
        expires_at: now + REPORT_TTL,
        session_id: Some(session_id),
    };
    insert_email_token(&txn, new).await?;
    queue_mail(&txn, mail.as_new_mail(), now).await?;
    txn.commit().await?;
    Ok(())
}

/// Ends the session a notice's token is about (if it is still live), and forgets the account's
/// known browsers.
///
/// # Errors
/// [`AppError::InvalidToken`] for a malformed, unknown, used or expired token; database
/// failures.
#[tracing::instrument(skip_all)]
pub async fn report_sign_in(auth: &Auth, token: &str, meta: &ClientMeta) -> Result<ReportedSignIn, AppError> {
    let hash = parse_mail_token(token).ok_or(AppError::InvalidToken)?;
    let now = now();
    let txn = auth.db.begin().await?;
    let used = consume_email_token(&txn, &hash, PURPOSE, now).await?.ok_or(AppError::InvalidToken)?;
    let session_id = used.session_id.as_deref().ok_or(AppError::InvalidToken)?;
    let which = Ending::OwnedBy { user_id: used.user_id, id: session_id };
    let ended = end_sessions(&txn, which, now, "sign_in_reported").await?;
    forget_devices_of(&txn, used.user_id).await?;
    txn.commit().await?;
    refuse_at_once(auth, &ended, now);
    record(&auth.db, AuditKind::SignInReported, Some(used.user_id), Some(session_id), None, meta).await;
    Ok(ReportedSignIn { session_ended: !ended.is_empty(), password_change_required: true })
}
