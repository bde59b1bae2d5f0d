//! Hardening requirements, each test named as the rule it proves.

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use latchkey::auth::clock::now;
use latchkey::auth::tokens::AccessClaims;

use crate::helpers::*;

#[tokio::test]
async fn auth_posts_over_the_per_ip_limit_get_429_with_retry_after() {
    let app = spawn_app_with(&[("IP_RATE_LIMIT", "3")]).await;
    let mut browser = app.signed_up("ada@example.com").await; // 1
    assert_eq!(browser.refresh().await.status, 200); // 2
    assert_eq!(app.browser().login("bob@example.com", PASSWORD).await.status, 401); // 3
    let limited = app.browser().login("carol@example.com", PASSWORD).await;
    assert_error(&limited, 429, "throttled");
    let retry_after: u64 = limited.header("retry-after").expect("Retry-After").parse().expect("secs");
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    assert_eq!(browser.me().await.status, 200, "reads are not limited");
}

#[tokio::test]
async fn an_ip_limit_of_zero_switches_the_limit_off() {
    let app = spawn_app_with(&[("IP_RATE_LIMIT", "0")]).await;
    for i in 0..30 {
        let reply = app.browser().login(&format!("user{i}@example.com"), PASSWORD).await;
        assert_eq!(reply.status, 401, "attempt {i}");
    }
}

#[tokio::test]
async fn tokens_signed_with_any_other_algorithm_are_refused() {
    let app = spawn_app().await;
    let browser = app.signed_up("ada@example.com").await;
    let token = browser.cookie(ACCESS).expect("token");
    let claims: AccessClaims = (*app.state.keys.verify(&token, now()).expect("valid")).clone();
    let kid = app.state.keys.signing_kid();
    for alg in [Algorithm::HS384, Algorithm::HS512] {
        let mut header = Header::new(alg);
        header.kid = Some(kid.clone());
        // Even a token signed with a guessable secret under another HMAC algorithm is refused.
        let forged =
            jsonwebtoken::encode(&header, &claims, &EncodingKey::from_secret(b"guess")).expect("sign");
        let mut b = app.browser();
        b.cookies.insert(ACCESS.into(), forged);
        assert_error(&b.me().await, 401, "unauthenticated");
    }
}

#[tokio::test]
async fn a_refresh_token_is_never_accepted_as_an_access_token_nor_the_reverse() {
    let app = spawn_app().await;
    let browser = app.signed_up("ada@example.com").await;
    let mut swapped = app.browser();
    swapped.cookies.insert(ACCESS.into(), browser.cookie(REFRESH).expect("refresh"));
    swapped.cookies.insert(REFRESH.into(), browser.cookie(ACCESS).expect("access"));
    assert_error(&swapped.me().await, 401, "unauthenticated");
    assert_error(&swapped.refresh().await, 401, "session_ended");
}

#[tokio::test]
async fn passwords_and_tokens_never_reach_the_logs() {
    let dir = tempfile::tempdir().expect("dir");
    let server =
        ServerProcess::start(&format!("sqlite://{}/logs.db?mode=rwc", dir.path().display()), "trace");
    let mut browser = server.browser();
    browser.register("ada@example.com", PASSWORD).await;
    browser.login("ada@example.com", "a wrong password").await;
    browser.refresh().await;
    let secrets = [browser.cookie(ACCESS).expect("access"), browser.cookie(REFRESH).expect("refresh")];
    browser.logout().await;
    let log = server.stop();
    assert!(log.contains("/api/auth/login"), "the log is at trace level and saw the requests");
    for secret in [PASSWORD, "a wrong password"].iter().map(|s| s.to_string()).chain(secrets) {
        assert!(!log.contains(&secret), "a secret reached the log: {secret:.12}…");
    }
}
