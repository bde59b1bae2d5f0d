//! An access token captured before its session ended is refused at once, by the API and by
//! server rendering.

use crate::helpers::*;

async fn assert_refused_everywhere(mut captured: Browser) {
    assert_eq!(captured.me().await.status, 401);
    let page = captured.page("/dashboard").await;
    assert!(!page.body.contains("ada@example.com"), "SSR still showed the user");
    assert_eq!(page.status, 302, "sent to sign in");
}

#[tokio::test]
async fn a_token_captured_before_logout_is_refused_at_once() {
    let app = spawn_app().await;
    let mut browser = app.signed_up("ada@example.com").await;
    let captured = browser.clone();
    browser.logout().await;
    assert_refused_everywhere(captured).await;
}

#[tokio::test]
async fn a_token_captured_before_logout_everywhere_is_refused_at_once() {
    let app = spawn_app().await;
    let mut laptop = app.signed_up("ada@example.com").await;
    let mut phone = app.browser();
    phone.login("ada@example.com", PASSWORD).await;
    laptop.post("/api/auth/logout_all", &[]).await;
    assert_refused_everywhere(phone).await;
}

#[tokio::test]
async fn a_token_captured_before_revoke_is_refused_at_once() {
    let app = spawn_app().await;
    let (mut laptop, mut phone) = app.two_devices("ada@example.com").await;
    let phone_id = current_session_id(&mut phone).await;
    laptop.post("/api/auth/revoke_session", &[("id", &phone_id)]).await;
    assert_refused_everywhere(phone).await;
}

#[tokio::test]
async fn recent_activity_lists_the_users_events_without_secrets() {
    let app = spawn_app().await;
    let mut browser = app.signed_up("ada@example.com").await;
    app.browser().login("ada@example.com", "wrong password!").await;
    browser.refresh().await;
    let reply = browser.get("/api/auth/activity").await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let kinds: Vec<String> = reply
        .json()
        .as_array()
        .expect("array")
        .iter()
        .map(|e| e["kind"].as_str().expect("kind").to_owned())
        .collect();
    assert_eq!(kinds, ["login_failure", "register"], "newest first, refreshes left out");
    assert!(!reply.body.contains(PASSWORD) && !reply.body.contains("wrong password"));
    let token = browser.cookie(ACCESS).expect("token");
    assert!(!reply.body.contains(&token));
    assert_error(&app.browser().get("/api/auth/activity").await, 401, "unauthenticated");
}
