//! Starting and ending sessions. Every path that creates a session goes through
//! [`start_session`] (the session row with its first refresh token, then the first access
//! token); every path that ends one goes through [`end_sessions`] (the database and the
//! revocation log in one transaction, and this instance's revocation set at once).

use super::refresh_token::{place_in_chain, ChainKey, ChainPlace, RefreshToken};
use crate::auth::audit::{record, AuditKind};
use crate::auth::clock::now;
use crate::auth::credentials::devices::DeviceId;
use crate::auth::random::{random_bytes, random_id};
use crate::auth::settings::AuthSettings;
use crate::auth::tokens::access::{AccessClaims, AUDIENCE};
use crate::auth::transport::client::ClientMeta;
use crate::auth::wire::{AuthStatus, UserView};
use crate::auth::Auth;
use crate::db::devices::remember_device;
use crate::db::entities::sessions;
use crate::db::revocations::{end_sessions as revoke, Ending};
use crate::db::sessions::{find_session, insert_session, NewSession};
use crate::error::AppError;
use sea_orm::ConnectionTrait;

/// How long after its expiry an access token still identifies the session to log out (for a
/// client that has no refresh cookie): an old token lost somewhere cannot end a session later.
pub const LOGOUT_EXPIRED_ACCESS_GRACE: i64 = 3_600;

/// The `amr` value of a password.
pub const PASSWORD_METHOD: &str = "pwd";
/// The `amr` of a password (or a mailed reset link) and a second factor (RFC 8176: a one-time
/// code, and so multiple factors).
pub const SECOND_FACTOR_METHODS: &str = "pwd otp mfa";
/// The `amr` of a second factor's code alone (a re-authentication).
pub const CODE_METHOD: &str = "otp";

/// When and how the user of a session last proved who they are (see `account::sudo`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authentication {
    pub at: i64,
    /// Space-separated `amr` values.
    pub methods: String,
}

impl Authentication {
    /// The `amr` claim.
    pub fn amr(&self) -> Vec<String> {
        self.methods.split_whitespace().map(str::to_owned).collect()
    }
}

/// A session just created or refreshed: what the response must carry.
#[derive(Debug)]
pub struct IssuedSession {
    pub session_id: String,
    pub status: AuthStatus,
    pub access_token: String,
    pub refresh_token: RefreshToken,
    /// Seconds both cookies live (until the refresh token expires); `None` for cookies that
    /// end with the browser session.
    pub cookie_max_age: Option<i64>,
    /// The device cookie to set (after a sign-in; a refresh leaves it alone).
    pub device: Option<DeviceId>,
}

/// Starts a session for a user who just proved who they are: the browser's previous session
/// ends, this one starts, and the browser becomes one the account knows.
///
/// # Errors
/// Database failure.
pub async fn sign_in(
    auth: &Auth,
    user: UserView,
    device: Option<DeviceId>,
    previous: Option<&RefreshToken>,
    meta: &ClientMeta,
    remember: bool,
    methods: &'static str,
) -> Result<IssuedSession, AppError> {
    end_previous_session(auth, previous).await?;
    let user_id = user.id;
    let start = SessionStart { methods, ..SessionStart::now(&auth.settings, now(), remember) };
    let mut issued = start_session(&auth.db, auth, user, meta, &start).await?;
    let device = device.unwrap_or_else(DeviceId::generate);
    remember_device(&auth.db, &device.hash(), user_id, now()).await?;
    issued.device = Some(device);
    Ok(issued)
}

/// When a new session starts and ends, and whether its browser stays signed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionStart {
    /// When the user signed in ("Signed in" on the devices page).
    pub created_at: i64,
    /// The absolute end (`SESSION_MAX_LIFETIME` after the sign-in), never extended.
    pub expires_at: i64,
    /// "Remember me": long-lived cookies, else browser-session cookies and a shorter idle timeout.
    pub remember: bool,
    /// Now: when the user proved who they are.
    pub authenticated_at: i64,
    /// How they proved it (space-separated `amr` values).
    pub methods: &'static str,
}

impl SessionStart {
    /// A session signed in at `now`.
    pub fn now(settings: &AuthSettings, now: i64, remember: bool) -> Self {
        Self {
            created_at: now,
            expires_at: now + settings.session_max_lifetime,
            remember,
            authenticated_at: now,
            methods: PASSWORD_METHOD,
        }
    }

    /// A session that takes the place of `old` (same sign-in, same end, same choice), for a
    /// user who proved who they are at `now`.
    pub fn replacing(old: &sessions::Model, now: i64) -> Self {
        Self {
            created_at: old.created_at,
            expires_at: old.expires_at,
            remember: old.remember,
            authenticated_at: now,
            methods: PASSWORD_METHOD,
        }
    }
}

/// Writes a new session (through `db`: the pool, or a transaction it is part of) with its
/// first refresh token, and signs its first access token.
///
/// # Errors
/// Database failure.
pub async fn start_session(
    db: &impl ConnectionTrait,
    auth: &Auth,
    user: UserView,
    meta: &ClientMeta,
    start: &SessionStart,
) -> Result<IssuedSession, AppError> {
    let settings = &auth.settings;
    let now = start.authenticated_at;
    let session_id = random_id();
    let session_expires_at = start.expires_at;
    let rotation_key = random_bytes::<32>().to_vec();
    let chain = ChainKey::new(&rotation_key).map_err(|_| {
        tracing::error!("a fresh rotation key was rejected by HMAC");
        AppError::Internal
    })?;
    let refresh_token = RefreshToken::first(&session_id, &chain);
    let refresh_expires_at = (now + settings.refresh_lifetime(start.remember)).min(session_expires_at);
    let new = NewSession {
        id: &session_id,
        user_id: user.id,
        rotation_key,
        now,
        expires_at: session_expires_at,
        user_agent: &meta.user_agent,
        ip: &meta.ip,
        refresh_hash: refresh_token.hash(),
        refresh_expires_at,
        auth_methods: start.methods,
        created_at: start.created_at,
        remember: start.remember,
    };
    insert_session(db, new).await?;
    let lifetime = start.remember.then_some(refresh_expires_at - now);
    let authentication = Authentication { at: now, methods: start.methods.to_owned() };
    let session =
        SessionTimes { id: &session_id, expires_at: session_expires_at, authentication: &authentication };
    issue_access(auth, user, &session, refresh_token, lifetime, now)
}

/// What an access token says of its session.
#[derive(Debug)]
pub struct SessionTimes<'a> {
    pub id: &'a str,
    /// The session's absolute end: no access token outlives it.
    pub expires_at: i64,
    pub authentication: &'a Authentication,
}

/// Signs an access token for `session` (never outliving it) and bundles the answer.
///
/// # Errors
/// [`AppError::Internal`] if signing fails.
pub fn issue_access(
    auth: &Auth,
    user: UserView,
    session: &SessionTimes<'_>,
    refresh_token: RefreshToken,
    cookie_max_age: Option<i64>,
    now: i64,
) -> Result<IssuedSession, AppError> {
    let (access_token, exp) = sign_access(auth, &user, session, now)?;
    Ok(IssuedSession {
        session_id: session.id.to_owned(),
        status: AuthStatus { user, access_expires_at: exp },
        access_token,
        refresh_token,
        cookie_max_age,
        device: None,
    })
}

/// Signs an access token for `user` in `session`; returns it with its expiry.
///
/// # Errors
/// [`AppError::Internal`] if signing fails.
pub fn sign_access(
    auth: &Auth,
    user: &UserView,
    session: &SessionTimes<'_>,
    now: i64,
) -> Result<(String, i64), AppError> {
    let exp = (now + auth.settings.access_token_ttl).min(session.expires_at);
    let claims = AccessClaims {
        sub: user.id.to_string(),
        sid: session.id.to_owned(),
        email: user.email.clone(),
        aud: AUDIENCE.to_owned(),
        iat: now,
        exp,
        jti: random_id(),
        auth_time: session.authentication.at,
        amr: session.authentication.amr(),
        email_verified: user.email_verified,
        second_factors: user.second_factors.clone(),
    };
    let token = auth.keys.sign(&claims).map_err(|e| {
        tracing::error!(error = %e, "could not sign an access token");
        AppError::Internal
    })?;
    Ok((token, exp))
}

/// Ends the session identified by the refresh token or, failing that, by an access token that
/// expired at most [`LOGOUT_EXPIRED_ACCESS_GRACE`] ago. Nothing to end is not an error.
///
/// # Errors
/// Database failure: then the session may still be live, and the caller must say so (503)
/// rather than act signed out.
#[tracing::instrument(skip_all)]
pub async fn logout(
    auth: &Auth,
    refresh: Option<RefreshToken>,
    access: Option<&AccessClaims>,
    meta: &ClientMeta,
) -> Result<(), AppError> {
    let from_refresh = match refresh {
        Some(token) => session_of(auth, &token).await?,
        None => None,
    };
    let recent_access = access.filter(|claims| claims.exp + LOGOUT_EXPIRED_ACCESS_GRACE > now());
    let Some(session_id) = from_refresh.or_else(|| recent_access.map(|c| c.sid.clone())) else {
        return Ok(());
    };
    let user_id = access.and_then(|c| c.user_id().ok());
    end_sessions(auth, Ending::Ids(std::slice::from_ref(&session_id)), "logout").await?;
    record(&auth.db, AuditKind::Logout, user_id, Some(&session_id), None, meta).await;
    Ok(())
}

/// Ends the session of `previous`, the refresh token a browser sent while signing in again
/// (ASVS 7.2.4: a new authentication gets a new session, and the old one ends).
///
/// # Errors
/// Database failure.
pub async fn end_previous_session(auth: &Auth, previous: Option<&RefreshToken>) -> Result<(), AppError> {
    let Some(token) = previous else { return Ok(()) };
    if let Some(session_id) = session_of(auth, token).await? {
        end_sessions(auth, Ending::Ids(std::slice::from_ref(&session_id)), "signed_in_again").await?;
    }
    Ok(())
}

/// The session `token` belongs to, if it is one of that session's tokens (any generation):
/// a token naming a session is not enough to end it.
async fn session_of(auth: &Auth, token: &RefreshToken) -> Result<Option<String>, AppError> {
    let Some(session) = find_session(&auth.db, token.session_id()).await? else {
        return Ok(None);
    };
    let (Ok(key), Some(current)) = (ChainKey::new(&session.rotation_key), session.refresh_hash.as_deref())
    else {
        return Ok(None);
    };
    let place = place_in_chain(token, &key, session.refresh_generation, current);
    Ok((place != ChainPlace::Unknown).then_some(session.id))
}

/// Ends the sessions `which` names, in the database (where every instance reads it from the
/// revocation log) and in this instance's revocation set at once. Returns the ids it ended.
///
/// # Errors
/// Database failure: then nothing was ended.
pub async fn end_sessions(auth: &Auth, which: Ending<'_>, reason: &str) -> Result<Vec<String>, AppError> {
    let now = now();
    let ended = revoke(&auth.db, which, now, reason).await?;
    refuse_at_once(auth, &ended, now);
    Ok(ended)
}

/// Makes this instance refuse the access tokens of sessions just ended (by a transaction that
/// ran [`crate::db::revocations::end_sessions`] and committed): other instances learn of them
/// from the revocation log.
pub fn refuse_at_once(auth: &Auth, ended: &[String], now: i64) {
    for id in ended {
        auth.revocations.insert(id, now, auth.settings.access_token_ttl);
    }
}
