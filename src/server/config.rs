//! Start-up configuration: clap arguments, each also read from its environment variable (and
//! from a `.env` file, loaded first by `main`). `latchkey --help` lists every one with its
//! default. A bad value stops the server with a message naming the variable; nothing here is
//! read again at request time.
//!
//! Leptos reads its own variables (`LEPTOS_SITE_ADDR`, `LEPTOS_SITE_ROOT`, …) itself.

use std::collections::HashMap;
use std::str::FromStr;
use std::time::Duration;

use clap::builder::BoolishValueParser;
use clap::{Args, CommandFactory, FromArgMatches, Parser};
use ipnet::IpNet;

use crate::auth::settings::AuthSettings;
use crate::db::PoolSettings;
use crate::server::listener::ConnectionLimits;

const DEFAULT_DATABASE_URL: &str = "sqlite://latchkey.db?mode=rwc";

/// Everything the server needs to know about its deployment.
#[derive(Debug, Clone, Args)]
pub struct Config {
    /// `sqlite://…` or `postgres://…` (the value is never shown: it may hold a password).
    #[arg(long, env = "DATABASE_URL", value_name = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL,
          hide_env_values = true, value_parser = |raw: &str| Ok::<_, String>(DatabaseUrl::new(raw)))]
    pub database_url: DatabaseUrl,
    /// Connections in the database pool [default: 16 on PostgreSQL, 2 on SQLite].
    #[arg(long, env = "DATABASE_MAX_CONNECTIONS", value_name = "DATABASE_MAX_CONNECTIONS",
          value_parser = clap::value_parser!(u32).range(1..))]
    pub database_max_connections: Option<u32>,
    /// Seconds to wait for a database connection before answering 503.
    #[arg(long, env = "DATABASE_ACQUIRE_TIMEOUT", value_name = "DATABASE_ACQUIRE_TIMEOUT", default_value_t = 3,
          value_parser = seconds(1))]
    pub database_acquire_timeout: i64,
    /// Seconds an access JWT is valid.
    #[arg(long, env = "ACCESS_TOKEN_TTL", value_name = "ACCESS_TOKEN_TTL", default_value_t = 300, value_parser = seconds(1))]
    pub access_token_ttl: i64,
    /// Seconds a refresh token lives unused.
    #[arg(long, env = "REFRESH_TOKEN_TTL", value_name = "REFRESH_TOKEN_TTL", default_value_t = 1_209_600,
          value_parser = seconds(1))]
    pub refresh_token_ttl: i64,
    /// Seconds a just-rotated refresh token is still answered, with the same successor (two
    /// tabs refreshing at once); at least 2.
    #[arg(long, env = "REFRESH_REUSE_GRACE", value_name = "REFRESH_REUSE_GRACE", default_value_t = 10,
          value_parser = seconds(2))]
    pub refresh_reuse_grace: i64,
    /// Seconds without a refresh before a session ends.
    #[arg(long, env = "SESSION_IDLE_TIMEOUT", value_name = "SESSION_IDLE_TIMEOUT", default_value_t = 1_209_600,
          value_parser = seconds(1))]
    pub session_idle_timeout: i64,
    /// Seconds without a refresh before a session ends, for a sign-in without "remember me"
    /// (its cookies also end with the browser session).
    #[arg(long, env = "SESSION_IDLE_TIMEOUT_FORGET", value_name = "SESSION_IDLE_TIMEOUT_FORGET",
          default_value_t = 43_200, value_parser = seconds(1))]
    pub session_idle_timeout_forget: i64,
    /// Seconds after sign-in when a session ends regardless.
    #[arg(long, env = "SESSION_MAX_LIFETIME", value_name = "SESSION_MAX_LIFETIME", default_value_t = 2_592_000,
          value_parser = seconds(1))]
    pub session_max_lifetime: i64,
    /// `false` only for plain-http development: cookies without `Secure` and their prefixes.
    #[arg(long, env = "COOKIE_SECURE", value_name = "COOKIE_SECURE", default_value_t = true,
          action = clap::ArgAction::Set, value_parser = BoolishValueParser::new())]
    pub cookie_secure: bool,
    /// The site's origin for the CSRF check (set it behind a proxy) [default: the request's
    /// `Host`, with https when cookies are Secure].
    #[arg(long, env = "PUBLIC_ORIGIN", value_name = "PUBLIC_ORIGIN", value_parser = origin)]
    pub public_origin: Option<String>,
    /// Comma-separated CIDRs of reverse proxies whose `X-Forwarded-For`/`Forwarded` headers
    /// are believed [default: none].
    #[arg(long, env = "TRUSTED_PROXIES", value_name = "TRUSTED_PROXIES", value_delimiter = ',',
          value_parser = cidr)]
    pub trusted_proxies: Vec<IpNet>,
    /// Failed sign-ins per account (or known device) per window before 429.
    #[arg(long, env = "LOGIN_MAX_FAILURES", value_name = "LOGIN_MAX_FAILURES", default_value_t = 5,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub login_max_failures: u32,
    /// Seconds of a sign-in throttle window.
    #[arg(long, env = "LOGIN_FAILURE_WINDOW", value_name = "LOGIN_FAILURE_WINDOW", default_value_t = 900,
          value_parser = seconds(1))]
    pub login_failure_window: i64,
    /// Seconds after a sign-in or re-authentication during which sensitive actions need no
    /// password again (sudo); a refresh never extends it.
    #[arg(long, env = "REAUTH_WINDOW", value_name = "REAUTH_WINDOW", default_value_t = 600,
          value_parser = seconds(1))]
    pub reauth_window: i64,
    /// Auth requests per IP (IPv6: per /64) per minute; 0 switches the limit off.
    #[arg(long, env = "IP_RATE_LIMIT", value_name = "IP_RATE_LIMIT", default_value_t = 120)]
    pub ip_rate_limit: u32,
    /// Seconds audit events are kept.
    #[arg(long, env = "AUDIT_RETENTION", value_name = "AUDIT_RETENTION", default_value_t = 90 * 24 * 3600,
          value_parser = seconds(1))]
    pub audit_retention: i64,
    /// Client connections served at once (lowered to fit the file descriptor limit).
    #[arg(long, env = "MAX_CONNECTIONS", value_name = "MAX_CONNECTIONS", default_value_t = 10_000,
          value_parser = clap::value_parser!(u32).range(16..))]
    pub max_connections: u32,
    /// Seconds a client has to send a request's whole head.
    #[arg(long, env = "HEADER_READ_TIMEOUT", value_name = "HEADER_READ_TIMEOUT", default_value_t = 10,
          value_parser = seconds(1))]
    pub header_read_timeout: i64,
    /// Seconds a connection may send and receive nothing before it is closed.
    #[arg(long, env = "IDLE_TIMEOUT", value_name = "IDLE_TIMEOUT", default_value_t = 60, value_parser = seconds(1))]
    pub idle_timeout: i64,
    /// Where mail goes: `smtp://host:port` (STARTTLS with `?tls=required`), `smtps://user:pass@host:port`
    /// (the value is never shown) [default: none: mail is written to the log, links redacted].
    #[arg(long, env = "SMTP_URL", value_name = "SMTP_URL", hide_env_values = true,
          value_parser = |raw: &str| Ok::<_, String>(SmtpUrl::new(raw.trim())))]
    pub smtp_url: Option<SmtpUrl>,
    /// The sender of every mail.
    #[arg(
        long,
        env = "MAIL_FROM",
        value_name = "MAIL_FROM",
        default_value = "Latchkey <no-reply@localhost>"
    )]
    pub mail_from: String,
    /// Seconds a password-reset link is valid.
    #[arg(long, env = "RESET_TOKEN_TTL", value_name = "RESET_TOKEN_TTL", default_value_t = 3_600,
          value_parser = seconds(1))]
    pub reset_token_ttl: i64,
}

/// Just the configuration, for [`Config::from_vars`].
#[derive(Debug, Parser)]
#[command(name = "latchkey")]
struct ConfigOnly {
    #[command(flatten)]
    config: Config,
}

impl Config {
    /// The configuration from these variables (as if each were set in the environment), for
    /// tests and tools. Variables that are not ours are ignored.
    ///
    /// # Errors
    /// The first value that cannot be used, naming its variable.
    pub fn from_vars(vars: &HashMap<String, String>) -> Result<Self, clap::Error> {
        let command = ConfigOnly::command();
        let args: Vec<String> = command
            .get_arguments()
            .filter_map(|arg| {
                let env = arg.get_env()?.to_str()?;
                let value = vars.get(env)?;
                Some(format!("--{}={value}", arg.get_long()?))
            })
            .collect();
        let matches = command.try_get_matches_from(std::iter::once("latchkey".to_owned()).chain(args))?;
        let config = ConfigOnly::from_arg_matches(&matches)?.config;
        config.validate()?;
        Ok(config)
    }

    /// What clap's parsers cannot check without showing the value: the database URL may hold
    /// a password, and clap's errors quote the value they refuse.
    ///
    /// # Errors
    /// A database URL of an unknown scheme, named by its scheme only.
    pub fn validate(&self) -> Result<(), clap::Error> {
        if let Some(smtp) = &self.smtp_url {
            if !["smtp://", "smtps://"].iter().any(|p| smtp.expose().starts_with(p)) {
                return Err(clap::Error::raw(
                    clap::error::ErrorKind::ValueValidation,
                    "invalid value for SMTP_URL (--smtp-url): expected smtp://… or smtps://… \
                     (the value is not shown: it may hold a password)\n",
                ));
            }
        }
        if lettre::message::Mailbox::from_str(&self.mail_from).is_err() {
            return Err(clap::Error::raw(
                clap::error::ErrorKind::ValueValidation,
                format!(
                    "invalid value {:?} for MAIL_FROM (--mail-from): expected an address like \
                         \"Latchkey <no-reply@example.com>\"\n",
                    self.mail_from
                ),
            ));
        }
        let url = self.database_url.expose();
        if ["sqlite:", "postgres://", "postgresql://"].iter().any(|p| url.starts_with(p)) {
            return Ok(());
        }
        let scheme = url.split("://").next().filter(|s| s.len() < url.len()).unwrap_or("(none)");
        let message = format!(
            "invalid value for DATABASE_URL (--database-url): expected sqlite://… or postgres://…, \
             not a {scheme:?} URL (the value is not shown: it may hold a password)\n"
        );
        Err(clap::Error::raw(clap::error::ErrorKind::ValueValidation, message))
    }

    /// The database is SQLite (as opposed to PostgreSQL).
    pub fn is_sqlite(&self) -> bool {
        self.database_url.expose().starts_with("sqlite:")
    }

    /// What the auth services need to know.
    pub fn auth_settings(&self) -> AuthSettings {
        AuthSettings {
            access_token_ttl: self.access_token_ttl,
            refresh_token_ttl: self.refresh_token_ttl,
            refresh_reuse_grace: self.refresh_reuse_grace,
            session_idle_timeout: self.session_idle_timeout,
            session_idle_timeout_forget: self.session_idle_timeout_forget,
            session_max_lifetime: self.session_max_lifetime,
            cookie_secure: self.cookie_secure,
            login_max_failures: self.login_max_failures,
            login_failure_window: self.login_failure_window,
            audit_retention: self.audit_retention,
            reauth_window: self.reauth_window,
            reset_token_ttl: self.reset_token_ttl,
            link_origin: self.public_origin.clone().unwrap_or_default(),
        }
    }

    /// The database pool. SQLite has one writer: more connections than two mostly wait in its
    /// busy handler (two let batched refresh reads run beside the batched writes).
    pub fn pool_settings(&self) -> PoolSettings<'_> {
        let default = if self.is_sqlite() { 2 } else { 16 };
        PoolSettings {
            url: self.database_url.expose(),
            max_connections: self.database_max_connections.unwrap_or(default),
            acquire_timeout: secs(self.database_acquire_timeout),
        }
    }

    /// The connection limits of the listener.
    pub fn connection_limits(&self) -> ConnectionLimits {
        ConnectionLimits {
            max_connections: self.max_connections as usize,
            header_read_timeout: secs(self.header_read_timeout),
            idle_timeout: secs(self.idle_timeout),
        }
    }
}

fn secs(seconds: i64) -> Duration {
    Duration::from_secs(u64::try_from(seconds).unwrap_or(1))
}

/// A URL that may hold a password (the database's, the SMTP server's): `Debug` shows only its
/// scheme.
#[derive(Clone)]
pub struct SecretUrl(String);

pub type DatabaseUrl = SecretUrl;
pub type SmtpUrl = SecretUrl;

impl SecretUrl {
    pub fn new(url: impl Into<String>) -> Self {
        Self(url.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for SecretUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let scheme = self.0.split(':').next().unwrap_or("");
        write!(f, "SecretUrl({scheme}://<redacted>)")
    }
}

/// A parser of whole seconds, at least `min`.
fn seconds(min: i64) -> impl Fn(&str) -> Result<i64, String> + Clone + Send + Sync + 'static {
    move |raw: &str| match raw.trim().parse::<u32>() {
        Ok(value) if i64::from(value) >= min => Ok(i64::from(value)),
        Ok(_) => Err(format!("must be at least {min} second{}", if min == 1 { "" } else { "s" })),
        Err(_) => Err("expected a whole number of seconds".into()),
    }
}

fn origin(raw: &str) -> Result<String, String> {
    let origin = raw.trim().trim_end_matches('/');
    let (scheme, host) = origin.split_once("://").unwrap_or(("", ""));
    if !matches!(scheme, "http" | "https") || host.is_empty() || host.contains('/') {
        return Err("expected an origin like https://example.com".into());
    }
    Ok(origin.to_owned())
}

fn cidr(raw: &str) -> Result<IpNet, String> {
    let raw = raw.trim();
    raw.parse::<IpNet>()
        .or_else(|_| raw.parse::<std::net::IpAddr>().map(IpNet::from))
        .map_err(|_| format!("expected an address or CIDR like 10.0.0.0/8, not {raw:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(vars: &[(&str, &str)]) -> Result<Config, clap::Error> {
        let map: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_vars(&map)
    }

    #[test]
    fn defaults_follow_the_contract() {
        let c = config(&[]).expect("defaults are valid");
        assert_eq!(c.access_token_ttl, 300);
        assert_eq!(c.refresh_token_ttl, 1_209_600);
        assert_eq!(c.refresh_reuse_grace, 10);
        assert_eq!(c.session_idle_timeout, 1_209_600);
        assert_eq!(c.session_idle_timeout_forget, 43_200);
        assert_eq!(c.reauth_window, 600);
        assert_eq!(c.session_max_lifetime, 2_592_000);
        assert!(c.cookie_secure);
        assert_eq!(c.login_max_failures, 5);
        assert_eq!(c.login_failure_window, 900);
        assert_eq!(c.audit_retention, 90 * 24 * 3600);
        assert!(c.trusted_proxies.is_empty());
        assert!(c.is_sqlite());
        assert_eq!(c.pool_settings().max_connections, 2);
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
            ("TRUSTED_PROXIES", "10.0.0.0/8,not-a-network"),
            ("AUDIT_RETENTION", "0"),
            ("SESSION_IDLE_TIMEOUT_FORGET", "0"),
            ("RESET_TOKEN_TTL", "0"),
            ("MAIL_FROM", "not an address"),
        ] {
            let err = config(&[(name, value)]).expect_err(name).to_string();
            assert!(err.contains(name), "{name}={value}: {err}");
        }
    }

    #[test]
    fn valid_overrides_are_applied() {
        let c = config(&[
            ("ACCESS_TOKEN_TTL", "3"),
            ("COOKIE_SECURE", "false"),
            ("PUBLIC_ORIGIN", "https://auth.example.com/"),
            ("IP_RATE_LIMIT", "0"),
            ("TRUSTED_PROXIES", "10.0.0.0/8, 192.0.2.7,2001:db8::/32"),
            ("DATABASE_URL", "postgres://u:p@127.0.0.1/db"),
        ])
        .expect("valid");
        assert_eq!(c.access_token_ttl, 3);
        assert!(!c.cookie_secure);
        assert_eq!(c.public_origin.as_deref(), Some("https://auth.example.com"));
        assert_eq!(c.ip_rate_limit, 0);
        assert_eq!(c.trusted_proxies.len(), 3);
        assert!(!c.is_sqlite());
        assert_eq!(c.pool_settings().max_connections, 16);
        assert!(!format!("{c:?}").contains("u:p@"), "database password leaked into Debug");
    }

    #[test]
    fn a_reuse_grace_under_two_seconds_is_refused() {
        for value in ["0", "1"] {
            let err = config(&[("REFRESH_REUSE_GRACE", value)]).expect_err(value).to_string();
            assert!(err.contains("REFRESH_REUSE_GRACE") && err.contains("at least 2"), "{err}");
        }
        assert_eq!(config(&[("REFRESH_REUSE_GRACE", "2")]).expect("valid").refresh_reuse_grace, 2);
    }

    #[test]
    fn an_smtp_url_is_checked_and_never_shown() {
        let err = config(&[("SMTP_URL", "http://mailer:hunter2@example.com")]).expect_err("http").to_string();
        assert!(err.contains("SMTP_URL") && !err.contains("hunter2"), "{err}");
        let c = config(&[("SMTP_URL", "smtps://mailer:hunter2@smtp.example.com:465")]).expect("valid");
        assert!(!format!("{c:?}").contains("hunter2"), "SMTP password leaked into Debug");
    }

    #[test]
    fn an_unknown_database_scheme_is_refused_without_echoing_its_password() {
        let err = config(&[("DATABASE_URL", "mysql://admin:hunter2@db.internal/app")]).expect_err("mysql");
        let shown = err.to_string();
        assert!(!shown.contains("hunter2") && !shown.contains("admin"), "{shown}");
        assert!(shown.contains("DATABASE_URL") && shown.contains("mysql"), "{shown}");
    }

    #[test]
    fn help_lists_every_variable_with_its_default() {
        let help = ConfigOnly::command().render_long_help().to_string();
        for (variable, default) in [
            ("ACCESS_TOKEN_TTL", "300"),
            ("REFRESH_REUSE_GRACE", "10"),
            ("COOKIE_SECURE", "true"),
            ("IP_RATE_LIMIT", "120"),
            ("DATABASE_URL", DEFAULT_DATABASE_URL),
        ] {
            assert!(help.contains(&format!("[env: {variable}")), "{variable} missing from:\n{help}");
            assert!(help.contains(&format!("[default: {default}]")), "{default} missing from:\n{help}");
        }
        assert!(help.contains("TRUSTED_PROXIES") && help.contains("PUBLIC_ORIGIN"));
    }
}
