//! Sudo (contract, "Account lifecycle"): sensitive endpoints need a recent proof of identity;
//! `reauthenticate` gives one; a refresh never does. And `logout_others`.

use std::time::{Duration, Instant};

use latchkey::auth::clock::now;

use crate::helpers::*;

/// Waits until the sign-in is older than a `REAUTH_WINDOW` of 2 s.
async fn past_the_window() {
    tokio::time::sleep(Duration::from_millis(3_100)).await;
}

#[tokio::test]
async fn a_sensitive_action_right_after_sign_in_works_and_later_asks_for_the_password() {
    let app = spawn_app_with(&[("REAUTH_WINDOW", "2")]).await;
    let (mut laptop, mut phone) = app.two_devices("ada@example.com").await;
    assert_eq!(laptop.post("/api/auth/logout_others", &[]).await.status, 200, "fresh after sign-in");
    assert_eq!(phone.me().await.status, 401);
    past_the_window().await;
    assert_error(&laptop.post("/api/auth/logout_others", &[]).await, 403, "reauthentication_required");
    assert_error(&laptop.post("/api/auth/logout_all", &[]).await, 403, "reauthentication_required");
    assert_eq!(laptop.me().await.status, 200, "a refused sensitive action ends nothing");
    let again = laptop.post("/api/auth/reauthenticate", &[("password", PASSWORD)]).await;
    assert_eq!(again.status, 200, "{}", again.body);
    let until = again.json()["reauthenticated_until"].as_i64().expect("reauthenticated_until");
    assert!(until > now() && until <= now() + 3, "{until}");
    assert!(again.set_cookie(ACCESS).is_some(), "a new access token carries the new auth_time");
    assert_eq!(laptop.post("/api/auth/logout_others", &[]).await.status, 200);
}

#[tokio::test]
async fn a_refresh_never_makes_a_session_fresh() {
    let app = spawn_app_with(&[("REAUTH_WINDOW", "2")]).await;
    let mut ada = app.signed_up("ada@example.com").await;
    past_the_window().await;
    assert_eq!(ada.refresh().await.status, 200);
    assert_error(&ada.post("/api/auth/logout_others", &[]).await, 403, "reauthentication_required");
}

#[tokio::test]
async fn revoking_another_device_needs_sudo_but_revoking_this_one_is_a_logout() {
    let app = spawn_app_with(&[("REAUTH_WINDOW", "2")]).await;
    let (mut laptop, mut phone) = app.two_devices("ada@example.com").await;
    let phone_session = current_session_id(&mut phone).await;
    let own = current_session_id(&mut laptop).await;
    past_the_window().await;
    let refused = laptop.post("/api/auth/revoke_session", &[("id", &phone_session)]).await;
    assert_error(&refused, 403, "reauthentication_required");
    assert_eq!(phone.me().await.status, 200);
    assert_eq!(laptop.post("/api/auth/revoke_session", &[("id", &own)]).await.status, 200);
    assert_eq!(laptop.me().await.status, 401);
}

#[tokio::test]
async fn a_wrong_password_is_refused_and_throttled_on_its_own_bucket() {
    let app = spawn_app_with(&[("LOGIN_MAX_FAILURES", "2"), ("IP_RATE_LIMIT", "0")]).await;
    let mut ada = app.signed_up("ada@example.com").await;
    for _ in 0..2 {
        let wrong = ada.post("/api/auth/reauthenticate", &[("password", "not my password")]).await;
        assert_error(&wrong, 401, "invalid_credentials");
    }
    let throttled = ada.post("/api/auth/reauthenticate", &[("password", PASSWORD)]).await;
    assert_error(&throttled, 429, "throttled");
    assert!(throttled.header("retry-after").is_some());
    assert_eq!(ada.me().await.status, 200, "failed re-authentications end nothing");
    assert_eq!(
        app.browser().login("ada@example.com", PASSWORD).await.status,
        200,
        "sign-in has its own bucket"
    );
    for odd in ["", "nul\0byte", &"x".repeat(5_000)] {
        let reply = ada.post("/api/auth/reauthenticate", &[("password", odd)]).await;
        assert!([401, 413, 429].contains(&reply.status), "{}: {}", reply.status, reply.body);
    }
}

#[tokio::test]
async fn reauthenticate_needs_a_session() {
    let app = spawn_app().await;
    app.signed_up("ada@example.com").await;
    let reply = app.browser().post("/api/auth/reauthenticate", &[("password", PASSWORD)]).await;
    assert_error(&reply, 401, "unauthenticated");
}

#[tokio::test]
async fn logout_others_keeps_this_session_and_ends_the_others_on_every_instance_within_a_second() {
    let a = spawn_app().await;
    let b = a.second_instance().await;
    let (mut laptop, phone) = a.two_devices("ada@example.com").await;
    let mut phone_on_b = phone.at(&b.address);
    assert_eq!(phone_on_b.me().await.status, 200);
    assert_eq!(laptop.post("/api/auth/logout_others", &[]).await.status, 200);
    let ended_at = Instant::now();
    while phone_on_b.me().await.status != 401 {
        assert!(ended_at.elapsed() < Duration::from_secs(1), "B still accepts the other device after 1 s");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(phone_on_b.refresh().await.status, 401, "its refresh token is dead too");
    assert_eq!(laptop.me().await.status, 200, "this device stays signed in");
    assert_eq!(laptop.refresh().await.status, 200);
    let rows = laptop.get("/api/auth/sessions").await.json();
    assert_eq!(rows.as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn the_access_token_says_when_and_how_the_user_authenticated() {
    let app = spawn_app().await;
    let ada = app.signed_up("ada@example.com").await;
    let token = ada.cookie(ACCESS).expect("access cookie");
    let claims = app.state.auth.keys.verify(&token).expect("valid token");
    assert!((now() - claims.auth_time).abs() <= 2, "{claims:?}");
    assert_eq!(claims.amr, vec!["pwd".to_owned()]);
    let mut refreshed = ada.clone();
    assert_eq!(refreshed.refresh().await.status, 200);
    let after = app.state.auth.keys.verify(&refreshed.cookie(ACCESS).expect("access")).expect("valid");
    assert_eq!(after.auth_time, claims.auth_time, "a refresh carries auth_time over, never renews it");
}
