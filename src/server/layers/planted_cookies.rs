//! Planted cookies. A sibling site (`evil.example.com` beside `app.example.com`) can set a
//! cookie with one of our names for the parent domain or a longer path; the browser then sends
//! both, and does not say which is ours. So a request carrying one of our names twice is served
//! with neither: both are taken out of its `Cookie` header before any handler reads the jar,
//! and the answer clears our session cookies (unless it sets new ones: a sign-in). A planted
//! refresh token can then neither sign the victim in as the attacker nor be consumed.

use std::sync::Arc;
use std::task::{Context, Poll};

use axum::extract::Request;
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::Response;
use axum_extra::extract::cookie::Cookie;
use futures::future::{BoxFuture, Either};
use tower::{Layer, Service};

use crate::auth::transport::cookies::CookiePolicy;

/// Takes every cookie of ours that was sent twice out of the request, and clears ours in the
/// answer when it did.
#[derive(Debug, Clone)]
pub struct PlantedCookiesLayer {
    policy: Arc<CookiePolicy>,
}

impl PlantedCookiesLayer {
    pub fn new(policy: CookiePolicy) -> Self {
        Self { policy: Arc::new(policy) }
    }
}

impl<S> Layer<S> for PlantedCookiesLayer {
    type Service = PlantedCookies<S>;

    fn layer(&self, inner: S) -> Self::Service {
        PlantedCookies { inner, policy: Arc::clone(&self.policy) }
    }
}

/// The service [`PlantedCookiesLayer`] makes.
#[derive(Debug, Clone)]
pub struct PlantedCookies<S> {
    inner: S,
    policy: Arc<CookiePolicy>,
}

impl<S> Service<Request> for PlantedCookies<S>
where
    S: Service<Request, Response = Response>,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = S::Error;
    /// Unboxed for every request but those that carried a cookie twice.
    type Future = Either<S::Future, BoxFuture<'static, Result<Response, S::Error>>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request) -> Self::Future {
        let twice = names_sent_twice(request.headers(), &self.policy);
        if twice.is_empty() {
            return Either::Left(self.inner.call(request));
        }
        tracing::warn!(cookies = ?twice, "a cookie of ours was sent twice: ignoring both");
        strip(request.headers_mut(), &twice);
        let answer = self.inner.call(request);
        let policy = Arc::clone(&self.policy);
        Either::Right(Box::pin(async move {
            let mut response = answer.await?;
            clear_unless_set(&mut response, &policy);
            Ok(response)
        }))
    }
}

/// Our cookie names that appear more than once in the request's `Cookie` headers.
fn names_sent_twice(headers: &HeaderMap, policy: &CookiePolicy) -> Vec<String> {
    let names = policy.names();
    let mut counts = names.map(|_| 0usize);
    for value in headers.get_all(COOKIE).iter().filter_map(|v| v.to_str().ok()) {
        for cookie in Cookie::split_parse(value).flatten() {
            if let Some(i) = names.iter().position(|name| *name == cookie.name()) {
                counts[i] += 1;
            }
        }
    }
    names.iter().zip(counts).filter(|(_, n)| *n > 1).map(|(name, _)| (*name).to_owned()).collect()
}

/// Rewrites the `Cookie` headers without any cookie named in `names`.
fn strip(headers: &mut HeaderMap, names: &[String]) {
    let kept: Vec<String> = headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|value| value.split(';').map(str::trim).filter(|pair| !pair.is_empty()))
        .filter(|pair| {
            let name = pair.split_once('=').map_or(*pair, |(name, _)| name).trim();
            !names.iter().any(|n| n == name)
        })
        .map(str::to_owned)
        .collect();
    headers.remove(COOKIE);
    if let Ok(value) = HeaderValue::from_str(&kept.join("; ")) {
        if !kept.is_empty() {
            headers.insert(COOKIE, value);
        }
    }
}

/// Clears our session cookies, unless the response sets them itself (a sign-in).
fn clear_unless_set(response: &mut Response, policy: &CookiePolicy) {
    let sets = |name: &str| {
        response.headers().get_all(SET_COOKIE).iter().any(|v| {
            v.to_str().ok().and_then(|v| Cookie::parse(v).ok()).is_some_and(|cookie| cookie.name() == name)
        })
    };
    if sets(policy.access_name()) || sets(policy.refresh_name()) {
        return;
    }
    for cookie in policy.clearing_cookies() {
        if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
            response.headers_mut().append(SET_COOKIE, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(values: &[&'static str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for v in values {
            map.append(COOKIE, HeaderValue::from_static(v));
        }
        map
    }

    #[test]
    fn a_name_sent_twice_across_headers_is_found_and_both_copies_are_taken_out() {
        let policy = CookiePolicy::new(false);
        let mut h =
            headers(&["theme=dark; latchkey_refresh=planted", "latchkey_refresh=ours; latchkey_access=a"]);
        let twice = names_sent_twice(&h, &policy);
        assert_eq!(twice, ["latchkey_refresh"]);
        strip(&mut h, &twice);
        assert_eq!(h.get(COOKIE).and_then(|v| v.to_str().ok()), Some("theme=dark; latchkey_access=a"));
    }

    #[test]
    fn single_cookies_and_other_names_are_left_alone() {
        let policy = CookiePolicy::new(false);
        let h = headers(&["latchkey_access=a; latchkey_refresh=r; latchkey_access_old=x; other=1; other=2"]);
        assert!(names_sent_twice(&h, &policy).is_empty());
    }
}
