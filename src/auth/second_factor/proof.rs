//! Proving the second factor: a TOTP code (its time step accepted by compare-and-set, so a code
//! works once, even with two instances racing) or a recovery code (used up by a conditional
//! update). Attempts are counted per account in the database before any check, so a burst of
//! guesses across instances gets the limit and no more.

use crate::auth::audit::{record, AuditKind};
use crate::auth::clock::now;
use crate::auth::credentials::throttle::{forget_attempts, take_attempt, Attempt, Limit};
use crate::auth::transport::client::ClientMeta;
use crate::auth::Auth;
use crate::db::entities::users;
use crate::db::second_factors::{accept_totp_step, use_recovery_code};
use crate::error::AppError;

use super::{recovery_codes, totp};

/// Which code proved the factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proven {
    Totp,
    RecoveryCode,
}

impl Proven {
    /// In words, for the new-device notice.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Totp => "password and authenticator code",
            Self::RecoveryCode => "password and recovery code",
        }
    }
}

fn bucket(user_id: i64) -> String {
    format!("second_factor:user:{user_id}")
}

/// Checks `code` (TOTP or recovery) for `account`, whose TOTP is enabled.
///
/// # Errors
/// [`AppError::InvalidCode`] for a wrong, replayed or used code (also when TOTP is not
/// enabled); [`AppError::Throttled`] past the sign-in limit of the account's bucket; database
/// failures ([`AppError::Unavailable`] when the attempt cannot be counted: it is not checked).
pub async fn prove_code(
    auth: &Auth,
    account: &users::Model,
    code: &str,
    session_id: Option<&str>,
    meta: &ClientMeta,
) -> Result<Proven, AppError> {
    let key = bucket(account.id);
    let limit = Limit { max: auth.settings.login_max_failures, window: auth.settings.login_failure_window };
    let now = now();
    if let Attempt::Refused { retry_after, .. } = take_attempt(&auth.db, &key, limit, now).await? {
        return Err(AppError::Throttled { retry_after });
    }
    let proven = match (&account.totp_secret, account.totp_enabled_at) {
        (Some(secret), Some(_)) => check(auth, account, secret, code, now).await?,
        _ => None,
    };
    let Some(proven) = proven else {
        record(&auth.db, AuditKind::SecondFactorFailure, Some(account.id), session_id, None, meta).await;
        return Err(AppError::InvalidCode);
    };
    forget_attempts(&auth.db, &key).await?;
    if proven == Proven::RecoveryCode {
        record(&auth.db, AuditKind::RecoveryCodeUsed, Some(account.id), session_id, None, meta).await;
    }
    Ok(proven)
}

async fn check(
    auth: &Auth,
    account: &users::Model,
    secret: &[u8],
    code: &str,
    now: i64,
) -> Result<Option<Proven>, AppError> {
    if let Some(step) = totp::matching_step(secret, code, now, account.totp_last_step) {
        let accepted = accept_totp_step(&auth.db, account.id, step, None).await?;
        return Ok(accepted.then_some(Proven::Totp));
    }
    if let Some(hash) = recovery_codes::parse(code) {
        let used = use_recovery_code(&auth.db, account.id, &hash, now).await?;
        return Ok(used.then_some(Proven::RecoveryCode));
    }
    Ok(None)
}
