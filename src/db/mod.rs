//! Storage: connection set-up and one query module per table. Nothing outside `db/` builds a query.

pub mod audit;
pub mod batch;
pub mod devices;
pub mod email_tokens;
pub mod entities;
pub mod notes;
pub mod outbox;
pub mod passkeys;
pub mod revocations;
pub mod rotations;
pub mod second_factors;
pub mod sessions;
pub mod signing_keys;
pub mod throttle;
pub mod users;

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};
use std::time::Duration;

use crate::error::AppError;

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

/// Where the database is and how many connections to keep to it.
#[derive(Debug, Clone, Copy)]
pub struct PoolSettings<'a> {
    /// `sqlite://…` or `postgres://…`.
    pub url: &'a str,
    pub max_connections: u32,
    /// How long to wait for a connection before giving up (the request gets 503).
    pub acquire_timeout: Duration,
}

impl PoolSettings<'_> {
    pub fn is_sqlite(&self) -> bool {
        self.url.starts_with("sqlite:")
    }
}

/// Opens the pool described by `pool` and brings the schema up to date.
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
pub async fn connect_and_migrate(pool: PoolSettings<'_>) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(pool.url.to_owned());
    options
        .max_connections(pool.max_connections)
        .min_connections(1)
        .acquire_timeout(pool.acquire_timeout)
        .connect_timeout(pool.acquire_timeout)
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
    if pool.is_sqlite() {
        restrict_sqlite_files(pool.url)?;
    } else {
        options.test_before_acquire_if_idle_for(IDLE_BEFORE_PING);
    }
    let db = Database::connect(options).await?;
    Migrator::up(&db, None).await?;
    Ok(db)
}

/// Makes the SQLite database file (and its WAL and shared-memory files, which SQLite creates
/// with the database's own mode) readable and writable by this user only: it holds password
/// hashes and the JWT signing keys. The file is created here when it does not exist yet.
///
/// # Errors
/// The file cannot be created or its mode set.
fn restrict_sqlite_files(url: &str) -> Result<(), DbErr> {
    use sea_orm::sqlx::sqlite::SqliteConnectOptions;
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    use std::str::FromStr;
    let options =
        SqliteConnectOptions::from_str(url).map_err(|e| DbErr::Custom(format!("DATABASE_URL: {e}")))?;
    let path = options.get_filename();
    if path.as_os_str().is_empty() || path.to_string_lossy().contains(":memory:") {
        return Ok(());
    }
    let io = |e: std::io::Error| DbErr::Custom(format!("database file {}: {e}", path.display()));
    if !path.exists() {
        std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .open(path)
            .map_err(io)?;
    }
    for suffix in ["", "-wal", "-shm"] {
        let file = std::path::PathBuf::from(format!("{}{suffix}", path.display()));
        if file.exists() {
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).map_err(io)?;
        }
    }
    Ok(())
}

impl From<DbErr> for AppError {
    fn from(err: DbErr) -> Self {
        if is_unavailable(&err) {
            tracing::error!(error = %err, "database unavailable");
            Self::Unavailable
        } else {
            tracing::error!(error = %err, "database error");
            Self::Internal
        }
    }
}

/// True when the error says the database cannot be reached right now (connection refused or
/// lost, pool exhausted, server shutting down), as opposed to a fault in a query.
pub fn is_unavailable(err: &DbErr) -> bool {
    use sea_orm::sqlx::Error as SqlxError;
    use sea_orm::RuntimeErr;
    let sqlx_error = match err {
        DbErr::ConnectionAcquire(_) => return true,
        DbErr::Conn(RuntimeErr::SqlxError(e)) | DbErr::Exec(RuntimeErr::SqlxError(e)) => e,
        DbErr::Query(RuntimeErr::SqlxError(e)) => e,
        DbErr::Conn(_) => return true,
        _ => return false,
    };
    match sqlx_error.as_ref() {
        SqlxError::Io(_) | SqlxError::Tls(_) | SqlxError::PoolTimedOut | SqlxError::PoolClosed => true,
        SqlxError::WorkerCrashed | SqlxError::Protocol(_) => true,
        // PostgreSQL: class 08 (connection exception), 57P01-57P03 (shutdown, cannot connect now);
        // SQLite: SQLITE_BUSY (5) and SQLITE_LOCKED (6), with their extended codes, when another
        // writer held the database past the busy timeout.
        SqlxError::Database(db) => match db.try_downcast_ref::<sea_orm::sqlx::sqlite::SqliteError>() {
            Some(sqlite) => sea_orm::sqlx::error::DatabaseError::code(sqlite)
                .and_then(|c| c.parse::<i32>().ok())
                .is_some_and(|n| matches!(n & 0xff, 5 | 6)),
            None => db.code().is_some_and(|c| c.starts_with("08") || c.starts_with("57P")),
        },
        _ => false,
    }
}

/// True when the error says the same row already exists (a unique constraint fired).
pub fn is_unique_violation(err: &DbErr) -> bool {
    matches!(err.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_)))
}
