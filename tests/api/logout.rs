use crate::helpers::*;

#[tokio::test]
async fn logout_rejects_the_access_token_at_once_and_clears_both_cookies() {
    let app = spawn_app().await;
    let mut browser = app.signed_up("ada@example.com").await;
    let stolen = browser.clone();
    let reply = browser.logout().await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let access = reply.set_cookie(ACCESS).expect("access cleared");
    let refresh = reply.set_cookie(REFRESH).expect("refresh cleared");
    assert!(access.contains("Max-Age=0") && access.contains("Path=/;") && access.contains("HttpOnly"));
    assert!(
        refresh.contains("Max-Age=0") && refresh.contains("Path=/api/auth") && refresh.contains("HttpOnly")
    );
    assert!(reply
        .header("clear-site-data")
        .is_some_and(|v| v.contains("\"cache\"") && v.contains("\"storage\"")));
    // The copy of the old cookies no longer works: neither the access nor the refresh token.
    let mut stolen_me = stolen.clone();
    assert_eq!(stolen_me.me().await.status, 401);
    let mut stolen_refresh = stolen.clone();
    assert_eq!(stolen_refresh.refresh().await.status, 401);
    let mut stolen_page = stolen;
    assert!(!stolen_page.page("/dashboard").await.body.contains("ada@example.com"));
}

#[tokio::test]
async fn logout_without_cookies_is_a_200() {
    let app = spawn_app().await;
    let reply = app.browser().logout().await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.set_cookies().len(), 2, "still clears both cookies");
}

#[tokio::test]
async fn logout_twice_and_with_dead_cookies_is_a_200() {
    let app = spawn_app().await;
    let mut browser = app.signed_up("ada@example.com").await;
    let dead = browser.clone();
    assert_eq!(browser.logout().await.status, 200);
    assert_eq!(dead.clone().logout().await.status, 200);
    let mut garbage = app.browser();
    garbage.cookies.insert(ACCESS.into(), "garbage".into());
    garbage.cookies.insert(REFRESH.into(), "garbage".into());
    assert_eq!(garbage.logout().await.status, 200);
}

#[tokio::test]
async fn logout_ends_only_its_own_session() {
    let app = spawn_app().await;
    let mut laptop = app.signed_up("ada@example.com").await;
    let mut phone = app.browser();
    assert_eq!(phone.login("ada@example.com", PASSWORD).await.status, 200);
    assert_eq!(laptop.logout().await.status, 200);
    assert_eq!(phone.me().await.status, 200);
}

#[tokio::test]
async fn logout_is_never_rate_limited() {
    let app = spawn_app_with(&[("IP_RATE_LIMIT", "2")]).await;
    let mut browser = app.signed_up("ada@example.com").await; // 1
    let captured = browser.clone();
    assert_eq!(app.browser().login("ada@example.com", PASSWORD).await.status, 200); // 2
    assert_error(&app.browser().login("ada@example.com", PASSWORD).await, 429, "throttled");
    let logout = browser.logout().await;
    assert_eq!(logout.status, 200, "{}", logout.body);
    assert!(logout.set_cookie(ACCESS).is_some_and(|c| c.contains("Max-Age=0")));
    let mut captured = captured;
    assert_eq!(captured.me().await.status, 401, "the session really ended");
}

#[tokio::test]
async fn a_logout_that_cannot_end_the_session_says_so_and_keeps_the_cookies() {
    let app = spawn_app().await;
    let mut browser = app.signed_up("ada@example.com").await;
    let Some(lock) = SqliteWriteLock::take(&app).await else {
        return; // PostgreSQL run: the outage test stops the database instead
    };
    let logout = browser.logout().await;
    lock.release().await;
    assert_error(&logout, 503, "unavailable");
    assert!(logout.set_cookies().is_empty(), "cookies kept: {:?}", logout.set_cookies());
    assert!(logout.header("clear-site-data").is_none());
    assert_eq!(browser.me().await.status, 200, "still signed in, as the answer said");
    assert_eq!(browser.logout().await.status, 200, "the retry ends it");
    assert_eq!(browser.me().await.status, 401);
}

#[tokio::test]
async fn an_access_token_long_expired_cannot_end_its_session() {
    use jsonwebtoken::{Algorithm, EncodingKey, Header};
    let app = spawn_app().await;
    let mut ada = app.signed_up("ada@example.com").await;
    let token = ada.cookie(ACCESS).expect("access token");
    let claims = app.state.auth.keys.verify(&token).expect("valid");
    let mut old = claims.clone();
    old.exp = latchkey::auth::clock::now() - 2 * 3_600;
    let now = latchkey::auth::clock::now();
    let (key, _) = latchkey::auth::tokens::keys::load_keys(&app.state.auth.db, now, 300)
        .await
        .expect("query")
        .expect("a key");
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some(key.kid.clone());
    header.typ = Some("at+jwt".into());
    let old_token =
        jsonwebtoken::encode(&header, &old, &EncodingKey::from_secret(&key.secret)).expect("sign");
    let mut finder = app.browser();
    finder.cookies.insert(ACCESS.into(), old_token);
    assert_eq!(finder.logout().await.status, 200, "logout always answers");
    assert_eq!(ada.me().await.status, 200, "a two-hour-old token ended nothing");
}
