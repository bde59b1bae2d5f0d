//! A request carrying two cookies of one of our names (a sibling site can plant one with
//! another `Path` or `Domain`) is never served with either: both count as absent, and the
//! answer clears ours.

use crate::helpers::*;

/// `browser` with a second cookie of `name` sent before its own, as a planted one would be.
fn with_planted(browser: &Browser, name: &str, planted: &str) -> reqwest::RequestBuilder {
    let own: Vec<String> = browser.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let header = format!("{name}={planted}; {}", own.join("; "));
    browser.http.post(format!("{}/api/auth/refresh", browser.base)).header("cookie", header)
}

#[tokio::test]
async fn a_planted_refresh_cookie_signs_nobody_in_and_rotates_nothing() {
    let app = spawn_app().await;
    let victim = app.signed_up("victim@example.com").await;
    let mut attacker = app.signed_up("mallory@example.com").await;
    let planted = attacker.cookie(REFRESH).expect("attacker's refresh token");
    let reply = victim
        .http
        .execute(with_planted(&victim, REFRESH, &planted).build().expect("request"))
        .await
        .expect("sent");
    assert_eq!(reply.status().as_u16(), 401);
    let cleared: Vec<String> =
        reply.headers().get_all("set-cookie").iter().map(|v| v.to_str().expect("ascii").to_owned()).collect();
    assert!(
        cleared.iter().any(|c| c.starts_with(&format!("{REFRESH}=;")) && c.contains("Max-Age=0")),
        "{cleared:?}"
    );
    assert!(
        !cleared.iter().any(|c| c.starts_with(&format!("{ACCESS}=ey"))),
        "nobody was signed in: {cleared:?}"
    );
    // Neither token was used: each still rotates on its own.
    assert_eq!(attacker.refresh().await.status, 200, "the planted token was not consumed");
    let mut victim = victim;
    assert_eq!(victim.refresh().await.status, 200, "the victim's token was not consumed");
    assert_eq!(victim.me().await.json()["user"]["email"], "victim@example.com");
}

#[tokio::test]
async fn two_access_cookies_count_as_none() {
    let app = spawn_app().await;
    let victim = app.signed_up("victim@example.com").await;
    let attacker = app.signed_up("mallory@example.com").await;
    let header = format!(
        "{ACCESS}={}; {ACCESS}={}",
        attacker.cookie(ACCESS).expect("a"),
        victim.cookie(ACCESS).expect("v")
    );
    let mut browser = app.browser();
    let me = browser
        .send(browser.http.get(format!("{}/api/auth/me", app.address)).header("cookie", &header))
        .await;
    assert_error(&me, 401, "unauthenticated");
    assert!(
        me.set_cookie(ACCESS).is_some_and(|c| c.contains("Max-Age=0")),
        "cleared: {:?}",
        me.set_cookies()
    );
    let page =
        browser.send(browser.http.get(format!("{}/dashboard", app.address)).header("cookie", &header)).await;
    assert!(!page.body.contains("victim@example.com") && !page.body.contains("mallory@example.com"));
}

#[tokio::test]
async fn signing_in_over_a_planted_cookie_sets_fresh_cookies_and_does_not_clear_them() {
    let app = spawn_app().await;
    app.signed_up("ada@example.com").await;
    let mut browser = app.browser();
    let header = format!("{REFRESH}=planted; {REFRESH}=another");
    let request = browser
        .http
        .post(format!("{}/api/auth/login", app.address))
        .header("cookie", header)
        .form(&[("email", "ada@example.com"), ("password", PASSWORD)]);
    let reply = browser.send(request).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let refresh: Vec<String> = reply.set_cookies().into_iter().filter(|c| c.starts_with(REFRESH)).collect();
    assert_eq!(refresh.len(), 1, "one refresh cookie, the new one: {refresh:?}");
    assert!(!refresh[0].contains("Max-Age=0"));
}
