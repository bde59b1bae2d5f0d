//! Turning [`AppError`] into HTTP, in one place: a layer around the router
//! ([`ErrorStatusLayer`]) gives server-function errors their real status, and every refusal
//! of our layers is an [`AppError`] response too.
//!
//! `server_fn` answers every server-function error with 500 (and never runs the function at
//! all when its arguments cannot be read: that is a client mistake, 400). The layer reads the
//! JSON error body of such a response (a few hundred bytes) and applies [`AppError::status`],
//! with `Retry-After` where it applies; it also gives the body limit's bare 413 our JSON body.
//! A plain HTML form post that failed is left alone: `server_fn` answers it with a redirect
//! back to the form, carrying the error for the page to show.

use std::convert::Infallible;
use std::task::{Context, Poll};

use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, RETRY_AFTER};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use futures::future::{ready, BoxFuture, Either, Ready, Then};
use futures::FutureExt as _;
use tower::{Layer, Service};

use crate::error::{AppError, ErrorBody};

/// Header that `server_fn` puts on its error responses.
const SERVER_FN_ERROR_HEADER: &str = "serverfnerror";
/// An error body is a few hundred bytes; anything larger is not ours.
const MAX_ERROR_BODY: usize = 16 * 1024;

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&ErrorBody::from(self.clone())).unwrap_or_default();
        let mut response = Response::new(Body::from(body));
        apply_status(&mut response, &self);
        response
    }
}

/// Gives every error response the status of its [`AppError`] (see the module notes).
#[derive(Debug, Clone, Copy, Default)]
pub struct ErrorStatusLayer;

impl<S> Layer<S> for ErrorStatusLayer {
    type Service = ErrorStatus<S>;

    fn layer(&self, inner: S) -> Self::Service {
        ErrorStatus { inner }
    }
}

/// The service [`ErrorStatusLayer`] makes.
#[derive(Debug, Clone)]
pub struct ErrorStatus<S> {
    inner: S,
}

type Answer = Result<Response, Infallible>;
/// What follows the inner answer: nothing for most, reading the body for a failed function.
type Fix = Either<Ready<Answer>, BoxFuture<'static, Answer>>;

impl<S> Service<Request> for ErrorStatus<S>
where
    S: Service<Request, Response = Response, Error = Infallible>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Then<S::Future, Fix, fn(Answer) -> Fix>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        self.inner.call(request).then(fix as fn(Answer) -> Fix)
    }
}

fn fix(answer: Answer) -> Fix {
    let Ok(response) = answer;
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE && !is_json(&response) {
        return Either::Left(ready(Ok(AppError::PayloadTooLarge.into_response())));
    }
    let failed_fn = response.status() == StatusCode::INTERNAL_SERVER_ERROR
        && response.headers().contains_key(SERVER_FN_ERROR_HEADER);
    if !failed_fn {
        return Either::Left(ready(Ok(response)));
    }
    Either::Right(Box::pin(async move { Ok(set_error_status(response).await) }))
}

/// A failed server function's response, with the status of the [`AppError`] in its body.
async fn set_error_status(response: Response) -> Response {
    let (parts, body) = response.into_parts();
    let bytes = to_bytes(body, MAX_ERROR_BODY).await.unwrap_or_default();
    let error = serde_json::from_slice::<AppError>(&bytes).unwrap_or_else(|e| {
        tracing::error!(error = %e, "server function error body is not an AppError");
        AppError::Internal
    });
    let mut response = Response::from_parts(parts, Body::from(bytes));
    apply_status(&mut response, &error);
    response
}

fn is_json(response: &Response) -> bool {
    response.headers().get(CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"application/json"))
}

fn apply_status(response: &mut Response, error: &AppError) {
    *response.status_mut() =
        StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    match error {
        AppError::Throttled { retry_after } => {
            headers.insert(RETRY_AFTER, HeaderValue::from(*retry_after));
        }
        AppError::Unavailable => {
            headers.insert(RETRY_AFTER, HeaderValue::from_static("5"));
        }
        _ => {}
    }
}
