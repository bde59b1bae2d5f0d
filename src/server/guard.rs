//! The one service in front of the router, which every request passes. Its steps, in order:
//! refuse cross-site state changes (403), then addresses over their auth quota (429), then
//! bodies over the limit (413); last, the response headers, on refusals too. It also traces: a
//! span per request and a line as it starts and ends (debug level, with the time taken), and an
//! error line for every 5xx. (Server-function errors get their status where they are served,
//! in `server_fns`.)
//!
//! Written as a plain tower service around the whole router, not as axum middleware: a layer
//! added with `Router::layer` wraps every route in its own boxed service, and `from_fn` boxes
//! the rest of the stack's future and clones its service on every request. Here a request
//! without a body (GET, HEAD) goes straight to the router, its future held in [`GuardFuture`]
//! without a box; only a refusal and a request whose body must be read first are boxed.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use std::time::Instant;

use axum::extract::Request;
use axum::http::{Method, Uri};
use axum::response::{IntoResponse, Response};
use pin_project_lite::pin_project;
use tower::Service;
use tracing::Span;

use super::csrf::refuse_cross_site;
use super::headers::{add_response_headers, is_static_asset};
use super::limits::limit_body_size;
use super::rate_limit::limit_auth_requests_per_ip;
use super::state::AppState;
use crate::error::AppError;

/// A response that is still being made, boxed: the paths that are not the common one.
type BoxedResponse = Pin<Box<dyn Future<Output = Response> + Send>>;

/// The service: `inner` (the router) behind the guard's checks, headers and tracing.
#[derive(Clone)]
pub struct Guard<S> {
    inner: S,
    state: AppState,
}

impl<S> Guard<S> {
    /// Puts the guard in front of `inner`, with the state its checks read (configuration and
    /// the per-IP limiter).
    pub fn new(state: AppState, inner: S) -> Self {
        Self { inner, state }
    }
}

impl<S> Service<Request> for Guard<S>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = GuardFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let span = tracing::debug_span!("request", method = %request.method(), path = request.uri().path());
        let _entered = span.enter();
        tracing::debug!("started processing request");
        let seen = RequestSeen {
            is_static_asset: is_static_asset(request.uri().path()),
            method: request.method().clone(),
            uri: request.uri().clone(),
            // The clock is read only when the lines that show the time taken are logged.
            started: (!span.is_disabled()).then(Instant::now),
            span: span.clone(),
        };
        if let Err(refused) = refuse(&self.state, &request) {
            return GuardFuture::boxed(Box::pin(std::future::ready(refused.into_response())), seen);
        }
        if matches!(*request.method(), Method::GET | Method::HEAD) {
            let future = self.inner.call(request);
            return GuardFuture { state: State::Routed { future }, seen };
        }
        // The ready service serves this request once its body is read; a clone takes its place.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let with_body = async move {
            match limit_body_size(request).await {
                Ok(request) => match inner.call(request).await {
                    Ok(response) => response,
                    Err(never) => match never {},
                },
                Err(refused) => refused.into_response(),
            }
        };
        GuardFuture::boxed(Box::pin(with_body), seen)
    }
}

/// The checks that need nothing but the request's head.
fn refuse(state: &AppState, request: &Request) -> Result<(), AppError> {
    refuse_cross_site(request, state.config.public_origin.as_deref())?;
    limit_auth_requests_per_ip(request, state.ip_limiter.as_deref())
}

/// What the guard keeps of a request for its answer.
struct RequestSeen {
    is_static_asset: bool,
    method: Method,
    uri: Uri,
    started: Option<Instant>,
    span: Span,
}

impl RequestSeen {
    /// The final response: the headers every response carries, and its log line (an error for a
    /// 5xx, debug otherwise).
    fn finish(&self, response: Response) -> Response {
        let status = response.status().as_u16();
        let took_ms = self.started.map(|started| started.elapsed().as_secs_f64() * 1000.0);
        if response.status().is_server_error() {
            let path = self.uri.path();
            tracing::error!(method = %self.method, path, status, took_ms, "request failed");
        } else {
            tracing::debug!(status, took_ms, "finished processing request");
        }
        add_response_headers(response, self.is_static_asset)
    }
}

pin_project! {
    /// The response of [`Guard`], while it is being made.
    pub struct GuardFuture<F> {
        #[pin]
        state: State<F>,
        seen: RequestSeen,
    }
}

pin_project! {
    #[project = StateProjection]
    enum State<F> {
        /// The router is answering a request that has no body.
        Routed { #[pin] future: F },
        /// A refusal, or a request whose body is read before the router answers.
        Boxed { future: BoxedResponse },
        /// The response was returned.
        Done,
    }
}

impl<F> GuardFuture<F> {
    fn boxed(future: BoxedResponse, seen: RequestSeen) -> Self {
        Self { state: State::Boxed { future }, seen }
    }
}

impl<F> Future for GuardFuture<F>
where
    F: Future<Output = Result<Response, Infallible>>,
{
    type Output = Result<Response, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        let _entered = this.seen.span.enter();
        let response = match this.state.as_mut().project() {
            StateProjection::Routed { future } => match ready!(future.poll(cx)) {
                Ok(response) => response,
                Err(never) => match never {},
            },
            StateProjection::Boxed { future } => ready!(future.as_mut().poll(cx)),
            StateProjection::Done => {
                // A caller bug (hyper never does it): answered, not panicked on.
                tracing::error!("a finished request was polled again");
                AppError::Internal.into_response()
            }
        };
        this.state.set(State::Done);
        Poll::Ready(Ok(this.seen.finish(response)))
    }
}
