//! Response headers every page and API answer carries: security headers, and `no-store` on
//! anything that may show a user's data (everything but the static, content-hashed assets).
//!
//! Pages get a Content-Security-Policy with a fresh nonce for Leptos's hydration script
//! ([`provide_script_nonce`]); every other response gets the same policy with no inline script
//! allowed at all.

use std::sync::LazyLock;

use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::HeaderValue;
use axum::response::Response;
use leptos::prelude::use_context;

/// The policy, with `{scripts}` as the extra script sources. `wasm-unsafe-eval` lets the browser
/// compile our WASM; the live-reload socket of `cargo leptos watch` is the only other connection.
fn content_security_policy(scripts: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self'{scripts} 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self' ws://127.0.0.1:3001; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Called while rendering a page: makes a nonce for its inline scripts and sets the page's
/// Content-Security-Policy to allow exactly those.
pub fn provide_script_nonce() {
    leptos::nonce::provide_nonce();
    let (Some(nonce), Some(response)) =
        (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>())
    else {
        return;
    };
    let policy = content_security_policy(&format!(" 'nonce-{}'", &*nonce));
    if let Ok(value) = HeaderValue::from_str(&policy) {
        response.insert_header(CONTENT_SECURITY_POLICY, value);
    }
}

/// The policy of every response that is not a page: no inline script at all.
static DEFAULT_POLICY: LazyLock<Option<HeaderValue>> =
    LazyLock::new(|| HeaderValue::from_str(&content_security_policy("")).ok());

/// True for the static, content-hashed assets: the only responses that may be cached.
pub fn is_static_asset(path: &str) -> bool {
    path.starts_with("/pkg/")
}

/// Security headers on every response, `no-store` on dynamic ones.
pub fn add_response_headers(mut response: Response, is_static_asset: bool) -> Response {
    let headers = response.headers_mut();
    // Room for all of them at once: one growth of the map instead of one per insert.
    headers.reserve(5);
    if !headers.contains_key(CONTENT_SECURITY_POLICY) {
        if let Some(value) = DEFAULT_POLICY.as_ref() {
            headers.insert(CONTENT_SECURITY_POLICY, value.clone());
        }
    }
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
    if !is_static_asset {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}
