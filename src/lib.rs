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
pub mod pages;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod server;

/// Entry point of the WASM bundle: hydrates the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Asynchronous hydration: a lazily loaded route's WASM chunk arrives before its HTML hydrates.
    wasm_bindgen_futures::spawn_local(async {
        let Some(body) = leptos::prelude::document().body() else {
            return; // not an HTML page: nothing to hydrate
        };
        leptos::mount::hydrate_from_async(body, app::App).await.forget();
        client::browser::on_hydrated();
    });
}
