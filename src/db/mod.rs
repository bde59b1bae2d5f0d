//! Storage: connection set-up and one query module per table. Nothing outside `db/` builds a query.

pub mod audit;
pub mod entities;
pub mod refresh_tokens;
pub mod sessions;
pub mod signing_keys;
pub mod users;

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};
use std::time::Duration;

use crate::server::config::Config;

/// Opens the pool described by the configuration and brings the schema up to date.
///
/// SQLite runs in WAL mode with a busy timeout so that readers never block the writer.
///
/// # Errors
/// The database cannot be reached or a migration fails.
pub async fn connect_and_migrate(config: &Config) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(config.database_url.expose().to_owned());
    options
        .max_connections(config.db_max_connections)
        .min_connections(1)
        .acquire_timeout(config.db_acquire_timeout)
        .connect_timeout(config.db_acquire_timeout)
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(5))
        });
    let db = Database::connect(options).await?;
    Migrator::up(&db, None).await?;
    Ok(db)
}

/// True when the error says the same row already exists (a unique constraint fired).
pub fn is_unique_violation(err: &DbErr) -> bool {
    matches!(err.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_)))
}
