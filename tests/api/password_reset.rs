//! Password reset by mail (contract, "Account lifecycle"), over real SMTP (`smtp_sink`).

use std::time::{Duration, Instant};

use latchkey::db::entities::{audit_events, outbox};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::helpers::*;
use crate::smtp_sink::{app_mailing_to, reset_token, SmtpSink};

const NEW_PASSWORD: &str = "a brand new passphrase, from the mail";
const MAIL_WAIT: Duration = Duration::from_secs(5);

async fn ask(browser: &mut Browser, email: &str) -> Reply {
    browser.post("/api/auth/request_password_reset", &[("email", email)]).await
}

async fn reset(browser: &mut Browser, token: &str, password: &str) -> Reply {
    browser.post("/api/auth/reset_password", &[("token", token), ("new_password", password)]).await
}

#[tokio::test]
async fn a_mailed_link_sets_a_new_password_ends_every_session_and_signs_this_browser_in() {
    let sink = SmtpSink::start().await;
    let a = app_mailing_to(&sink, &[]).await;
    let b = a.second_instance().await;
    let (laptop, phone) = a.two_devices("ada@example.com").await;
    let mut phone_on_b = phone.at(&b.address);
    let asked = ask(&mut a.browser(), "Ada@Example.com").await;
    assert_eq!(asked.status, 200, "{}", asked.body);

    let mail = sink.nth("Reset", 1, MAIL_WAIT).await;
    assert!(mail.contains("To: ada@example.com"), "{mail}");
    assert!(mail.contains("Subject: Reset your Latchkey password"), "{mail}");
    assert!(mail.contains("http://latchkey.test/reset-password#"), "the link is on PUBLIC_ORIGIN: {mail}");
    assert!(mail.contains("text/plain") && mail.contains("text/html"), "both bodies: {mail}");
    let token = reset_token(&mail);
    assert_eq!(token.len(), 43, "256 bits: {token}");

    let mut stranger = a.browser();
    let done = reset(&mut stranger, &token, NEW_PASSWORD).await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(done.json()["user"]["email"], "ada@example.com");
    assert_eq!(stranger.me().await.status, 200, "this browser is signed in");
    let since = Instant::now();
    while phone_on_b.me().await.status != 401 {
        assert!(since.elapsed() < Duration::from_secs(1), "a session from before the reset still works");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(laptop.clone().refresh().await.status, 401);
    assert_error(&a.browser().login("ada@example.com", PASSWORD).await, 401, "invalid_credentials");
    assert_eq!(a.browser().login("ada@example.com", NEW_PASSWORD).await.status, 200);
    assert_error(&reset(&mut a.browser(), &token, "yet another passphrase").await, 401, "invalid_token");

    let db = &a.state.auth.db;
    let sent = outbox::Entity::find().all(db).await.expect("outbox");
    assert!(sent.iter().any(|m| m.subject.contains("Reset") && m.sent_at.is_some()), "{sent:?}");
    assert!(
        sent.iter().filter(|m| m.sent_at.is_some()).all(|m| m.link.is_none()),
        "a sent mail keeps no link: {sent:?}"
    );
    assert!(sent.iter().all(|m| !m.text_body.contains(&token) && !m.html_body.contains(&token)));
}

#[tokio::test]
async fn an_unknown_address_gets_the_same_answer_in_about_the_same_time_and_no_mail() {
    let sink = SmtpSink::start().await;
    let app = app_mailing_to(&sink, &[]).await;
    app.signed_up("ada@example.com").await;
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    let mut bodies = std::collections::HashSet::new();
    for i in 0..3 {
        let started = Instant::now();
        let reply = ask(&mut app.browser(), "ada@example.com").await;
        known.push(started.elapsed());
        bodies.insert((reply.status, reply.body));
        let started = Instant::now();
        let reply = ask(&mut app.browser(), &format!("nobody{i}@example.com")).await;
        unknown.push(started.elapsed());
        bodies.insert((reply.status, reply.body));
    }
    assert_eq!(bodies.len(), 1, "one answer for both: {bodies:?}");
    known.sort();
    unknown.sort();
    let gap = known[1].abs_diff(unknown[1]);
    assert!(gap < Duration::from_millis(50), "medians {:?} and {:?}", known[1], unknown[1]);
    sink.nth("Reset", 3, MAIL_WAIT).await;
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    let mails = sink.messages("Reset");
    assert_eq!(mails.len(), 3, "mail only for the account");
    assert!(mails.iter().all(|m| m.contains("To: ada@example.com")));
    assert_error(&ask(&mut app.browser(), "not an address").await, 400, "invalid_input");
}

#[tokio::test]
async fn one_address_is_sent_a_few_mails_an_hour_then_429() {
    let sink = SmtpSink::start().await;
    let app = app_mailing_to(&sink, &[]).await;
    app.signed_up("ada@example.com").await;
    for _ in 0..3 {
        assert_eq!(ask(&mut app.browser(), "ada@example.com").await.status, 200);
    }
    let throttled = ask(&mut app.browser(), "ADA@example.com").await;
    assert_error(&throttled, 429, "throttled");
    assert!(throttled.header("retry-after").is_some());
    assert_eq!(
        ask(&mut app.browser(), "bob@example.com").await.status,
        200,
        "other addresses are not held up"
    );
}

#[tokio::test]
async fn a_forged_expired_or_used_token_is_401_and_a_refused_password_leaves_the_token_usable() {
    let sink = SmtpSink::start().await;
    let app = app_mailing_to(&sink, &[("RESET_TOKEN_TTL", "2")]).await;
    let mut ada = app.signed_up("ada@example.com").await;
    for forged in ["", "x", &"A".repeat(43), "nul\0byte", &"y".repeat(5_000)] {
        let reply = reset(&mut app.browser(), forged, NEW_PASSWORD).await;
        assert!([401, 413].contains(&reply.status), "{forged:?}: {} {}", reply.status, reply.body);
    }
    assert_eq!(ask(&mut app.browser(), "ada@example.com").await.status, 200);
    let token = reset_token(&sink.nth("Reset", 1, MAIL_WAIT).await);
    assert_error(&reset(&mut app.browser(), &token, "password1").await, 400, "invalid_input");
    assert_error(&reset(&mut app.browser(), &token, "short").await, 400, "invalid_input");
    assert_eq!(ada.me().await.status, 200, "nothing happened yet");
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    assert_error(&reset(&mut app.browser(), &token, NEW_PASSWORD).await, 401, "invalid_token");
    assert_eq!(
        app.browser().login("ada@example.com", PASSWORD).await.status,
        200,
        "the password is unchanged"
    );
}

#[tokio::test]
async fn of_many_resets_with_one_token_at_once_exactly_one_wins() {
    let sink = SmtpSink::start().await;
    let app = app_mailing_to(&sink, &[]).await;
    app.signed_up("ada@example.com").await;
    assert_eq!(ask(&mut app.browser(), "ada@example.com").await.status, 200);
    let token = reset_token(&sink.nth("Reset", 1, MAIL_WAIT).await);
    let attempts: Vec<_> = (0..20)
        .map(|i| {
            let (mut browser, token) = (app.browser(), token.clone());
            tokio::spawn(
                async move { reset(&mut browser, &token, &format!("{NEW_PASSWORD} {i}")).await.status },
            )
        })
        .collect();
    let statuses = joined(attempts).await;
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
    assert!(statuses.iter().all(|s| [200, 401].contains(s)), "{statuses:?}");
}

#[tokio::test]
async fn a_password_change_kills_pending_reset_links() {
    let sink = SmtpSink::start().await;
    let app = app_mailing_to(&sink, &[]).await;
    let mut ada = app.signed_up("ada@example.com").await;
    assert_eq!(ask(&mut app.browser(), "ada@example.com").await.status, 200);
    let token = reset_token(&sink.nth("Reset", 1, MAIL_WAIT).await);
    let changed = ada
        .post("/api/auth/change_password", &[("current_password", PASSWORD), ("new_password", NEW_PASSWORD)])
        .await;
    assert_eq!(changed.status, 200, "{}", changed.body);
    assert_error(&reset(&mut app.browser(), &token, "yet another passphrase").await, 401, "invalid_token");
}

#[tokio::test]
async fn a_mail_queued_while_smtp_is_down_is_sent_after_a_kill_9_and_a_restart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = fresh_database_url(&dir).await;
    // A port nobody listens on: SMTP is down.
    let down = std::net::TcpListener::bind("127.0.0.1:0").expect("free port");
    let port = down.local_addr().expect("address").port();
    drop(down);
    let smtp = format!("smtp://127.0.0.1:{port}");
    let vars = [("SMTP_URL", smtp.as_str()), ("PUBLIC_ORIGIN", "http://latchkey.test")];
    let first = ServerProcess::start_with(&url, "info", &vars, &[]);
    assert_eq!(first.browser().register("ada@example.com", PASSWORD).await.status, 200);
    assert_eq!(ask(&mut first.browser(), "ada@example.com").await.status, 200);
    tokio::time::sleep(Duration::from_millis(1_000)).await;
    let log = first.stop(); // SIGKILL: no clean shutdown
    assert!(log.contains("mail not sent; will retry"), "{log}");

    let sink = SmtpSink::start_on(port, false).await;
    let second = ServerProcess::start_with(&url, "info", &vars, &[]);
    // The first attempt failed: the retry comes after its backoff (10 s).
    let mail = sink.nth("Reset", 1, Duration::from_secs(15)).await;
    let token = reset_token(&mail);
    assert_eq!(reset(&mut second.browser(), &token, NEW_PASSWORD).await.status, 200);
}

#[tokio::test]
async fn a_mail_the_server_refuses_for_good_is_given_up_logged_and_audited() {
    let sink = SmtpSink::refusing().await;
    let app = app_mailing_to(&sink, &[]).await;
    app.signed_up("ada@example.com").await;
    assert_eq!(ask(&mut app.browser(), "ada@example.com").await.status, 200);
    let db = &app.state.auth.db;
    let since = Instant::now();
    loop {
        let mails = outbox::Entity::find().all(db).await.expect("outbox");
        if mails.len() == 2 && mails.iter().all(|m| m.failed_at.is_some()) {
            assert!(mails.iter().all(|m| m.link.is_none() && m.sent_at.is_none()), "{mails:?}");
            assert!(mails.iter().all(|m| m.attempts == 1), "a permanent refusal is not retried: {mails:?}");
            break;
        }
        assert!(since.elapsed() < MAIL_WAIT, "the mail was never given up: {mails:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let audited = audit_events::Entity::find().filter(audit_events::Column::Kind.eq("mail_failed")).all(db);
    // The verification mail of the registration and the reset mail: both refused.
    assert_eq!(audited.await.expect("audit").len(), 2);
}

#[tokio::test]
async fn a_link_mailed_before_the_account_was_disabled_does_not_get_it_back() {
    let sink = SmtpSink::start().await;
    let app = app_mailing_to(&sink, &[]).await;
    let mut ada = app.signed_up("ada@example.com").await;
    let id = ada.me().await.json()["user"]["id"].as_i64().expect("id");
    assert_eq!(ask(&mut app.browser(), "ada@example.com").await.status, 200);
    let token = reset_token(&sink.nth("Reset", 1, MAIL_WAIT).await);
    let disabled = latchkey::db::users::set_disabled(&app.state.auth.db, id, Some(1)).await.expect("disable");
    assert!(disabled);
    assert_error(&reset(&mut app.browser(), &token, NEW_PASSWORD).await, 401, "invalid_token");
    assert_eq!(ask(&mut app.browser(), "ada@example.com").await.status, 200, "the same answer");
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    assert_eq!(sink.messages("Reset").len(), 1, "no mail for a disabled account");
}
