//! Email verification (contract, "Account lifecycle"), over real SMTP (`smtp_sink`).

use std::time::Duration;

use crate::helpers::*;
use crate::smtp_sink::{app_mailing_to, mailed_token, SmtpSink};

const MAIL_WAIT: Duration = Duration::from_secs(5);

async fn verify(browser: &mut Browser, token: &str) -> Reply {
    browser.post("/api/auth/verify_email", &[("token", token)]).await
}

#[tokio::test]
async fn registering_mails_a_link_that_verifies_the_address_once() {
    let sink = SmtpSink::start().await;
    let app = app_mailing_to(&sink, &[]).await;
    let mut ada = app.signed_up("ada@example.com").await;
    assert_eq!(ada.me().await.json()["user"]["email_verified"], false);
    let mail = sink.nth("Confirm", 1, MAIL_WAIT).await;
    assert!(
        mail.contains("To: ada@example.com") && mail.contains("http://latchkey.test/verify-email#"),
        "{mail}"
    );
    let token = mailed_token(&mail, "/verify-email#");

    // Opened in a browser that is not signed in: the token is the proof.
    let verified = verify(&mut app.browser(), &token).await;
    assert_eq!(verified.status, 200, "{}", verified.body);
    assert_error(&verify(&mut app.browser(), &token).await, 401, "invalid_token");
    assert_eq!(ada.refresh().await.status, 200, "the next access token says so");
    assert_eq!(ada.me().await.json()["user"]["email_verified"], true);
    let login = app.browser().login("ada@example.com", PASSWORD).await;
    assert_eq!(login.json()["user"]["email_verified"], true);

    assert_eq!(ada.post("/api/auth/request_email_verification", &[]).await.status, 200);
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    assert_eq!(sink.messages("Confirm").len(), 1, "a verified address gets no more links");
}

#[tokio::test]
async fn a_forged_token_is_401_and_asking_again_needs_a_session_and_is_limited() {
    let sink = SmtpSink::start().await;
    let app = app_mailing_to(&sink, &[]).await;
    for forged in ["", "x", &"A".repeat(43), "nul\0byte", &"y".repeat(5_000)] {
        let reply = verify(&mut app.browser(), forged).await;
        assert!([401, 413].contains(&reply.status), "{forged:?}: {} {}", reply.status, reply.body);
    }
    let anonymous = app.browser().post("/api/auth/request_email_verification", &[]).await;
    assert_error(&anonymous, 401, "unauthenticated");
    let mut ada = app.signed_up("ada@example.com").await;
    for _ in 0..3 {
        assert_eq!(ada.post("/api/auth/request_email_verification", &[]).await.status, 200);
    }
    let throttled = ada.post("/api/auth/request_email_verification", &[]).await;
    assert_error(&throttled, 429, "throttled");
    let all = sink.nth("Confirm", 4, MAIL_WAIT).await;
    assert!(all.contains("/verify-email#"));
    // Every link mailed works until one is used; then the address is verified.
    let token = mailed_token(&sink.messages("Confirm")[2], "/verify-email#");
    assert_eq!(verify(&mut app.browser(), &token).await.status, 200);
}
