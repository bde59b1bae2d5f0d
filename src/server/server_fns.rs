//! Serving server functions: `leptos_axum`'s handler, without copying every request's head.
//!
//! `leptos_axum` registers a handler per server function that clones the request's `Parts`
//! (method, URI, every header, the extensions) into the Leptos context before each call, and
//! drops the copy after: ~7 % of the instructions of an unauthenticated call (callgrind). Our
//! server functions read three things of the head, which [`RequestHead`] takes without
//! copying a header. Everything else is done as `leptos_axum` does it: a fresh reactive owner
//! per call, with the app state, the head and the [`ResponseOptions`] in its context; the status
//! and headers the function set are applied to its response; and a plain HTML form post (no
//! JavaScript yet) is redirected back to the page it came from.
//!
//! What is not provided is `Parts` itself: in a server function here, `leptos_axum::extract`
//! finds nothing. Read the request through `auth::request::AuthRequest` (and add to
//! [`RequestHead`] what a new function needs).

use axum::extract::{Request, State};
use axum::http::header::{ACCEPT, LOCATION, REFERER};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{on, MethodFilter};
use axum::Router;
use leptos::prelude::provide_context;
use leptos::reactive::computed::ScopedFuture;
use leptos::reactive::owner::Owner;
use leptos::server_fn::axum::{get_server_fn_service, server_fn_paths};
use leptos_axum::ResponseOptions;

use super::state::AppState;
use crate::auth::request::RequestHead;
use crate::error::AppError;

/// The path of every registered server function (to keep `leptos_axum` from routing them).
pub fn server_fn_route_paths() -> Vec<String> {
    server_fn_paths().map(|(path, _)| path.to_owned()).collect()
}

/// `router` with a route to [`serve`] for every registered server function.
pub fn route_server_fns(mut router: Router<AppState>) -> Router<AppState> {
    for (path, method) in server_fn_paths() {
        let filter = match method {
            Method::GET => MethodFilter::GET,
            Method::POST => MethodFilter::POST,
            Method::PUT => MethodFilter::PUT,
            Method::DELETE => MethodFilter::DELETE,
            Method::PATCH => MethodFilter::PATCH,
            other => {
                tracing::error!(path, method = %other, "server function with an unsupported method: not routed");
                continue;
            }
        };
        router = router.route(path, on(filter, serve));
    }
    router
}

/// Runs the server function registered for the request's path and method.
async fn serve(State(state): State<AppState>, request: Request) -> Response {
    let Some(mut service) = get_server_fn_service(request.uri().path(), request.method().clone()) else {
        return AppError::NotFound("no such server function".into()).into_response();
    };
    let head = RequestHead::of(request.headers(), request.extensions(), &state.cookies);
    let back_to = plain_form_post_origin(&request);
    let owner = Owner::new();
    owner
        .with(|| {
            ScopedFuture::new(async move {
                provide_context(state);
                provide_context(head);
                let options = ResponseOptions::default();
                provide_context(options.clone());
                let mut response = service.run(request).await;
                if let Some(page) = back_to {
                    if !response.headers().contains_key(LOCATION) {
                        *response.status_mut() = StatusCode::FOUND;
                        response.headers_mut().insert(LOCATION, page);
                    }
                }
                apply(&options, &mut response);
                response
            })
        })
        .await
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
