//! Every string input with NUL bytes, invalid UTF-8 escapes, control characters or 5,000
//! characters is a clear 4xx, on SQLite and on PostgreSQL (which refuses NUL in text and would
//! answer 500 if one reached a query).

use crate::helpers::*;

fn odd_strings() -> Vec<String> {
    vec![
        "\0".into(),
        "a\0b".into(),
        "ada\0@example.com".into(),
        "\u{1}\u{7f}".into(),
        "correct horse\0battery staple".into(),
        "\u{fffd}\u{fffd}".into(),
        "x".repeat(5_000),
        format!("{}@example.com", "é".repeat(2_500)),
    ]
}

/// Posts `form` raw (so `%00` and `%FF` reach the server as sent) and returns the status.
async fn post_raw(browser: &mut Browser, path: &str, body: &str) -> Reply {
    let request = browser
        .http
        .post(format!("{}{path}", browser.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.to_owned());
    browser.send(request).await
}

fn is_client_error(reply: &Reply) -> bool {
    (400..500).contains(&reply.status) && reply.json()["error"].is_string()
}

#[tokio::test]
async fn odd_bytes_in_ids_emails_and_passwords_are_client_errors_never_500() {
    let app = spawn_app_with(&[("IP_RATE_LIMIT", "0"), ("LOGIN_MAX_FAILURES", "1000")]).await;
    let mut ada = app.signed_up("ada@example.com").await;
    for odd in odd_strings() {
        let revoke = ada.post("/api/auth/revoke_session", &[("id", &odd)]).await;
        assert_error(&revoke, 404, "not_found");
        let register = app.browser().register(&odd, PASSWORD).await;
        assert_error(&register, 400, "invalid_input");
        assert_error(&app.browser().login(&odd, PASSWORD).await, 401, "invalid_credentials");
        assert_error(&app.browser().register("bob@example.com", &odd).await, 400, "invalid_input");
        assert_error(&app.browser().login("ada@example.com", &odd).await, 401, "invalid_credentials");
    }
    for raw in ["id=%00", "id=%FF%FE", "id=%C0%80", "id=a%00b%00c%00d%00e%00f%00g%00h%00i%00j%00k"] {
        let reply = post_raw(&mut ada, "/api/auth/revoke_session", raw).await;
        assert!(is_client_error(&reply), "{raw}: {} {}", reply.status, reply.body);
    }
    for raw in
        ["email=%00&password=x", "email=a%FF@b.co&password=correct%00horse%00battery", "email=&password="]
    {
        let reply = post_raw(&mut app.browser(), "/api/auth/register", raw).await;
        assert!(is_client_error(&reply), "{raw}: {} {}", reply.status, reply.body);
        let reply = post_raw(&mut app.browser(), "/api/auth/login", raw).await;
        assert!(is_client_error(&reply), "{raw}: {} {}", reply.status, reply.body);
    }
    assert_eq!(ada.me().await.status, 200, "nothing odd ended the session");
}

#[tokio::test]
async fn a_huge_or_odd_user_agent_is_stored_cut_short_and_never_breaks_a_sign_in() {
    let app = spawn_app().await;
    for agent in ["x".repeat(5_000), "tab\there".into()] {
        let mut browser = app.browser();
        browser.user_agent = agent.clone();
        let reply = browser.register(&format!("{}@example.com", agent.len()), PASSWORD).await;
        assert!(reply.status == 200 || reply.status == 400, "{}: {}", reply.status, reply.body);
        if reply.status == 200 {
            let sessions = browser.get("/api/auth/sessions").await;
            assert_eq!(sessions.status, 200, "{}", sessions.body);
            let stored = sessions.json()[0]["user_agent"].as_str().expect("ua").to_owned();
            assert!(stored.chars().count() <= 512, "stored {} chars", stored.chars().count());
        }
    }
}
