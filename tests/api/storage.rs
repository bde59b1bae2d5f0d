//! How the embedded database is set up: what the refresh path's throughput rests on.

use sea_orm::{ConnectionTrait, Statement};

use crate::helpers::spawn_app;

async fn pragma(app: &crate::helpers::TestApp, name: &str) -> String {
    let db = &app.state.db;
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
