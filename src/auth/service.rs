//! Signing up and signing in: plain functions over plain values, no HTTP.
//!
//! Every path that creates a session goes through [`start_session`], which writes the session
//! with its first refresh token (one row) and signs the first access token.

use sea_orm::DatabaseConnection;

use super::clock::now;
use super::common_passwords::is_common;
use super::password::{hash_password, verify_password};
use super::random::{random_bytes, random_id};
use super::refresh::{ChainKey, RefreshToken};
use super::request::ClientMeta;
use super::throttle::check_login_throttle;
use super::tokens::{AccessClaims, AUDIENCE};
use super::types::{AuthStatus, UserView};
use super::validate::{Email, Password};
use crate::db::audit::{record_event, AuditEvent, AuditKind};
use crate::db::entities::users;
use crate::db::sessions::{insert_session, NewSession};
use crate::db::{is_unique_violation, users as user_queries};
use crate::error::AppError;
use crate::server::state::AppState;

/// A session just created or refreshed: what the response must carry.
#[derive(Debug)]
pub struct IssuedSession {
    pub session_id: String,
    pub status: AuthStatus,
    pub access_token: String,
    pub refresh_token: RefreshToken,
    /// Seconds both cookies live: until the refresh token expires.
    pub cookie_max_age: i64,
}

/// Creates an account and signs it in.
///
/// # Errors
/// As [`create_account`].
#[tracing::instrument(skip_all)]
pub async fn register(
    state: &AppState,
    email: &str,
    password: String,
    meta: &ClientMeta,
) -> Result<IssuedSession, AppError> {
    let user = create_account(&state.db, email, password).await?;
    let issued = start_session(state, user.id, &user.email, meta).await?;
    let session_id = Some(issued.session_id.as_str());
    record(&state.db, AuditKind::Register, Some(user.id), session_id, None, meta).await;
    Ok(issued)
}

/// Validates the email and password, hashes the password and stores the account.
///
/// # Errors
/// [`AppError::InvalidInput`] for a bad email or a short, long or common password;
/// [`AppError::EmailTaken`].
pub async fn create_account(
    db: &DatabaseConnection,
    email: &str,
    password: String,
) -> Result<users::Model, AppError> {
    let email = Email::parse(email)?;
    let password = Password::parse(password)?;
    if is_common(password.expose()) {
        return Err(AppError::InvalidInput(
            "This password is too common: attackers try it first. \
             Choose a longer, less predictable one."
                .into(),
        ));
    }
    let hash = hash_password(password).await?;
    user_queries::insert_user(db, email.as_str(), hash, now()).await.map_err(|e| {
        if is_unique_violation(&e) {
            AppError::EmailTaken
        } else {
            AppError::from(e)
        }
    })
}

/// Signs a user in with email and password.
///
/// # Errors
/// [`AppError::InvalidCredentials`] (the same for unknown email and wrong password),
/// [`AppError::Throttled`] after too many recent failures for this email.
#[tracing::instrument(skip_all)]
pub async fn login(
    state: &AppState,
    email: &str,
    password: String,
    meta: &ClientMeta,
) -> Result<IssuedSession, AppError> {
    let (Ok(email), Ok(password)) = (Email::parse(email), Password::parse(password)) else {
        // Malformed input cannot match an account; answer exactly as for a wrong password.
        return Err(AppError::InvalidCredentials);
    };
    let email = email.as_str();
    if let Err(throttled) = check_login_throttle(&state.db, &state.config, email, now()).await? {
        record(&state.db, AuditKind::Throttled, None, None, Some(email), meta).await;
        return Err(throttled);
    }
    let user = user_queries::find_user_by_email(&state.db, email).await?;
    let user_id = user.as_ref().map(|u| u.id);
    let stored = user.as_ref().map(|u| u.password_hash.clone());
    let verified = verify_password(password, stored).await?;
    let Some(user) = user.filter(|_| verified) else {
        record(&state.db, AuditKind::LoginFailure, user_id, None, Some(email), meta).await;
        return Err(AppError::InvalidCredentials);
    };
    let issued = start_session(state, user.id, &user.email, meta).await?;
    let session_id = Some(issued.session_id.as_str());
    record(&state.db, AuditKind::LoginSuccess, Some(user.id), session_id, Some(email), meta).await;
    Ok(issued)
}

/// Writes a new session with its first refresh token and signs its first access token.
///
/// # Errors
/// Database failure.
pub async fn start_session(
    state: &AppState,
    user_id: i64,
    email: &str,
    meta: &ClientMeta,
) -> Result<IssuedSession, AppError> {
    let config = &state.config;
    let now = now();
    let session_id = random_id();
    let session_expires_at = now + config.session_max_lifetime;
    let rotation_key = random_bytes::<32>().to_vec();
    let chain = ChainKey::new(&rotation_key).map_err(|_| {
        tracing::error!("a fresh rotation key was rejected by HMAC");
        AppError::Internal
    })?;
    let refresh_token = RefreshToken::first(&session_id, &chain);
    let refresh_expires_at = (now + config.refresh_token_ttl).min(session_expires_at);
    let new = NewSession {
        id: &session_id,
        user_id,
        rotation_key,
        now,
        expires_at: session_expires_at,
        user_agent: &meta.user_agent,
        ip: &meta.ip,
        refresh_hash: refresh_token.hash(),
        refresh_expires_at,
    };
    insert_session(&state.db, new).await?;
    let user = UserView { id: user_id, email: email.to_owned() };
    issue_access(state, user, &session_id, session_expires_at, refresh_token, refresh_expires_at - now, now)
}

/// Signs an access token for `session_id` (never outliving the session) and bundles the answer.
///
/// # Errors
/// [`AppError::Internal`] if signing fails.
pub fn issue_access(
    state: &AppState,
    user: UserView,
    session_id: &str,
    session_expires_at: i64,
    refresh_token: RefreshToken,
    cookie_max_age: i64,
    now: i64,
) -> Result<IssuedSession, AppError> {
    let exp = (now + state.config.access_token_ttl).min(session_expires_at);
    let claims = AccessClaims {
        sub: user.id.to_string(),
        sid: session_id.to_owned(),
        email: user.email.clone(),
        aud: AUDIENCE.to_owned(),
        iat: now,
        exp,
        jti: random_id(),
    };
    let access_token = state.keys.sign(&claims).map_err(|e| {
        tracing::error!(error = %e, "could not sign an access token");
        AppError::Internal
    })?;
    let status = AuthStatus { user, access_expires_at: exp };
    Ok(IssuedSession {
        session_id: session_id.to_owned(),
        status,
        access_token,
        refresh_token,
        cookie_max_age,
    })
}

/// Appends an audit row; a failure to record is logged, never shown to the user.
pub async fn record(
    db: &DatabaseConnection,
    kind: AuditKind,
    user_id: Option<i64>,
    session_id: Option<&str>,
    email: Option<&str>,
    meta: &ClientMeta,
) {
    let event = AuditEvent { kind, user_id, session_id, email, ip: &meta.ip, user_agent: &meta.user_agent };
    if let Err(e) = record_event(db, event, now()).await {
        tracing::warn!(error = %e, kind = kind.as_str(), "could not record an audit event");
    }
}
