//! `AuthSettings`: the lifetimes and limits the auth services work with, taken from the
//! server's configuration once at start-up (see `server::config` for each one's variable).

/// Lifetimes (seconds) and limits of sessions and sign-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthSettings {
    pub access_token_ttl: i64,
    pub refresh_token_ttl: i64,
    pub refresh_reuse_grace: i64,
    pub session_idle_timeout: i64,
    /// The idle timeout of a session signed in without "remember me".
    pub session_idle_timeout_forget: i64,
    pub session_max_lifetime: i64,
    pub cookie_secure: bool,
    pub login_max_failures: u32,
    pub login_failure_window: i64,
    pub audit_retention: i64,
    /// Seconds a sign-in or re-authentication counts as recent (sudo).
    pub reauth_window: i64,
    /// Seconds a password-reset link is valid.
    pub reset_token_ttl: i64,
    /// The origin of links in mail: `PUBLIC_ORIGIN`, else this server's own listening address
    /// (set at start-up). Never the request's `Host`, which a client chooses.
    pub link_origin: String,
}

impl AuthSettings {
    /// Seconds without a refresh before a session ends.
    pub fn idle_timeout(&self, remember: bool) -> i64 {
        if remember {
            self.session_idle_timeout
        } else {
            self.session_idle_timeout_forget
        }
    }

    /// Seconds a refresh token lives unused: never past the session's idle timeout.
    pub fn refresh_lifetime(&self, remember: bool) -> i64 {
        self.refresh_token_ttl.min(self.idle_timeout(remember))
    }
}
