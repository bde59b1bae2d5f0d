//! Where to go after signing in: the `next` page, if it is a path on this site.

/// Default landing page after signing in.
pub const DEFAULT_AFTER_LOGIN: &str = "/dashboard";

/// `next` if it is a same-origin path (`/…`, not `//host` or `/\host`), else the dashboard.
/// Never an open redirect.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains('\\')
                && !path.chars().any(char::is_control)
                && !path.starts_with("/login") =>
        {
            path.to_owned()
        }
        _ => DEFAULT_AFTER_LOGIN.to_owned(),
    }
}

/// The sign-in page, asked to come back to `next` (a path on this site) afterwards; with
/// `ended`, it says the session ended.
pub fn login_url(next: &str, ended: bool) -> String {
    let reason = if ended { "reason=ended&" } else { "" };
    format!("/login?{reason}next={}", encode_component(next))
}

/// The second-factor page of a sign-in that goes on to `next` afterwards.
pub fn code_page(next: &str) -> String {
    format!("/login/code?next={}", encode_component(next))
}

/// Percent-encodes everything but the unreserved characters (RFC 3986), for a query value.
fn encode_component(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sign_in_page_is_asked_to_come_back() {
        assert_eq!(login_url("/sessions", false), "/login?next=/sessions");
        assert_eq!(
            login_url("/dashboard?tab=1&x=é", true),
            "/login?reason=ended&next=/dashboard%3Ftab%3D1%26x%3D%C3%A9"
        );
    }

    #[test]
    fn same_site_paths_are_kept() {
        assert_eq!(safe_next(Some("/sessions")), "/sessions");
        assert_eq!(safe_next(Some("/dashboard?tab=1")), "/dashboard?tab=1");
    }

    #[test]
    fn anything_that_could_leave_the_site_falls_back_to_the_dashboard() {
        for bad in ["https://evil.test", "//evil.test", "/\\evil.test", "evil", "", "/\tx", "/login"] {
            assert_eq!(safe_next(Some(bad)), DEFAULT_AFTER_LOGIN, "{bad}");
        }
        assert_eq!(safe_next(None), DEFAULT_AFTER_LOGIN);
    }
}
