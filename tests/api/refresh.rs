use std::time::Duration;

use latchkey::auth::refresh::RefreshToken;
use latchkey::db::refresh_tokens::{
    claim_rotations, find_many_with_session, store_tokens, NewToken, TokenWithSession,
};
use latchkey::db::rotations::{write_rotations, RotationWrites};
use latchkey::db::sessions::{find_session, revoke_sessions, touch_sessions, SessionUse};

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
    let app = spawn_app_with(&[("REFRESH_REUSE_GRACE", "1")]).await;
    let mut victim = app.signed_up("ada@example.com").await;
    let thief = victim.clone();
    assert_eq!(victim.refresh().await.status, 200);
    sleep_secs(2).await;
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
    assert_eq!(live_refresh_tokens(&app).await, 1, "exactly one live refresh token in the database");
}

/// Refresh tokens that have not been rotated, across all sessions.
pub async fn live_refresh_tokens(app: &TestApp) -> u64 {
    use latchkey::db::entities::refresh_tokens::{Column, Entity};
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    Entity::find().filter(Column::RotatedAt.is_null()).count(&app.state.db).await.expect("count")
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

/// The browser's current refresh token, parsed, with its row joined to the session.
async fn presented_token(app: &TestApp, browser: &Browser) -> (RefreshToken, TokenWithSession) {
    let token = RefreshToken::parse(&browser.cookie(REFRESH).expect("refresh cookie")).expect("token shape");
    let row =
        find_many_with_session(&app.state.db, &[token.hash()]).await.expect("query").pop().expect("stored");
    (token, row)
}

#[tokio::test]
async fn a_rotation_is_claimed_once_and_never_after_its_session_ended() {
    let app = spawn_app().await;
    let db = &app.state.db;
    let ada = app.signed_up("ada@example.com").await;
    let (_, ada) = presented_token(&app, &ada).await;
    let bob = app.signed_up("bob@example.com").await;
    let (_, bob) = presented_token(&app, &bob).await;
    revoke_sessions(db, std::slice::from_ref(&bob.session_id), 100, "test").await.expect("revoke");

    // One batch: Ada's live session, and Bob's, ended between the read and the claim.
    let claims = [(ada.token_id, ada.session_id.as_str()), (bob.token_id, bob.session_id.as_str())];
    assert_eq!(claim_rotations(db, &claims, 100).await.expect("claim"), [ada.token_id]);
    assert!(claim_rotations(db, &claims, 101).await.expect("claim").is_empty(), "claimed twice");
}

#[tokio::test]
async fn a_batch_of_rotations_stores_touches_and_claims_only_for_live_sessions() {
    let app = spawn_app().await;
    let db = &app.state.db;
    let (ada_token, ada) = presented_token(&app, &app.signed_up("ada@example.com").await).await;
    let (bob_token, bob) = presented_token(&app, &app.signed_up("bob@example.com").await).await;
    revoke_sessions(db, std::slice::from_ref(&bob.session_id), 100, "test").await.expect("revoke");
    let successors: Vec<_> = [(&ada_token, &ada), (&bob_token, &bob)]
        .iter()
        .map(|(token, row)| token.successor(&row.rotation_key).expect("hmac").hash())
        .collect();
    let now = 4_000_000_000;
    let writes = RotationWrites {
        successors: [&ada, &bob]
            .iter()
            .zip(&successors)
            .map(|(row, hash)| NewToken {
                session_id: &row.session_id,
                token_hash: hash.clone(),
                created_at: now,
                expires_at: now + 60,
            })
            .collect(),
        uses: [(&ada, "Agent-ada"), (&bob, "Agent-bob")]
            .iter()
            .map(|(row, user_agent)| SessionUse { id: &row.session_id, user_agent, ip: "10.0.0.9" })
            .collect(),
        claims: vec![(ada.token_id, ada.session_id.as_str()), (bob.token_id, bob.session_id.as_str())],
        now,
    };

    assert_eq!(
        write_rotations(db, &writes).await.expect("write"),
        [ada.token_id],
        "only the live session's claim"
    );
    assert!(write_rotations(db, &writes).await.expect("write again").is_empty(), "claimed twice");
    assert_eq!(
        find_many_with_session(db, &successors).await.expect("query").len(),
        2,
        "both successors stored once"
    );
    let ada_row = find_session(db, &ada.session_id).await.expect("query").expect("row");
    assert_eq!(
        (ada_row.last_used_at, ada_row.user_agent.as_str(), ada_row.ip.as_str()),
        (now, "Agent-ada", "10.0.0.9")
    );
    let bob_row = find_session(db, &bob.session_id).await.expect("query").expect("row");
    assert_eq!(bob_row.last_used_at, bob.session_last_used_at, "an ended session is not touched");
}

#[tokio::test]
async fn a_successor_stored_before_a_crash_is_handed_out_by_the_retry() {
    let app = spawn_app().await;
    let mut browser = app.signed_up("ada@example.com").await;
    let (token, row) = presented_token(&app, &browser).await;
    let successor = token.successor(&row.rotation_key).expect("hmac");
    // The first attempt stored the successor and died before claiming the rotation.
    let stored = NewToken {
        session_id: &row.session_id,
        token_hash: successor.hash(),
        created_at: 100,
        expires_at: row.session_expires_at,
    };
    for _ in 0..2 {
        store_tokens(&app.state.db, std::slice::from_ref(&stored))
            .await
            .expect("storing the same successor again is not an error");
    }
    let reply = browser.refresh().await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        browser.cookie(REFRESH).as_deref(),
        Some(successor.expose()),
        "the retry hands out that successor"
    );
    assert_eq!(live_refresh_tokens(&app).await, 1);
    assert_eq!(browser.me().await.status, 200);
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
    }
    assert_eq!(live_refresh_tokens(&app).await, 12, "one live token per session");
}

#[tokio::test]
async fn one_touch_statement_records_each_sessions_own_device_and_address() {
    let app = spawn_app().await;
    let mut ids = Vec::new();
    for i in 0..3 {
        let browser = app.signed_up(&format!("user{i}@example.com")).await;
        ids.push(presented_token(&app, &browser).await.1.session_id);
    }
    let uses: Vec<SessionUse<'_>> = [("Agent0", "10.0.0.0"), ("Agent1", "10.0.0.1"), ("Agent2", "10.0.0.2")]
        .iter()
        .zip(&ids)
        .map(|((user_agent, ip), id)| SessionUse { id, user_agent, ip })
        .collect();
    touch_sessions(&app.state.db, &uses, 4_000_000_000).await.expect("touch");
    for (i, id) in ids.iter().enumerate() {
        let row = find_session(&app.state.db, id).await.expect("query").expect("row");
        assert_eq!(
            (row.user_agent.as_str(), row.ip.as_str()),
            (format!("Agent{i}").as_str(), format!("10.0.0.{i}").as_str())
        );
        assert_eq!(row.last_used_at, 4_000_000_000);
    }
}
