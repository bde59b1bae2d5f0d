//! Email verification: a link mailed to the account's address (after registration, and on
//! request) proves the user reads it. The token travels in the link's fragment, the page posts
//! it; only its SHA-256 is stored, it is used once, and it proves only the address it was sent
//! to (a token for an address the account no longer has verifies nothing).

use sea_orm::{ConnectionTrait, TransactionTrait};

use crate::auth::audit::{record, AuditKind};
use crate::auth::clock::now;
use crate::auth::credentials::mail_tokens::{new_mail_token, parse_mail_token, Purpose};
use crate::auth::credentials::throttle::{take_attempt, Limit};
use crate::auth::transport::client::ClientMeta;
use crate::auth::{Auth, CurrentUser};
use crate::db::email_tokens::{consume_email_token, insert_email_token, NewEmailToken};
use crate::db::outbox::queue_mail;
use crate::db::users::{find_user_by_id, mark_email_verified};
use crate::error::AppError;
use crate::mail::templates;

const PURPOSE: &str = Purpose::Verify.as_str();
/// How long a verification link works.
pub const VERIFICATION_TTL: i64 = 48 * 3_600;
/// Verification mails a signed-in user may ask for per hour.
pub const REQUESTS_PER_USER: Limit = Limit { max: 3, window: 3_600 };

/// Stores a token for `email` of `user_id` and queues its mail, through `db` (the transaction
/// that created the account, or the pool).
///
/// # Errors
/// Database failure.
pub async fn queue_verification(
    db: &impl ConnectionTrait,
    auth: &Auth,
    user_id: i64,
    email: &str,
    now: i64,
) -> Result<(), AppError> {
    let (token, token_hash) = new_mail_token();
    let link = format!("{}/verify-email#{token}", auth.settings.link_origin);
    let mail = templates::email_verification(email, link, VERIFICATION_TTL);
    let new = NewEmailToken {
        token_hash,
        purpose: PURPOSE,
        user_id,
        email,
        now,
        expires_at: now + VERIFICATION_TTL,
        session_id: None,
    };
    insert_email_token(db, new).await?;
    queue_mail(db, mail.as_new_mail(), now).await?;
    Ok(())
}

/// Mails the signed-in `user` a new verification link, unless their address is verified
/// already (then nothing is sent).
///
/// # Errors
/// [`AppError::Throttled`] past [`REQUESTS_PER_USER`]; [`AppError::SessionEnded`] when the
/// account is gone; database failures.
pub async fn request_verification(
    auth: &Auth,
    user: &CurrentUser,
    meta: &ClientMeta,
) -> Result<(), AppError> {
    let now = now();
    take_attempt(&auth.db, &format!("verify:user:{}", user.id), REQUESTS_PER_USER, now).await?.allowed()?;
    let account = super::signed_in_account(auth, user).await?;
    if account.email_verified_at.is_some() {
        return Ok(());
    }
    let txn = auth.db.begin().await?;
    queue_verification(&txn, auth, account.id, &account.email, now).await?;
    txn.commit().await?;
    record(&auth.db, AuditKind::VerificationRequested, Some(user.id), Some(&user.session_id), None, meta)
        .await;
    Ok(())
}

/// Verifies the address a mailed token was sent to.
///
/// # Errors
/// [`AppError::InvalidToken`] for a malformed, unknown, used or expired token, or one for an
/// address the account no longer has; database failures.
pub async fn verify_email(auth: &Auth, token: &str, meta: &ClientMeta) -> Result<(), AppError> {
    let hash = parse_mail_token(token).ok_or(AppError::InvalidToken)?;
    let now = now();
    let txn = auth.db.begin().await?;
    let used = consume_email_token(&txn, &hash, PURPOSE, now).await?.ok_or(AppError::InvalidToken)?;
    let account = find_user_by_id(&txn, used.user_id).await?.filter(|u| u.email == used.email);
    let account = account.ok_or(AppError::InvalidToken)?;
    mark_email_verified(&txn, account.id, now).await?;
    txn.commit().await?;
    record(&auth.db, AuditKind::EmailVerified, Some(account.id), None, None, meta).await;
    Ok(())
}
