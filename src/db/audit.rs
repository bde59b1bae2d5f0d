//! Queries on `audit_events`: append auth events, read a user's, purge old ones.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Set,
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
