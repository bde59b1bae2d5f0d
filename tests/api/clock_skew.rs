//! Revocations reach every instance within a second, whatever the instances' clocks say and
//! however long one could not read them.

use std::time::{Duration, Instant};

use latchkey::auth::tokens::revocations::{RevocationFeed, Revocations};
use latchkey::db::revocations::{end_sessions, Ending};

use crate::helpers::*;

/// The environment that shifts a process's clock by `offset` seconds with libfaketime (Debian's
/// `faketime` package, installed by `.ci/setup.sh --tests`), preloaded into the server itself
/// so that stopping the server stops it (the `faketime` command would fork it).
fn faketime(offset: &str) -> [(&'static str, String); 3] {
    let library = std::fs::read_dir("/usr/lib")
        .into_iter()
        .flatten()
        .flatten()
        .map(|dir| dir.path().join("faketime/libfaketimeMT.so.1"))
        .find(|path| path.exists())
        .expect("libfaketime is not installed: apt-get install faketime (bash .ci/setup.sh --tests does)");
    [
        ("LD_PRELOAD", library.display().to_string()),
        ("FAKETIME", offset.to_owned()),
        ("FAKETIME_DONT_RESET", "1".to_owned()),
    ]
}

/// The `iat` of a JWT, read without checking it.
fn issued_at(token: &str) -> i64 {
    use base64::Engine as _;
    let payload = token.split('.').nth(1).expect("a JWT");
    let json = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).expect("base64url");
    serde_json::from_slice::<serde_json::Value>(&json).expect("claims")["iat"].as_i64().expect("iat")
}

async fn refused_within_a_second(browser: &mut Browser) {
    let ended = Instant::now();
    while browser.me().await.status != 401 {
        assert!(ended.elapsed() < Duration::from_secs(1), "still accepted after 1 s at {}", browser.base);
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

#[tokio::test]
async fn an_instance_whose_clock_is_ten_seconds_ahead_refuses_a_revoked_token_within_a_second() {
    let app = spawn_app().await; // the fresh database, migrated
    let url = app.env["DATABASE_URL"].clone();
    let ahead = faketime("+10");
    let vars: Vec<(&str, &str)> = ahead.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let on_time = ServerProcess::start(&url, "info");
    let early = ServerProcess::start_with(&url, "info", &vars, &[]);

    let mut ada = on_time.browser();
    assert_eq!(ada.register("ada@example.com", PASSWORD).await.status, 200);
    let mut on_early = ada.at(&early.address);
    assert_eq!(on_early.me().await.status, 200, "the early instance accepts the token");
    assert_eq!(ada.logout().await.status, 200);
    refused_within_a_second(&mut on_early).await;

    // And the other way round: the early instance revokes, the on-time one learns of it.
    let mut bob = early.browser();
    assert_eq!(bob.register("bob@example.com", PASSWORD).await.status, 200);
    let issued_at = issued_at(&bob.cookie(ACCESS).expect("token"));
    let skew = issued_at - latchkey::auth::clock::now();
    assert!((8..=12).contains(&skew), "the early instance's clock is {skew} s ahead");
    let mut on_time_bob = bob.at(&on_time.address);
    assert_eq!(on_time_bob.me().await.status, 200);
    assert_eq!(bob.post("/api/auth/logout_all", &[]).await.status, 200);
    refused_within_a_second(&mut on_time_bob).await;
}

#[tokio::test]
async fn a_feed_that_could_not_read_for_a_while_catches_up_on_every_revocation() {
    let app = spawn_app().await;
    let (laptop, phone) = app.two_devices("ada@example.com").await;
    let (mut laptop, mut phone) = (laptop, phone);
    let ids = [current_session_id(&mut laptop).await, current_session_id(&mut phone).await];
    let feed = RevocationFeed::default();
    let set = Revocations::default();
    feed.catch_up(&app.state.auth.db, &set, 300).await.expect("first read");
    // While this feed does not read, sessions end, stamped by clocks an hour behind and a day
    // ahead of this one: a reader that asks "revoked since when?" would miss them.
    let behind = latchkey::auth::clock::now() - 3_600;
    let ahead = latchkey::auth::clock::now() + 86_400;
    end_sessions(&app.state.auth.db, Ending::Ids(&ids[..1]), behind, "test").await.expect("revoke");
    end_sessions(&app.state.auth.db, Ending::Ids(&ids[1..]), ahead, "test").await.expect("revoke");
    assert_eq!(feed.catch_up(&app.state.auth.db, &set, 300).await.expect("catch up"), 2);
    assert!(set.is_revoked(&ids[0]) && set.is_revoked(&ids[1]));
    assert_eq!(feed.catch_up(&app.state.auth.db, &set, 300).await.expect("again"), 0, "nothing read twice");
}

#[tokio::test]
async fn concurrent_revocations_on_two_instances_all_reach_a_third() {
    let a = spawn_app().await;
    let b = a.second_instance().await;
    let watcher = a.second_instance().await;
    let mut captured = Vec::new();
    let mut logouts = Vec::new();
    for i in 0..24 {
        let mut browser = a.signed_up(&format!("user{i}@example.com")).await;
        captured.push(browser.at(&watcher.address));
        let server = if i % 2 == 0 { &a.address } else { &b.address };
        browser = browser.at(server);
        logouts.push(tokio::spawn(async move { browser.logout().await.status }));
    }
    for logout in logouts {
        assert_eq!(logout.await.expect("logout"), 200);
    }
    for browser in &mut captured {
        refused_within_a_second(browser).await;
    }
}
