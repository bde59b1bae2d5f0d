//! The axum router: Leptos pages and server functions on `leptos_axum`'s runtime (each server
//! function and page render gets `AppState`, `Auth`, the request `Parts` and `ResponseOptions`
//! in its context), the built front end from `/pkg` (precompressed, cached for good when its
//! names carry content hashes), and every layer around them (`layers`).

use axum::http::header::CACHE_CONTROL;
use axum::http::HeaderValue;
use axum::Router;
use leptos::prelude::provide_context;
use leptos_axum::{
    file_and_error_handler_with_context, generate_route_list, site_pkg_dir_service,
    site_pkg_dir_service_route_path, LeptosRoutes,
};
use tower_http::set_header::SetResponseHeaderLayer;

use super::layers::{self, headers::IMMUTABLE};
use super::state::AppState;
use crate::app::{shell, App};

/// Builds the complete application: the router inside every layer (`layers::around`).
pub fn build_app(
    state: AppState,
) -> impl tower::Service<
    axum::extract::Request,
    Response = axum::http::Response<
        impl axum::body::HttpBody<Data = axum::body::Bytes, Error = impl Into<axum::BoxError>> + Send + 'static,
    >,
    Error = std::convert::Infallible,
    Future = impl Send + 'static,
> + Clone
       + Send
       + 'static {
    let options = state.leptos_options.clone();
    let auth = state.auth.clone();
    let context = move || provide_context(auth.clone());
    // Hashed names change with their content, so a deploy never pairs new HTML with a cached
    // old module; without hashes (debug builds) the browser must ask every time.
    let pkg_cache = if options.hash_files { IMMUTABLE } else { HeaderValue::from_static("no-cache") };
    let pkg = Router::new()
        .route_service(&site_pkg_dir_service_route_path(&options), site_pkg_dir_service(&options));
    let router = Router::new()
        .leptos_routes_with_context(&state, generate_route_list(App), context.clone(), {
            let options = options.clone();
            move || shell(options.clone())
        })
        .merge(pkg.layer(SetResponseHeaderLayer::overriding(CACHE_CONTROL, pkg_cache)))
        .fallback(file_and_error_handler_with_context::<AppState, _>(context, shell));
    let layered_state = state.clone();
    layers::around(router.with_state(state), &layered_state)
}
