//! Signing in and out, in the browser: what a tab does once the server has answered. Both end
//! with a full page load, so the next page comes from the server as the new session sees it,
//! and nothing of a signed-out user stays in memory. On the server these do nothing.

/// The server signed a user in from this tab: tell the other tabs, then open `next` (a path
/// that passed `redirect::safe_next`).
pub fn after_sign_in(next: &str) {
    super::tabs::announce_sign_in();
    super::browser::go_to(next);
}

/// The server ended this browser's session (a logout, a revoke of this device, logging out
/// everywhere): tell the other tabs, then leave for `/login`.
pub fn after_sign_out() {
    super::tabs::announce_sign_out();
    super::browser::leave_to_login();
}

/// Logs this browser out: ends the session on the server, then [`after_sign_out`].
pub fn log_out() {
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(async {
        // Logout always succeeds on the server; whatever happened, this tab leaves.
        let _ = crate::auth::server_fns::logout().await;
        after_sign_out();
    });
}
