use crate::helpers::*;

#[tokio::test]
async fn a_cross_site_post_is_refused_with_403_and_changes_nothing() {
    let app = spawn_app().await;
    let mut browser = app.browser();
    let request = reqwest::Client::new()
        .post(format!("{}/api/auth/register", app.address))
        .header("sec-fetch-site", "cross-site")
        .form(&[("email", "ada@example.com"), ("password", PASSWORD)]);
    assert_error(&browser.send(request).await, 403, "forbidden");
    assert_eq!(app.browser().register("ada@example.com", PASSWORD).await.status, 200, "nothing was created");
}

#[tokio::test]
async fn a_foreign_or_null_origin_is_refused_with_403() {
    let app = spawn_app().await;
    let mut browser = app.signed_up("ada@example.com").await;
    for origin in ["http://evil.example", "null"] {
        let request =
            reqwest::Client::new().post(format!("{}/api/auth/logout", app.address)).header("origin", origin);
        assert_error(&browser.send(request).await, 403, "forbidden");
    }
    assert_eq!(browser.me().await.status, 200, "the session was not logged out");
}

#[tokio::test]
async fn a_same_origin_post_passes() {
    let app = spawn_app().await;
    let mut browser = app.browser();
    let request = reqwest::Client::new()
        .post(format!("{}/api/auth/register", app.address))
        .header("origin", app.address.clone())
        .header("sec-fetch-site", "same-origin")
        .form(&[("email", "ada@example.com"), ("password", PASSWORD)]);
    assert_eq!(browser.send(request).await.status, 200);
}

#[tokio::test]
async fn a_body_over_64_kib_is_a_413() {
    let app = spawn_app().await;
    let big = "x".repeat(65 * 1024);
    let reply = app.browser().register("ada@example.com", &big).await;
    assert_error(&reply, 413, "payload_too_large");
}

#[tokio::test]
async fn every_response_carries_security_headers() {
    let app = spawn_app().await;
    for path in ["/", "/login", "/api/auth/me"] {
        let reply = app.browser().get(path).await;
        let csp = reply.header("content-security-policy").expect("CSP");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(reply.header("x-content-type-options").as_deref(), Some("nosniff"));
        assert!(reply.header("referrer-policy").is_some());
    }
}

#[tokio::test]
async fn pages_allow_only_their_own_inline_script_by_nonce() {
    let app = spawn_app().await;
    let page = app.browser().get("/login").await;
    let csp = page.header("content-security-policy").expect("CSP");
    let nonce = csp.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).expect("a nonce");
    assert!(nonce.len() >= 16, "{nonce}");
    assert!(page.body.contains(&format!("nonce=\"{nonce}\"")), "the hydration script carries it");
    let again = app.browser().get("/login").await.header("content-security-policy").expect("CSP");
    assert_ne!(csp, again, "a fresh nonce per response");
}

#[tokio::test]
async fn unknown_pages_are_404() {
    let app = spawn_app().await;
    assert_eq!(app.browser().get("/no/such/page").await.status, 404);
}

#[tokio::test]
async fn the_health_check_answers_without_a_session() {
    let app = spawn_app().await;
    let reply = app.browser().get("/api/health").await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json()["status"], "ok");
}
