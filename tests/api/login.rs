use crate::helpers::*;

#[tokio::test]
async fn the_right_password_signs_in_with_both_cookies() {
    let app = spawn_app().await;
    app.signed_up("ada@example.com").await;
    let mut browser = app.browser();
    let reply = browser.login("ada@example.com", PASSWORD).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.json()["user"]["email"], "ada@example.com");
    assert!(reply.set_cookie(ACCESS).is_some() && reply.set_cookie(REFRESH).is_some());
    assert_eq!(browser.me().await.json()["user"]["email"], "ada@example.com");
}

#[tokio::test]
async fn unknown_email_and_wrong_password_get_the_same_401() {
    let app = spawn_app().await;
    app.signed_up("ada@example.com").await;
    let wrong_password = app.browser().login("ada@example.com", "not the password").await;
    let unknown_email = app.browser().login("bob@example.com", PASSWORD).await;
    let malformed = app.browser().login("bob", "x").await;
    assert_error(&wrong_password, 401, "invalid_credentials");
    assert_eq!(wrong_password.body, unknown_email.body);
    assert_eq!(wrong_password.body, malformed.body);
    assert!(wrong_password.set_cookies().is_empty() && unknown_email.set_cookies().is_empty());
}

#[tokio::test]
async fn an_unknown_email_costs_a_password_hash_like_a_known_one() {
    let app = spawn_app().await;
    app.signed_up("ada@example.com").await;
    // Warm up, then compare medians of a few attempts each: a missing dummy verify would make
    // the unknown email several times faster than the ~50–100 ms argon2id verification.
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    for _ in 0..3 {
        let t = std::time::Instant::now();
        app.browser().login("ada@example.com", "wrong password!").await;
        known.push(t.elapsed());
        let t = std::time::Instant::now();
        app.browser().login("nobody@example.com", "wrong password!").await;
        unknown.push(t.elapsed());
    }
    known.sort();
    unknown.sort();
    assert!(unknown[1] * 3 > known[1], "unknown {:?} vs known {:?}", unknown, known);
}

#[tokio::test]
async fn repeated_failures_for_one_account_are_throttled_with_retry_after() {
    let app = spawn_app_with(&[("LOGIN_MAX_FAILURES", "3"), ("LOGIN_FAILURE_WINDOW", "600")]).await;
    app.signed_up("ada@example.com").await;
    app.signed_up("bob@example.com").await;
    for _ in 0..3 {
        assert_eq!(app.browser().login("ada@example.com", "wrong password!").await.status, 401);
    }
    let throttled = app.browser().login("ada@example.com", PASSWORD).await;
    assert_error(&throttled, 429, "throttled");
    let retry_after: u64 = throttled.header("retry-after").expect("Retry-After").parse().expect("seconds");
    assert!((1..=600).contains(&retry_after), "{retry_after}");
    assert_eq!(throttled.json()["retry_after"], retry_after);
    // Another account is not locked out.
    assert_eq!(app.browser().login("bob@example.com", PASSWORD).await.status, 200);
}

#[tokio::test]
async fn a_successful_login_resets_the_failure_count() {
    let app = spawn_app_with(&[("LOGIN_MAX_FAILURES", "2")]).await;
    app.signed_up("ada@example.com").await;
    assert_eq!(app.browser().login("ada@example.com", "wrong password!").await.status, 401);
    assert_eq!(app.browser().login("ada@example.com", PASSWORD).await.status, 200);
    assert_eq!(app.browser().login("ada@example.com", "wrong password!").await.status, 401);
    assert_eq!(app.browser().login("ada@example.com", PASSWORD).await.status, 200);
}

#[tokio::test]
async fn login_is_post_only() {
    let app = spawn_app().await;
    let reply = app.browser().get("/api/auth/login?email=a@b.co&password=x").await;
    assert_eq!(reply.status, 405);
}

#[tokio::test]
async fn a_plain_html_form_post_signs_in_and_goes_on_to_next() {
    let app = spawn_app().await;
    app.signed_up("ada@example.com").await;
    let mut browser = app.browser();
    let page = format!("{}/login?next=/sessions", browser.base);
    let form = [("email", "ada@example.com"), ("password", PASSWORD), ("next", "/sessions")];
    let request = browser
        .http
        .post(format!("{}/api/auth/login", browser.base))
        .header("accept", "text/html,application/xhtml+xml")
        .header("referer", &page)
        .form(&form);
    let reply = browser.send(request).await;
    assert_eq!(reply.status, 302, "{}", reply.body);
    assert_eq!(reply.header("location").as_deref(), Some("/sessions"));
    assert!(reply.set_cookie(ACCESS).is_some() && reply.set_cookie(REFRESH).is_some());
    assert_eq!(browser.me().await.status, 200, "signed in by the form post");
}

#[tokio::test]
async fn a_plain_html_form_post_that_fails_goes_back_to_the_form_with_the_error_and_never_elsewhere() {
    let app = spawn_app().await;
    let mut browser = app.browser();
    let page = format!("{}/login?next=/sessions", browser.base);
    for next in ["/sessions", "https://evil.example/"] {
        let request = browser
            .http
            .post(format!("{}/api/auth/login", browser.base))
            .header("accept", "text/html")
            .header("referer", &page)
            .form(&[("email", "ada@example.com"), ("password", "wrong password!"), ("next", next)]);
        let reply = browser.send(request).await;
        assert_eq!(reply.status, 302, "{}", reply.body);
        let location = reply.header("location").unwrap_or_default();
        assert!(location.starts_with(&page) && location.contains("__err="), "{location}");
        let shown = browser.page(location.trim_start_matches(&browser.base.clone())).await;
        assert!(shown.body.contains("Incorrect email or password."), "the page shows the error");
    }
    let request = browser
        .http
        .post(format!("{}/api/auth/login", browser.base))
        .header("accept", "text/html")
        .form(&[("email", "ada@example.com"), ("password", PASSWORD), ("next", "//evil.example")]);
    app.signed_up("ada@example.com").await;
    assert_eq!(
        browser.send(request).await.header("location").as_deref(),
        Some("/dashboard"),
        "never off the site"
    );
}

#[tokio::test]
async fn signing_in_again_ends_the_session_the_browser_still_held() {
    let app = spawn_app().await;
    let mut browser = app.signed_up("ada@example.com").await;
    let before = browser.clone();
    assert_eq!(browser.login("ada@example.com", PASSWORD).await.status, 200);
    let mut old_refresh = before.clone();
    assert_error(&old_refresh.refresh().await, 401, "session_ended");
    let mut old_access = before;
    assert_eq!(old_access.me().await.status, 401, "the old session's access token died too");
    assert_eq!(browser.me().await.status, 200, "the new session lives");
    let sessions = browser.get("/api/auth/sessions").await.json();
    assert_eq!(sessions.as_array().map(Vec::len), Some(1), "{sessions}");
}

#[tokio::test]
async fn signing_up_from_a_signed_in_browser_ends_its_session() {
    let app = spawn_app().await;
    let mut browser = app.signed_up("ada@example.com").await;
    let before = browser.clone();
    assert_eq!(browser.register("bob@example.com", PASSWORD).await.status, 200);
    let mut old = before;
    assert_eq!(old.me().await.status, 401);
    assert_eq!(browser.me().await.json()["user"]["email"], "bob@example.com");
}

#[tokio::test]
async fn a_failed_sign_in_leaves_the_browsers_session_alone() {
    let app = spawn_app().await;
    let mut browser = app.signed_up("ada@example.com").await;
    assert_eq!(browser.login("ada@example.com", "not the password").await.status, 401);
    assert_eq!(browser.me().await.status, 200);
}
