//! Start-up configuration from the environment (and `.env`), validated once.
//!
//! A bad value stops the server with a message naming the variable; nothing here is read
//! again at request time.

use std::time::Duration;

/// Everything the server needs to know about its deployment.
#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: DatabaseUrl,
    pub access_token_ttl: i64,
    pub refresh_token_ttl: i64,
    pub refresh_reuse_grace: i64,
    pub session_idle_timeout: i64,
    pub session_max_lifetime: i64,
    pub cookie_secure: bool,
    pub public_origin: Option<String>,
    pub login_max_failures: u32,
    pub login_failure_window: i64,
    /// Auth requests per IP per minute; 0 switches the limit off.
    pub ip_rate_limit: u32,
    pub db_max_connections: u32,
    pub db_acquire_timeout: Duration,
}

/// A variable that is set but unusable.
#[derive(Debug, thiserror::Error)]
#[error("invalid {variable}={value:?}: {reason}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub value: String,
    pub reason: &'static str,
}

const DEFAULT_DATABASE_URL: &str = "sqlite://latchkey.db?mode=rwc";

impl Config {
    /// Reads the process environment (after loading `.env`, if present).
    ///
    /// # Errors
    /// The first variable whose value cannot be used.
    pub fn from_env() -> Result<Self, ConfigError> {
        let _ = dotenvy::dotenv();
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Builds the configuration from any variable lookup (tests pass a map).
    ///
    /// # Errors
    /// The first variable whose value cannot be used.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let env = Env(&get);
        let database_url = env.database_url()?;
        let sqlite = database_url.starts_with("sqlite:");
        let config = Self {
            database_url: DatabaseUrl(database_url),
            access_token_ttl: env.seconds("ACCESS_TOKEN_TTL", 300)?,
            refresh_token_ttl: env.seconds("REFRESH_TOKEN_TTL", 1_209_600)?,
            refresh_reuse_grace: env.seconds_or_zero("REFRESH_REUSE_GRACE", 10)?,
            session_idle_timeout: env.seconds("SESSION_IDLE_TIMEOUT", 1_209_600)?,
            session_max_lifetime: env.seconds("SESSION_MAX_LIFETIME", 2_592_000)?,
            cookie_secure: env.boolean("COOKIE_SECURE", true)?,
            public_origin: env.origin("PUBLIC_ORIGIN")?,
            login_max_failures: env.count("LOGIN_MAX_FAILURES", 5, 1)?,
            login_failure_window: env.seconds("LOGIN_FAILURE_WINDOW", 900)?,
            ip_rate_limit: env.count("IP_RATE_LIMIT", 120, 0)?,
            // SQLite has one writer, and a writer that finds the lock taken sleeps in SQLite's
            // busy handler (1 ms, then longer). Two connections let batched refresh reads run
            // beside the batched rotation writes (WAL readers never block the writer); all
            // rotations are written by one task, so two writers rarely meet.
            db_max_connections: env.count("DATABASE_MAX_CONNECTIONS", if sqlite { 2 } else { 16 }, 1)?,
            db_acquire_timeout: Duration::from_secs(env.seconds("DATABASE_ACQUIRE_TIMEOUT", 3)? as u64),
        };
        Ok(config)
    }

    /// The database is SQLite (as opposed to PostgreSQL).
    pub fn is_sqlite(&self) -> bool {
        self.database_url.expose().starts_with("sqlite:")
    }
}

/// The database URL; it may hold a password, so `Debug` shows only the scheme.
#[derive(Clone)]
pub struct DatabaseUrl(String);

impl DatabaseUrl {
    pub fn new(url: impl Into<String>) -> Self {
        Self(url.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let scheme = self.0.split(':').next().unwrap_or("");
        write!(f, "DatabaseUrl({scheme}://<redacted>)")
    }
}

struct Env<'a, F: Fn(&str) -> Option<String>>(&'a F);

impl<F: Fn(&str) -> Option<String>> Env<'_, F> {
    fn database_url(&self) -> Result<String, ConfigError> {
        let Some(url) = (self.0)("DATABASE_URL") else {
            return Ok(DEFAULT_DATABASE_URL.into());
        };
        let known = ["sqlite:", "postgres://", "postgresql://"];
        if known.iter().any(|p| url.starts_with(p)) {
            Ok(url)
        } else {
            Err(error("DATABASE_URL", &url, "expected sqlite://… or postgres://…"))
        }
    }

    fn seconds(&self, name: &'static str, default: i64) -> Result<i64, ConfigError> {
        let value = self.seconds_or_zero(name, default)?;
        if value == 0 {
            return Err(error(name, "0", "must be at least 1 second"));
        }
        Ok(value)
    }

    fn seconds_or_zero(&self, name: &'static str, default: i64) -> Result<i64, ConfigError> {
        match (self.0)(name) {
            None => Ok(default),
            Some(raw) => match raw.trim().parse::<u32>() {
                Ok(v) => Ok(i64::from(v)),
                Err(_) => Err(error(name, &raw, "expected a whole number of seconds")),
            },
        }
    }

    fn count(&self, name: &'static str, default: u32, min: u32) -> Result<u32, ConfigError> {
        match (self.0)(name) {
            None => Ok(default),
            Some(raw) => match raw.trim().parse::<u32>() {
                Ok(v) if v >= min => Ok(v),
                _ if min == 0 => Err(error(name, &raw, "expected a whole number (0 = off)")),
                _ => Err(error(name, &raw, "expected a whole number of at least 1")),
            },
        }
    }

    fn boolean(&self, name: &'static str, default: bool) -> Result<bool, ConfigError> {
        match (self.0)(name).as_deref().map(str::trim) {
            None => Ok(default),
            Some("true" | "1" | "yes") => Ok(true),
            Some("false" | "0" | "no") => Ok(false),
            Some(raw) => Err(error(name, raw, "expected true or false")),
        }
    }

    fn origin(&self, name: &'static str) -> Result<Option<String>, ConfigError> {
        let Some(raw) = (self.0)(name) else {
            return Ok(None);
        };
        let origin = raw.trim().trim_end_matches('/');
        let (scheme, host) = origin.split_once("://").unwrap_or(("", ""));
        if !matches!(scheme, "http" | "https") || host.is_empty() || host.contains('/') {
            return Err(error(name, &raw, "expected an origin like https://example.com"));
        }
        Ok(Some(origin.to_owned()))
    }
}

fn error(variable: &'static str, value: &str, reason: &'static str) -> ConfigError {
    ConfigError { variable, value: value.to_owned(), reason }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn defaults_follow_the_contract() {
        let c = config(&[]).expect("defaults are valid");
        assert_eq!(c.access_token_ttl, 300);
        assert_eq!(c.refresh_token_ttl, 1_209_600);
        assert_eq!(c.refresh_reuse_grace, 10);
        assert_eq!(c.session_idle_timeout, 1_209_600);
        assert_eq!(c.session_max_lifetime, 2_592_000);
        assert!(c.cookie_secure);
        assert_eq!(c.login_max_failures, 5);
        assert_eq!(c.login_failure_window, 900);
        assert!(c.is_sqlite());
    }

    #[test]
    fn a_bad_value_names_its_variable() {
        for (name, value) in [
            ("ACCESS_TOKEN_TTL", "five"),
            ("ACCESS_TOKEN_TTL", "0"),
            ("COOKIE_SECURE", "maybe"),
            ("DATABASE_URL", "mysql://x"),
            ("PUBLIC_ORIGIN", "example.com"),
            ("LOGIN_MAX_FAILURES", "0"),
            ("IP_RATE_LIMIT", "-1"),
        ] {
            let err = config(&[(name, value)]).expect_err(name);
            assert_eq!(err.variable, name);
            assert!(err.to_string().contains(name), "{err}");
        }
    }

    #[test]
    fn valid_overrides_are_applied() {
        let c = config(&[
            ("ACCESS_TOKEN_TTL", "3"),
            ("COOKIE_SECURE", "false"),
            ("PUBLIC_ORIGIN", "https://auth.example.com/"),
            ("IP_RATE_LIMIT", "0"),
            ("DATABASE_URL", "postgres://u:p@127.0.0.1/db"),
        ])
        .expect("valid");
        assert_eq!(c.access_token_ttl, 3);
        assert!(!c.cookie_secure);
        assert_eq!(c.public_origin.as_deref(), Some("https://auth.example.com"));
        assert_eq!(c.ip_rate_limit, 0);
        assert!(!c.is_sqlite());
        assert!(!format!("{c:?}").contains("u:p@"), "database password leaked into Debug");
    }
}
