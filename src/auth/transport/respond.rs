//! What a server function's answer carries besides its body: our cookies and
//! `Clear-Site-Data`, appended (never inserted: several `Set-Cookie` headers go out) to the
//! `ResponseOptions` that `leptos_axum` applies to the response.

use axum::http::header::SET_COOKIE;
use axum::http::{HeaderName, HeaderValue};
use axum_extra::extract::cookie::Cookie;
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

use crate::auth::sessions::lifecycle::IssuedSession;
use crate::auth::Auth;

static CLEAR_SITE_DATA: HeaderName = HeaderName::from_static("clear-site-data");

/// Sets the access and refresh cookies of a newly issued session (and the device cookie after
/// a sign-in).
pub fn set_session_cookies(auth: &Auth, issued: &IssuedSession) {
    let cookies = &auth.cookies;
    append_cookie(cookies.access_cookie(&issued.access_token, issued.cookie_max_age));
    append_cookie(cookies.refresh_cookie(issued.refresh_token.expose(), issued.cookie_max_age));
    if let Some(device) = &issued.device {
        append_cookie(cookies.device_cookie(device.expose()));
    }
}

/// Sets a new access cookie for the same session (after a re-authentication); `None` makes it
/// a browser-session cookie.
pub fn set_access_cookie(auth: &Auth, access_token: &str, max_age: Option<i64>) {
    append_cookie(auth.cookies.access_cookie(access_token, max_age));
}

/// Sets the cookie of a pending sign-in (`value`), or clears it (`None`).
pub fn set_pending_cookie(auth: &Auth, value: Option<&str>) {
    use crate::auth::second_factor::pending::PENDING_TTL;
    append_cookie(match value {
        Some(value) => auth.cookies.pending_cookie(value, PENDING_TTL),
        None => auth.cookies.pending_cookie("", 0),
    });
}

/// Clears both session cookies (same names, paths and attributes, `Max-Age=0`).
pub fn clear_session_cookies(auth: &Auth) {
    for cookie in auth.cookies.clearing_cookies() {
        append_cookie(cookie);
    }
}

/// Asks the browser to drop cached pages and storage of this site (after a sign-out).
pub fn clear_site_data() {
    if let Some(response) = response_options() {
        response.insert_header(CLEAR_SITE_DATA.clone(), HeaderValue::from_static("\"cache\", \"storage\""));
    }
}

fn append_cookie(cookie: Cookie<'static>) {
    let Some(response) = response_options() else { return };
    match HeaderValue::from_str(&cookie.to_string()) {
        Ok(value) => response.append_header(SET_COOKIE, value),
        Err(_) => tracing::error!(name = cookie.name(), "cookie value is not a valid header"),
    }
}

fn response_options() -> Option<ResponseOptions> {
    let options = use_context::<ResponseOptions>();
    if options.is_none() {
        tracing::error!("no ResponseOptions in the Leptos context: cookies cannot be set");
    }
    options
}

/// Sends a plain HTML form post (made before the WASM loaded: the browser asked for HTML) on to
/// `path` when the server function succeeds. A call from the app gets its answer instead, and
/// the app decides where to go. (`leptos_axum::redirect` would make the app follow too.)
pub fn redirect_plain_form(path: &str) {
    use axum::http::header::ACCEPT;
    let plain_form = use_context::<axum::http::request::Parts>().is_some_and(|parts| {
        parts.headers.get(ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("text/html"))
    });
    if plain_form {
        leptos_axum::redirect(path);
    }
}
