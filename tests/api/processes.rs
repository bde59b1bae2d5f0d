//! Two real `latchkey` server processes on one database, as behind a load balancer.

use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, Database, Statement};

use crate::helpers::*;

#[tokio::test]
async fn two_server_processes_share_sessions_revocations_and_rotation() {
    let app = spawn_app().await; // creates the fresh database (SQLite or PostgreSQL) and migrates it
    let url = app.env["DATABASE_URL"].clone();
    let (a, b) = (ServerProcess::start(&url, "info"), ServerProcess::start(&url, "info"));

    let mut on_a = a.browser();
    assert_eq!(on_a.register("ada@example.com", PASSWORD).await.status, 200, "sign up through A");
    let mut on_b = on_a.at(&b.address);
    assert_eq!(on_b.refresh().await.status, 200, "refresh through B");
    let mut captured_on_a = on_b.at(&a.address);
    assert_eq!(captured_on_a.me().await.status, 200);
    assert_eq!(on_b.logout().await.status, 200, "logout through B");
    let logged_out = Instant::now();
    while captured_on_a.me().await.status != 401 {
        assert!(logged_out.elapsed() < Duration::from_secs(1), "A still accepts the token after 1 s");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    let mut fresh = a.browser();
    assert_eq!(fresh.login("ada@example.com", PASSWORD).await.status, 200);
    let tabs = (0..8).map(|i| fresh.at(if i % 2 == 0 { &a.address } else { &b.address })).collect();
    let replies = refresh_concurrently(tabs).await;
    assert!(replies.iter().all(|(status, _)| *status == 200), "{replies:?}");
    let tokens: std::collections::HashSet<_> = replies.into_iter().map(|(_, token)| token).collect();
    assert_eq!(tokens.len(), 1, "both processes handed out the same successor");
    let db = Database::connect(url.as_str()).await.expect("connect");
    let backend = db.get_database_backend();
    let sql = "SELECT refresh_generation AS n FROM sessions WHERE revoked_at IS NULL";
    let rows = db.query_all_raw(Statement::from_string(backend, sql)).await.expect("query");
    let generations: Vec<i64> = rows.iter().map(|row| row.try_get("", "n").expect("n")).collect();
    assert_eq!(generations, [1], "one live session, rotated once across both processes");
}
