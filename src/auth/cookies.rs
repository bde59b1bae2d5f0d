//! The two auth cookies: names, attributes, setting and clearing. Both are `HttpOnly`.
//!
//! Access: `Path=/`, `SameSite=Lax` (sent on top-level navigations, so SSR sees it).
//! Refresh: `Path=/api/auth`, `SameSite=Strict` (only ever sent to the auth endpoints).
//! With `Secure`, the names carry the `__Host-` / `__Secure-` prefixes that browsers enforce.

use axum::http::header::COOKIE;
use axum::http::HeaderMap;
use axum_extra::extract::cookie::{Cookie, SameSite};
use cookie::time::Duration;

const ACCESS_BASE: &str = "latchkey_access";
const REFRESH_BASE: &str = "latchkey_refresh";
const REFRESH_PATH: &str = "/api/auth";

/// The access and refresh tokens a request carried, if any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SentTokens {
    pub access: Option<String>,
    pub refresh: Option<String>,
}

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

    /// Our two cookies as the request sent them, found by name in its `Cookie` headers. The
    /// other cookies are skipped, not parsed, and nothing is percent-decoded: our values are
    /// base64url and JWTs, which never need it. Of a name sent twice, the first value counts.
    pub fn sent_tokens(&self, headers: &HeaderMap) -> SentTokens {
        let mut sent = SentTokens::default();
        let pairs = headers
            .get_all(COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(';'))
            .filter_map(|pair| pair.trim().split_once('='));
        for (name, value) in pairs {
            let slot = if name == self.access_name {
                &mut sent.access
            } else if name == self.refresh_name {
                &mut sent.refresh
            } else {
                continue;
            };
            if slot.is_none() && !value.is_empty() {
                *slot = Some(value.to_owned());
            }
        }
        sent
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

    fn sent(policy: &CookiePolicy, cookie_headers: &[&str]) -> SentTokens {
        let mut headers = HeaderMap::new();
        for value in cookie_headers {
            headers.append(COOKIE, value.parse().expect("header value"));
        }
        policy.sent_tokens(&headers)
    }

    #[test]
    fn our_cookies_are_found_among_others_and_empty_values_count_as_absent() {
        let policy = CookiePolicy::new(false);
        let tokens = sent(&policy, &["theme=dark; latchkey_access=a.b.c;latchkey_refresh=", "x=1"]);
        assert_eq!(tokens, SentTokens { access: Some("a.b.c".into()), refresh: None });
        let tokens = sent(
            &policy,
            &["latchkey_access=; latchkey_refresh=r1", "latchkey_refresh=r2; latchkey_access=a"],
        );
        assert_eq!(
            tokens,
            SentTokens { access: Some("a".into()), refresh: Some("r1".into()) },
            "first value counts"
        );
    }

    #[test]
    fn only_the_deployments_names_count() {
        let secure = CookiePolicy::new(true);
        let tokens = sent(&secure, &["latchkey_access=plain; __Host-latchkey_access=prefixed"]);
        assert_eq!(
            tokens.access.as_deref(),
            Some("prefixed"),
            "an unprefixed cookie is not ours when Secure"
        );
        let tokens = sent(&secure, &["__host-latchkey_access=x; latchkey_access_x=y; =z; junk"]);
        assert_eq!(tokens, SentTokens::default(), "names match exactly, case included");
    }
}
