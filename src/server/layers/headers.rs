//! Response headers every page and API answer carries: security headers, and `no-store` on
//! everything but the content-hashed assets (which say `immutable` themselves), set with
//! tower-http's `SetResponseHeaderLayer` where the response has not set them already.
//!
//! Pages get a Content-Security-Policy with a fresh nonce for Leptos's hydration script
//! ([`provide_script_nonce`]); every other response gets the same policy with no inline script
//! allowed at all. The live-reload socket of `cargo leptos watch` is allowed only while it
//! runs (`LEPTOS_WATCH` set), on the host the page was loaded from. `Strict-Transport-Security`
//! is sent whenever cookies are `Secure` (the site is served over HTTPS).

use axum::http::header::{CONTENT_SECURITY_POLICY, HOST};
use axum::http::request::Parts;
use axum::http::{HeaderName, HeaderValue};
use leptos::config::LeptosOptions;
use leptos::prelude::{use_context, with_context};

pub const CROSS_ORIGIN_OPENER_POLICY: HeaderName = HeaderName::from_static("cross-origin-opener-policy");
pub const CROSS_ORIGIN_RESOURCE_POLICY: HeaderName = HeaderName::from_static("cross-origin-resource-policy");
pub const PERMISSIONS_POLICY: HeaderName = HeaderName::from_static("permissions-policy");

pub const SAME_ORIGIN: HeaderValue = HeaderValue::from_static("same-origin");
pub const REFERRER: HeaderValue = HeaderValue::from_static("strict-origin-when-cross-origin");

/// Features no page of ours uses. (WebAuthn's `publickey-credentials-*` keep their default,
/// this origin only.)
pub const PERMISSIONS: HeaderValue = HeaderValue::from_static(
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), hid=(), \
     browsing-topics=()",
);

/// Two years, subdomains included: the browser then never tries plain HTTP on this site.
pub const HSTS: HeaderValue = HeaderValue::from_static("max-age=63072000; includeSubDomains");

/// What the content-hashed assets under `/pkg` may be cached as.
pub const IMMUTABLE: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");

/// The policy, with `scripts` as the extra script sources and `connect` as the extra
/// connection targets. `wasm-unsafe-eval` lets the browser compile our WASM.
fn content_security_policy(scripts: &str, connect: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self'{scripts} 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'{connect}; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// The policy of every response that is not a page: no inline script at all.
pub fn default_policy() -> HeaderValue {
    HeaderValue::from_str(&content_security_policy("", ""))
        .unwrap_or(HeaderValue::from_static("default-src 'self'; frame-ancestors 'none'"))
}

/// Called while rendering a page: makes a nonce for its inline scripts and sets the page's
/// Content-Security-Policy to allow exactly those (and, under `cargo leptos watch`, the
/// live-reload socket on the host the page was loaded from).
pub fn provide_script_nonce(options: &LeptosOptions) {
    leptos::nonce::provide_nonce();
    let (Some(nonce), Some(response)) =
        (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>())
    else {
        return;
    };
    let connect = live_reload_source(options).unwrap_or_default();
    let policy = content_security_policy(&format!(" 'nonce-{}'", &*nonce), &connect);
    if let Ok(value) = HeaderValue::from_str(&policy) {
        response.insert_header(CONTENT_SECURITY_POLICY, value);
    }
}

/// ` ws://<host>:<reload port>` while `cargo leptos watch` runs, for the host of this request.
fn live_reload_source(options: &LeptosOptions) -> Option<String> {
    std::env::var_os("LEPTOS_WATCH")?;
    let host = with_context::<Parts, _>(|parts| {
        parts.headers.get(HOST).and_then(|h| h.to_str().ok()).map(str::to_owned)
    })??;
    let hostname = match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name.to_owned(),
        _ => host,
    };
    let safe = hostname.bytes().all(|b| b.is_ascii_alphanumeric() || b".-[]:".contains(&b));
    let port = options.reload_external_port.unwrap_or(options.reload_port);
    safe.then(|| format!(" ws://{hostname}:{port} wss://{hostname}:{port}"))
}
