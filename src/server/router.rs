//! The axum router: Leptos pages and server functions, behind the layers every request passes.
//!
//! Outermost first: tracing → response headers → CSRF → per-IP limit → body limit → error status
//! → handler.

use axum::middleware::{from_fn, from_fn_with_state};
use axum::Router;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::trace::TraceLayer;

use super::csrf::refuse_cross_site;
use super::headers::set_response_headers;
use super::http_error::set_error_status;
use super::limits::limit_body_size;
use super::rate_limit::limit_auth_requests_per_ip;
use super::state::AppState;
use crate::app::{shell, App};

/// Builds the complete application router.
pub fn build_router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let context_state = state.clone();
    let options = state.leptos_options.clone();
    Router::new()
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(context_state.clone()),
            move || shell(options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(from_fn(set_error_status))
        .layer(from_fn(limit_body_size))
        .layer(from_fn_with_state(state.clone(), limit_auth_requests_per_ip))
        .layer(from_fn_with_state(state.clone(), refuse_cross_site))
        .layer(from_fn(set_response_headers))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
