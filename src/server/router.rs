//! The axum router: Leptos pages and server functions, behind the [`Guard`] every request
//! passes (response headers, CSRF, per-IP limit, body limit, error status, tracing).

use axum::Router;
use leptos_axum::{generate_route_list_with_exclusions, LeptosRoutes};

use super::guard::Guard;
use super::server_fns::{route_server_fns, server_fn_route_paths};
use super::state::AppState;
use crate::app::{shell, App};

/// Builds the complete application: pages rendered by `leptos_axum` (which provides the state
/// to them) and server functions by our own [`route_server_fns`], behind the [`Guard`].
pub fn build_app(state: AppState) -> Guard<Router> {
    let routes = generate_route_list_with_exclusions(App, Some(server_fn_route_paths()));
    let options = state.leptos_options.clone();
    let router =
        route_server_fns(Router::new().leptos_routes(&state, routes, move || shell(options.clone())))
            .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
            .with_state(state.clone());
    Guard::new(state, router)
}
