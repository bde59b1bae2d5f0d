//! The command line: `latchkey` serves the app; `latchkey <command>` runs an admin task against
//! the configured database and prints its result.

use std::io::{BufRead, Write};

use clap::{Parser, Subcommand};

use super::config::Config;
use crate::auth::account::admin::{
    create_user, disable_user, enable_user, revoke_all_sessions, sessions_of, AdminError,
};
use crate::auth::clock::{now, rfc3339};
use crate::auth::maintenance::purge_dead_rows;
use crate::auth::tokens::keys::rotate_signing_key;
use crate::db::connect_and_migrate;

/// `latchkey [OPTIONS] [COMMAND]`: every option is also an environment variable (shown in
/// `--help` with its default), read from a `.env` file too.
#[derive(Debug, Parser)]
#[command(
    name = "latchkey",
    version,
    about = "Latchkey: cookie-based JWT sessions. With no command, serves the app.",
    after_help = "Leptos reads LEPTOS_SITE_ADDR (127.0.0.1:3000), LEPTOS_SITE_ROOT (target/site) and \
                  LEPTOS_SITE_PKG_DIR (pkg) itself; RUST_LOG sets the log filter (info)."
)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Serve the web app (the default).
    Serve,
    /// Create a user; the password is read from standard input (one line, taken as typed).
    CreateUser {
        #[arg(long)]
        email: String,
    },
    /// List a user's sessions that have not been revoked.
    Sessions {
        #[arg(long)]
        email: String,
    },
    /// Revoke every session of a user; running servers refuse their tokens within a second.
    RevokeAll {
        #[arg(long)]
        email: String,
    },
    /// Disable a user: their sessions end, and sign-in is refused until `enable-user`.
    DisableUser {
        #[arg(long)]
        email: String,
    },
    /// Let a disabled user sign in again.
    EnableUser {
        #[arg(long)]
        email: String,
    },
    /// Delete expired refresh tokens and ended sessions.
    Purge,
    /// Sign new tokens with a fresh key; older keys keep verifying until their tokens expire.
    RotateKey,
}

/// Runs one admin command and writes its report to standard output.
///
/// # Errors
/// The task failed; the message is meant for the operator.
pub async fn run_admin(command: Command, config: &Config) -> Result<(), AdminError> {
    let db = connect_and_migrate(config.pool_settings()).await?;
    let report = match command {
        Command::Serve => String::new(),
        Command::CreateUser { email } => {
            let user = create_user(&db, &email, read_password()?).await?;
            format!("created user {} <{}>", user.id, user.email)
        }
        Command::Sessions { email } => sessions_of(&db, &email)
            .await?
            .iter()
            .map(|s| {
                let times =
                    format!("created {}  last used {}", rfc3339(s.created_at), rfc3339(s.last_used_at));
                format!("{}  {times}  {}  {}", s.id, s.ip, s.user_agent)
            })
            .collect::<Vec<_>>()
            .join("\n"),
        Command::RevokeAll { email } => {
            format!("revoked {} session(s) of {email}", revoke_all_sessions(&db, &email).await?)
        }
        Command::DisableUser { email } => {
            let (email, ended) = disable_user(&db, &email).await?;
            format!("disabled {email}; revoked {ended} session(s)")
        }
        Command::EnableUser { email } => format!("enabled {}", enable_user(&db, &email).await?),
        Command::Purge => {
            let report = purge_dead_rows(&db, &config.auth_settings(), now()).await?;
            format!("deleted {} session(s)", report.sessions)
        }
        Command::RotateKey => {
            let kid = rotate_signing_key(&db, now()).await?;
            format!("new signing key {kid}; older keys verify until their tokens expire")
        }
    };
    let mut out = std::io::stdout().lock();
    if !report.is_empty() {
        let _ = writeln!(out, "{report}");
    }
    Ok(())
}

/// The password: typed at a terminal without echo, or else one line from standard input,
/// without its line ending (nothing else is trimmed).
fn read_password() -> Result<String, AdminError> {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() {
        return rpassword::prompt_password("Password (not shown): ")
            .map_err(|e| AdminError::Input(format!("cannot read the password from the terminal: {e}")));
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| AdminError::Input(format!("cannot read the password from standard input: {e}")))?;
    let password = line.strip_suffix('\n').unwrap_or(&line);
    Ok(password.strip_suffix('\r').unwrap_or(password).to_owned())
}
