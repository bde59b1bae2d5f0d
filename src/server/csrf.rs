//! CSRF defence for cookie-authenticated requests, in front of every route.
//!
//! A state-changing request (anything but GET/HEAD/OPTIONS) is refused with 403 before any
//! handler runs when the browser says it is cross-site (`Sec-Fetch-Site: cross-site`) or when
//! it carries an `Origin` that is not ours (`Origin: null` included). Our own origin is
//! `PUBLIC_ORIGIN` when set, otherwise `http(s)://` + the request's `Host`.

use axum::extract::Request;
use axum::http::header::ORIGIN;
use axum::http::{HeaderMap, Method};

use crate::error::AppError;

/// Refuses a cross-site state change with 403.
pub fn refuse_cross_site(request: &Request, public_origin: Option<&str>) -> Result<(), AppError> {
    let safe_method = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe_method && is_cross_site(request.headers(), public_origin) {
        tracing::warn!(path = request.uri().path(), "refused a cross-site request");
        return Err(AppError::Forbidden);
    }
    Ok(())
}

/// True when the headers show the request did not come from our own pages.
pub fn is_cross_site(headers: &HeaderMap, public_origin: Option<&str>) -> bool {
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
    match public_origin {
        Some(expected) => origin != expected,
        None => {
            let host = header("host").unwrap_or_default();
            host.is_empty() || (origin != format!("http://{host}") && origin != format!("https://{host}"))
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

    #[test]
    fn same_origin_and_origin_less_requests_pass() {
        assert!(!is_cross_site(&headers(&[("host", "a.test"), ("origin", "http://a.test")]), None));
        assert!(!is_cross_site(&headers(&[("host", "a.test"), ("sec-fetch-site", "same-origin")]), None));
        assert!(!is_cross_site(&headers(&[("host", "a.test")]), None));
    }

    #[test]
    fn foreign_null_and_cross_site_requests_are_refused() {
        assert!(is_cross_site(&headers(&[("host", "a.test"), ("origin", "http://evil.test")]), None));
        assert!(is_cross_site(&headers(&[("host", "a.test"), ("origin", "null")]), None));
        assert!(is_cross_site(&headers(&[("host", "a.test"), ("sec-fetch-site", "cross-site")]), None));
        assert!(is_cross_site(&headers(&[("host", "a.test.evil"), ("origin", "http://a.test")]), None));
    }

    #[test]
    fn a_configured_public_origin_is_matched_exactly() {
        let h = headers(&[("host", "internal:3000"), ("origin", "https://auth.example.com")]);
        assert!(!is_cross_site(&h, Some("https://auth.example.com")));
        assert!(is_cross_site(&h, Some("https://other.example.com")));
    }
}
