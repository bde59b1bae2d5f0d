//! The writes of a batch of refresh-token rotations, in as few round trips as the backend allows.
//!
//! Three statements, in this order (see `auth::rotation` for why each is safe on its own):
//! 1. store every successor ([`store_tokens`](super::refresh_tokens::store_tokens));
//! 2. note each live session's use ([`touch_sessions`](super::sessions::touch_sessions));
//! 3. claim every parent ([`claim_rotations`](super::refresh_tokens::claim_rotations)), the
//!    linearisation point, last: a failure before it leaves no token claimed, so every caller
//!    can simply retry with the token it holds.
//!
//! On SQLite, each statement sent on its own is a round trip to the connection's thread, and
//! under load most of a batch's time is spent waking that thread and the task waiting on it.
//! So SQLite gets the three as one multi-statement query: one round trip, each statement still
//! its own autocommit (as when sent one by one). PostgreSQL cannot prepare several statements
//! at once, and gets them one by one.

use sea_orm::sea_query::{InsertStatement, UpdateStatement};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement, Values};

use super::refresh_tokens::{claim_rotations_statement, claimed_ids, store_tokens_statement, NewToken};
use super::sessions::{touch_sessions_statement, SessionUse};

/// What a batch of rotations writes.
#[derive(Debug)]
pub struct RotationWrites<'a> {
    pub successors: Vec<NewToken<'a>>,
    pub uses: Vec<SessionUse<'a>>,
    /// `(token id, session id)` of each presented token.
    pub claims: Vec<(i64, &'a str)>,
    pub now: i64,
}

/// Writes the batch; returns the ids of the tokens whose claim won. A batch without claims
/// writes nothing.
///
/// # Errors
/// Database failure. The statements before the failing one stay written.
pub async fn write_rotations(
    db: &impl ConnectionTrait,
    writes: &RotationWrites<'_>,
) -> Result<Vec<i64>, DbErr> {
    let store = store_tokens_statement(&writes.successors);
    let touch = touch_sessions_statement(&writes.uses, writes.now);
    let Some(claim) = claim_rotations_statement(&writes.claims, writes.now) else {
        return Ok(Vec::new());
    };
    let backend = db.get_database_backend();
    if backend == DbBackend::Sqlite {
        return claimed_ids(db.query_all_raw(one_query(backend, store, touch, claim)).await?);
    }
    if let Some(store) = store {
        db.execute(&store).await?;
    }
    if let Some(touch) = touch {
        db.execute(&touch).await?;
    }
    claimed_ids(db.query_all(&claim).await?)
}

/// The three statements as one query text, their parameters in order (SQLite numbers `?`
/// placeholders across the statements of one query).
fn one_query(
    backend: DbBackend,
    store: Option<InsertStatement>,
    touch: Option<UpdateStatement>,
    claim: UpdateStatement,
) -> Statement {
    let parts =
        [store.map(|s| backend.build(&s)), touch.map(|t| backend.build(&t)), Some(backend.build(&claim))];
    let (mut sql, mut values) = (String::new(), Vec::new());
    for part in parts.into_iter().flatten() {
        sql.push_str(&part.sql);
        sql.push_str(";\n");
        values.extend(part.values.map(|Values(v)| v).unwrap_or_default());
    }
    Statement::from_sql_and_values(backend, sql, values)
}
