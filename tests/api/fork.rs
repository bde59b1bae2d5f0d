//! What a fork adds: a server function of its own, written the standard Leptos way, with no
//! change to `server/`. It runs on leptos_axum's runtime (context, extractors and `redirect`
//! all work over HTTP), and it is protected unless listed as public.

use axum::extract::ConnectInfo;
use axum::http::HeaderMap;
use latchkey::auth::current_user;
use latchkey::error::AppError;
use latchkey::server::state::AppState;
use leptos::prelude::*;

use crate::helpers::*;

/// Who is asking, through every way a server function can read its request.
#[server(prefix = "/api/fork", endpoint = "whoami")]
async fn whoami() -> Result<String, AppError> {
    let state = use_context::<AppState>().ok_or(AppError::Internal)?;
    let headers: HeaderMap = leptos_axum::extract().await.map_err(|_| AppError::Internal)?;
    let ConnectInfo(peer): ConnectInfo<std::net::SocketAddr> =
        leptos_axum::extract().await.map_err(|_| AppError::Internal)?;
    let user = current_user()?;
    let agent = headers.get("user-agent").and_then(|v| v.to_str().ok()).unwrap_or_default();
    let ttl = state.config.access_token_ttl;
    Ok(format!("{} | {agent} | {} | {ttl}", user.email, peer.ip()))
}

/// Sends a plain form post on to another page.
#[server(prefix = "/api/fork", endpoint = "go_on")]
async fn go_on() -> Result<(), AppError> {
    leptos_axum::redirect("/dashboard");
    Ok(())
}

#[tokio::test]
async fn a_forks_server_function_sees_its_context_and_extractors_over_http() {
    let app = spawn_app().await;
    let mut ada = app.signed_up("ada@example.com").await;
    let reply = ada.post("/api/fork/whoami", &[]).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let answer: String = serde_json::from_str(&reply.body).expect("a JSON string");
    assert_eq!(answer, format!("ada@example.com | {} | 127.0.0.1 | 300", ada.user_agent));
}

#[tokio::test]
async fn a_forks_server_function_is_protected_unless_made_public() {
    let app = spawn_app().await;
    let reply = app.browser().post("/api/fork/whoami", &[]).await;
    assert_error(&reply, 401, "unauthenticated");
    let reply = app.browser().post("/api/fork/go_on", &[]).await;
    assert_error(&reply, 401, "unauthenticated");
}

#[tokio::test]
async fn redirect_in_a_forks_server_function_sends_a_plain_form_post_on() {
    let app = spawn_app().await;
    let mut ada = app.signed_up("ada@example.com").await;
    let request = ada
        .http
        .post(format!("{}/api/fork/go_on", app.address))
        .header("accept", "text/html")
        .header("referer", format!("{}/somewhere", app.address));
    let reply = ada.send(request).await;
    assert_eq!(reply.status, 302, "{}", reply.body);
    assert_eq!(reply.header("location").as_deref(), Some("/dashboard"));
    let from_js = ada.post("/api/fork/go_on", &[]).await;
    assert_eq!(from_js.status, 200, "a client call gets its answer, and a redirect header to follow");
    assert_eq!(from_js.header("location").as_deref(), Some("/dashboard"));
}
