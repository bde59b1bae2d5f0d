use std::time::Duration;

use latchkey::auth::sessions::refresh_token::{ChainKey, RefreshToken};
use latchkey::db::revocations::{end_sessions, Ending};
use latchkey::db::rotations::{rotate_sessions, SessionRotation};
use latchkey::db::sessions::{find_for_refresh, find_session, SessionForRefresh};

use crate::helpers::*;

async fn sleep_secs(secs: u64) {
    tokio::time::sleep(Duration::from_millis(secs * 1000 + 100)).await;
}

#[tokio::test]
async fn refresh_rotates_both_cookies() {
    let app = spawn_app().await;
    let mut browser = app.signed_up("ada@example.com").await;
    let (old_access, old_refresh) = (browser.cookie(ACCESS), browser.cookie(REFRESH));
    let reply = browser.refresh().await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(reply.json()["access_expires_at"].as_i64().is_some());
    assert_eq!(reply.set_cookies().len(), 2);
    assert_ne!(browser.cookie(REFRESH), old_refresh, "refresh token rotated");
    assert_ne!(browser.cookie(ACCESS), old_access, "new access token");
    assert_eq!(browser.me().await.status, 200);
}

#[tokio::test]
async fn the_previous_token_within_grace_gets_the_same_successor() {
    let app = spawn_app().await;
    let mut tab_a = app.signed_up("ada@example.com").await;
    let mut tab_b = tab_a.clone();
    assert_eq!(tab_a.refresh().await.status, 200);
    assert_eq!(tab_b.refresh().await.status, 200, "replay within grace is answered");
    assert_eq!(tab_a.cookie(REFRESH), tab_b.cookie(REFRESH), "no fork: one live token");
    assert_eq!(tab_a.refresh().await.status, 200);
}

#[tokio::test]
async fn reusing_a_rotated_token_after_grace_revokes_the_whole_session() {
    let app = spawn_app_with(&[("REFRESH_REUSE_GRACE", "2")]).await;
    let mut victim = app.signed_up("ada@example.com").await;
    let thief = victim.clone();
    assert_eq!(victim.refresh().await.status, 200);
    sleep_secs(3).await;
    let reply = thief.clone().refresh().await;
    assert_error(&reply, 401, "session_ended");
    // The newest token and the newest access token of that session stop working too.
    assert_eq!(victim.me().await.status, 401);
    assert_eq!(victim.refresh().await.status, 401);
}

#[tokio::test]
async fn concurrent_refreshes_all_succeed_and_leave_exactly_one_live_token() {
    let app = spawn_app().await;
    let browser = app.signed_up("ada@example.com").await;
    let tabs: Vec<Browser> = (0..6).map(|_| browser.clone()).collect();
    let replies = refresh_concurrently(tabs).await;
    let tokens: std::collections::HashSet<_> = replies
        .iter()
        .map(|(status, token)| {
            assert_eq!(*status, 200);
            token.clone()
        })
        .collect();
    assert_eq!(tokens.len(), 1, "every tab got the same successor");
    let token = tokens.into_iter().next().flatten().expect("a refresh cookie");
    assert_rotated_once_to(&app, &token).await;
}

/// The session of `token` rotated exactly once (however many requests presented its first
/// token), and `token` is its one current token.
pub async fn assert_rotated_once_to(app: &TestApp, token: &str) {
    let token = RefreshToken::parse(token).expect("token shape");
    let row = find_session(&app.state.auth.db, token.session_id()).await.expect("query").expect("session");
    assert_eq!((row.refresh_generation, token.generation()), (1, 1), "one rotation, not one per request");
    assert_eq!(row.refresh_hash, Some(token.hash()), "the token handed out is the session's current one");
}

#[tokio::test]
async fn a_token_two_rotations_old_revokes_the_session_even_within_grace() {
    let app = spawn_app().await;
    let mut victim = app.signed_up("ada@example.com").await;
    let thief = victim.clone();
    assert_eq!(victim.refresh().await.status, 200);
    assert_eq!(victim.refresh().await.status, 200);
    assert_error(&thief.clone().refresh().await, 401, "session_ended");
    assert_eq!(victim.refresh().await.status, 401, "the whole session was revoked");
    assert_eq!(victim.me().await.status, 401);
}

#[tokio::test]
async fn logout_with_a_forged_token_naming_another_session_ends_only_the_callers_own() {
    let app = spawn_app().await;
    let mut victim = app.signed_up("ada@example.com").await;
    let mut caller = app.signed_up("eve@example.com").await;
    let victims = RefreshToken::parse(&victim.cookie(REFRESH).expect("cookie")).expect("shape");
    let forged = format!("{}.0.{}.{}", victims.session_id(), "Q".repeat(43), "Q".repeat(22));
    caller.cookies.insert(REFRESH.into(), forged);
    assert_eq!(caller.logout().await.status, 200);
    assert_eq!(victim.me().await.status, 200, "the named session lives on");
    assert_eq!(victim.refresh().await.status, 200);
    let mut caller_again = app.browser();
    assert_eq!(caller_again.login("eve@example.com", PASSWORD).await.status, 200);
    let sessions = caller_again.get("/api/auth/sessions").await.json();
    assert_eq!(sessions.as_array().map(Vec::len), Some(1), "the caller's own session ended: {sessions}");
}

#[tokio::test]
async fn a_forged_token_naming_a_live_session_is_refused_and_ends_nothing() {
    let app = spawn_app().await;
    let mut victim = app.signed_up("ada@example.com").await;
    assert_eq!(victim.refresh().await.status, 200);
    let real = RefreshToken::parse(&victim.cookie(REFRESH).expect("cookie")).expect("shape");
    let mut forger = app.browser();
    // Every generation up to the current one, with a secret that is not of the chain.
    for generation in 0..=real.generation() {
        let forged = format!("{}.{generation}.{}.{}", real.session_id(), "Q".repeat(43), "Q".repeat(22));
        forger.cookies.insert(REFRESH.into(), forged);
        assert_error(&forger.refresh().await, 401, "session_ended");
        assert_eq!(forger.logout().await.status, 200, "logout is idempotent");
    }
    assert_eq!(victim.me().await.status, 200, "neither refresh nor logout ended the session");
    assert_eq!(victim.refresh().await.status, 200);
}

#[tokio::test]
async fn an_unknown_or_missing_refresh_token_is_a_401_that_clears_both_cookies() {
    let app = spawn_app().await;
    let mut browser = app.browser();
    let reply = browser.refresh().await;
    assert_error(&reply, 401, "session_ended");
    for name in [ACCESS, REFRESH] {
        assert!(reply.set_cookie(name).is_some_and(|c| c.contains("Max-Age=0")), "{name} cleared");
    }
    browser.cookies.insert(REFRESH.into(), "A".repeat(43));
    assert_error(&browser.refresh().await, 401, "session_ended");
}

#[tokio::test]
async fn an_idle_session_cannot_refresh() {
    let app = spawn_app_with(&[("SESSION_IDLE_TIMEOUT", "1")]).await;
    let mut browser = app.signed_up("ada@example.com").await;
    sleep_secs(2).await;
    assert_error(&browser.refresh().await, 401, "session_ended");
}

#[tokio::test]
async fn rotation_never_extends_the_absolute_lifetime() {
    let app = spawn_app_with(&[("SESSION_MAX_LIFETIME", "3"), ("ACCESS_TOKEN_TTL", "60")]).await;
    let mut browser = app.signed_up("ada@example.com").await;
    let reply = browser.refresh().await;
    assert_eq!(reply.status, 200);
    let session_end = latchkey::auth::clock::now() + 3;
    assert!(
        reply.json()["access_expires_at"].as_i64().expect("exp") <= session_end,
        "access capped by session"
    );
    sleep_secs(3).await;
    assert_error(&browser.refresh().await, 401, "session_ended");
}

#[tokio::test]
async fn refresh_updates_the_sessions_last_use() {
    let app = spawn_app().await;
    let mut browser = app.signed_up("ada@example.com").await;
    browser.user_agent = "Mozilla/5.0 (Macintosh; Mac OS X 14_0) Firefox/130.0".into();
    sleep_secs(1).await;
    assert_eq!(browser.refresh().await.status, 200);
    let list = browser.get("/api/auth/sessions").await.json();
    let session = &list[0];
    assert!(session["user_agent"].as_str().unwrap_or("").contains("Firefox"));
    assert_ne!(session["created_at"], session["last_used_at"]);
}

/// The browser's current refresh token, parsed, with its session's row.
async fn presented_token(app: &TestApp, browser: &Browser) -> (RefreshToken, SessionForRefresh) {
    let token = RefreshToken::parse(&browser.cookie(REFRESH).expect("refresh cookie")).expect("token shape");
    let ids = [token.session_id().to_owned()];
    let row = find_for_refresh(&app.state.auth.db, &ids).await.expect("query").pop().expect("stored");
    (token, row)
}

/// The rotation of `row` from `from_generation` to `token`'s successor.
fn rotation<'a>(
    row: &'a SessionForRefresh,
    token: &RefreshToken,
    from_generation: i64,
    user_agent: &'a str,
) -> SessionRotation<'a> {
    let key = ChainKey::new(&row.rotation_key).expect("hmac");
    SessionRotation {
        session_id: &row.session_id,
        from_generation,
        successor_hash: token.successor(&key).hash(),
        successor_expires_at: 4_000_000_060,
        user_agent,
        ip: "10.0.0.9",
    }
}

#[tokio::test]
async fn a_rotation_is_claimed_once_and_never_after_its_session_ended() {
    let app = spawn_app().await;
    let db = &app.state.auth.db;
    let (ada_token, ada) = presented_token(&app, &app.signed_up("ada@example.com").await).await;
    let (bob_token, bob) = presented_token(&app, &app.signed_up("bob@example.com").await).await;
    end_sessions(db, Ending::Ids(std::slice::from_ref(&bob.session_id)), 100, "test").await.expect("revoke");
    let now = 4_000_000_000;

    // One batch: Ada's live session, and Bob's, ended between the read and the claim.
    let batch = [rotation(&ada, &ada_token, 0, "Agent-ada"), rotation(&bob, &bob_token, 0, "Agent-bob")];
    assert_eq!(rotate_sessions(db, &batch, now).await.expect("rotate"), [(ada.session_id.clone(), 1)]);
    assert!(rotate_sessions(db, &batch, now + 1).await.expect("rotate").is_empty(), "claimed twice");

    let ada_row = find_session(db, &ada.session_id).await.expect("query").expect("row");
    assert_eq!(ada_row.refresh_hash, Some(batch[0].successor_hash.clone()));
    assert_eq!((ada_row.refresh_issued_at, ada_row.refresh_expires_at), (now, 4_000_000_060));
    assert_eq!(
        (ada_row.last_used_at, ada_row.user_agent.as_str(), ada_row.ip.as_str()),
        (now, "Agent-ada", "10.0.0.9")
    );
    let bob_row = find_session(db, &bob.session_id).await.expect("query").expect("row");
    assert_eq!(
        (bob_row.refresh_generation, bob_row.refresh_hash, bob_row.last_used_at),
        (0, Some(bob_token.hash()), bob.last_used_at),
        "an ended session is not touched"
    );
}

#[tokio::test]
async fn of_two_rotations_of_one_session_in_a_batch_the_one_from_its_generation_is_written() {
    let app = spawn_app().await;
    let db = &app.state.auth.db;
    let (token, row) = presented_token(&app, &app.signed_up("ada@example.com").await).await;
    let stale = SessionRotation { successor_hash: vec![7; 32], ..rotation(&row, &token, 5, "Stale") };
    let batch = [stale, rotation(&row, &token, 0, "Current")];
    assert_eq!(
        rotate_sessions(db, &batch, 4_000_000_000).await.expect("rotate"),
        [(row.session_id.clone(), 1)]
    );
    let stored = find_session(db, &row.session_id).await.expect("query").expect("row");
    assert_eq!(stored.refresh_hash, Some(batch[1].successor_hash.clone()));
    assert_eq!(stored.user_agent, "Current");
}

#[tokio::test]
async fn concurrent_refreshes_of_many_sessions_each_rotate_and_record_their_own_device() {
    let app = spawn_app().await;
    let mut browsers = Vec::new();
    for i in 0..12 {
        let mut browser = app.signed_up(&format!("user{i}@example.com")).await;
        browser.user_agent = format!("Agent{i}/1.0");
        browsers.push(browser);
    }
    sleep_secs(1).await;
    // Sent at once, these rotations share write batches.
    let handles: Vec<_> = browsers
        .into_iter()
        .map(|mut browser| {
            tokio::spawn(async move {
                let status = browser.refresh().await.status;
                (status, browser)
            })
        })
        .collect();
    for (i, handle) in handles.into_iter().enumerate() {
        let (status, mut browser) = handle.await.expect("refresh task");
        assert_eq!(status, 200);
        let list = browser.get("/api/auth/sessions").await.json();
        let session = &list[0];
        assert_eq!(session["user_agent"], format!("Agent{i}/1.0"), "each session keeps its own device");
        assert_ne!(session["created_at"], session["last_used_at"]);
        let (token, row) = presented_token(&app, &browser).await;
        assert_eq!((token.generation(), row.refresh_generation), (1, 1), "each session rotated once");
    }
}

#[tokio::test]
async fn one_rotation_statement_records_each_sessions_own_token_device_and_address() {
    let app = spawn_app().await;
    let mut sessions = Vec::new();
    for i in 0..3 {
        sessions.push(presented_token(&app, &app.signed_up(&format!("user{i}@example.com")).await).await);
    }
    let agents = ["Agent0", "Agent1", "Agent2"];
    let batch: Vec<SessionRotation<'_>> = sessions
        .iter()
        .zip(agents)
        .enumerate()
        .map(|(i, ((token, row), agent))| SessionRotation {
            ip: ["10.0.0.0", "10.0.0.1", "10.0.0.2"][i],
            ..rotation(row, token, 0, agent)
        })
        .collect();
    assert_eq!(rotate_sessions(&app.state.auth.db, &batch, 4_000_000_000).await.expect("rotate").len(), 3);
    for (i, (_, row)) in sessions.iter().enumerate() {
        let stored = find_session(&app.state.auth.db, &row.session_id).await.expect("query").expect("row");
        assert_eq!(
            (stored.user_agent.as_str(), stored.ip.as_str()),
            (format!("Agent{i}").as_str(), format!("10.0.0.{i}").as_str())
        );
        assert_eq!(stored.refresh_hash, Some(batch[i].successor_hash.clone()));
        assert_eq!((stored.last_used_at, stored.refresh_generation), (4_000_000_000, 1));
    }
}
