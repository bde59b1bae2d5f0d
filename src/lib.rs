//! Latchkey: cookie-based JWT sessions with Leptos and axum.
//!
//! `app`, `pages`, `components` and `client` are shared by server rendering and the browser;
//! `server` and `db` (and the server-side half of `auth`) exist only with the `ssr` feature.

pub mod app;
pub mod auth;
pub mod client;
pub mod components;
pub mod error;
pub mod health;
pub mod notes;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod mail;
#[cfg(feature = "ssr")]
pub mod server;

/// Entry point of the WASM module (built from `front/`): hydrates the page the server
/// rendered, after which the app runs in the browser (client-side navigation).
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // `Err` only means the executor is already running, which is fine.
    _ = any_spawner::Executor::init_wasm_bindgen();
    // Asynchronous hydration: a lazily loaded route's WASM chunk arrives before its HTML
    // hydrates (see `pages::lazy_page!`); the page is marked hydrated after that.
    leptos::task::spawn_local(async {
        if let Some(body) = leptos::prelude::document().body() {
            leptos::mount::hydrate_from_async(body, app::App).await.forget();
            client::browser::on_hydrated();
        }
    });
}
