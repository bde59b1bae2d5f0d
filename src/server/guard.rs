//! The one service in front of the router, which every request passes. Its steps, in order:
//! refuse cross-site state changes (403), then addresses over their auth quota (429), then
//! bodies over the limit (413); after the router, give server-function errors their status;
//! last, the response headers, on refusals too. It also traces: a span per request and a line
//! as it starts and ends (debug level), and an error line for every 5xx.
//!
//! Written as a plain tower service around the whole router, not as axum middleware: a layer
//! added with `Router::layer` wraps every route in its own boxed service, and `from_fn` boxes
//! the rest of the stack's future and clones its service on every request. Here a request
//! without a body (GET, HEAD) goes straight to the router, its future held in [`GuardFuture`]
//! without a box; only the rarer steps that must wait for something (reading a body, reading
//! an error body) are boxed.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use axum::extract::Request;
use axum::http::{Method, Uri};
use axum::response::{IntoResponse, Response};
use pin_project_lite::pin_project;
use tower::Service;
use tracing::Span;

use super::csrf::refuse_cross_site;
use super::headers::{add_response_headers, is_static_asset};
use super::http_error::{is_server_fn_error, set_error_status};
use super::limits::limit_body_size;
use super::rate_limit::limit_auth_requests_per_ip;
use super::state::AppState;
use crate::error::AppError;

/// A response that is still being made, boxed: the paths that are not the common one.
type Pending = Pin<Box<dyn Future<Output = Response> + Send>>;

/// The service: [`Guard::new`] puts it in front of `inner` (the router).
#[derive(Clone)]
pub struct Guard<S> {
    inner: S,
    state: AppState,
}

impl<S> Guard<S> {
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
        tracing::debug!(parent: &span, "started processing request");
        let answer = Answer {
            is_static_asset: is_static_asset(request.uri().path()),
            method: request.method().clone(),
            uri: request.uri().clone(),
            span,
        };
        if let Err(refused) = refuse(&self.state, &request) {
            return GuardFuture::pending(Box::pin(std::future::ready(refused.into_response())), answer);
        }
        if matches!(*request.method(), Method::GET | Method::HEAD) {
            let routed = {
                let _entered = answer.span.enter();
                self.inner.call(request)
            };
            return GuardFuture { state: State::Routed { future: routed }, answer };
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
        GuardFuture::pending(Box::pin(with_body), answer)
    }
}

/// The checks that need nothing but the request's head.
fn refuse(state: &AppState, request: &Request) -> Result<(), AppError> {
    refuse_cross_site(request, state.config.public_origin.as_deref())?;
    limit_auth_requests_per_ip(request, state.ip_limiter.as_deref())
}

/// What the answer needs to know of its request.
struct Answer {
    is_static_asset: bool,
    method: Method,
    uri: Uri,
    span: Span,
}

impl Answer {
    /// The final response: the headers every response carries, and its log line (an error for a
    /// 5xx, debug otherwise).
    fn finish(&self, response: Response) -> Response {
        let status = response.status().as_u16();
        if response.status().is_server_error() {
            let path = self.uri.path();
            tracing::error!(parent: &self.span, method = %self.method, path, status, "request failed");
        } else {
            tracing::debug!(parent: &self.span, status, "finished processing request");
        }
        add_response_headers(response, self.is_static_asset)
    }
}

pin_project! {
    /// The response of [`Guard`], while it is being made.
    pub struct GuardFuture<F> {
        #[pin]
        state: State<F>,
        answer: Answer,
    }
}

pin_project! {
    #[project = StateProjection]
    enum State<F> {
        /// The router is answering a request that has no body.
        Routed { #[pin] future: F },
        /// A refusal, or a request whose body is read before the router answers.
        Pending { future: Pending },
        /// A server-function error, whose status is read from its body.
        SettingErrorStatus { future: Pending },
    }
}

impl<F> GuardFuture<F> {
    fn pending(future: Pending, answer: Answer) -> Self {
        Self { state: State::Pending { future }, answer }
    }
}

impl<F> Future for GuardFuture<F>
where
    F: Future<Output = Result<Response, Infallible>>,
{
    type Output = Result<Response, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        let _entered = this.answer.span.enter();
        let response = match this.state.as_mut().project() {
            StateProjection::Routed { future } => match ready!(future.poll(cx)) {
                Ok(response) => response,
                Err(never) => match never {},
            },
            StateProjection::Pending { future } => ready!(future.as_mut().poll(cx)),
            StateProjection::SettingErrorStatus { future } => {
                let response = ready!(future.as_mut().poll(cx));
                return Poll::Ready(Ok(this.answer.finish(response)));
            }
        };
        if is_server_fn_error(&response) {
            let mut future: Pending = Box::pin(set_error_status(response));
            // Error bodies are in memory: this is ready at once, short of a bug.
            if let Poll::Ready(response) = future.as_mut().poll(cx) {
                return Poll::Ready(Ok(this.answer.finish(response)));
            }
            this.state.set(State::SettingErrorStatus { future });
            return Poll::Pending;
        }
        Poll::Ready(Ok(this.answer.finish(response)))
    }
}
