//! Passkeys (contract, "Second factors"): registration behind sudo, naming, listing, removal,
//! and a sign-in with a passkey alone, driven by a software authenticator. Ceremonies are taken
//! once: a replayed or raced answer, one for another account, a phishing origin, an
//! authenticator that did not verify the user or a cloned one are all refused.

use std::time::Duration;

use serde_json::Value;

use crate::helpers::*;
use crate::soft_authenticator::{b64, unb64, SoftAuthenticator};

/// The authenticator of a browser on `app`'s pages, opened as `http://localhost:PORT` (a
/// relying party is a domain, never an IP address).
fn authenticator_for(app: &TestApp) -> SoftAuthenticator {
    SoftAuthenticator::at(&app.address.replace("127.0.0.1", "localhost"))
}

/// Registers a passkey on `browser` (signed in, in sudo) named `name`; returns the answer.
async fn register(browser: &mut Browser, authenticator: &mut SoftAuthenticator, name: &str) -> Reply {
    let options = browser.post("/api/auth/passkey/register_start", &[]).await;
    assert_eq!(options.status, 200, "{}", options.body);
    let created = authenticator.create(&options.json()).expect("a new credential");
    let credential = created.to_string();
    browser.post("/api/auth/passkey/register_finish", &[("credential", &credential), ("name", name)]).await
}

/// A fresh browser's passkey sign-in: the options it got and the authenticator's answer.
async fn assertion(app: &TestApp, authenticator: &mut SoftAuthenticator) -> (Browser, Value) {
    let mut browser = app.browser();
    let options = browser.post("/api/auth/passkey/login_start", &[]).await;
    assert_eq!(options.status, 200, "{}", options.body);
    let options = options.json();
    assert_eq!(options["publicKey"]["userVerification"], "required", "{options}");
    let answer = authenticator.get(&options).expect("an assertion");
    (browser, answer)
}

async fn finish(browser: &mut Browser, answer: &Value) -> Reply {
    browser.post("/api/auth/passkey/login_finish", &[("credential", &answer.to_string())]).await
}

#[tokio::test]
async fn a_registered_passkey_signs_in_on_its_own_and_is_listed_with_its_use() {
    let app = spawn_app().await;
    let mut ada = app.signed_up("ada@example.com").await;
    let mut key = authenticator_for(&app);
    let options = ada.post("/api/auth/passkey/register_start", &[]).await.json();
    let selection = &options["publicKey"]["authenticatorSelection"];
    assert_eq!(selection["residentKey"], "required", "discoverable, so no email is typed: {options}");
    assert_eq!(selection["userVerification"], "required", "{options}");
    assert_eq!(options["publicKey"]["rp"]["id"], "localhost");
    let registered = register(&mut ada, &mut key, "Laptop").await;
    assert_eq!(registered.status, 200, "{}", registered.body);
    assert_eq!(registered.json()["name"], "Laptop");
    assert_eq!(ada.refresh().await.status, 200);
    assert_eq!(ada.me().await.json()["user"]["second_factors"], serde_json::json!(["passkey"]));

    let (mut phone, answer) = assertion(&app, &mut key).await;
    let signed_in = finish(&mut phone, &answer).await;
    assert_eq!(signed_in.status, 200, "{}", signed_in.body);
    assert_eq!(signed_in.json()["user"]["email"], "ada@example.com");
    assert!(phone.cookie(ACCESS).is_some() && phone.cookie("latchkey_refresh").is_some());
    let claims = app.state.auth.keys.verify(&phone.cookie(ACCESS).expect("access")).expect("valid token");
    assert_eq!(claims.amr, ["hwk", "user", "mfa"].map(str::to_owned).to_vec());
    assert_eq!(phone.me().await.json()["user"]["email"], "ada@example.com");

    let listed = ada.get("/api/auth/passkeys").await;
    assert_eq!(listed.status, 200, "{}", listed.body);
    let rows = listed.json();
    let rows = rows.as_array().expect("a list");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["name"], "Laptop");
    assert!(rows[0]["created_at"].as_str().is_some_and(|t| t.ends_with('Z')), "{rows:?}");
    assert!(rows[0]["last_used_at"].as_str().is_some(), "the sign-in is recorded: {rows:?}");
    assert_eq!(app.browser().get("/api/auth/passkeys").await.status, 401);
}

#[tokio::test]
async fn registering_needs_sudo_and_a_second_registration_of_one_authenticator_is_excluded() {
    let app = spawn_app_with(&[("REAUTH_WINDOW", "2")]).await;
    let mut ada = app.signed_up("ada@example.com").await;
    let mut key = authenticator_for(&app);
    assert_eq!(register(&mut ada, &mut key, "").await.status, 200);
    let rows = ada.get("/api/auth/passkeys").await.json();
    assert_eq!(rows[0]["name"], "Chrome on Linux", "an empty name is the browser's: {rows}");
    let again = ada.post("/api/auth/passkey/register_start", &[]).await.json();
    assert!(key.create(&again).is_none(), "the authenticator's credential is excluded: {again}");

    tokio::time::sleep(Duration::from_millis(3_100)).await;
    assert_error(&ada.post("/api/auth/passkey/register_start", &[]).await, 403, "reauthentication_required");
    assert_eq!(ada.post("/api/auth/reauthenticate", &[("password", PASSWORD)]).await.status, 200);
    let mut other = authenticator_for(&app);
    assert_eq!(register(&mut ada, &mut other, "Phone").await.status, 200);
    assert_eq!(ada.get("/api/auth/passkeys").await.json().as_array().map(Vec::len), Some(2));
}

#[tokio::test]
async fn a_registration_answer_is_taken_once_and_only_by_its_own_account() {
    let app = spawn_app().await;
    let mut ada = app.signed_up("ada@example.com").await;
    let mut eve = app.signed_up("eve@example.com").await;
    let mut key = authenticator_for(&app);
    let options = ada.post("/api/auth/passkey/register_start", &[]).await.json();
    let created = key.create(&options).expect("credential").to_string();
    let by_eve = eve.post("/api/auth/passkey/register_finish", &[("credential", &created)]).await;
    assert_error(&by_eve, 400, "invalid_input");
    assert_eq!(eve.get("/api/auth/passkeys").await.body, "[]");
    // Eve's try did not use up Ada's ceremony; Ada's own answer is taken once.
    let first = ada.post("/api/auth/passkey/register_finish", &[("credential", &created)]).await;
    assert_eq!(first.status, 200, "{}", first.body);
    let replayed = ada.post("/api/auth/passkey/register_finish", &[("credential", &created)]).await;
    assert_error(&replayed, 400, "invalid_input");
    assert_eq!(ada.get("/api/auth/passkeys").await.json().as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn a_sign_in_answer_raced_through_two_instances_signs_in_once_and_a_replay_is_401() {
    let app = spawn_app().await;
    let other = app.second_instance().await;
    let mut ada = app.signed_up("ada@example.com").await;
    let mut key = authenticator_for(&app);
    assert_eq!(register(&mut ada, &mut key, "Laptop").await.status, 200);
    let (browser, answer) = assertion(&app, &mut key).await;
    let tasks = (0..24)
        .map(|i| {
            let mut tab = if i % 2 == 0 { browser.clone() } else { browser.at(&other.address) };
            let answer = answer.clone();
            tokio::spawn(async move { finish(&mut tab, &answer).await.status })
        })
        .collect();
    let statuses = joined(tasks).await;
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == 200 || *s == 401), "{statuses:?}");
    let mut late = app.browser();
    assert_error(&finish(&mut late, &answer).await, 401, "invalid_passkey");
}

#[tokio::test]
async fn forged_answers_sign_nobody_in() {
    let app = spawn_app().await;
    let mut ada = app.signed_up("ada@example.com").await;
    let mut key = authenticator_for(&app);
    assert_eq!(register(&mut ada, &mut key, "Laptop").await.status, 200);

    // A phishing page on another origin relays the options.
    let mut phished = key.clone();
    phished.origin = "http://localhost.evil.example".into();
    let (mut browser, answer) = assertion(&app, &mut phished).await;
    assert_error(&finish(&mut browser, &answer).await, 401, "invalid_passkey");

    // The authenticator did not verify the user (presence only).
    let mut unverified = key.clone();
    unverified.verifies_user = false;
    let (mut browser, answer) = assertion(&app, &mut unverified).await;
    assert_error(&finish(&mut browser, &answer).await, 401, "invalid_passkey");

    // A signature that does not match, and a user handle of another account.
    let (mut browser, mut answer) = assertion(&app, &mut key).await;
    let mut signature = unb64(answer["response"]["signature"].as_str().expect("signature"));
    let last = signature.len() - 1;
    signature[last] ^= 1;
    answer["response"]["signature"] = b64(&signature).into();
    assert_error(&finish(&mut browser, &answer).await, 401, "invalid_passkey");
    let mut eve = app.signed_up("eve@example.com").await;
    let mut eves_key = authenticator_for(&app);
    assert_eq!(register(&mut eve, &mut eves_key, "Phone").await.status, 200);
    for handle in [eves_key.credentials[0].user_handle.clone(), vec![7u8; 16]] {
        let (mut browser, mut answer) = assertion(&app, &mut key).await;
        answer["response"]["userHandle"] = b64(&handle).into();
        assert_error(&finish(&mut browser, &answer).await, 401, "invalid_passkey");
    }

    // A registration's ceremony is no sign-in's: an assertion over its challenge is refused.
    let options = ada.post("/api/auth/passkey/register_start", &[]).await.json();
    let challenge = options["publicKey"]["challenge"].clone();
    let posing = serde_json::json!({ "publicKey": { "rpId": "localhost", "challenge": challenge } });
    let answer = key.get(&posing).expect("assertion");
    assert_error(&finish(&mut app.browser(), &answer).await, 401, "invalid_passkey");

    // An answer to no ceremony at all.
    let (mut browser, mut answer) = assertion(&app, &mut key).await;
    let forged = r#"{"type":"webauthn.get","challenge":"AAAA","origin":"x"}"#;
    answer["response"]["clientDataJSON"] = b64(forged.as_bytes()).into();
    assert_error(&finish(&mut browser, &answer).await, 401, "invalid_passkey");
    for bad in ["", "{", "\0", &"[".repeat(10_000)] {
        let reply = app.browser().post("/api/auth/passkey/login_finish", &[("credential", bad)]).await;
        assert_error(&reply, 400, "invalid_input");
    }

    // A clone of the authenticator, behind on the signature counter.
    let mut clone = key.clone();
    let (mut browser, answer) = assertion(&app, &mut key).await;
    assert_eq!(finish(&mut browser, &answer).await.status, 200);
    let (mut browser, answer) = assertion(&app, &mut clone).await;
    assert_error(&finish(&mut browser, &answer).await, 401, "invalid_passkey");
    assert_eq!(ada.me().await.status, 200, "the owner's session is untouched");
}

#[tokio::test]
async fn a_removed_passkey_signs_nobody_in_and_removal_needs_sudo_and_the_owner() {
    let app = spawn_app_with(&[("REAUTH_WINDOW", "2")]).await;
    let mut ada = app.signed_up("ada@example.com").await;
    let mut eve = app.signed_up("eve@example.com").await;
    let mut key = authenticator_for(&app);
    let id = register(&mut ada, &mut key, "Laptop").await.json()["id"].to_string();
    let (mut browser, answer) = assertion(&app, &mut key).await;
    assert_eq!(finish(&mut browser, &answer).await.status, 200);
    assert_error(&eve.post("/api/auth/passkey/remove", &[("id", &id)]).await, 404, "not_found");
    tokio::time::sleep(Duration::from_millis(3_100)).await;
    assert_error(
        &ada.post("/api/auth/passkey/remove", &[("id", &id)]).await,
        403,
        "reauthentication_required",
    );
    assert_eq!(ada.post("/api/auth/reauthenticate", &[("password", PASSWORD)]).await.status, 200);
    assert_eq!(ada.post("/api/auth/passkey/remove", &[("id", &id)]).await.status, 200);
    assert_error(&ada.post("/api/auth/passkey/remove", &[("id", &id)]).await, 404, "not_found");
    assert_error(&ada.post("/api/auth/passkey/remove", &[("id", "x\0")]).await, 400, "invalid_input");
    let (mut browser, answer) = assertion(&app, &mut key).await;
    assert_error(&finish(&mut browser, &answer).await, 401, "invalid_passkey");
    assert_eq!(ada.refresh().await.status, 200);
    assert_eq!(ada.me().await.json()["user"]["second_factors"], serde_json::json!([]));
    let activity = ada.get("/api/auth/activity").await.body;
    for kind in ["passkey_registered", "passkey_used", "passkey_removed"] {
        assert!(activity.contains(kind), "{kind}: {activity}");
    }
}

#[tokio::test]
async fn a_passkey_signs_in_an_account_with_totp_without_a_code_but_not_a_disabled_one() {
    let app = spawn_app().await;
    let mut ada = app.signed_up("ada@example.com").await;
    let mut key = authenticator_for(&app);
    assert_eq!(register(&mut ada, &mut key, "Laptop").await.status, 200);
    let setup = ada.post("/api/auth/totp/setup", &[]).await.json();
    let code = crate::second_factors::code_at(
        setup["secret"].as_str().expect("secret"),
        latchkey::auth::clock::now(),
    );
    assert_eq!(ada.post("/api/auth/totp/enable", &[("code", &code)]).await.status, 200);
    assert_eq!(app.browser().login("ada@example.com", PASSWORD).await.json()["second_factor_required"], true);
    let (mut browser, answer) = assertion(&app, &mut key).await;
    let signed_in = finish(&mut browser, &answer).await;
    assert_eq!(signed_in.status, 200, "{}", signed_in.body);
    let factors = signed_in.json()["user"]["second_factors"].clone();
    assert_eq!(factors, serde_json::json!(["totp", "passkey"]));

    let admin = latchkey::auth::account::admin::disable_user(&app.state.auth.db, "ada@example.com").await;
    assert!(admin.is_ok(), "{admin:?}");
    let (mut browser, answer) = assertion(&app, &mut key).await;
    assert_error(&finish(&mut browser, &answer).await, 401, "invalid_passkey");
}

#[tokio::test]
async fn a_passkey_name_is_checked_and_an_account_keeps_at_most_twenty() {
    let app = spawn_app().await;
    let mut ada = app.signed_up("ada@example.com").await;
    for bad in ["x".repeat(65), "Lap\0top".to_owned(), "tab\there".to_owned()] {
        let mut key = authenticator_for(&app);
        assert_error(&register(&mut ada, &mut key, &bad).await, 400, "invalid_input");
    }
    for n in 0..20 {
        let mut key = authenticator_for(&app);
        assert_eq!(register(&mut ada, &mut key, &format!("key {n}")).await.status, 200);
    }
    assert_error(&ada.post("/api/auth/passkey/register_start", &[]).await, 409, "conflict");
}

#[tokio::test]
async fn a_ceremony_older_than_five_minutes_is_refused() {
    use latchkey::db::entities::passkey_ceremonies::{Column, Entity};
    use sea_orm::sea_query::Expr;
    use sea_orm::EntityTrait;
    let app = spawn_app().await;
    let mut ada = app.signed_up("ada@example.com").await;
    let mut key = authenticator_for(&app);
    assert_eq!(register(&mut ada, &mut key, "Laptop").await.status, 200);
    let (mut browser, answer) = assertion(&app, &mut key).await;
    let options = ada.post("/api/auth/passkey/register_start", &[]).await.json();
    let created = authenticator_for(&app).create(&options).expect("credential").to_string();
    // Five minutes pass: what the rows say is all that counts, on every instance.
    let past = latchkey::auth::clock::now() - 1;
    let aged =
        Entity::update_many().col_expr(Column::ExpiresAt, Expr::value(past)).exec(&app.state.auth.db).await;
    assert_eq!(aged.expect("aged").rows_affected, 2);
    assert_error(&finish(&mut browser, &answer).await, 401, "invalid_passkey");
    let late = ada.post("/api/auth/passkey/register_finish", &[("credential", &created)]).await;
    assert_error(&late, 400, "invalid_input");
}

#[tokio::test]
async fn adding_and_removing_a_passkey_mails_a_notice_and_a_passkey_sign_in_from_a_new_browser_says_so() {
    use crate::smtp_sink::{app_mailing_to, SmtpSink};
    const MAIL_WAIT: Duration = Duration::from_secs(5);
    let sink = SmtpSink::start().await;
    // The site's own domain is the relying party; the browser is on its pages.
    let app = app_mailing_to(&sink, &[]).await;
    let mut ada = app.signed_up("ada@example.com").await;
    let mut key = SoftAuthenticator::at("http://latchkey.test");
    let added = register(&mut ada, &mut key, "Laptop").await;
    assert_eq!(added.status, 200, "{}", added.body);
    let notice = sink.nth("A passkey was added", 1, MAIL_WAIT).await;
    assert!(notice.contains("To: ada@example.com") && notice.contains("Chrome on Linux"), "{notice}");

    let (mut browser, answer) = assertion(&app, &mut key).await;
    assert_eq!(finish(&mut browser, &answer).await.status, 200);
    let new_device = sink.nth("New sign-in", 1, MAIL_WAIT).await;
    assert!(new_device.contains("a passkey"), "the notice says which factor: {new_device}");

    let id = added.json()["id"].to_string();
    assert_eq!(ada.post("/api/auth/passkey/remove", &[("id", &id)]).await.status, 200);
    sink.nth("A passkey was removed", 1, MAIL_WAIT).await;
}

#[tokio::test]
async fn after_the_sudo_window_a_passkey_confirms_it_is_you_but_not_another_accounts() {
    let app = spawn_app_with(&[("REAUTH_WINDOW", "2")]).await;
    let mut ada = app.signed_up("ada@example.com").await;
    let mut eve = app.signed_up("eve@example.com").await;
    let mut adas_key = authenticator_for(&app);
    let mut eves_key = authenticator_for(&app);
    let id = register(&mut ada, &mut adas_key, "Laptop").await.json()["id"].to_string();
    assert_eq!(register(&mut eve, &mut eves_key, "Phone").await.status, 200);
    tokio::time::sleep(Duration::from_millis(3_100)).await;
    assert_error(
        &ada.post("/api/auth/passkey/remove", &[("id", &id)]).await,
        403,
        "reauthentication_required",
    );

    // Eve's passkey does not confirm Ada, and a used answer confirms nothing.
    let options = ada.post("/api/auth/passkey/reauth_start", &[]).await.json();
    let eves = eves_key.get(&options).expect("assertion").to_string();
    let refused = ada.post("/api/auth/reauthenticate", &[("credential", &eves)]).await;
    assert_error(&refused, 401, "invalid_passkey");
    assert_error(&app.browser().post("/api/auth/passkey/reauth_start", &[]).await, 401, "unauthenticated");

    // A sign-in's answer confirms nobody, and a confirmation's answer signs nobody in.
    let (_, sign_in_answer) = assertion(&app, &mut adas_key).await;
    let crossed = ada.post("/api/auth/reauthenticate", &[("credential", &sign_in_answer.to_string())]).await;
    assert_error(&crossed, 401, "invalid_passkey");
    let options = ada.post("/api/auth/passkey/reauth_start", &[]).await.json();
    let confirming = adas_key.get(&options).expect("assertion");
    assert_error(&finish(&mut app.browser(), &confirming).await, 401, "invalid_passkey");

    let options = ada.post("/api/auth/passkey/reauth_start", &[]).await.json();
    let adas = adas_key.get(&options).expect("assertion").to_string();
    let confirmed = ada.post("/api/auth/reauthenticate", &[("credential", &adas)]).await;
    assert_eq!(confirmed.status, 200, "{}", confirmed.body);
    let claims = app.state.auth.keys.verify(&ada.cookie(ACCESS).expect("access")).expect("valid token");
    assert_eq!(claims.amr, ["hwk", "user", "mfa"].map(str::to_owned).to_vec());
    assert_error(
        &ada.post("/api/auth/reauthenticate", &[("credential", &adas)]).await,
        401,
        "invalid_passkey",
    );
    assert_eq!(ada.post("/api/auth/passkey/remove", &[("id", &id)]).await.status, 200);
}

#[tokio::test]
async fn a_registration_answer_raced_through_two_instances_keeps_one_passkey() {
    let app = spawn_app().await;
    let other = app.second_instance().await;
    let mut ada = app.signed_up("ada@example.com").await;
    let options = ada.post("/api/auth/passkey/register_start", &[]).await.json();
    let created = authenticator_for(&app).create(&options).expect("credential").to_string();
    let tasks = (0..16)
        .map(|i| {
            let mut tab = if i % 2 == 0 { ada.clone() } else { ada.at(&other.address) };
            let created = created.clone();
            tokio::spawn(async move {
                tab.post("/api/auth/passkey/register_finish", &[("credential", &created)]).await.status
            })
        })
        .collect();
    let statuses = joined(tasks).await;
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == 200 || *s == 400), "{statuses:?}");
    assert_eq!(ada.get("/api/auth/passkeys").await.json().as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn a_site_on_an_ip_address_has_no_passkeys_and_says_so() {
    let app = spawn_app_with(&[("PUBLIC_ORIGIN", "https://203.0.113.7")]).await;
    let mut ada = app.signed_up("ada@example.com").await;
    assert_error(&app.browser().post("/api/auth/passkey/login_start", &[]).await, 404, "not_found");
    assert_error(&ada.post("/api/auth/passkey/register_start", &[]).await, 404, "not_found");
    assert_eq!(ada.get("/api/auth/passkeys").await.body, "[]", "the list still answers");
}

#[tokio::test]
async fn a_cloned_authenticator_racing_the_real_one_signs_in_at_most_once_per_counter() {
    let app = spawn_app().await;
    let other = app.second_instance().await;
    let mut ada = app.signed_up("ada@example.com").await;
    let mut key = authenticator_for(&app);
    assert_eq!(register(&mut ada, &mut key, "Laptop").await.status, 200);
    let (_, first) = assertion(&app, &mut key).await;
    assert_eq!(finish(&mut app.browser(), &first).await.status, 200, "the counter is now 1");
    for _ in 0..8 {
        // Both copies hold the same counter: each signs its next value, the same one.
        let mut clone = key.clone();
        let (real_tab, real) = assertion(&app, &mut key).await;
        let (clone_tab, cloned) = assertion(&other, &mut clone).await;
        let tasks = [(real_tab, real), (clone_tab, cloned)]
            .into_iter()
            .map(|(mut tab, answer)| tokio::spawn(async move { finish(&mut tab, &answer).await.status }))
            .collect();
        let statuses = joined(tasks).await;
        assert!(statuses.iter().filter(|s| **s == 200).count() <= 1, "{statuses:?}");
        assert!(statuses.iter().all(|s| *s == 200 || *s == 401), "{statuses:?}");
    }
}

#[tokio::test]
async fn clients_on_many_addresses_store_a_bounded_number_of_sign_in_ceremonies() {
    use latchkey::auth::passkeys::sign_in::{STARTS_IN_ALL, STARTS_PER_ADDRESS};
    use latchkey::db::entities::passkey_ceremonies::Entity as Ceremonies;
    use sea_orm::{EntityTrait, PaginatorTrait};
    // Behind a trusted proxy, one client spreads its starts over IPv6 /64s it owns.
    let app = spawn_app_with(&[("TRUSTED_PROXIES", "127.0.0.1/32"), ("IP_RATE_LIMIT", "0")]).await;
    let per_address = STARTS_PER_ADDRESS.max as usize;
    let addresses = (STARTS_IN_ALL.max as usize).div_ceil(per_address) + 2;
    let browser = app.browser();
    let statuses = tokio::time::timeout(Duration::from_secs(120), async {
        let mut statuses = Vec::new();
        for address in 0..addresses {
            let tasks = (0..per_address + 1)
                .map(|_| {
                    let mut tab = browser.clone();
                    let from = format!("2001:db8:{address:x}::1");
                    tokio::spawn(async move {
                        let url = format!("{}/api/auth/passkey/login_start", tab.base);
                        let request = tab.http.post(url).header("x-forwarded-for", from);
                        tab.send(request).await.status
                    })
                })
                .collect();
            statuses.extend(joined(tasks).await);
        }
        statuses
    })
    .await
    .expect("bounded in time");
    let started = statuses.iter().filter(|s| **s == 200).count();
    assert!(statuses.iter().all(|s| *s == 200 || *s == 429), "only starts and 429s");
    assert_eq!(started, STARTS_IN_ALL.max as usize, "every address got its own share until the cap");
    let stored = Ceremonies::find().count(&app.state.auth.db).await.expect("count");
    assert_eq!(stored, STARTS_IN_ALL.max as u64);
}
