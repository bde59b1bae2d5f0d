//! The account around the session (contract, "Account lifecycle"): changing the password,
//! deleting the account, and "remember me".

use std::time::{Duration, Instant};

use latchkey::db::entities::{audit_events, known_devices, sessions};
use sea_orm::{ColumnTrait, EntityTrait, ExprTrait, PaginatorTrait, QueryFilter};

use crate::helpers::*;

const NEW_PASSWORD: &str = "a much longer passphrase, freshly chosen";

/// Waits until `browser` is refused (401) by its server, at most a second.
async fn refused_within_a_second(browser: &mut Browser, what: &str) {
    let since = Instant::now();
    while browser.me().await.status != 401 {
        assert!(since.elapsed() < Duration::from_secs(1), "{what} still accepted after 1 s");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn change_password(browser: &mut Browser, current: &str, new: &str) -> Reply {
    browser.post("/api/auth/change_password", &[("current_password", current), ("new_password", new)]).await
}

#[tokio::test]
async fn changing_the_password_keeps_this_device_and_ends_every_other_session_on_every_instance() {
    let a = spawn_app().await;
    let b = a.second_instance().await;
    let (mut laptop, phone) = a.two_devices("ada@example.com").await;
    let mut phone_on_b = phone.at(&b.address);
    assert_eq!(phone_on_b.me().await.status, 200);
    let mut stolen_copy = laptop.clone();
    let mut stolen_copy_on_b = laptop.at(&b.address);

    let changed = change_password(&mut laptop, PASSWORD, NEW_PASSWORD).await;
    assert_eq!(changed.status, 200, "{}", changed.body);
    assert_eq!(changed.json()["user"]["email"], "ada@example.com");
    assert!(changed.set_cookie(ACCESS).is_some() && changed.set_cookie(REFRESH).is_some(), "new cookies");

    refused_within_a_second(&mut phone_on_b, "the other device").await;
    assert_eq!(phone_on_b.refresh().await.status, 401, "its refresh token is dead too");
    refused_within_a_second(&mut stolen_copy_on_b, "a copy of this device's old cookies").await;
    assert_eq!(stolen_copy.refresh().await.status, 401, "the old refresh token of this device is dead");

    assert_eq!(laptop.me().await.status, 200, "this device stays signed in");
    assert_eq!(laptop.at(&b.address).me().await.status, 200, "on every instance");
    assert_eq!(laptop.refresh().await.status, 200);
    let rows = laptop.get("/api/auth/sessions").await.json();
    assert_eq!(rows.as_array().map(Vec::len), Some(1), "{rows}");

    assert_error(&a.browser().login("ada@example.com", PASSWORD).await, 401, "invalid_credentials");
    assert_eq!(a.browser().login("ada@example.com", NEW_PASSWORD).await.status, 200);
    let activity = laptop.get("/api/auth/activity").await.json();
    assert!(
        activity.as_array().expect("events").iter().any(|e| e["kind"] == "password_changed"),
        "{activity}"
    );
}

#[tokio::test]
async fn a_weak_new_password_is_a_400_and_a_wrong_current_one_a_throttled_401() {
    let app = spawn_app_with(&[("LOGIN_MAX_FAILURES", "2"), ("IP_RATE_LIMIT", "0")]).await;
    let (mut laptop, mut phone) = app.two_devices("ada@example.com").await;
    for weak in ["short", "password1", &"x".repeat(1_025)] {
        assert_error(&change_password(&mut laptop, PASSWORD, weak).await, 400, "invalid_input");
    }
    for _ in 0..2 {
        let wrong = change_password(&mut laptop, "not my password", NEW_PASSWORD).await;
        assert_error(&wrong, 401, "invalid_credentials");
    }
    let throttled = change_password(&mut laptop, PASSWORD, NEW_PASSWORD).await;
    assert_error(&throttled, 429, "throttled");
    assert!(throttled.header("retry-after").is_some());
    assert_eq!(phone.me().await.status, 200, "nothing changed: the other device is still signed in");
    assert_eq!(laptop.me().await.status, 200);
    assert_eq!(
        app.browser().login("ada@example.com", PASSWORD).await.status,
        200,
        "the password is unchanged"
    );
    for odd in ["nul\0byte", &"y".repeat(5_000)] {
        let reply = change_password(&mut laptop, odd, odd).await;
        assert!([400, 401, 413, 429].contains(&reply.status), "{}: {}", reply.status, reply.body);
    }
    assert_error(&app.browser().post("/api/auth/change_password", &[]).await, 401, "unauthenticated");
}

#[tokio::test]
async fn a_password_change_counts_as_a_fresh_proof_for_sudo() {
    let app = spawn_app_with(&[("REAUTH_WINDOW", "2")]).await;
    let mut ada = app.signed_up("ada@example.com").await;
    tokio::time::sleep(Duration::from_millis(3_100)).await;
    assert_error(&ada.post("/api/auth/logout_others", &[]).await, 403, "reauthentication_required");
    assert_eq!(change_password(&mut ada, PASSWORD, NEW_PASSWORD).await.status, 200);
    assert_eq!(ada.post("/api/auth/logout_others", &[]).await.status, 200);
}

#[tokio::test]
async fn deleting_the_account_ends_every_session_at_once_and_lets_the_email_register_again() {
    let a = spawn_app().await;
    let b = a.second_instance().await;
    let (mut laptop, phone) = a.two_devices("ada@example.com").await;
    let mut phone_on_b = phone.at(&b.address);
    let old_id = laptop.me().await.json()["user"]["id"].as_i64().expect("id");
    assert_eq!(laptop.post("/api/notes/add", &[("body", "private")]).await.status, 200);
    assert_eq!(a.browser().login("ada@example.com", "a wrong guess").await.status, 401);

    let wrong = laptop.post("/api/auth/delete_account", &[("password", "not my password")]).await;
    assert_error(&wrong, 401, "invalid_credentials");
    assert_eq!(phone_on_b.me().await.status, 200, "a wrong password deletes nothing");

    let mut kept_cookies = laptop.clone();
    let deleted = laptop.post("/api/auth/delete_account", &[("password", PASSWORD)]).await;
    assert_eq!(deleted.status, 200, "{}", deleted.body);
    for name in [ACCESS, REFRESH] {
        let cleared = deleted.set_cookie(name).unwrap_or_else(|| panic!("{name} cleared"));
        assert!(cleared.contains("Max-Age=0"), "{cleared}");
    }
    refused_within_a_second(&mut phone_on_b, "the other device").await;
    assert_eq!(kept_cookies.me().await.status, 401, "this device's tokens, even if kept");
    assert_eq!(kept_cookies.refresh().await.status, 401);

    let db = &a.state.auth.db;
    let count_sessions = sessions::Entity::find().filter(sessions::Column::UserId.eq(old_id)).count(db);
    assert_eq!(count_sessions.await.expect("count"), 0);
    let count_devices =
        known_devices::Entity::find().filter(known_devices::Column::UserId.eq(old_id)).count(db);
    assert_eq!(count_devices.await.expect("count"), 0);
    let naming = audit_events::Entity::find()
        .filter(audit_events::Column::UserId.eq(old_id).or(audit_events::Column::Email.eq("ada@example.com")))
        .count(db);
    assert_eq!(naming.await.expect("count"), 0, "no event names the deleted account");
    let pseudonymous =
        audit_events::Entity::find().filter(audit_events::Column::Email.starts_with("deleted-account-"));
    let events = pseudonymous.all(db).await.expect("events");
    assert!(events.len() >= 4, "register, sign-in, failures and deletion are kept: {events:?}");
    assert!(events.windows(2).all(|w| w[0].email == w[1].email), "under one pseudonym: {events:?}");
    assert!(events.iter().any(|e| e.kind == "account_deleted"));
    assert_error(&a.browser().login("ada@example.com", PASSWORD).await, 401, "invalid_credentials");

    let mut again = a.browser();
    let registered = again.register("ada@example.com", NEW_PASSWORD).await;
    assert_eq!(registered.status, 200, "{}", registered.body);
    let new_id = registered.json()["user"]["id"].as_i64().expect("id");
    assert!(new_id > old_id, "ids are never reused: {new_id} after {old_id}");
    let notes = again.get("/api/notes/list").await.json();
    assert_eq!(notes.as_array().map(Vec::len), Some(0), "nothing of the old account: {notes}");
    let activity = again.get("/api/auth/activity").await.json();
    assert_eq!(activity.as_array().map(Vec::len), Some(1), "only the new registration: {activity}");
}

#[tokio::test]
async fn deleting_needs_a_session_and_the_right_password_throttled() {
    let app = spawn_app_with(&[("LOGIN_MAX_FAILURES", "2"), ("IP_RATE_LIMIT", "0")]).await;
    assert_error(
        &app.browser().post("/api/auth/delete_account", &[("password", PASSWORD)]).await,
        401,
        "unauthenticated",
    );
    let mut ada = app.signed_up("ada@example.com").await;
    for _ in 0..2 {
        let guess = ada.post("/api/auth/delete_account", &[("password", "a wrong guess")]).await;
        assert_error(&guess, 401, "invalid_credentials");
    }
    assert_error(&ada.post("/api/auth/delete_account", &[("password", PASSWORD)]).await, 429, "throttled");
    assert_eq!(ada.me().await.status, 200, "still there");
}

/// Whether a `Set-Cookie` line makes a persistent cookie (rather than one for the browser session).
fn persistent(line: &str) -> bool {
    line.contains("Max-Age=") || line.contains("Expires=")
}

#[tokio::test]
async fn without_remember_me_the_cookies_end_with_the_browser_and_the_session_idles_out_sooner() {
    let app = spawn_app_with(&[("SESSION_IDLE_TIMEOUT_FORGET", "2")]).await;
    app.signed_up("ada@example.com").await;

    let mut forgetful = app.browser();
    let login = forgetful
        .post(
            "/api/auth/login",
            &[("email", "ada@example.com"), ("password", PASSWORD), ("remember", "false")],
        )
        .await;
    assert_eq!(login.status, 200, "{}", login.body);
    for name in [ACCESS, REFRESH] {
        let line = login.set_cookie(name).expect(name);
        assert!(!persistent(&line), "a browser-session cookie: {line}");
    }
    assert!(persistent(&login.set_cookie(DEVICE).expect("device cookie")), "the device cookie stays");
    let refreshed = forgetful.refresh().await;
    assert_eq!(refreshed.status, 200);
    assert!(!persistent(&refreshed.set_cookie(REFRESH).expect("rotated")), "still a browser-session cookie");
    let reauth = forgetful.post("/api/auth/reauthenticate", &[("password", PASSWORD)]).await;
    assert!(!persistent(&reauth.set_cookie(ACCESS).expect("access")), "still a browser-session cookie");

    let mut remembered = app.browser();
    let login = remembered.login("ada@example.com", PASSWORD).await;
    assert!(persistent(&login.set_cookie(REFRESH).expect("refresh")), "remember me is the default");

    tokio::time::sleep(Duration::from_millis(3_100)).await;
    assert_eq!(forgetful.refresh().await.status, 401, "idle past SESSION_IDLE_TIMEOUT_FORGET");
    assert_eq!(remembered.refresh().await.status, 200, "SESSION_IDLE_TIMEOUT applies to the other");
}

#[tokio::test]
async fn a_sign_in_form_that_offers_remember_me_means_no_when_the_box_is_unchecked() {
    let app = spawn_app().await;
    app.signed_up("ada@example.com").await;
    let form = |remember: Option<&'static str>| {
        let mut fields =
            vec![("email", "ada@example.com"), ("password", PASSWORD), ("remember_offered", "true")];
        fields.extend(remember.map(|value| ("remember", value)));
        fields
    };
    let unchecked = app.browser().post("/api/auth/login", &form(None)).await;
    assert_eq!(unchecked.status, 200, "{}", unchecked.body);
    assert!(!persistent(&unchecked.set_cookie(REFRESH).expect("refresh")));
    let checked = app.browser().post("/api/auth/login", &form(Some("true"))).await;
    assert!(persistent(&checked.set_cookie(REFRESH).expect("refresh")));
    let registered = app
        .browser()
        .post(
            "/api/auth/register",
            &[("email", "bob@example.com"), ("password", PASSWORD), ("remember", "false")],
        )
        .await;
    assert_eq!(registered.status, 200, "{}", registered.body);
    assert!(!persistent(&registered.set_cookie(ACCESS).expect("access")));
    let odd = app.browser().post("/api/auth/login", &form(Some("maybe"))).await;
    assert_eq!(odd.status, 400, "{}", odd.body);
}

#[tokio::test]
async fn a_password_change_keeps_the_sessions_choice_of_remember_me() {
    let app = spawn_app().await;
    app.signed_up("ada@example.com").await;
    let mut ada = app.browser();
    let fields = [("email", "ada@example.com"), ("password", PASSWORD), ("remember", "false")];
    assert_eq!(ada.post("/api/auth/login", &fields).await.status, 200);
    let changed = change_password(&mut ada, PASSWORD, NEW_PASSWORD).await;
    assert_eq!(changed.status, 200, "{}", changed.body);
    assert!(!persistent(&changed.set_cookie(REFRESH).expect("refresh")), "still a browser-session cookie");
}
