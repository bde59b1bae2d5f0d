use crate::helpers::*;

#[tokio::test]
async fn sessions_lists_every_device_with_exactly_one_current() {
    let app = spawn_app().await;
    let mut laptop = app.signed_up("ada@example.com").await;
    let mut phone = app.browser();
    phone.login("ada@example.com", PASSWORD).await;
    let reply = laptop.get("/api/auth/sessions").await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let list = reply.json();
    let rows = list.as_array().expect("array");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows.iter().filter(|r| r["current"] == true).count(), 1);
    for row in rows {
        for field in ["id", "created_at", "last_used_at", "user_agent", "ip"] {
            assert!(row[field].is_string(), "{field} in {row}");
        }
        assert_eq!(row["ip"], "127.0.0.1");
        assert!(row["created_at"].as_str().unwrap_or("").ends_with('Z'), "RFC 3339");
    }
}

#[tokio::test]
async fn sessions_needs_an_access_token() {
    let app = spawn_app().await;
    assert_error(&app.browser().get("/api/auth/sessions").await, 401, "unauthenticated");
}

#[tokio::test]
async fn revoking_a_device_ends_it_at_once() {
    let app = spawn_app().await;
    let (mut laptop, mut phone) = app.two_devices("ada@example.com").await;
    let phone_id = current_session_id(&mut phone).await;
    let reply = laptop.post("/api/auth/revoke_session", &[("id", &phone_id)]).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(phone.me().await.status, 401);
    assert_eq!(phone.refresh().await.status, 401);
    assert_eq!(laptop.me().await.status, 200);
}

#[tokio::test]
async fn revoking_your_own_session_is_a_logout() {
    let app = spawn_app().await;
    let (mut laptop, mut phone) = app.two_devices("ada@example.com").await;
    let own_id = current_session_id(&mut laptop).await;
    let reply = laptop.post("/api/auth/revoke_session", &[("id", &own_id)]).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(reply.set_cookie(ACCESS).is_some_and(|c| c.contains("Max-Age=0")));
    assert!(reply.set_cookie(REFRESH).is_some_and(|c| c.contains("Max-Age=0")));
    assert!(reply.header("clear-site-data").is_some_and(|v| v.contains("\"storage\"")));
    assert_eq!(laptop.me().await.status, 401);
    assert_eq!(phone.me().await.status, 200);
}

#[tokio::test]
async fn revoking_someone_elses_session_is_a_404() {
    let app = spawn_app().await;
    let mut ada = app.signed_up("ada@example.com").await;
    let mut bob = app.signed_up("bob@example.com").await;
    let bob_id = bob.get("/api/auth/sessions").await.json()[0]["id"].as_str().expect("id").to_owned();
    assert_error(&ada.post("/api/auth/revoke_session", &[("id", &bob_id)]).await, 404, "not_found");
    assert_error(&ada.post("/api/auth/revoke_session", &[("id", "no-such-id")]).await, 404, "not_found");
    assert_eq!(bob.me().await.status, 200);
    assert_error(
        &app.browser().post("/api/auth/revoke_session", &[("id", &bob_id)]).await,
        401,
        "unauthenticated",
    );
}

#[tokio::test]
async fn logout_everywhere_ends_every_session_of_the_user_only() {
    let app = spawn_app().await;
    let mut laptop = app.signed_up("ada@example.com").await;
    let mut phone = app.browser();
    phone.login("ada@example.com", PASSWORD).await;
    let mut bob = app.signed_up("bob@example.com").await;
    let reply = laptop.post("/api/auth/logout_all", &[]).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(reply.set_cookie(ACCESS).is_some_and(|c| c.contains("Max-Age=0")));
    assert_eq!(phone.me().await.status, 401);
    assert_eq!(phone.refresh().await.status, 401);
    assert_eq!(bob.me().await.status, 200);
    assert_error(&app.browser().post("/api/auth/logout_all", &[]).await, 401, "unauthenticated");
}
