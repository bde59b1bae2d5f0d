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
    assert!(!stolen_page.get("/dashboard").await.body.contains("ada@example.com"));
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
