//! Response headers every page and API answer carries: security headers, and `no-store` on
//! anything that may show a user's data (everything but the static, content-hashed assets).

use axum::extract::Request;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

/// Scripts only from this origin; `wasm-unsafe-eval` lets the browser compile our WASM, and
/// the hydration bootstrap is an inline module script.
const CSP: &str = "default-src 'self'; script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'; \
style-src 'self'; img-src 'self' data:; connect-src 'self' ws://127.0.0.1:3001; object-src 'none'; \
base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Middleware: security headers on every response, `no-store` on dynamic ones.
pub async fn set_response_headers(request: Request, next: Next) -> Response {
    let is_static_asset = request.uri().path().starts_with("/pkg/");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
    if !is_static_asset {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}
