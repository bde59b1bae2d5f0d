//! The worked example (README, "Add a protected page and server function"): notes, protected by
//! default, each user's own.

use crate::helpers::*;

#[tokio::test]
async fn notes_need_a_session_and_each_user_sees_only_their_own() {
    let app = spawn_app().await;
    assert_error(&app.browser().get("/api/notes/list").await, 401, "unauthenticated");
    assert_error(&app.browser().post("/api/notes/add", &[("body", "x")]).await, 401, "unauthenticated");
    let mut ada = app.signed_up("ada@example.com").await;
    let mut bob = app.signed_up("bob@example.com").await;
    let added = ada.post("/api/notes/add", &[("body", "  buy milk  ")]).await;
    assert_eq!(added.status, 200, "{}", added.body);
    assert_eq!(added.json()["body"], "buy milk");
    let id = added.json()["id"].as_i64().expect("id");
    let list = ada.get("/api/notes/list").await.json();
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    assert_eq!(bob.get("/api/notes/list").await.json().as_array().map(Vec::len), Some(0));
    let stolen = bob.post("/api/notes/delete", &[("id", &id.to_string())]).await;
    assert_error(&stolen, 404, "not_found");
    assert_eq!(ada.post("/api/notes/delete", &[("id", &id.to_string())]).await.status, 200);
    assert_eq!(ada.get("/api/notes/list").await.json().as_array().map(Vec::len), Some(0));
}

#[tokio::test]
async fn a_note_must_be_short_printable_text() {
    let app = spawn_app().await;
    let mut ada = app.signed_up("ada@example.com").await;
    for bad in ["", "   ", &"x".repeat(501), "nul\0byte", "bell\u{7}"] {
        assert_error(&ada.post("/api/notes/add", &[("body", bad)]).await, 400, "invalid_input");
    }
    assert_error(&ada.post("/api/notes/delete", &[("id", "not-a-number")]).await, 400, "invalid_input");
}

#[tokio::test]
async fn the_notes_page_is_rendered_for_its_user_and_sends_anybody_else_to_sign_in() {
    let app = spawn_app().await;
    let mut ada = app.signed_up("ada@example.com").await;
    ada.post("/api/notes/add", &[("body", "render me")]).await;
    let page = ada.page("/notes").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("render me"), "server-rendered with the user's data");
    assert_eq!(page.header("cache-control").as_deref(), Some("no-store"));
    let anonymous = app.browser().page("/notes").await;
    assert_eq!(anonymous.status, 302);
    assert_eq!(anonymous.header("location").as_deref(), Some("/login?next=/notes"));
}
