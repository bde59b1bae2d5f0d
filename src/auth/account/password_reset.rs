//! Password reset by mail.
//!
//! `request`: the same answer whether or not an account has the address (and about the same
//! time: the work that differs is one small transaction), limited per address and per client
//! address before anything is looked up. For an account, a 256-bit token is drawn, its SHA-256
//! stored, and a mail with `/reset-password#<token>` queued in the same transaction: the token
//! travels in the fragment, which a browser never sends to a server, and the page posts it, so a
//! mail scanner that opens the link consumes nothing.
//!
//! `reset`: the token is looked up before the new password is judged (a refused password does
//! not use the link up), then, in one transaction, consumed by a conditional update (of two
//! requests with one token exactly one wins), the password replaced, the address marked
//! verified, the account's other reset tokens dropped and every session ended; then this
//! browser is signed in to a new session. An account with a second factor must give its code
//! too (checked before anything is used up): the mailbox alone is one factor.

use sea_orm::TransactionTrait;

use super::security_notice::queue_security_notice;
use crate::auth::audit::{record, AuditKind};
use crate::auth::clock::now;
use crate::auth::credentials::common_passwords::new_password;
use crate::auth::credentials::mail_tokens::{new_mail_token, parse_mail_token, Purpose};
use crate::auth::credentials::password::hash_password;
use crate::auth::credentials::throttle::{address_key, reset_address_key, take_attempt, Limit};
use crate::auth::second_factor::proof::prove_code;
use crate::auth::sessions::lifecycle::{
    refuse_at_once, sign_in, IssuedSession, PASSWORD_METHOD, SECOND_FACTOR_METHODS,
};
use crate::auth::transport::client::{Browser, ClientMeta};
use crate::auth::validate::Email;
use crate::auth::wire::UserView;
use crate::auth::Auth;
use crate::db::email_tokens::{
    consume_email_token, find_usable_email_token, forget_email_tokens, insert_email_token, NewEmailToken,
};
use crate::db::outbox::queue_mail;
use crate::db::revocations::{end_sessions, Ending};
use crate::db::users::{find_user_by_email, find_user_by_id, mark_email_verified, set_password_hash};
use crate::error::AppError;
use crate::mail::templates::{self, AccountChange};

/// Reset mails one address may be sent per hour.
pub const REQUESTS_PER_ADDRESS: Limit = Limit { max: 3, window: 3_600 };
/// Reset requests one client address (IPv6: its /64) may make per hour.
pub const REQUESTS_PER_CLIENT: Limit = Limit { max: 20, window: 3_600 };

/// Queues a reset mail for the account of `email`, if there is one (and it is not disabled).
///
/// # Errors
/// [`AppError::InvalidInput`] for something that is not an email address;
/// [`AppError::Throttled`] past either limit; database failures.
#[tracing::instrument(skip_all)]
pub async fn request_reset(auth: &Auth, email: &str, meta: &ClientMeta) -> Result<(), AppError> {
    let email = Email::parse(email)?;
    let email = email.as_str();
    let now = now();
    take_attempt(&auth.db, &address_key("reset", meta.addr), REQUESTS_PER_CLIENT, now).await?.allowed()?;
    take_attempt(&auth.db, &reset_address_key(email), REQUESTS_PER_ADDRESS, now).await?.allowed()?;
    let Some(user) = find_user_by_email(&auth.db, email).await?.filter(|u| u.disabled_at.is_none()) else {
        return Ok(());
    };
    let (token, hash) = new_mail_token();
    let ttl = auth.settings.reset_token_ttl;
    let link = format!("{}/reset-password#{token}", auth.settings.link_origin);
    let mail = templates::password_reset(&user.email, link, ttl);
    let txn = auth.db.begin().await?;
    let new = NewEmailToken {
        token_hash: hash,
        purpose: Purpose::Reset.as_str(),
        user_id: user.id,
        email: &user.email,
        now,
        expires_at: now + ttl,
        session_id: None,
    };
    insert_email_token(&txn, new).await?;
    queue_mail(&txn, mail.as_new_mail(), now).await?;
    txn.commit().await?;
    record(&auth.db, AuditKind::PasswordResetRequested, Some(user.id), None, None, meta).await;
    Ok(())
}

/// Sets a new password with a mailed token; signs this browser in.
///
/// # Errors
/// [`AppError::InvalidToken`] for a token that is malformed, unknown, used or expired (also
/// when another request used it first), or of a disabled account;
/// [`AppError::SecondFactorRequired`] without `code` for an account with a second factor, and
/// as [`prove_code`] with a wrong one (the token stays usable); [`AppError::InvalidInput`] for a new password the
/// policy refuses (the token stays usable); database failures.
#[tracing::instrument(skip_all)]
pub async fn reset_password(
    auth: &Auth,
    token: &str,
    new: String,
    code: Option<&str>,
    browser: Browser,
) -> Result<IssuedSession, AppError> {
    let hash = parse_mail_token(token).ok_or(AppError::InvalidToken)?;
    let reset = Purpose::Reset.as_str();
    let token =
        find_usable_email_token(&auth.db, &hash, reset, now()).await?.ok_or(AppError::InvalidToken)?;
    let user_id = token.user_id;
    // A link mailed before the operator disabled the account, or to an address the account has
    // since left, does not get it in.
    let user = find_user_by_id(&auth.db, user_id).await?;
    let user = user.filter(|u| u.disabled_at.is_none() && u.email == token.email);
    let user = user.ok_or(AppError::InvalidToken)?;
    // The mailbox is one factor: an account with a second one must prove it too.
    let gated = user.totp_enabled_at.is_some();
    if gated {
        let code = code.ok_or(AppError::SecondFactorRequired)?;
        prove_code(auth, &user, code, None, &browser.meta).await?;
    }
    let password_hash = hash_password(new_password(new)?).await?;
    let now = now();
    let txn = auth.db.begin().await?;
    if consume_email_token(&txn, &hash, reset, now).await?.is_none() {
        return Err(AppError::InvalidToken);
    }
    set_password_hash(&txn, user_id, password_hash).await?;
    mark_email_verified(&txn, user_id, now).await?;
    forget_email_tokens(&txn, user_id, &[reset]).await?;
    let ended = end_sessions(&txn, Ending::AllOf { user_id, except: None }, now, "password_reset").await?;
    queue_security_notice(&txn, auth, &user.email, AccountChange::PasswordReset, &browser.meta, now).await?;
    txn.commit().await?;
    refuse_at_once(auth, &ended, now);
    let view = UserView { email_verified: true, ..super::user_view(auth, &user).await? };
    let meta = &browser.meta;
    let methods = if gated { SECOND_FACTOR_METHODS } else { PASSWORD_METHOD };
    let issued = sign_in(auth, view, browser.device, None, meta, browser.remember, methods).await?;
    record(&auth.db, AuditKind::PasswordReset, Some(user_id), Some(&issued.session_id), None, meta).await;
    Ok(issued)
}
