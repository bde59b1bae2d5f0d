//! `CheckLayer`: a tower layer that looks at (and may amend) each request before the service
//! inside sees it, and answers at once when it refuses the request. CSRF, the per-IP limit,
//! the client's address and the session check are each one, so each composes like any tower
//! layer, and none boxes a future or clones a service per request (axum's `from_fn` does both,
//! which cost this stack ~20,000 instructions per request: BENCHMARKS.md).

use std::task::{Context, Poll};

use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use futures::future::{ready, Either, Ready};
use tower::{Layer, Service};

use crate::error::AppError;

/// Runs `check` on every request: `Ok` passes it on, `Err(error)` answers with that error.
#[derive(Debug, Clone)]
pub struct CheckLayer<F> {
    check: F,
}

impl<F> CheckLayer<F>
where
    F: Fn(&mut Request) -> Result<(), AppError> + Clone,
{
    pub fn new(check: F) -> Self {
        Self { check }
    }
}

impl<S, F: Clone> Layer<S> for CheckLayer<F> {
    type Service = Check<S, F>;

    fn layer(&self, inner: S) -> Self::Service {
        Check { inner, check: self.check.clone() }
    }
}

/// The service [`CheckLayer`] makes.
#[derive(Debug, Clone)]
pub struct Check<S, F> {
    inner: S,
    check: F,
}

impl<S, F> Service<Request> for Check<S, F>
where
    S: Service<Request, Response = Response>,
    F: Fn(&mut Request) -> Result<(), AppError>,
{
    type Response = Response;
    type Error = S::Error;
    type Future = Either<Ready<Result<Response, S::Error>>, S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request) -> Self::Future {
        match (self.check)(&mut request) {
            Ok(()) => Either::Right(self.inner.call(request)),
            Err(refusal) => Either::Left(ready(Ok(refusal.into_response()))),
        }
    }
}
