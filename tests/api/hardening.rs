//! Hardening requirements, each test named as the rule it proves.

use jsonwebtoken::{Algorithm, EncodingKey, Header};
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
    let claims: AccessClaims = app.state.auth.keys.verify(&token).expect("valid");
    let kid = app.state.auth.keys.signing_kid();
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

#[tokio::test]
async fn on_an_https_site_a_post_from_the_plain_http_origin_of_the_same_host_is_refused() {
    let app = spawn_app_with(&[("COOKIE_SECURE", "true")]).await;
    let host = app.address.trim_start_matches("http://").to_owned();
    let post = |origin: String| {
        reqwest::Client::new()
            .post(format!("{}/api/auth/register", app.address))
            .header("origin", origin)
            .form(&[("email", "ada@example.com"), ("password", PASSWORD)])
    };
    let mut browser = app.browser();
    assert_error(&browser.send(post(format!("http://{host}"))).await, 403, "forbidden");
    assert_eq!(browser.send(post(format!("https://{host}"))).await.status, 200);
}

#[tokio::test]
async fn secure_deployments_send_hsts_and_every_response_isolates_the_site() {
    let secure = spawn_app_with(&[("COOKIE_SECURE", "true")]).await;
    let plain = spawn_app().await;
    for path in ["/", "/login", "/api/health"] {
        let reply = secure.browser().get(path).await;
        let hsts = reply.header("strict-transport-security").expect("HSTS");
        assert!(hsts.contains("max-age=63072000"), "{hsts}");
        assert_eq!(reply.header("cross-origin-opener-policy").as_deref(), Some("same-origin"));
        assert_eq!(reply.header("cross-origin-resource-policy").as_deref(), Some("same-origin"));
        assert!(reply.header("permissions-policy").is_some_and(|p| p.contains("camera=()")));
        let csp = reply.header("content-security-policy").expect("CSP");
        assert!(
            !csp.contains("ws://") && !csp.contains("3001"),
            "no live-reload socket outside watch: {csp}"
        );
        assert!(
            plain.browser().get(path).await.header("strict-transport-security").is_none(),
            "no HSTS over plain http"
        );
    }
}

#[tokio::test]
async fn the_sqlite_file_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let app = spawn_app().await;
    let url = &app.env["DATABASE_URL"];
    let Some(path) = url.strip_prefix("sqlite://").and_then(|rest| rest.split('?').next()) else {
        return; // PostgreSQL run
    };
    app.signed_up("ada@example.com").await; // the WAL exists now
    for file in [path.to_owned(), format!("{path}-wal"), format!("{path}-shm")] {
        let mode = std::fs::metadata(&file).expect("file").permissions().mode();
        assert_eq!(mode & 0o077, 0, "{file} is {mode:o}");
    }
}

#[tokio::test]
async fn audit_events_older_than_the_retention_are_purged() {
    use latchkey::auth::maintenance::purge_dead_rows;
    use latchkey::db::audit::{record_event, AuditEvent, AuditKind};
    let app = spawn_app_with(&[("AUDIT_RETENTION", "86400")]).await;
    let mut ada = app.signed_up("ada@example.com").await;
    let now = latchkey::auth::clock::now();
    let event = |kind| AuditEvent {
        kind,
        user_id: None,
        session_id: None,
        email: None,
        ip: "192.0.2.1",
        user_agent: "old",
    };
    record_event(&app.state.auth.db, event(AuditKind::LoginFailure), now - 86_401).await.expect("old event");
    purge_dead_rows(&app.state.auth.db, &app.state.auth.settings, now).await.expect("purge");
    let activity = ada.get("/api/auth/activity").await.json();
    assert_eq!(activity.as_array().map(Vec::len), Some(1), "the recent event is kept: {activity}");
    use sea_orm::{EntityTrait, PaginatorTrait};
    let rows =
        latchkey::db::entities::audit_events::Entity::find().count(&app.state.auth.db).await.expect("count");
    assert_eq!(rows, 1, "the old one is gone");
}
