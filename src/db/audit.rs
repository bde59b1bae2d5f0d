//! Queries on `audit_events`: append auth events, read a user's, purge old ones.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use super::entities::audit_events::{self, Entity as AuditEvents};

/// What happened, in the words stored in `audit_events.kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditKind {
    Register,
    LoginSuccess,
    LoginFailure,
    Throttled,
    ReuseDetected,
    Logout,
    LogoutAll,
    LogoutOthers,
    Revoke,
    Reauthenticated,
    ReauthFailure,
    LoginDisabled,
    PasswordChanged,
    AccountDeleted,
    Disabled,
    Enabled,
    PasswordResetRequested,
    PasswordReset,
    MailFailed,
    VerificationRequested,
    EmailVerified,
    EmailChangeRequested,
    EmailChanged,
    SignInReported,
    TotpEnabled,
    TotpDisabled,
    RecoveryCodesRegenerated,
    RecoveryCodeUsed,
    SecondFactorFailure,
    PasskeyRegistered,
    PasskeyRemoved,
    PasskeyUsed,
    PasskeyFailure,
}

impl AuditKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Register => "register",
            Self::LoginSuccess => "login_success",
            Self::LoginFailure => "login_failure",
            Self::Throttled => "throttled",
            Self::ReuseDetected => "reuse_detected",
            Self::Logout => "logout",
            Self::LogoutAll => "logout_all",
            Self::Revoke => "revoke",
            Self::LogoutOthers => "logout_others",
            Self::Reauthenticated => "reauthenticated",
            Self::ReauthFailure => "reauth_failure",
            Self::LoginDisabled => "login_disabled",
            Self::PasswordChanged => "password_changed",
            Self::AccountDeleted => "account_deleted",
            Self::Disabled => "disabled",
            Self::Enabled => "enabled",
            Self::PasswordResetRequested => "password_reset_requested",
            Self::PasswordReset => "password_reset",
            Self::MailFailed => "mail_failed",
            Self::VerificationRequested => "verification_requested",
            Self::EmailVerified => "email_verified",
            Self::EmailChangeRequested => "email_change_requested",
            Self::EmailChanged => "email_changed",
            Self::SignInReported => "sign_in_reported",
            Self::TotpEnabled => "totp_enabled",
            Self::TotpDisabled => "totp_disabled",
            Self::RecoveryCodesRegenerated => "recovery_codes_regenerated",
            Self::RecoveryCodeUsed => "recovery_code_used",
            Self::SecondFactorFailure => "second_factor_failure",
            Self::PasskeyRegistered => "passkey_registered",
            Self::PasskeyRemoved => "passkey_removed",
            Self::PasskeyUsed => "passkey_used",
            Self::PasskeyFailure => "passkey_failure",
        }
    }
}

/// One event to record.
#[derive(Debug)]
pub struct AuditEvent<'a> {
    pub kind: AuditKind,
    pub user_id: Option<i64>,
    pub session_id: Option<&'a str>,
    pub email: Option<&'a str>,
    pub ip: &'a str,
    pub user_agent: &'a str,
}

/// # Errors
/// Database failure.
pub async fn record_event(db: &impl ConnectionTrait, event: AuditEvent<'_>, now: i64) -> Result<(), DbErr> {
    audit_events::ActiveModel {
        at: Set(now),
        kind: Set(event.kind.as_str().to_owned()),
        user_id: Set(event.user_id),
        session_id: Set(event.session_id.map(str::to_owned)),
        email: Set(event.email.map(str::to_owned)),
        ip: Set(event.ip.to_owned()),
        user_agent: Set(event.user_agent.to_owned()),
        ..Default::default()
    }
    .insert(db)
    .await
    .map(|_| ())
}

/// Deletes events that happened before `before`; returns how many.
///
/// # Errors
/// Database failure.
pub async fn purge_events(db: &impl ConnectionTrait, before: i64) -> Result<u64, DbErr> {
    let deleted = AuditEvents::delete_many().filter(audit_events::Column::At.lt(before)).exec(db).await?;
    Ok(deleted.rows_affected)
}

/// The newest events of one user, newest first.
///
/// # Errors
/// Database failure.
pub async fn recent_events_of_user(
    db: &impl ConnectionTrait,
    user_id: i64,
    limit: u64,
) -> Result<Vec<audit_events::Model>, DbErr> {
    AuditEvents::find()
        .filter(audit_events::Column::UserId.eq(user_id))
        .order_by_desc(audit_events::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// Makes the events of a deleted account name nobody: they no longer carry its user id or its
/// email (sign-in attempts for it included), only `pseudonym`, so they can still be read
/// together. Returns how many events there were.
///
/// # Errors
/// Database failure.
pub async fn pseudonymise_events(
    db: &impl ConnectionTrait,
    user_id: i64,
    email: &str,
    pseudonym: &str,
) -> Result<u64, DbErr> {
    let updated = AuditEvents::update_many()
        .col_expr(audit_events::Column::UserId, Expr::value(None::<i64>))
        .col_expr(audit_events::Column::Email, Expr::value(pseudonym))
        .filter(
            Condition::any()
                .add(audit_events::Column::UserId.eq(user_id))
                .add(audit_events::Column::Email.eq(email)),
        )
        .exec(db)
        .await?;
    Ok(updated.rows_affected)
}
