//! CSRF defence for cookie-authenticated requests: a layer in front of every route.
//!
//! A state-changing request (anything but GET/HEAD/OPTIONS) is refused with 403 before any
//! handler runs when the browser says it is cross-site (`Sec-Fetch-Site: cross-site`) or when
//! it carries an `Origin` that is not ours (`Origin: null` included). Our own origin is
//! `PUBLIC_ORIGIN` when set, otherwise the request's `Host` with the scheme the cookies imply:
//! `https` when they are `Secure`, `http` only when `COOKIE_SECURE=false`. (Accepting `http://`
//! on an HTTPS site would let a network attacker's plain-http page post with our cookies.)

use axum::extract::Request;
use axum::http::header::ORIGIN;
use axum::http::{HeaderMap, Method};

use crate::error::AppError;

/// Refuses a cross-site state change with 403 before any handler runs (a `CheckLayer` check).
///
/// # Errors
/// [`AppError::Forbidden`].
pub fn refuse_cross_site(site: &Site, request: &mut Request) -> Result<(), AppError> {
    let safe_method = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe_method && is_cross_site(request.headers(), site) {
        tracing::warn!(path = request.uri().path(), "refused a cross-site request");
        return Err(AppError::Forbidden);
    }
    Ok(())
}

/// What our own origin is.
#[derive(Debug, Clone)]
pub struct Site {
    /// `PUBLIC_ORIGIN`, when set.
    pub public_origin: Option<String>,
    /// Cookies are `Secure`: without `PUBLIC_ORIGIN`, only `https://<Host>` is ours.
    pub https: bool,
}

/// True when the headers show the request did not come from our own pages.
pub fn is_cross_site(headers: &HeaderMap, site: &Site) -> bool {
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    if header("sec-fetch-site") == Some("cross-site") {
        return true;
    }
    let Some(origin) = headers.get(ORIGIN) else {
        return false;
    };
    let Ok(origin) = origin.to_str() else {
        return true;
    };
    match site.public_origin.as_deref() {
        Some(expected) => origin != expected,
        None => {
            let host = header("host").unwrap_or_default();
            let scheme = if site.https { "https" } else { "http" };
            host.is_empty() || origin != format!("{scheme}://{host}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, HeaderValue::from_static(v));
        }
        map
    }

    const HTTP: Site = Site { public_origin: None, https: false };
    const HTTPS: Site = Site { public_origin: None, https: true };

    #[test]
    fn same_origin_and_origin_less_requests_pass() {
        assert!(!is_cross_site(&headers(&[("host", "a.test"), ("origin", "http://a.test")]), &HTTP));
        assert!(!is_cross_site(&headers(&[("host", "a.test"), ("origin", "https://a.test")]), &HTTPS));
        assert!(!is_cross_site(&headers(&[("host", "a.test"), ("sec-fetch-site", "same-origin")]), &HTTP));
        assert!(!is_cross_site(&headers(&[("host", "a.test")]), &HTTP));
    }

    #[test]
    fn foreign_null_and_cross_site_requests_are_refused() {
        assert!(is_cross_site(&headers(&[("host", "a.test"), ("origin", "http://evil.test")]), &HTTP));
        assert!(is_cross_site(&headers(&[("host", "a.test"), ("origin", "null")]), &HTTP));
        assert!(is_cross_site(&headers(&[("host", "a.test"), ("sec-fetch-site", "cross-site")]), &HTTP));
        assert!(is_cross_site(&headers(&[("host", "a.test.evil"), ("origin", "http://a.test")]), &HTTP));
    }

    #[test]
    fn the_scheme_must_be_the_one_the_cookies_imply() {
        assert!(is_cross_site(&headers(&[("host", "a.test"), ("origin", "http://a.test")]), &HTTPS));
        assert!(is_cross_site(&headers(&[("host", "a.test"), ("origin", "https://a.test")]), &HTTP));
    }

    #[test]
    fn a_configured_public_origin_is_matched_exactly() {
        let h = headers(&[("host", "internal:3000"), ("origin", "https://auth.example.com")]);
        let site = |origin: &str| Site { public_origin: Some(origin.to_owned()), https: true };
        assert!(!is_cross_site(&h, &site("https://auth.example.com")));
        assert!(is_cross_site(&h, &site("https://other.example.com")));
    }
}
