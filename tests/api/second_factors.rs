//! TOTP with recovery codes (contract, "Second factors"): enrolment behind sudo, the sign-in
//! gate (pending cookie, then a code), codes accepted once, throttled per account, and the
//! reset and sudo paths asking for the factor too.

use std::time::Duration;

use latchkey::auth::clock::now;
use totp_rs::{Algorithm, Secret, TOTP};

use crate::helpers::*;

const PENDING: &str = "latchkey_pending";

/// The code an authenticator app shows for `secret` (base32) at Unix time `at`.
pub fn code_at(secret: &str, at: i64) -> String {
    let bytes = Secret::Encoded(secret.to_owned()).to_bytes().expect("base32 secret");
    TOTP::new_unchecked(Algorithm::SHA1, 6, 1, 30, bytes, None, String::new()).generate(at as u64)
}

/// Signs up `email`, switches TOTP on; returns the browser, the secret and the recovery codes.
async fn enrolled(app: &TestApp, email: &str) -> (Browser, String, Vec<String>) {
    let (browser, secret, codes, _) = enrolled_with_code(app, email).await;
    (browser, secret, codes)
}

/// [`enrolled`], and the code that switched TOTP on.
async fn enrolled_with_code(app: &TestApp, email: &str) -> (Browser, String, Vec<String>, String) {
    let mut browser = app.signed_up(email).await;
    let setup = browser.post("/api/auth/totp/setup", &[]).await;
    assert_eq!(setup.status, 200, "{}", setup.body);
    let secret = setup.json()["secret"].as_str().expect("secret").to_owned();
    let first = code_at(&secret, now());
    let enabled = browser.post("/api/auth/totp/enable", &[("code", &first)]).await;
    assert_eq!(enabled.status, 200, "{}", enabled.body);
    let codes = serde_json::from_value(enabled.json()["recovery_codes"].clone()).expect("codes");
    (browser, secret, codes, first)
}

/// A browser whose password was right: it holds only the pending cookie.
async fn pending(app: &TestApp, email: &str) -> Browser {
    pending_with(app, email, PASSWORD).await
}

async fn pending_with(app: &TestApp, email: &str, password: &str) -> Browser {
    let mut browser = app.browser();
    let reply = browser.login(email, password).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.json()["second_factor_required"], true, "{}", reply.body);
    browser
}

async fn second_step(browser: &mut Browser, code: &str) -> Reply {
    browser.post("/api/auth/login_second_factor", &[("code", code)]).await
}

#[tokio::test]
async fn enrolment_shows_the_secret_once_on_and_recovery_codes_once() {
    let app = spawn_app().await;
    let mut ada = app.signed_up("ada@example.com").await;
    let setup = ada.post("/api/auth/totp/setup", &[]).await.json();
    let secret = setup["secret"].as_str().expect("secret");
    assert_eq!(secret.len(), 32, "160 bits in base32");
    let uri = setup["otpauth_uri"].as_str().expect("uri");
    assert!(uri.starts_with("otpauth://totp/Latchkey:ada%40example.com?") && uri.contains(secret), "{uri}");
    assert!(setup["qr_svg"].as_str().expect("svg").contains("<svg"), "the QR code is drawn on the server");
    assert_eq!(ada.me().await.json()["user"]["second_factors"], serde_json::json!([]), "not on yet");
    assert_error(&ada.post("/api/auth/totp/enable", &[("code", "000000")]).await, 400, "invalid_input");
    let login = app.browser().login("ada@example.com", PASSWORD).await;
    assert!(login.json()["user"].is_object(), "set up is not on: {}", login.body);

    let enabled = ada.post("/api/auth/totp/enable", &[("code", &code_at(secret, now()))]).await;
    assert_eq!(enabled.status, 200, "{}", enabled.body);
    let codes: Vec<String> = serde_json::from_value(enabled.json()["recovery_codes"].clone()).expect("codes");
    assert_eq!(codes.len(), 10);
    let mut unique = codes.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 10);
    assert!(codes.iter().all(|c| c.len() == 23), "80 bits each: {codes:?}");
    assert_error(&ada.post("/api/auth/totp/setup", &[]).await, 409, "conflict");
    assert_eq!(ada.refresh().await.status, 200);
    assert_eq!(ada.me().await.json()["user"]["second_factors"], serde_json::json!(["totp"]));
}

#[tokio::test]
async fn a_password_alone_gives_only_a_pending_cookie_and_each_code_works_once() {
    let app = spawn_app().await;
    let (_, secret, codes, first) = enrolled_with_code(&app, "ada@example.com").await;
    let mut browser = app.browser();
    let login = browser.login("ada@example.com", PASSWORD).await;
    assert_eq!(login.status, 200);
    assert_eq!(login.json()["methods"], serde_json::json!(["totp"]));
    assert!(login.set_cookie(ACCESS).is_none() && login.set_cookie(REFRESH).is_none(), "no session yet");
    let cookie = login.set_cookie(PENDING).expect("pending cookie");
    for attribute in ["HttpOnly", "Path=/api/auth", "Max-Age=300", "SameSite=Strict"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
    assert_error(&browser.me().await, 401, "unauthenticated");

    // The code that enabled TOTP was accepted once already: a replay is refused.
    assert_error(&second_step(&mut browser, &first).await, 401, "invalid_code");
    let stolen = browser.clone();
    let next = code_at(&secret, now() + 30);
    let done = second_step(&mut browser, &next).await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(done.json()["user"]["second_factors"], serde_json::json!(["totp"]));
    assert!(done.set_cookie(ACCESS).is_some() && done.set_cookie(REFRESH).is_some());
    assert!(
        done.set_cookie(PENDING).is_some_and(|c| c.contains("Max-Age=0")),
        "the pending cookie is cleared"
    );
    assert_eq!(browser.me().await.status, 200);
    // The pending sign-in was used up; and the code, even on a new one.
    assert_error(&second_step(&mut stolen.clone(), &codes[0]).await, 401, "unauthenticated");
    let mut again = pending(&app, "ada@example.com").await;
    assert_error(&second_step(&mut again, &next).await, 401, "invalid_code");

    // A recovery code works once, in any case and with spaces.
    let typed = codes[0].to_uppercase().replace('-', " ");
    assert_eq!(second_step(&mut again, &typed).await.status, 200);
    let mut third = pending(&app, "ada@example.com").await;
    assert_error(&second_step(&mut third, &codes[0]).await, 401, "invalid_code");
    assert_eq!(second_step(&mut third, &codes[1]).await.status, 200);
    let activity = third.get("/api/auth/activity").await.body;
    assert!(
        activity.contains("recovery_code_used") && activity.contains("second_factor_failure"),
        "{activity}"
    );
}

#[tokio::test]
async fn a_pending_sign_in_that_is_missing_forged_or_expired_is_401() {
    use latchkey::db::entities::pending_sign_ins;
    use sea_orm::sea_query::Expr;
    use sea_orm::EntityTrait;

    let app = spawn_app().await;
    let (_, _, codes) = enrolled(&app, "ada@example.com").await;
    assert_error(&second_step(&mut app.browser(), &codes[0]).await, 401, "unauthenticated");
    for forged in ["", "x", &"A".repeat(43), &"y".repeat(5_000)] {
        let mut browser = app.browser();
        browser.cookies.insert(PENDING.into(), forged.into());
        let reply = second_step(&mut browser, &codes[0]).await;
        assert!([401, 413].contains(&reply.status), "{forged:?}: {} {}", reply.status, reply.body);
    }
    let mut late = pending(&app, "ada@example.com").await;
    pending_sign_ins::Entity::update_many()
        .col_expr(pending_sign_ins::Column::ExpiresAt, Expr::value(now() - 1))
        .exec(&app.state.auth.db)
        .await
        .expect("expire");
    assert_error(&second_step(&mut late, &codes[0]).await, 401, "unauthenticated");
    let mut fresh = pending(&app, "ada@example.com").await;
    assert_eq!(second_step(&mut fresh, &codes[0]).await.status, 200, "the code was not used up");
}

#[tokio::test]
async fn a_burst_of_wrong_codes_is_checked_at_most_the_limit_times() {
    let app = spawn_app_with(&[("LOGIN_MAX_FAILURES", "5"), ("IP_RATE_LIMIT", "0")]).await;
    let (_, _, codes) = enrolled(&app, "ada@example.com").await;
    let browser = pending(&app, "ada@example.com").await;
    let burst: Vec<_> = (0..30)
        .map(|i| {
            let mut browser = browser.clone();
            tokio::spawn(async move { second_step(&mut browser, &format!("{:06}", i * 7)).await.status })
        })
        .collect();
    let statuses = joined(burst).await;
    let checked = statuses.iter().filter(|s| **s == 401).count();
    assert!(checked <= 5, "{checked} wrong codes checked: {statuses:?}");
    assert!(statuses.iter().all(|s| [401, 429].contains(s)), "{statuses:?}");
    let mut other = pending(&app, "ada@example.com").await;
    assert_error(&second_step(&mut other, &codes[0]).await, 429, "throttled");
}

#[tokio::test]
async fn of_one_code_raced_through_two_instances_exactly_one_sign_in_wins() {
    // A throttle wide enough for the whole race: what is under test is the compare-and-set.
    let a = spawn_app_with(&[("IP_RATE_LIMIT", "0"), ("LOGIN_MAX_FAILURES", "50")]).await;
    let b = a.second_instance().await;
    let (_, secret, _) = enrolled(&a, "ada@example.com").await;
    let mut browsers = Vec::new();
    for i in 0..10 {
        let browser = pending(&a, "ada@example.com").await;
        browsers.push(if i % 2 == 0 { browser } else { browser.at(&b.address) });
    }
    let code = code_at(&secret, now() + 30);
    let race: Vec<_> = browsers
        .into_iter()
        .map(|mut browser| {
            let code = code.clone();
            tokio::spawn(async move { second_step(&mut browser, &code).await.status })
        })
        .collect();
    let statuses = joined(race).await;
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
    assert!(statuses.iter().all(|s| [200, 401].contains(s)), "{statuses:?}");
}

#[tokio::test]
async fn reset_and_sudo_ask_for_the_second_factor_and_switching_off_needs_a_code() {
    let sink = crate::smtp_sink::SmtpSink::start().await;
    let app = crate::smtp_sink::app_mailing_to(&sink, &[("REAUTH_WINDOW", "2")]).await;
    let (mut ada, _, codes) = enrolled(&app, "ada@example.com").await;

    assert_eq!(
        app.browser().post("/api/auth/request_password_reset", &[("email", "ada@example.com")]).await.status,
        200
    );
    let token = crate::smtp_sink::reset_token(&sink.nth("Reset", 1, Duration::from_secs(5)).await);
    let reset = |code: Option<&str>| {
        let mut form = vec![("token", token.clone()), ("new_password", "a brand new passphrase".to_owned())];
        if let Some(code) = code {
            form.push(("code", code.to_owned()));
        }
        form
    };
    let post = |form: Vec<(&'static str, String)>| {
        let mut browser = app.browser();
        async move {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            browser.post("/api/auth/reset_password", &form).await
        }
    };
    assert_error(&post(reset(None)).await, 401, "second_factor_required");
    assert_error(&post(reset(Some("123456"))).await, 401, "invalid_code");
    assert_eq!(post(reset(Some(&codes[0]))).await.status, 200, "the link was still usable");

    let mut browser = pending_with(&app, "ada@example.com", "a brand new passphrase").await;
    assert_eq!(second_step(&mut browser, &codes[1]).await.status, 200);
    tokio::time::sleep(Duration::from_millis(3_100)).await;
    assert_error(&browser.post("/api/auth/totp/recovery_codes", &[]).await, 403, "reauthentication_required");
    let password_only =
        browser.post("/api/auth/reauthenticate", &[("password", "a brand new passphrase")]).await;
    assert_error(&password_only, 401, "second_factor_required");
    assert_eq!(browser.post("/api/auth/reauthenticate", &[("code", codes[2].as_str())]).await.status, 200);
    let fresh = browser.post("/api/auth/totp/recovery_codes", &[]).await;
    assert_eq!(fresh.status, 200, "{}", fresh.body);
    let new_codes: Vec<String> =
        serde_json::from_value(fresh.json()["recovery_codes"].clone()).expect("codes");
    assert_error(
        &browser.post("/api/auth/totp/disable", &[("code", codes[3].as_str())]).await,
        401,
        "invalid_code",
    );
    assert_eq!(browser.post("/api/auth/totp/disable", &[("code", new_codes[0].as_str())]).await.status, 200);
    let plain = app.browser().login("ada@example.com", "a brand new passphrase").await;
    assert!(plain.json()["user"].is_object(), "off: a password signs in again: {}", plain.body);
    drop(ada.logout().await);
}
