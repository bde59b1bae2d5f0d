//! The two auth cookies: names, attributes, setting and clearing. Both are `HttpOnly`.
//!
//! Access: `Path=/`, `SameSite=Lax` (sent on top-level navigations, so SSR sees it).
//! Refresh: `Path=/api/auth`, `SameSite=Strict` (only ever sent to the auth endpoints).
//! With `Secure`, the names carry the `__Host-` / `__Secure-` prefixes that browsers enforce.

use axum::http::header::COOKIE;
use axum::http::{HeaderMap, HeaderValue};
use axum_extra::extract::cookie::{Cookie, SameSite};
use cookie::time::Duration;

const ACCESS_BASE: &str = "latchkey_access";
const REFRESH_BASE: &str = "latchkey_refresh";
const REFRESH_PATH: &str = "/api/auth";

/// The `Cookie` header of a request, kept as it was sent: taking and cloning it share the
/// received bytes, and our two cookies are looked up in it only when a handler asks
/// ([`CookiePolicy::sent_access`], [`CookiePolicy::sent_refresh`]).
#[derive(Clone, Default)]
pub struct SentCookies(Option<HeaderValue>);

/// Shows how long the header is, never what it holds: it carries both tokens.
impl std::fmt::Debug for SentCookies {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let len = self.0.as_ref().map_or(0, HeaderValue::len);
        write!(f, "SentCookies({len} bytes, redacted)")
    }
}

impl SentCookies {
    /// The request's cookies. HTTP/2 may split them over several `Cookie` headers, which are
    /// joined with `; ` as RFC 9113 (8.2.3) says.
    pub fn of(headers: &HeaderMap) -> Self {
        let mut values = headers.get_all(COOKIE).iter();
        let Some(first) = values.next() else { return Self(None) };
        if values.next().is_none() {
            return Self(Some(first.clone()));
        }
        let joined: Vec<&[u8]> = headers.get_all(COOKIE).iter().map(HeaderValue::as_bytes).collect();
        Self(HeaderValue::from_bytes(&joined.join(&b"; "[..])).ok())
    }

    /// The first non-empty value of a cookie named exactly `name` (an empty one counts as
    /// absent). The other cookies are skipped, not parsed, and nothing is percent-decoded: our
    /// values are base64url and JWTs, which never need it.
    ///
    /// This runs on every authenticated request, over a header that is mostly a JWT: it works
    /// on bytes, finds each `;` with SIMD (`memchr`), and checks only the value it returns
    /// for UTF-8.
    fn find(&self, name: &str) -> Option<&str> {
        let header = self.0.as_ref()?.as_bytes();
        let name = name.as_bytes();
        let mut rest = header;
        loop {
            let end = memchr::memchr(b';', rest).unwrap_or(rest.len());
            let pair = rest[..end].trim_ascii();
            if let Some(value) = pair.strip_prefix(name).and_then(|after| after.strip_prefix(b"=")) {
                if !value.is_empty() {
                    return std::str::from_utf8(value).ok();
                }
            }
            rest = rest.get(end + 1..)?;
        }
    }
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

    /// The access token the request's cookies carry, if any.
    pub fn sent_access<'a>(&self, sent: &'a SentCookies) -> Option<&'a str> {
        sent.find(&self.access_name)
    }

    /// The refresh token the request's cookies carry, if any.
    pub fn sent_refresh<'a>(&self, sent: &'a SentCookies) -> Option<&'a str> {
        sent.find(&self.refresh_name)
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

    /// The (access, refresh) tokens `policy` finds in these `Cookie` headers.
    fn sent(policy: &CookiePolicy, cookie_headers: &[&str]) -> (Option<String>, Option<String>) {
        let mut headers = HeaderMap::new();
        for value in cookie_headers {
            headers.append(COOKIE, value.parse().expect("header value"));
        }
        let cookies = SentCookies::of(&headers);
        let owned = |v: Option<&str>| v.map(str::to_owned);
        (owned(policy.sent_access(&cookies)), owned(policy.sent_refresh(&cookies)))
    }

    #[test]
    fn our_cookies_are_found_among_others_and_empty_values_count_as_absent() {
        let policy = CookiePolicy::new(false);
        let tokens = sent(&policy, &["theme=dark; latchkey_access=a.b.c;latchkey_refresh=", "x=1"]);
        assert_eq!(tokens, (Some("a.b.c".into()), None));
        let tokens = sent(&policy, &["latchkey_refresh=r1; latchkey_access=a"]);
        assert_eq!(tokens, (Some("a".into()), Some("r1".into())));
    }

    #[test]
    fn of_a_name_sent_twice_the_first_value_counts_across_headers() {
        let policy = CookiePolicy::new(false);
        let tokens = sent(
            &policy,
            &["latchkey_access=a1; latchkey_refresh=r1", "latchkey_refresh=r2; latchkey_access=a2"],
        );
        assert_eq!(tokens, (Some("a1".into()), Some("r1".into())));
        let tokens = sent(&policy, &["theme=dark", "latchkey_refresh=r2"]);
        assert_eq!(tokens, (None, Some("r2".into())), "a later header is searched too");
    }

    #[test]
    fn an_empty_value_does_not_hide_a_later_one() {
        let policy = CookiePolicy::new(false);
        let tokens = sent(&policy, &["latchkey_access=; latchkey_refresh=r1", "latchkey_access=a"]);
        assert_eq!(tokens, (Some("a".into()), Some("r1".into())));
    }

    #[test]
    fn debug_output_never_shows_a_token() {
        let mut headers = HeaderMap::new();
        headers.insert(COOKIE, HeaderValue::from_static("latchkey_access=secret.jwt.value"));
        let shown = format!("{:?}", SentCookies::of(&headers));
        assert!(!shown.contains("secret"), "{shown}");
    }

    #[test]
    fn only_the_deployments_names_count() {
        let secure = CookiePolicy::new(true);
        let tokens = sent(&secure, &["latchkey_access=plain; __Host-latchkey_access=prefixed"]);
        assert_eq!(tokens.0.as_deref(), Some("prefixed"), "an unprefixed cookie is not ours when Secure");
        let tokens = sent(&secure, &["__host-latchkey_access=x; latchkey_access_x=y; =z; junk"]);
        assert_eq!(tokens, (None, None), "names match exactly, case included");
    }
}
