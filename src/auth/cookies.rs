//! The two auth cookies: names, attributes, setting and clearing. Both are `HttpOnly`.
//!
//! Access: `Path=/`, `SameSite=Lax` (sent on top-level navigations, so SSR sees it).
//! Refresh: `Path=/api/auth`, `SameSite=Strict` (only ever sent to the auth endpoints).
//! With `Secure`, the names carry the `__Host-` / `__Secure-` prefixes that browsers enforce.

use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use cookie::time::Duration;

const ACCESS_BASE: &str = "latchkey_access";
const REFRESH_BASE: &str = "latchkey_refresh";
const REFRESH_PATH: &str = "/api/auth";

/// Cookie naming and attributes for one deployment.
#[derive(Debug, Clone)]
pub struct CookiePolicy {
    secure: bool,
    access_name: String,
    refresh_name: String,
}

impl CookiePolicy {
    pub fn new(secure: bool) -> Self {
        let (access, refresh) = if secure { ("__Host-", "__Secure-") } else { ("", "") };
        Self {
            secure,
            access_name: format!("{access}{ACCESS_BASE}"),
            refresh_name: format!("{refresh}{REFRESH_BASE}"),
        }
    }

    pub fn access_name(&self) -> &str {
        &self.access_name
    }

    pub fn refresh_name(&self) -> &str {
        &self.refresh_name
    }

    /// The access cookie. It lives as long as the session's refresh token, longer than the JWT
    /// inside: an expired JWT still tells server rendering "this browser had a session, refresh
    /// it" rather than "nobody is signed in".
    pub fn access_cookie(&self, jwt: &str, max_age_secs: i64) -> Cookie<'static> {
        self.build(self.access_name.clone(), jwt.to_owned(), "/", SameSite::Lax, max_age_secs)
    }

    pub fn refresh_cookie(&self, token: &str, max_age_secs: i64) -> Cookie<'static> {
        self.build(self.refresh_name.clone(), token.to_owned(), REFRESH_PATH, SameSite::Strict, max_age_secs)
    }

    /// Both cookies with the same names, paths and attributes, emptied, with `Max-Age=0`.
    pub fn clearing_cookies(&self) -> [Cookie<'static>; 2] {
        [
            self.build(self.access_name.clone(), String::new(), "/", SameSite::Lax, 0),
            self.build(self.refresh_name.clone(), String::new(), REFRESH_PATH, SameSite::Strict, 0),
        ]
    }

    /// The access token the browser sent, if any.
    pub fn access_token<'a>(&self, jar: &'a CookieJar) -> Option<&'a str> {
        jar.get(&self.access_name).map(|c| c.value()).filter(|v| !v.is_empty())
    }

    /// The refresh token the browser sent, if any.
    pub fn refresh_token<'a>(&self, jar: &'a CookieJar) -> Option<&'a str> {
        jar.get(&self.refresh_name).map(|c| c.value()).filter(|v| !v.is_empty())
    }

    fn build(
        &self,
        name: String,
        value: String,
        path: &'static str,
        same_site: SameSite,
        max_age: i64,
    ) -> Cookie<'static> {
        Cookie::build((name, value))
            .http_only(true)
            .secure(self.secure)
            .same_site(same_site)
            .path(path)
            .max_age(Duration::seconds(max_age.max(0)))
            .build()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secure_cookies_use_host_and_secure_prefixes() {
        let policy = CookiePolicy::new(true);
        let access = policy.access_cookie("jwt", 60).to_string();
        let refresh = policy.refresh_cookie("tok", 60).to_string();
        assert!(access.starts_with("__Host-latchkey_access=jwt"), "{access}");
        assert!(refresh.starts_with("__Secure-latchkey_refresh=tok"), "{refresh}");
        for cookie in [&access, &refresh] {
            assert!(cookie.contains("HttpOnly") && cookie.contains("Secure"), "{cookie}");
            assert!(!cookie.contains("Domain"), "{cookie}");
        }
    }

    #[test]
    fn access_and_refresh_cookies_have_the_contract_attributes() {
        let policy = CookiePolicy::new(false);
        let access = policy.access_cookie("jwt", 300).to_string();
        let refresh = policy.refresh_cookie("tok", 900).to_string();
        assert_eq!(access, "latchkey_access=jwt; HttpOnly; SameSite=Lax; Path=/; Max-Age=300");
        assert_eq!(refresh, "latchkey_refresh=tok; HttpOnly; SameSite=Strict; Path=/api/auth; Max-Age=900");
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
    fn empty_cookie_values_count_as_absent() {
        let policy = CookiePolicy::new(false);
        let jar = CookieJar::new().add(Cookie::new("latchkey_access", ""));
        assert_eq!(policy.access_token(&jar), None);
        let jar = jar.add(Cookie::new("latchkey_access", "abc"));
        assert_eq!(policy.access_token(&jar), Some("abc"));
    }
}
