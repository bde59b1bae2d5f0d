use crate::helpers::*;

#[tokio::test]
async fn registering_signs_the_user_in_with_both_cookies() {
    let app = spawn_app().await;
    let mut browser = app.browser();
    let reply = browser.register("Ada@Example.com", PASSWORD).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let body = reply.json();
    assert_eq!(body["user"]["email"], "ada@example.com");
    assert!(body["user"]["id"].as_i64().is_some());
    assert!(body["access_expires_at"].as_i64().is_some());
    assert_eq!(reply.set_cookies().len(), 3, "access, refresh and device: {:?}", reply.set_cookies());
    let device = reply.set_cookie(DEVICE).expect("device cookie");
    assert!(
        device.contains("HttpOnly")
            && device.contains("SameSite=Strict")
            && device.contains("Path=/api/auth")
    );
    let access = reply.set_cookie(ACCESS).expect("access cookie");
    let refresh = reply.set_cookie(REFRESH).expect("refresh cookie");
    assert!(access.contains("HttpOnly") && access.contains("SameSite=Lax") && access.contains("Path=/;"));
    assert!(
        refresh.contains("HttpOnly")
            && refresh.contains("SameSite=Strict")
            && refresh.contains("Path=/api/auth")
    );
    assert_eq!(browser.me().await.status, 200);
}

#[tokio::test]
async fn secure_cookies_use_prefixed_names_by_default() {
    let app = spawn_app_with(&[("COOKIE_SECURE", "true")]).await;
    let reply = app.browser().register("ada@example.com", PASSWORD).await;
    let access = reply.set_cookie("__Host-latchkey_access").expect("__Host- access cookie");
    let refresh = reply.set_cookie("__Secure-latchkey_refresh").expect("__Secure- refresh cookie");
    assert!(access.contains("Secure") && refresh.contains("Secure"));
}

#[tokio::test]
async fn an_invalid_email_is_a_400() {
    let app = spawn_app().await;
    for email in ["", "not-an-email", "a@b", "two@@example.com"] {
        let reply = app.browser().register(email, PASSWORD).await;
        assert_error(&reply, 400, "invalid_input");
        assert!(reply.set_cookies().is_empty());
    }
}

#[tokio::test]
async fn a_short_password_is_a_400() {
    let app = spawn_app().await;
    let reply = app.browser().register("ada@example.com", "1234567").await;
    assert_error(&reply, 400, "invalid_input");
    assert!(reply.json()["message"].as_str().unwrap_or("").contains("at least 8"));
}

#[tokio::test]
async fn a_password_over_1024_characters_is_a_400_but_1024_is_fine() {
    let app = spawn_app().await;
    let reply = app.browser().register("ada@example.com", &"ab".repeat(513)).await;
    assert_error(&reply, 400, "invalid_input");
    let reply = app.browser().register("ada@example.com", &"ab".repeat(512)).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
}

#[tokio::test]
async fn a_common_password_is_a_400_with_a_helpful_message() {
    let app = spawn_app().await;
    let reply = app.browser().register("ada@example.com", "Password123").await;
    assert_error(&reply, 400, "invalid_input");
    assert!(reply.json()["message"].as_str().unwrap_or("").contains("too common"));
}

#[tokio::test]
async fn passwords_are_taken_as_received_without_trimming() {
    let app = spawn_app().await;
    let mut browser = app.browser();
    assert_eq!(browser.register("ada@example.com", "  spaced passphrase  ").await.status, 200);
    assert_error(
        &app.browser().login("ada@example.com", "spaced passphrase").await,
        401,
        "invalid_credentials",
    );
    assert_eq!(app.browser().login("ada@example.com", "  spaced passphrase  ").await.status, 200);
}

#[tokio::test]
async fn a_taken_email_is_a_409_whatever_its_case() {
    let app = spawn_app().await;
    app.signed_up("ada@example.com").await;
    let reply = app.browser().register("ADA@example.com", "another fine passphrase").await;
    assert_error(&reply, 409, "email_taken");
    assert!(reply.set_cookies().is_empty());
}

#[tokio::test]
async fn a_missing_field_is_a_400_not_a_500() {
    let app = spawn_app().await;
    let reply = app.browser().post("/api/auth/register", &[("email", "ada@example.com")]).await;
    assert_error(&reply, 400, "invalid_input");
}

#[tokio::test]
async fn a_json_body_to_a_form_endpoint_is_a_400() {
    let app = spawn_app().await;
    let mut browser = app.browser();
    let request = reqwest::Client::new()
        .post(format!("{}/api/auth/register", app.address))
        .header("content-type", "application/json")
        .body(r#"{"email":"ada@example.com","password":"correct horse battery staple"}"#);
    let reply = browser.send(request).await;
    assert_error(&reply, 400, "invalid_input");
}
