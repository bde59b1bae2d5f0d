//! Storage: connection set-up and one query module per table. Nothing outside `db/` builds a query.

pub mod audit;
pub mod batch;
pub mod entities;
pub mod rotations;
pub mod sessions;
pub mod signing_keys;
pub mod users;

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};
use std::time::Duration;

use crate::server::config::Config;

/// How long a PostgreSQL connection may sit idle before it is pinged on checkout.
const IDLE_BEFORE_PING: Duration = Duration::from_secs(2);

/// How much of an SQLite database file each connection maps into memory (an address-space
/// limit, not an allocation). Pages are then read from the OS page cache without a `pread`
/// and a copy each, which matters because every write on one connection empties the other
/// connections' own page caches.
const MMAP_SIZE: u64 = 256 * 1024 * 1024;

/// WAL pages after which a commit checkpoints them into the database file (SQLite's default is
/// 1,000, ~4 MiB). Every rotation rewrites the same few index and session pages, and a
/// checkpoint writes each page once however often it changed, so checkpointing less often
/// writes much less: refresh at 64 sessions ran 9-12 % faster in an interleaved A/B. The WAL
/// file then grows to ~40 MiB before it is reused. A crash of the process loses nothing either
/// way; with `synchronous = NORMAL`, a power failure can lose the commits since the WAL was
/// last synced, at a checkpoint: that window was already open-ended in time on a quiet server,
/// and here it can hold more pages. (What it loses is recent rotations and sign-ins: those
/// browsers sign in again.)
const WAL_CHECKPOINT_PAGES: u32 = 10_000;

/// Prepared statements each SQLite connection keeps (sqlx's default is 100). A batched query's
/// text depends on its batch size, so the refresh batches alone have up to
/// `2 × rotation_batches::MAX_BATCH` shapes; re-preparing evicted ones costs a parse per batch.
const STATEMENT_CACHE: usize = 512;

/// Opens the pool described by the configuration and brings the schema up to date.
///
/// SQLite runs in WAL mode with a busy timeout so that readers never block the writer.
///
/// The pool does not ping a connection on every checkout (sqlx's default), which would double
/// the round trips of every query outside a transaction: an embedded SQLite connection cannot
/// go away, and a PostgreSQL connection is pinged only after it sat idle, when a restart or a
/// proxy may have dropped it. A connection that fails mid-query is discarded either way.
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
        .test_before_acquire(false)
        .map_sqlx_sqlite_opts(|o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(5))
                .pragma("mmap_size", MMAP_SIZE.to_string())
                .pragma("wal_autocheckpoint", WAL_CHECKPOINT_PAGES.to_string())
                .statement_cache_capacity(STATEMENT_CACHE)
        });
    if !config.is_sqlite() {
        options.test_before_acquire_if_idle_for(IDLE_BEFORE_PING);
    }
    let db = Database::connect(options).await?;
    Migrator::up(&db, None).await?;
    Ok(db)
}

/// True when the error says the same row already exists (a unique constraint fired).
pub fn is_unique_violation(err: &DbErr) -> bool {
    matches!(err.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_)))
}
