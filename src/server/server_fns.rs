//! Serving server functions: what `leptos_axum`'s handler does, for a fraction of the work.
//!
//! `leptos_axum` looks each function up by path in a locked map and wraps it in a new boxed
//! service for every call, clones the request's `Parts` (method, URI, every header, the
//! extensions) into a fresh reactive owner, and provides the state twice. Together that was a
//! quarter of the instructions of an unauthenticated call (callgrind). Here each route holds its
//! function and calls its handler, and the call runs with an [`AuthRequest`] (the state, a
//! [`RequestHead`] that copies no header, the [`ResponseOptions`]) in a task-local, which is
//! where `AuthRequest::current` finds it. As in `leptos_axum`, the status and headers the
//! function set are applied to its response, and a plain HTML form post (no JavaScript yet) is
//! redirected back to the page it came from. An error gets its status here too
//! ([`set_error_status`]), while its body is still there to read: axum drops the body of an
//! answer to `HEAD` before it leaves the router.
//!
//! What is not provided is a reactive owner with `Parts` in its context: in a server function
//! here, `use_context` and `leptos_axum::extract` find nothing. Read the request through
//! `AuthRequest` (and add to [`RequestHead`] what a new function needs).

use std::collections::HashSet;

use axum::extract::{Request, State};
use axum::http::header::{ACCEPT, LOCATION, REFERER};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::Response;
use axum::routing::{on, MethodFilter};
use axum::Router;
use leptos::server_fn::{inventory, ServerFnTraitObj};
use leptos_axum::ResponseOptions;

use super::http_error::set_error_status;
use super::state::AppState;
use crate::auth::request::{AuthRequest, RequestHead};

/// A server function as the `#[server]` macro registers it for axum.
type ServerFn = ServerFnTraitObj<Request, Response>;

/// Every registered server function, once each (by path and method): of two at one path, the
/// first is kept and the other logged.
fn server_fns() -> Vec<&'static ServerFn> {
    let mut seen = HashSet::new();
    let mut kept = Vec::new();
    for server_fn in inventory::iter::<ServerFn> {
        if seen.insert((server_fn.path(), server_fn.method())) {
            kept.push(server_fn);
        } else {
            tracing::error!(path = server_fn.path(), "two server functions at one path: one is not routed");
        }
    }
    kept
}

/// The path of every registered server function (to keep `leptos_axum` from routing them).
pub fn server_fn_route_paths() -> Vec<String> {
    inventory::iter::<ServerFn>.into_iter().map(|server_fn| server_fn.path().to_owned()).collect()
}

/// `router` with a route to [`serve`] for every registered server function.
pub fn route_server_fns(mut router: Router<AppState>) -> Router<AppState> {
    for server_fn in server_fns() {
        let filter = match server_fn.method() {
            Method::GET => MethodFilter::GET,
            Method::POST => MethodFilter::POST,
            Method::PUT => MethodFilter::PUT,
            Method::DELETE => MethodFilter::DELETE,
            Method::PATCH => MethodFilter::PATCH,
            other => {
                let path = server_fn.path();
                tracing::error!(path, method = %other, "server function with an unsupported method: not routed");
                continue;
            }
        };
        let handler = move |State(state): State<AppState>, request: Request| serve(server_fn, state, request);
        router = router.route(server_fn.path(), on(filter, handler));
    }
    router
}

/// Runs `server_fn` for the request.
async fn serve(server_fn: &'static ServerFn, state: AppState, request: Request) -> Response {
    let head = RequestHead::of(request.headers(), request.extensions());
    let back_to = plain_form_post_origin(&request);
    let options = ResponseOptions::default();
    let call = AuthRequest::new(state, head, options.clone());
    let middleware = server_fn.middleware();
    let mut response = if middleware.is_empty() {
        call.serve(server_fn.handler(request)).await
    } else {
        let mut service = server_fn.clone().boxed();
        for layer in middleware {
            service = layer.layer(service);
        }
        call.serve(service.run(request)).await
    };
    if let Some(page) = back_to {
        if !response.headers().contains_key(LOCATION) {
            *response.status_mut() = StatusCode::FOUND;
            response.headers_mut().insert(LOCATION, page);
        }
    }
    apply(&options, &mut response);
    set_error_status(response).await
}

/// The page a plain HTML form was posted from (the browser accepts HTML and says where it was),
/// to send the browser back there.
fn plain_form_post_origin(request: &Request) -> Option<HeaderValue> {
    let accepts_html = request
        .headers()
        .get(ACCEPT)
        .and_then(|accept| accept.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    accepts_html.then(|| request.headers().get(REFERER).cloned()).flatten()
}

/// The status and headers the server function set through [`ResponseOptions`].
fn apply(options: &ResponseOptions, response: &mut Response) {
    let mut set = options.0.write().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(status) = set.status {
        *response.status_mut() = status;
    }
    response.headers_mut().extend(std::mem::take(&mut set.headers));
}
