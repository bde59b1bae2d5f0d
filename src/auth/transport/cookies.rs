//! Our cookies: names, attributes, setting and clearing, and reading them from axum-extra's
//! `CookieJar`. All are `HttpOnly`.
//!
//! Access: `Path=/`, `SameSite=Lax` (sent on top-level navigations, so server rendering sees it).
//! Refresh: `Path=/api/auth`, `SameSite=Strict` (only ever sent to the auth endpoints).
//! Device (`credentials::devices`): like refresh, but lives 400 days.
//! Pending (`second_factor::pending`): like refresh, 300 s: a correct password waiting for its
//! second factor.
//! With `Secure`, the names carry the `__Host-` / `__Secure-` prefixes that browsers enforce.
//!
//! A request that carries one of these names twice is never served with either value: the
//! `planted_cookies` layer (`server::layers`) takes both out before any handler reads the jar.

use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use cookie::time::Duration;

const ACCESS_BASE: &str = "latchkey_access";
const REFRESH_BASE: &str = "latchkey_refresh";
const DEVICE_BASE: &str = "latchkey_device";
const PENDING_BASE: &str = "latchkey_pending";
const AUTH_PATH: &str = "/api/auth";
/// The longest a browser keeps a cookie (Chrome caps `Max-Age` at 400 days).
const DEVICE_COOKIE_MAX_AGE: i64 = 400 * 24 * 3600;

/// Cookie naming and attributes for one deployment.
#[derive(Debug, Clone)]
pub struct CookiePolicy {
    secure: bool,
    access_name: String,
    refresh_name: String,
    device_name: String,
    pending_name: String,
}

impl CookiePolicy {
    pub fn new(secure: bool) -> Self {
        let (access, refresh) = if secure { ("__Host-", "__Secure-") } else { ("", "") };
        Self {
            secure,
            access_name: format!("{access}{ACCESS_BASE}"),
            refresh_name: format!("{refresh}{REFRESH_BASE}"),
            device_name: format!("{refresh}{DEVICE_BASE}"),
            pending_name: format!("{refresh}{PENDING_BASE}"),
        }
    }

    pub fn access_name(&self) -> &str {
        &self.access_name
    }

    pub fn refresh_name(&self) -> &str {
        &self.refresh_name
    }

    /// Every cookie name of ours, session cookies first.
    pub fn names(&self) -> [&str; 4] {
        [&self.access_name, &self.refresh_name, &self.device_name, &self.pending_name]
    }

    /// The pending sign-in in the jar, if any.
    pub fn pending<'a>(&self, jar: &'a CookieJar) -> Option<&'a str> {
        value(jar, &self.pending_name)
    }

    /// The pending-sign-in cookie (`max_age_secs` 0 clears it).
    pub fn pending_cookie(&self, value: &str, max_age_secs: i64) -> Cookie<'static> {
        self.build(
            self.pending_name.clone(),
            value.to_owned(),
            AUTH_PATH,
            SameSite::Strict,
            Some(max_age_secs),
        )
    }

    /// The access token in the jar, if any (an empty value counts as none).
    pub fn access<'a>(&self, jar: &'a CookieJar) -> Option<&'a str> {
        value(jar, &self.access_name)
    }

    /// The refresh token in the jar, if any.
    pub fn refresh<'a>(&self, jar: &'a CookieJar) -> Option<&'a str> {
        value(jar, &self.refresh_name)
    }

    /// The device cookie in the jar, if any.
    pub fn device<'a>(&self, jar: &'a CookieJar) -> Option<&'a str> {
        value(jar, &self.device_name)
    }

    /// The access cookie. It lives as long as the session's refresh token, longer than the JWT
    /// inside: an expired JWT still tells server rendering "this browser had a session, refresh
    /// it" rather than "nobody is signed in". `None` makes it a browser-session cookie.
    pub fn access_cookie(&self, jwt: &str, max_age_secs: Option<i64>) -> Cookie<'static> {
        self.build(self.access_name.clone(), jwt.to_owned(), "/", SameSite::Lax, max_age_secs)
    }

    pub fn refresh_cookie(&self, token: &str, max_age_secs: Option<i64>) -> Cookie<'static> {
        self.build(self.refresh_name.clone(), token.to_owned(), AUTH_PATH, SameSite::Strict, max_age_secs)
    }

    /// The device cookie: which browser this is, for as long as browsers keep a cookie.
    pub fn device_cookie(&self, value: &str) -> Cookie<'static> {
        let max_age = Some(DEVICE_COOKIE_MAX_AGE);
        self.build(self.device_name.clone(), value.to_owned(), AUTH_PATH, SameSite::Strict, max_age)
    }

    /// Both session cookies with the same names, paths and attributes, emptied, `Max-Age=0`.
    pub fn clearing_cookies(&self) -> [Cookie<'static>; 2] {
        [
            self.build(self.access_name.clone(), String::new(), "/", SameSite::Lax, Some(0)),
            self.build(self.refresh_name.clone(), String::new(), AUTH_PATH, SameSite::Strict, Some(0)),
        ]
    }

    fn build(
        &self,
        name: String,
        value: String,
        path: &'static str,
        same_site: SameSite,
        max_age: Option<i64>,
    ) -> Cookie<'static> {
        let mut cookie =
            Cookie::build((name, value)).http_only(true).secure(self.secure).same_site(same_site).path(path);
        if let Some(seconds) = max_age {
            cookie = cookie.max_age(Duration::seconds(seconds.max(0)));
        }
        cookie.build()
    }
}

fn value<'a>(jar: &'a CookieJar, name: &str) -> Option<&'a str> {
    jar.get(name).map(Cookie::value).filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::header::COOKIE;
    use axum::http::{HeaderMap, HeaderValue};

    #[test]
    fn secure_cookies_use_host_and_secure_prefixes() {
        let policy = CookiePolicy::new(true);
        let access = policy.access_cookie("jwt", Some(60)).to_string();
        let refresh = policy.refresh_cookie("tok", Some(60)).to_string();
        let device = policy.device_cookie("dev").to_string();
        assert!(access.starts_with("__Host-latchkey_access=jwt"), "{access}");
        assert!(refresh.starts_with("__Secure-latchkey_refresh=tok"), "{refresh}");
        assert!(device.starts_with("__Secure-latchkey_device=dev"), "{device}");
        for cookie in [&access, &refresh, &device] {
            assert!(cookie.contains("HttpOnly") && cookie.contains("Secure"), "{cookie}");
            assert!(!cookie.contains("Domain"), "{cookie}");
        }
    }

    #[test]
    fn access_and_refresh_cookies_have_the_contract_attributes() {
        let policy = CookiePolicy::new(false);
        let access = policy.access_cookie("jwt", Some(300)).to_string();
        let refresh = policy.refresh_cookie("tok", Some(900)).to_string();
        assert_eq!(access, "latchkey_access=jwt; HttpOnly; SameSite=Lax; Path=/; Max-Age=300");
        assert_eq!(refresh, "latchkey_refresh=tok; HttpOnly; SameSite=Strict; Path=/api/auth; Max-Age=900");
    }

    #[test]
    fn without_a_max_age_both_are_browser_session_cookies() {
        let policy = CookiePolicy::new(false);
        for cookie in [policy.access_cookie("jwt", None), policy.refresh_cookie("tok", None)] {
            let shown = cookie.to_string();
            assert!(!shown.contains("Max-Age") && !shown.contains("Expires"), "{shown}");
        }
    }

    #[test]
    fn clearing_repeats_name_path_and_attributes_with_max_age_zero() {
        let policy = CookiePolicy::new(true);
        let [access, refresh] = policy.clearing_cookies().map(|c| c.to_string());
        assert_eq!(access, "__Host-latchkey_access=; HttpOnly; SameSite=Lax; Secure; Path=/; Max-Age=0");
        assert_eq!(
            refresh,
            "__Secure-latchkey_refresh=; HttpOnly; SameSite=Strict; Secure; Path=/api/auth; Max-Age=0"
        );
    }

    #[test]
    fn our_cookies_are_read_from_the_jar_by_exact_name_and_empty_values_count_as_absent() {
        let secure = CookiePolicy::new(true);
        let mut headers = HeaderMap::new();
        headers.insert(
            COOKIE,
            HeaderValue::from_static(
                "latchkey_access=plain; __Host-latchkey_access=prefixed; __Secure-latchkey_refresh=",
            ),
        );
        let jar = CookieJar::from_headers(&headers);
        assert_eq!(secure.access(&jar), Some("prefixed"), "an unprefixed cookie is not ours when Secure");
        assert_eq!(secure.refresh(&jar), None);
        assert_eq!(secure.device(&jar), None);
    }
}
