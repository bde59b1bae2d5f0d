//! Notices by mail. New-device notices (contract, "Account lifecycle"): a sign-in from a browser
//! without the account's device cookie mails when, what and where, with a "this wasn't me" link
//! that ends that session. Security notices: a password change or reset, and two-step sign-in
//! on or off, mail the account. Over real SMTP (`smtp_sink`).

use std::time::{Duration, Instant};

use crate::helpers::*;
use crate::smtp_sink::{app_mailing_to, mailed_token, SmtpSink};

const MAIL_WAIT: Duration = Duration::from_secs(5);
const SUBJECT: &str = "New sign-in to your Latchkey account";
/// Longer than the outbox's poll: a mail that was going to be sent has been.
const QUIET: Duration = Duration::from_millis(1_500);

async fn report(browser: &mut Browser, token: &str) -> Reply {
    browser.post("/api/auth/report_sign_in", &[("token", token)]).await
}

#[tokio::test]
async fn only_a_browser_the_account_does_not_know_gets_a_notice() {
    let sink = SmtpSink::start().await;
    let app = app_mailing_to(&sink, &[]).await;
    let mut laptop = app.signed_up("ada@example.com").await;
    assert_eq!(laptop.logout().await.status, 200);
    assert_eq!(laptop.login("ada@example.com", PASSWORD).await.status, 200);
    tokio::time::sleep(QUIET).await;
    assert!(sink.messages(SUBJECT).is_empty(), "registration and its browser send no notice");

    let mut phone = app.browser();
    phone.user_agent =
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Version/17.0 Mobile Safari/604.1".into();
    assert_eq!(phone.login("ada@example.com", PASSWORD).await.status, 200);
    let notice = sink.nth(SUBJECT, 1, MAIL_WAIT).await;
    assert!(notice.contains("To: ada@example.com"), "{notice}");
    assert!(notice.contains("Safari on iOS") && notice.contains("127.0.0.1"), "{notice}");
    assert!(notice.contains(" UTC") && notice.contains("http://latchkey.test/report-sign-in#"), "{notice}");
    assert_eq!(mailed_token(&notice, "/report-sign-in#").len(), 43);

    assert_eq!(phone.logout().await.status, 200);
    assert_eq!(phone.login("ada@example.com", PASSWORD).await.status, 200);
    assert_error(
        &app.browser().login("ada@example.com", "a wrong password").await,
        401,
        "invalid_credentials",
    );
    tokio::time::sleep(QUIET).await;
    assert_eq!(sink.messages(SUBJECT).len(), 1, "a known browser, or a failed sign-in, sends none");
}

#[tokio::test]
async fn this_wasnt_me_ends_that_session_on_every_instance_and_the_next_sign_in_is_announced() {
    let sink = SmtpSink::start().await;
    let a = app_mailing_to(&sink, &[]).await;
    let b = a.second_instance().await;
    let mut owner = a.signed_up("ada@example.com").await;
    let mut intruder = a.browser();
    assert_eq!(intruder.login("ada@example.com", PASSWORD).await.status, 200);
    let intruder_session = current_session_id(&mut intruder).await;
    let mut intruder_on_b = intruder.at(&b.address);
    assert_eq!(intruder_on_b.me().await.status, 200);
    let token = mailed_token(&sink.nth(SUBJECT, 1, MAIL_WAIT).await, "/report-sign-in#");

    let reported = report(&mut a.browser(), &token).await;
    assert_eq!(reported.status, 200, "{}", reported.body);
    assert_eq!(reported.json()["session_ended"], true);
    assert_eq!(reported.json()["password_change_required"], true);
    let since = Instant::now();
    while intruder_on_b.me().await.status != 401 {
        assert!(since.elapsed() < Duration::from_secs(1), "the reported session still works on b");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(intruder.clone().refresh().await.status, 401);
    assert_eq!(owner.me().await.status, 200, "the owner's session goes on");
    let listed = owner.get("/api/auth/sessions").await.json();
    assert!(listed.as_array().expect("rows").iter().all(|s| s["id"] != intruder_session.as_str()));
    assert_error(&report(&mut a.browser(), &token).await, 401, "invalid_token");
    let activity = owner.get("/api/auth/activity").await.body;
    assert!(activity.contains("sign_in_reported"), "{activity}");

    // The account forgot the browsers it knew: the intruder's next sign-in is announced again.
    assert_eq!(intruder.login("ada@example.com", PASSWORD).await.status, 200);
    sink.nth(SUBJECT, 2, MAIL_WAIT).await;
}

#[tokio::test]
async fn forged_and_other_tokens_are_401_and_a_report_after_logout_says_so() {
    let sink = SmtpSink::start().await;
    let app = app_mailing_to(&sink, &[]).await;
    app.signed_up("ada@example.com").await;
    let verify_token =
        mailed_token(&sink.nth("Confirm your Latchkey address", 1, MAIL_WAIT).await, "/verify-email#");
    assert_error(&report(&mut app.browser(), &verify_token).await, 401, "invalid_token");
    for forged in ["", "x", &"A".repeat(43), "nul\0byte", &"y".repeat(5_000)] {
        let reply = report(&mut app.browser(), forged).await;
        assert!([401, 413].contains(&reply.status), "{forged:?}: {} {}", reply.status, reply.body);
    }
    let mut phone = app.browser();
    assert_eq!(phone.login("ada@example.com", PASSWORD).await.status, 200);
    let token = mailed_token(&sink.nth(SUBJECT, 1, MAIL_WAIT).await, "/report-sign-in#");
    assert_eq!(phone.logout().await.status, 200);
    let reported = report(&mut app.browser(), &token).await;
    assert_eq!(reported.status, 200, "{}", reported.body);
    assert_eq!(reported.json()["session_ended"], false, "it had ended already");
}

#[tokio::test]
async fn two_instances_send_each_queued_mail_exactly_once() {
    let sink = SmtpSink::start().await;
    let a = app_mailing_to(&sink, &[]).await;
    let b = a.second_instance().await;
    // Twelve registrations at once, half through each instance: twelve mails queued while both
    // outboxes drain.
    let signups: Vec<_> = (0..12)
        .map(|i| {
            let mut browser = if i % 2 == 0 { a.browser() } else { b.browser() };
            tokio::spawn(
                async move { browser.register(&format!("user{i}@example.com"), PASSWORD).await.status },
            )
        })
        .collect();
    for signup in signups {
        assert_eq!(signup.await.expect("task"), 200);
    }
    sink.nth("Confirm your Latchkey address", 12, MAIL_WAIT).await;
    tokio::time::sleep(QUIET).await;
    let mails = sink.messages("Confirm your Latchkey address");
    let mut recipients: Vec<_> =
        mails.iter().filter_map(|m| m.lines().find(|l| l.starts_with("To: ")).map(str::to_owned)).collect();
    recipients.sort();
    recipients.dedup();
    assert_eq!((mails.len(), recipients.len()), (12, 12), "each mail once: {recipients:?}");
}

#[tokio::test]
async fn expired_links_of_every_purpose_are_401() {
    use latchkey::db::entities::email_tokens;
    use sea_orm::sea_query::Expr;
    use sea_orm::EntityTrait;

    let sink = SmtpSink::start().await;
    let app = app_mailing_to(&sink, &[]).await;
    let mut ada = app.signed_up("ada@example.com").await;
    let verify =
        mailed_token(&sink.nth("Confirm your Latchkey address", 1, MAIL_WAIT).await, "/verify-email#");
    assert_eq!(app.browser().login("ada@example.com", PASSWORD).await.status, 200);
    let report = mailed_token(&sink.nth(SUBJECT, 1, MAIL_WAIT).await, "/report-sign-in#");
    assert_eq!(ada.post("/api/auth/change_email", &[("new_email", "new@example.com")]).await.status, 200);
    let change = mailed_token(&sink.nth("Confirm your new", 1, MAIL_WAIT).await, "/confirm-email-change#");
    assert_eq!(
        ada.post("/api/auth/request_password_reset", &[("email", "ada@example.com")]).await.status,
        200
    );
    let reset = mailed_token(&sink.nth("Reset", 1, MAIL_WAIT).await, "/reset-password#");

    // Every link runs out of time.
    email_tokens::Entity::update_many()
        .col_expr(email_tokens::Column::ExpiresAt, Expr::value(latchkey::auth::clock::now() - 1))
        .exec(&app.state.auth.db)
        .await
        .expect("expire the tokens");
    let posts = [
        ("/api/auth/verify_email", vec![("token", verify.as_str())]),
        ("/api/auth/report_sign_in", vec![("token", report.as_str())]),
        ("/api/auth/confirm_email_change", vec![("token", change.as_str())]),
        (
            "/api/auth/reset_password",
            vec![("token", reset.as_str()), ("new_password", "a brand new passphrase")],
        ),
    ];
    for (path, form) in posts {
        assert_error(&app.browser().post(path, &form).await, 401, "invalid_token");
    }
    assert_eq!(ada.me().await.json()["user"]["email"], "ada@example.com");
}

#[tokio::test]
async fn changing_how_the_account_signs_in_mails_a_notice_without_a_token() {
    let sink = SmtpSink::start().await;
    let app = app_mailing_to(&sink, &[]).await;
    let mut ada = app.signed_up("ada@example.com").await;
    let changed = [("current_password", PASSWORD), ("new_password", "a second long passphrase")];
    assert_eq!(ada.post("/api/auth/change_password", &changed).await.status, 200);
    let notice = sink.nth("password was changed", 1, MAIL_WAIT).await;
    assert!(notice.contains("To: ada@example.com") && notice.contains("Chrome on Linux"), "{notice}");
    assert!(
        notice.contains("127.0.0.1") && notice.contains("http://latchkey.test/forgot-password"),
        "{notice}"
    );

    let setup = ada.post("/api/auth/totp/setup", &[]).await.json();
    let secret = setup["secret"].as_str().expect("secret");
    let code = crate::second_factors::code_at(secret, latchkey::auth::clock::now());
    assert_eq!(ada.post("/api/auth/totp/enable", &[("code", &code)]).await.status, 200);
    sink.nth("Two-step sign-in is on", 1, MAIL_WAIT).await;
    let codes = ada.post("/api/auth/totp/recovery_codes", &[]).await.json();
    let recovery = codes["recovery_codes"][0].as_str().expect("code").to_owned();
    assert_eq!(ada.post("/api/auth/totp/disable", &[("code", &recovery)]).await.status, 200);
    sink.nth("Two-step sign-in is off", 1, MAIL_WAIT).await;

    let asked = ada.post("/api/auth/request_password_reset", &[("email", "ada@example.com")]).await;
    assert_eq!(asked.status, 200);
    let token = mailed_token(&sink.nth("Reset", 1, MAIL_WAIT).await, "/reset-password#");
    let reset = [("token", token.as_str()), ("new_password", "a third long passphrase")];
    assert_eq!(app.browser().post("/api/auth/reset_password", &reset).await.status, 200);
    let reset_notice = sink.nth("password was reset", 1, MAIL_WAIT).await;
    for mail in [&notice, &reset_notice] {
        for link in ["/reset-password#", "/verify-email#", "/report-sign-in#", "/confirm-email-change#"] {
            assert!(!mail.contains(link), "a notice carries no token: {mail}");
        }
    }
}
