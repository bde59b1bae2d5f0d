//! The layers around every route, each a small tower layer (tower-http's where one exists,
//! axum's `from_fn` middleware otherwise) that composes with a fork's own `Router::layer`.
//!
//! A request passes them in this order: tracing (method and path, never the query) → security
//! headers ([`headers`]) → compression of HTML and JSON → error statuses ([`error_status`]) →
//! the client's address ([`client_ip`]) → CSRF ([`csrf`]) → the per-IP limit
//! ([`ip_limit`]) → planted cookies ([`planted_cookies`]) → the session check
//! ([`require_session`]) → `HEAD` as `GET` for server functions → the 64 KiB body limit
//! (streaming: it counts the body as a handler reads it) → the router.
//!
//! They wrap the whole router once, as one tower service (`ServiceBuilder`), rather than each
//! route through `Router::layer`: a stack added with `Router::layer` is cloned, boxed, for every
//! request, which cost ~36,000 instructions per request for these eleven layers
//! (BENCHMARKS.md). A fork's own `Router::layer` composes inside them as usual.

pub mod check;
pub mod client_ip;
pub mod csrf;
pub mod error_status;
pub mod headers;
pub mod ip_limit;
pub mod planted_cookies;
pub mod require_session;

use std::convert::Infallible;
use std::sync::Arc;

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::Request;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY, STRICT_TRANSPORT_SECURITY,
    X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::{HeaderValue, Method};
use axum::response::Response;
use axum::{BoxError, Router};
use ipnet::IpNet;
use tower::{Service, ServiceBuilder};
use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::map_response_body::MapResponseBodyLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use check::CheckLayer;
use error_status::ErrorStatusLayer;
use planted_cookies::PlantedCookiesLayer;

use super::state::AppState;
use crate::error::AppError;

/// The contract's body limit.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Responses smaller than this are sent as they are: compressing them saves nothing.
const COMPRESS_ABOVE: u16 = 1024;

/// `router` inside every layer: one stack of tower services around the whole router (built once,
/// nothing boxed or cloned per route), outermost first.
pub fn around(
    router: Router,
    state: &AppState,
) -> impl Service<
    Request,
    Response = Response<impl HttpBody<Data = Bytes, Error = impl Into<BoxError>> + Send + 'static>,
    Error = Infallible,
    Future = impl Send + 'static,
> + Clone
       + Send
       + 'static {
    let compress = SizeAbove::new(COMPRESS_ABOVE)
        .and(NotForContentType::GRPC)
        .and(NotForContentType::IMAGES)
        .and(NotForContentType::SSE)
        .and(NotForContentType::const_new("application/wasm"));
    let trace = TraceLayer::new_for_http()
        .make_span_with(|request: &Request| {
            tracing::debug_span!("request", method = %request.method(), path = request.uri().path())
        })
        .on_response(DefaultOnResponse::new().level(Level::DEBUG));
    let secure = state.config.cookie_secure;
    let trusted: Arc<[IpNet]> = state.config.trusted_proxies.clone().into();
    let site = Arc::new(csrf::Site { public_origin: state.config.public_origin.clone(), https: secure });
    let limiter = state.ip_limiter.clone();
    let auth = state.auth.clone();
    ServiceBuilder::new()
        .layer(trace)
        .layer(SetResponseHeaderLayer::if_not_present(CONTENT_SECURITY_POLICY, headers::default_policy()))
        .layer(SetResponseHeaderLayer::if_not_present(
            X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::if_not_present(REFERRER_POLICY, headers::REFERRER))
        .layer(SetResponseHeaderLayer::if_not_present(
            headers::CROSS_ORIGIN_OPENER_POLICY,
            headers::SAME_ORIGIN,
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            headers::CROSS_ORIGIN_RESOURCE_POLICY,
            headers::SAME_ORIGIN,
        ))
        .layer(SetResponseHeaderLayer::if_not_present(headers::PERMISSIONS_POLICY, headers::PERMISSIONS))
        .option_layer(
            secure.then(|| SetResponseHeaderLayer::if_not_present(STRICT_TRANSPORT_SECURITY, headers::HSTS)),
        )
        .layer(SetResponseHeaderLayer::if_not_present(CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .layer(CompressionLayer::new().compress_when(compress))
        .layer(ErrorStatusLayer)
        .layer(CheckLayer::new(move |request: &mut Request| client_ip::resolve_client_ip(&trusted, request)))
        .layer(CheckLayer::new(move |request: &mut Request| csrf::refuse_cross_site(&site, request)))
        .layer(CheckLayer::new(move |request: &mut Request| {
            ip_limit::limit_auth_requests_per_ip(limiter.as_deref(), request)
        }))
        .layer(PlantedCookiesLayer::new(state.auth.cookies.clone()))
        .layer(CheckLayer::new(move |request: &mut Request| require_session::require_session(&auth, request)))
        .layer(CheckLayer::new(head_as_get))
        .layer(MapResponseBodyLayer::new(Body::new))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .service(router)
}

/// `HEAD` for a server function answers as its `GET` does. (`leptos_axum` looks server
/// functions up by method, so it would not find one for `HEAD`; hyper still sends no body,
/// since it knows the request was a `HEAD`.)
fn head_as_get(request: &mut Request) -> Result<(), AppError> {
    if request.method() == Method::HEAD && request.uri().path().starts_with("/api/") {
        *request.method_mut() = Method::GET;
    }
    Ok(())
}
