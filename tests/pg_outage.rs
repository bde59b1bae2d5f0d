//! PostgreSQL goes away mid-run: requests that need it get 503 (fast, with a clear message, no
//! panic), requests that do not (an access token check) keep working, and service resumes by
//! itself when the database is back.
//!
//! Needs TEST_DATABASE_URL pointing at the cluster that `.ci/postgres.sh` manages, because it
//! stops and restarts that cluster; `.ci/test.sh` runs it after the PostgreSQL suite.

// The helpers of the api suite; this test needs only some of them.
#[path = "api/helpers.rs"]
#[allow(dead_code)]
mod helpers;

use std::process::Command;
use std::time::{Duration, Instant};

use helpers::*;

fn postgres(action: &str) {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/.ci/postgres.sh");
    let status = Command::new("bash").args([script, action]).status().expect("run .ci/postgres.sh");
    assert!(status.success(), "postgres.sh {action} failed");
}

#[tokio::test]
async fn a_database_outage_gives_503s_and_service_resumes_without_a_restart() {
    let url = std::env::var("TEST_DATABASE_URL").unwrap_or_default();
    assert!(url.starts_with("postgres"), "set TEST_DATABASE_URL to the .ci/postgres.sh cluster");
    let app = spawn_app_with(&[("DATABASE_ACQUIRE_TIMEOUT", "2")]).await;
    let mut browser = app.signed_up("ada@example.com").await;

    postgres("stop");
    let started = Instant::now();
    let login = app.browser().login("ada@example.com", PASSWORD).await;
    let refresh = browser.refresh().await;
    let waited = started.elapsed();
    let me = browser.me().await;
    let logout = browser.logout().await;
    postgres("start-again");

    assert_error(&login, 503, "unavailable");
    assert_error(&refresh, 503, "unavailable");
    assert_eq!(login.header("retry-after").as_deref(), Some("5"));
    assert!(refresh.set_cookies().is_empty(), "an outage must not clear the cookies");
    assert!(waited < Duration::from_secs(10), "answered in {waited:?}, not hung");
    assert_eq!(me.status, 200, "an access-token check needs no database");
    assert_error(&logout, 503, "unavailable");
    assert!(logout.set_cookies().is_empty(), "a logout that could not end the session keeps the cookies");

    let back = Instant::now();
    loop {
        let reply = app.browser().login("ada@example.com", PASSWORD).await;
        if reply.status == 200 {
            break;
        }
        assert!(back.elapsed() < Duration::from_secs(20), "still {} after 20 s", reply.status);
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let mut fresh = app.browser();
    assert_eq!(fresh.login("ada@example.com", PASSWORD).await.status, 200);
    assert_eq!(fresh.refresh().await.status, 200, "rotation works again");
    assert_eq!(browser.logout().await.status, 200, "the retried logout ends the session");
    assert_eq!(browser.me().await.status, 401);
}
