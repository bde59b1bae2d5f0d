//! How the embedded database is set up: what the refresh path's throughput rests on.

use sea_orm::{ConnectionTrait, Statement};

use crate::helpers::spawn_app;

async fn pragma(app: &crate::helpers::TestApp, name: &str) -> String {
    let db = &app.state.auth.db;
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), format!("PRAGMA {name}")))
        .await
        .expect("pragma query")
        .expect("one row");
    row.try_get_by_index::<String>(0)
        .or_else(|_| row.try_get_by_index::<i64>(0).map(|n| n.to_string()))
        .expect("a value")
}

#[tokio::test]
async fn sqlite_runs_in_wal_mode_and_checkpoints_every_10000_pages() {
    let app = spawn_app().await;
    if !app.state.config.is_sqlite() {
        return; // PostgreSQL run: nothing of SQLite's to check
    }
    assert_eq!(pragma(&app, "journal_mode").await, "wal");
    assert_eq!(pragma(&app, "wal_autocheckpoint").await, "10000");
    assert_eq!(pragma(&app, "synchronous").await, "1", "NORMAL");
}

#[tokio::test]
async fn upgrading_to_the_token_chain_ends_the_sessions_of_older_tokens() {
    use latchkey::db::sessions::find_session;
    use migration::{Migrator, MigratorTrait};
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("old.db").display());
    let db = sea_orm::Database::connect(url.as_str()).await.expect("connect");
    Migrator::up(&db, Some(1)).await.expect("the first migration");
    for sql in [
        "INSERT INTO users (id, email, password_hash, created_at) VALUES (1, 'ada@example.com', 'x', 1)",
        "INSERT INTO sessions (id, user_id, rotation_key, created_at, last_used_at, expires_at, user_agent, ip) \
         VALUES ('live', 1, x'00', 1, 1, 4000000000, 'ua', '10.0.0.1')",
        "INSERT INTO sessions (id, user_id, rotation_key, created_at, last_used_at, expires_at, user_agent, ip, \
         revoked_at, revoke_reason) VALUES ('ended', 1, x'00', 1, 1, 4000000000, 'ua', '10.0.0.1', 5, 'logout')",
        "INSERT INTO refresh_tokens (session_id, token_hash, created_at, expires_at) VALUES ('live', x'01', 1, 4000000000)",
    ] {
        db.execute_unprepared(sql).await.expect("a row of the old schema");
    }
    Migrator::up(&db, None).await.expect("the rest");
    let live = find_session(&db, "live").await.expect("query").expect("kept");
    assert!(live.revoked_at.is_some_and(|at| at > 5), "ended by the upgrade");
    assert_eq!(live.revoke_reason.as_deref(), Some("refresh_token_format"));
    assert_eq!((live.refresh_hash, live.refresh_generation), (None, 0));
    let ended = find_session(&db, "ended").await.expect("query").expect("kept");
    assert_eq!((ended.revoked_at, ended.revoke_reason.as_deref()), (Some(5), Some("logout")), "untouched");
}

/// How SQLite would run `sql`: the detail lines of `EXPLAIN QUERY PLAN`.
async fn query_plan(app: &crate::helpers::TestApp, sql: &str) -> String {
    let db = &app.state.auth.db;
    let explain = Statement::from_string(db.get_database_backend(), format!("EXPLAIN QUERY PLAN {sql}"));
    let rows = db.query_all_raw(explain).await.expect("query plan");
    rows.iter().map(|row| row.try_get_by_index::<String>(3).expect("detail")).collect::<Vec<_>>().join("\n")
}

#[tokio::test]
async fn writes_to_many_sessions_find_them_by_primary_key_not_by_reading_every_live_one() {
    use latchkey::db::revocations::{revoke_statement, Ending};
    use latchkey::db::rotations::{rotation_statement, SessionRotation};
    use sea_orm::sea_query::SqliteQueryBuilder;
    let app = spawn_app().await;
    if !app.state.config.is_sqlite() {
        return; // PostgreSQL plans with statistics: nothing of SQLite's to check
    }
    let ids: Vec<String> = (0..64).map(|i| format!("session{i}")).collect();
    let rotations: Vec<SessionRotation<'_>> = ids
        .iter()
        .map(|id| SessionRotation {
            session_id: id,
            from_generation: 3,
            successor_hash: vec![7; 32],
            successor_expires_at: 2_000_000_000,
            user_agent: "ua",
            ip: "127.0.0.1",
        })
        .collect();
    let rotation = rotation_statement(&rotations, 1_900_000_000).expect("a statement");
    let revoke = revoke_statement(Ending::Ids(&ids), 1_900_000_000, "logout_all");
    for sql in [rotation.to_string(SqliteQueryBuilder), revoke.to_string(SqliteQueryBuilder)] {
        let plan = query_plan(&app, &sql).await;
        assert!(plan.contains("sqlite_autoindex_sessions_1 (id=?)"), "by primary key:\n{plan}");
        assert!(!plan.contains("revoked") && !plan.contains("SCAN"), "no other path:\n{plan}");
    }
    let since = query_plan(&app, "SELECT id, revoked_at FROM sessions WHERE revoked_at >= 5").await;
    assert!(since.contains("idx_sessions_revoked (revoked_at>?)"), "recent revocations by index:\n{since}");
}
