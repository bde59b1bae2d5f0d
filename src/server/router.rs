//! The axum router: Leptos pages and server functions, behind the layers every request passes.
//!
//! Outermost first: tracing → [`guard`] (response headers, CSRF, per-IP limit, body limit, error
//! status) → handler.

use axum::extract::{Request, State};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use leptos_axum::{generate_route_list_with_exclusions, LeptosRoutes};
use tower_http::trace::TraceLayer;

use super::csrf::refuse_cross_site;
use super::headers::{add_response_headers, is_static_asset};
use super::http_error::set_error_status;
use super::limits::limit_body_size;
use super::rate_limit::limit_auth_requests_per_ip;
use super::server_fns::{route_server_fns, server_fn_route_paths};
use super::state::AppState;
use crate::app::{shell, App};
use crate::error::AppError;

/// Builds the complete application router: pages rendered by `leptos_axum` (which provides the
/// state to them), server functions by our own [`route_server_fns`].
pub fn build_router(state: AppState) -> Router {
    let routes = generate_route_list_with_exclusions(App, Some(server_fn_route_paths()));
    let options = state.leptos_options.clone();
    route_server_fns(Router::new().leptos_routes(&state, routes, move || shell(options.clone())))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(from_fn_with_state(state.clone(), guard))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// The one middleware in front of every route, its steps in order: refuse cross-site state
/// changes (403), then addresses over their auth quota (429), then bodies over the limit (413);
/// after the handler, give server-function errors their status; last, the response headers,
/// on refusals too. One layer rather than five: each `from_fn` layer boxes the rest of the
/// stack's future and clones its service on every request.
async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let is_static_asset = is_static_asset(request.uri().path());
    let response = match admit(&state, request).await {
        Ok(request) => set_error_status(next.run(request).await).await,
        Err(refused) => refused.into_response(),
    };
    add_response_headers(response, is_static_asset)
}

/// The request, checked and with its body read, or why it is refused.
async fn admit(state: &AppState, request: Request) -> Result<Request, AppError> {
    refuse_cross_site(&request, state.config.public_origin.as_deref())?;
    limit_auth_requests_per_ip(&request, state.ip_limiter.as_deref())?;
    limit_body_size(request).await
}
