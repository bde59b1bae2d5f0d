//! Queries on `audit_events`: append auth events, count recent sign-in failures.

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
    Revoke,
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

/// Times of the most recent sign-in outcomes for `email` since `since`, newest first, as
/// `(at, succeeded)`; at most `limit` rows.
///
/// # Errors
/// Database failure.
pub async fn recent_login_outcomes(
    db: &impl ConnectionTrait,
    email: &str,
    since: i64,
    limit: u64,
) -> Result<Vec<(i64, bool)>, DbErr> {
    let kinds = [AuditKind::LoginFailure.as_str(), AuditKind::LoginSuccess.as_str()];
    let rows: Vec<(i64, String)> = AuditEvents::find()
        .select_only()
        .column(audit_events::Column::At)
        .column(audit_events::Column::Kind)
        .filter(audit_events::Column::Email.eq(email))
        .filter(audit_events::Column::Kind.is_in(kinds))
        .filter(audit_events::Column::At.gte(since))
        .order_by_desc(audit_events::Column::At)
        .order_by_desc(audit_events::Column::Id)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await?;
    let success = AuditKind::LoginSuccess.as_str();
    Ok(rows.into_iter().map(|(at, kind)| (at, kind == success)).collect())
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
