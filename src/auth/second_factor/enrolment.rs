//! Enrolling TOTP, behind sudo: `setup` draws a secret and shows it (base32, `otpauth://` URI
//! and its QR code as SVG) without switching anything on; `enable` switches it on with a first
//! valid code and returns ten recovery codes, shown this once; `disable` needs a code (TOTP or
//! recovery); `regenerate` replaces the recovery codes.

use sea_orm::TransactionTrait;

use super::{proof::prove_code, recovery_codes, totp};
use crate::auth::account::security_notice::queue_security_notice;
use crate::auth::account::signed_in_account;
use crate::auth::account::sudo::require_sudo;
use crate::auth::audit::{record, AuditKind};
use crate::auth::clock::now;
use crate::auth::transport::client::ClientMeta;
use crate::auth::wire::{RecoveryCodes, TotpEnrolment};
use crate::auth::{Auth, CurrentUser};
use crate::db::second_factors::{accept_totp_step, remove_totp, replace_recovery_codes, set_up_totp};
use crate::error::AppError;
use crate::mail::templates::AccountChange;

/// Draws a new TOTP secret for the signed-in `user` (replacing one set up but not enabled).
///
/// # Errors
/// [`AppError::ReauthenticationRequired`] outside sudo; [`AppError::Conflict`] when TOTP is
/// on already; database failures.
pub async fn setup(auth: &Auth, user: &CurrentUser) -> Result<TotpEnrolment, AppError> {
    require_sudo(auth, user)?;
    let account = signed_in_account(auth, user).await?;
    let secret = totp::new_secret();
    let (base32, uri) = totp::enrolment(&secret, &account.email)?;
    if !set_up_totp(&auth.db, account.id, secret).await? {
        return Err(AppError::Conflict("Two-step sign-in is on already: turn it off first.".into()));
    }
    Ok(TotpEnrolment { qr_svg: totp::qr_svg(&uri)?, secret: base32, otpauth_uri: uri })
}

/// Switches TOTP on with a first code from the app; returns the recovery codes.
///
/// # Errors
/// [`AppError::InvalidInput`] for a wrong code, or when nothing was set up;
/// [`AppError::Conflict`] when TOTP is on already; database failures.
pub async fn enable(
    auth: &Auth,
    user: &CurrentUser,
    code: &str,
    meta: &ClientMeta,
) -> Result<RecoveryCodes, AppError> {
    let account = signed_in_account(auth, user).await?;
    if account.totp_enabled_at.is_some() {
        return Err(AppError::Conflict("Two-step sign-in is on already.".into()));
    }
    let wrong = || {
        AppError::InvalidInput("That code is not right: check your app and the time on your device.".into())
    };
    let secret = account.totp_secret.as_deref().ok_or_else(wrong)?;
    let now = now();
    let step = totp::matching_step(secret, code, now, account.totp_last_step).ok_or_else(wrong)?;
    let (codes, hashes) = recovery_codes::new_codes();
    let txn = auth.db.begin().await?;
    if !accept_totp_step(&txn, account.id, step, Some(now)).await? {
        return Err(wrong());
    }
    replace_recovery_codes(&txn, account.id, hashes, now).await?;
    queue_security_notice(&txn, auth, &account.email, AccountChange::TwoStepOn, meta, now).await?;
    txn.commit().await?;
    record(&auth.db, AuditKind::TotpEnabled, Some(user.id), Some(&user.session_id), None, meta).await;
    Ok(RecoveryCodes { recovery_codes: codes })
}

/// Switches TOTP off, with a code (TOTP or recovery).
///
/// # Errors
/// [`AppError::ReauthenticationRequired`] outside sudo; [`AppError::InvalidCode`] for a wrong
/// code (throttled as the sign-in's second step); database failures.
pub async fn disable(auth: &Auth, user: &CurrentUser, code: &str, meta: &ClientMeta) -> Result<(), AppError> {
    require_sudo(auth, user)?;
    let account = signed_in_account(auth, user).await?;
    prove_code(auth, &account, code, Some(&user.session_id), meta).await?;
    let txn = auth.db.begin().await?;
    remove_totp(&txn, account.id).await?;
    queue_security_notice(&txn, auth, &account.email, AccountChange::TwoStepOff, meta, now()).await?;
    txn.commit().await?;
    record(&auth.db, AuditKind::TotpDisabled, Some(user.id), Some(&user.session_id), None, meta).await;
    Ok(())
}

/// Replaces the recovery codes (the old ones stop working).
///
/// # Errors
/// [`AppError::ReauthenticationRequired`] outside sudo; [`AppError::Conflict`] when TOTP is
/// off; database failures.
pub async fn regenerate(
    auth: &Auth,
    user: &CurrentUser,
    meta: &ClientMeta,
) -> Result<RecoveryCodes, AppError> {
    require_sudo(auth, user)?;
    let account = signed_in_account(auth, user).await?;
    if account.totp_enabled_at.is_none() {
        return Err(AppError::Conflict("Two-step sign-in is off: there are no recovery codes.".into()));
    }
    let (codes, hashes) = recovery_codes::new_codes();
    let txn = auth.db.begin().await?;
    replace_recovery_codes(&txn, account.id, hashes, now()).await?;
    txn.commit().await?;
    record(&auth.db, AuditKind::RecoveryCodesRegenerated, Some(user.id), Some(&user.session_id), None, meta)
        .await;
    Ok(RecoveryCodes { recovery_codes: codes })
}
