//! Email change (contract, "Account lifecycle"): sudo, a link to the new address, a notice to
//! the old one, and the change only on confirmation. Over real SMTP (`smtp_sink`).

use std::time::Duration;

use crate::helpers::*;
use crate::smtp_sink::{app_mailing_to, mailed_token, reset_token, SmtpSink};

const MAIL_WAIT: Duration = Duration::from_secs(5);
const CONFIRM_SUBJECT: &str = "Confirm your new Latchkey address";
const NOTICE_SUBJECT: &str = "address is being changed";

async fn change(browser: &mut Browser, new_email: &str) -> Reply {
    browser.post("/api/auth/change_email", &[("new_email", new_email)]).await
}

async fn confirm(browser: &mut Browser, token: &str) -> Reply {
    browser.post("/api/auth/confirm_email_change", &[("token", token)]).await
}

fn change_token(message: &str) -> String {
    mailed_token(message, "/confirm-email-change#")
}

#[tokio::test]
async fn the_address_changes_only_when_the_new_one_confirms_and_old_links_die() {
    let sink = SmtpSink::start().await;
    let app = app_mailing_to(&sink, &[]).await;
    let mut ada = app.signed_up("ada@example.com").await;
    let verify_token =
        mailed_token(&sink.nth("Confirm your Latchkey address", 1, MAIL_WAIT).await, "/verify-email#");
    let asked = app.browser().post("/api/auth/request_password_reset", &[("email", "ada@example.com")]).await;
    assert_eq!(asked.status, 200);
    let old_reset = reset_token(&sink.nth("Reset", 1, MAIL_WAIT).await);

    let requested = change(&mut ada, "Ada.New@Example.com").await;
    assert_eq!(requested.status, 200, "{}", requested.body);
    let link_mail = sink.nth(CONFIRM_SUBJECT, 1, MAIL_WAIT).await;
    assert!(link_mail.contains("To: ada.new@example.com"), "{link_mail}");
    let notice = sink.nth(NOTICE_SUBJECT, 1, MAIL_WAIT).await;
    assert!(notice.contains("To: ada@example.com") && notice.contains("ada.new@example.com"), "{notice}");
    for link in ["/confirm-email-change#", "/reset-password#", "/verify-email#", "/report-sign-in#"] {
        assert!(!notice.contains(link), "the notice carries no token: {notice}");
    }
    let token = change_token(&link_mail);

    // Nothing changed yet.
    assert_eq!(ada.me().await.json()["user"]["email"], "ada@example.com");
    assert_error(&app.browser().login("ada.new@example.com", PASSWORD).await, 401, "invalid_credentials");

    // Opened in another browser (the new mailbox's): the token is the proof, once.
    let confirmed = confirm(&mut app.browser(), &token).await;
    assert_eq!(confirmed.status, 200, "{}", confirmed.body);
    assert_error(&confirm(&mut app.browser(), &token).await, 401, "invalid_token");
    assert_eq!(ada.refresh().await.status, 200, "the session goes on");
    let me = ada.me().await.json();
    assert_eq!(me["user"]["email"], "ada.new@example.com");
    assert_eq!(me["user"]["email_verified"], true, "the new address is proven read");
    assert_eq!(app.browser().login("ada.new@example.com", PASSWORD).await.status, 200);
    assert_error(&app.browser().login("ada@example.com", PASSWORD).await, 401, "invalid_credentials");

    // Links mailed to the old address no longer work.
    let reset = [("token", old_reset.as_str()), ("new_password", "a brand new passphrase")];
    assert_error(&app.browser().post("/api/auth/reset_password", &reset).await, 401, "invalid_token");
    let verify = app.browser().post("/api/auth/verify_email", &[("token", verify_token.as_str())]).await;
    assert_error(&verify, 401, "invalid_token");
    // The old address is free again.
    assert_eq!(app.browser().register("ada@example.com", PASSWORD).await.status, 200);
}

#[tokio::test]
async fn a_change_needs_sudo_and_a_free_well_formed_other_address() {
    let sink = SmtpSink::start().await;
    let app = app_mailing_to(&sink, &[("REAUTH_WINDOW", "2")]).await;
    app.signed_up("bob@example.com").await;
    let mut ada = app.signed_up("ada@example.com").await;
    assert_error(&change(&mut app.browser(), "x@example.com").await, 401, "unauthenticated");
    assert_error(&change(&mut ada, "BOB@example.com").await, 409, "email_taken");
    assert_error(&change(&mut ada, "ada@example.com").await, 400, "invalid_input");
    for odd in ["", "not an address", "nul\0@example.com", &format!("{}@example.com", "a".repeat(5_000))] {
        let reply = change(&mut ada, odd).await;
        assert!([400, 413].contains(&reply.status), "{odd:?}: {} {}", reply.status, reply.body);
    }
    tokio::time::sleep(Duration::from_millis(3_100)).await;
    assert_error(&change(&mut ada, "ada2@example.com").await, 403, "reauthentication_required");
    let again = ada.post("/api/auth/reauthenticate", &[("password", PASSWORD)]).await;
    assert_eq!(again.status, 200);
    assert_eq!(change(&mut ada, "ada2@example.com").await.status, 200);
    assert_eq!(sink.nth(CONFIRM_SUBJECT, 1, MAIL_WAIT).await.matches("To: ada2@example.com").count(), 1);
    assert_eq!(sink.messages(CONFIRM_SUBJECT).len(), 1, "refused requests mailed nothing");
}

#[tokio::test]
async fn a_newer_request_replaces_the_older_and_of_many_confirmations_one_wins() {
    let sink = SmtpSink::start().await;
    let app = app_mailing_to(&sink, &[]).await;
    let mut ada = app.signed_up("ada@example.com").await;
    assert_eq!(change(&mut ada, "first@example.com").await.status, 200);
    let first = change_token(&sink.nth(CONFIRM_SUBJECT, 1, MAIL_WAIT).await);
    assert_eq!(change(&mut ada, "second@example.com").await.status, 200);
    let second = change_token(&sink.nth(CONFIRM_SUBJECT, 2, MAIL_WAIT).await);
    assert_error(&confirm(&mut app.browser(), &first).await, 401, "invalid_token");

    let attempts: Vec<_> = (0..20)
        .map(|_| {
            let (mut browser, token) = (app.browser(), second.clone());
            tokio::spawn(async move { confirm(&mut browser, &token).await.status })
        })
        .collect();
    let statuses = joined(attempts).await;
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
    assert!(statuses.iter().all(|s| [200, 401].contains(s)), "{statuses:?}");
    assert_eq!(app.browser().login("second@example.com", PASSWORD).await.status, 200);
}

#[tokio::test]
async fn an_address_taken_meanwhile_is_409_and_the_link_works_once_it_is_free() {
    let sink = SmtpSink::start().await;
    let app = app_mailing_to(&sink, &[]).await;
    let mut ada = app.signed_up("ada@example.com").await;
    assert_eq!(change(&mut ada, "shared@example.com").await.status, 200);
    let token = change_token(&sink.nth(CONFIRM_SUBJECT, 1, MAIL_WAIT).await);
    let mut bob = app.signed_up("shared@example.com").await;
    assert_error(&confirm(&mut app.browser(), &token).await, 409, "email_taken");
    assert_eq!(ada.me().await.json()["user"]["email"], "ada@example.com", "nothing changed");
    assert_eq!(bob.post("/api/auth/delete_account", &[("password", PASSWORD)]).await.status, 200);
    assert_eq!(confirm(&mut app.browser(), &token).await.status, 200);
    assert_eq!(
        app.browser().login("shared@example.com", PASSWORD).await.json()["user"]["id"],
        ada.me().await.json()["user"]["id"]
    );
}

#[tokio::test]
async fn forged_tokens_and_tokens_of_another_purpose_are_401() {
    let sink = SmtpSink::start().await;
    let app = app_mailing_to(&sink, &[]).await;
    app.signed_up("ada@example.com").await;
    let verify_token =
        mailed_token(&sink.nth("Confirm your Latchkey address", 1, MAIL_WAIT).await, "/verify-email#");
    assert_error(&confirm(&mut app.browser(), &verify_token).await, 401, "invalid_token");
    for forged in ["", "x", &"A".repeat(43), "nul\0byte", &"y".repeat(5_000)] {
        let reply = confirm(&mut app.browser(), forged).await;
        assert!([401, 413].contains(&reply.status), "{forged:?}: {} {}", reply.status, reply.body);
    }
    let verified = app.browser().post("/api/auth/verify_email", &[("token", verify_token.as_str())]).await;
    assert_eq!(verified.status, 200, "the token of its own purpose was not used up");
}
