//! Signing in and out, in the browser: what a tab does once the server has answered. The
//! tab's [`Session`] changes, and the other tabs are told (`tabs`), so a sign-out drops the user
//! from every tab. On the server these only change the session of the page being rendered.

use super::session::Session;
use crate::auth::wire::AuthStatus;

/// The server signed a user in from this tab.
pub fn after_sign_in(session: Session, status: AuthStatus) {
    super::tabs::announce_sign_in();
    session.signed_in(status);
}

/// The server ended this browser's session (a logout, a revoke of this device, logging out
/// everywhere): the user is dropped from this tab and the others.
pub fn after_sign_out(session: Session) {
    super::tabs::announce_sign_out();
    session.signed_out();
}

/// Asks the server again who the signed-in user is, after their account changed (a verified
/// address): a refresh, for an access token that says so, then `me`. Reads the session
/// untracked: an effect that calls this must not run again when the answer arrives (it would
/// ask again, for ever).
pub fn reload_user(session: Session) {
    #[cfg(feature = "hydrate")]
    if leptos::prelude::untrack(|| session.user()).is_some() {
        leptos::task::spawn_local(async move {
            let _ = super::refresh::refresh_once().await;
            if let Ok(status) = crate::auth::api::me().await {
                session.signed_in(status);
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = session;
}

/// Milliseconds before the `tries`-th retry of a logout the server could not complete:
/// 1, 2, 4 … seconds, at most 30.
pub fn logout_retry_delay_ms(tries: u32) -> u64 {
    (1000u64 << tries.min(5)).min(30_000)
}

/// Logs this browser out: ends the session on the server, then [`after_sign_out`]. Until the
/// server confirms, the tab stays signed in: each failure (the server unreachable, or unable
/// to end the session) is shown through `failed` and the logout is tried again.
pub fn log_out(session: Session, failed: impl Fn(Option<String>) + 'static) {
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(async move {
        let mut tries = 0;
        loop {
            match crate::auth::api::logout().await {
                Ok(()) => {
                    failed(None);
                    after_sign_out(session);
                    return;
                }
                Err(e) => {
                    failed(Some(format!("Could not sign you out: {e} Trying again…")));
                    super::browser::sleep_ms(logout_retry_delay_ms(tries)).await;
                    tries += 1;
                }
            }
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (session, failed);
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_failed_logout_is_retried_ever_less_often_up_to_thirty_seconds() {
        let delays: Vec<u64> = (0..7).map(super::logout_retry_delay_ms).collect();
        assert_eq!(delays, [1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
    }
}
