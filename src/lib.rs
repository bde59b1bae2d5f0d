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

/// Entry point of the WASM module (built from `front/`), run by the islands loader before it
/// hydrates the page's islands (the interactive parts; the rest of the page is server-rendered
/// HTML).
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    client::browser::on_started();
}
