use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use latchkey::auth::clock::now;
use latchkey::auth::tokens::{AccessClaims, KeyRing, SigningKey};

use crate::helpers::*;

fn claims_of(browser: &Browser, app: &TestApp) -> AccessClaims {
    let token = browser.cookie(ACCESS).expect("access cookie");
    app.state.auth.keys.verify(&token).expect("valid token")
}

#[tokio::test]
async fn me_returns_the_signed_in_user() {
    let app = spawn_app().await;
    let mut browser = app.signed_up("ada@example.com").await;
    let reply = browser.me().await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.json()["user"]["email"], "ada@example.com");
    assert_eq!(reply.json()["access_expires_at"], claims_of(&browser, &app).exp);
    assert_eq!(reply.header("cache-control").as_deref(), Some("no-store"));
}

#[tokio::test]
async fn the_access_token_has_the_contract_claims_and_kid() {
    let app = spawn_app().await;
    let browser = app.signed_up("ada@example.com").await;
    let token = browser.cookie(ACCESS).expect("access cookie");
    let header = jsonwebtoken::decode_header(&token).expect("header");
    assert_eq!(header.alg, jsonwebtoken::Algorithm::HS256);
    assert_eq!(header.kid, Some(app.state.auth.keys.signing_kid()));
    let claims = claims_of(&browser, &app);
    assert_eq!(claims.exp - claims.iat, 300);
    assert!(!claims.sid.is_empty() && !claims.jti.is_empty());
}

#[tokio::test]
async fn a_head_request_gets_the_status_of_the_get() {
    let app = spawn_app().await;
    let browser = app.signed_up("ada@example.com").await;
    let url = format!("{}/api/auth/me", app.address);
    let http = reqwest::Client::new();
    let anonymous = http.head(&url).send().await.expect("HEAD");
    assert_eq!(anonymous.status(), 401, "not a 500: the error status is set before HEAD drops the body");
    assert_eq!(anonymous.headers()["cache-control"], "no-store");
    let cookie = format!("{ACCESS}={}", browser.cookie(ACCESS).expect("access cookie"));
    let signed_in = http.head(&url).header("cookie", cookie).send().await.expect("HEAD");
    assert_eq!(signed_in.status(), 200);
}

#[tokio::test]
async fn no_cookie_is_a_401() {
    let app = spawn_app().await;
    assert_error(&app.browser().me().await, 401, "unauthenticated");
}

#[tokio::test]
async fn garbage_tampered_and_forged_tokens_are_401_never_500() {
    let app = spawn_app().await;
    let browser = app.signed_up("ada@example.com").await;
    let good = browser.cookie(ACCESS).expect("token");
    let (head, rest) = good.split_once('.').expect("jwt");
    let (_, sig) = rest.split_once('.').expect("jwt");
    let mut claims = claims_of(&browser, &app);
    claims.sub = "999".into();
    let forged_body = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).expect("json"));
    let none_head = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
    let other_ring = KeyRing::new(&SigningKey::generate(), &[]);
    let refresh_token = browser.cookie(REFRESH).expect("refresh");
    let cases = [
        "garbage".to_owned(),
        "x".repeat(10 * 1024),
        format!("{head}.{forged_body}.{sig}"),
        format!("{none_head}.{forged_body}."),
        other_ring.sign(&claims).expect("sign"),
        refresh_token,
    ];
    for token in cases {
        let mut b = app.browser();
        b.cookies.insert(ACCESS.into(), token.clone());
        let reply = b.me().await;
        assert_error(&reply, 401, "unauthenticated");
    }
}

#[tokio::test]
async fn an_expired_token_is_a_401_with_no_leeway() {
    let app = spawn_app().await;
    let browser = app.signed_up("ada@example.com").await;
    let mut claims = claims_of(&browser, &app);
    claims.iat = now() - 400;
    claims.exp = now();
    let mut b = app.browser();
    b.cookies.insert(ACCESS.into(), app.state.auth.keys.sign(&claims).expect("sign"));
    assert_error(&b.me().await, 401, "access_expired");
}

#[tokio::test]
async fn the_dashboard_is_server_rendered_with_the_email_and_not_cached() {
    let app = spawn_app().await;
    let mut browser = app.signed_up("ada@example.com").await;
    let page = browser.page("/dashboard").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("ada@example.com"), "dashboard lacks the email");
    assert_eq!(page.header("cache-control").as_deref(), Some("no-store"));
    let anonymous = app.browser().page("/dashboard").await;
    assert!(!anonymous.body.contains("ada@example.com"));
    assert_eq!(anonymous.status, 302, "a signed-out visitor is sent to sign in");
    assert_eq!(anonymous.header("location").as_deref(), Some("/login?next=/dashboard"));
}

#[tokio::test]
async fn a_protected_page_with_an_expired_access_token_is_rendered_restoring_not_redirected() {
    let app = spawn_app_with(&[("ACCESS_TOKEN_TTL", "1")]).await;
    let mut browser = app.signed_up("ada@example.com").await;
    tokio::time::sleep(std::time::Duration::from_millis(2_100)).await;
    let page = browser.page("/dashboard").await;
    assert_eq!(page.status, 200, "the browser may restore the session: no redirect");
    assert!(page.body.contains("data-testid=\"restoring\""), "{}", page.body);
    assert!(!page.body.contains("ada@example.com"));
}
