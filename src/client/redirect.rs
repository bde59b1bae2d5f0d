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

#[cfg(test)]
mod tests {
    use super::*;

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
