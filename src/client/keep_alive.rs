//! Keeps the session alive while a page is open: schedules silent refreshes, reacts to the tab
//! waking up and to other tabs, and restores a session whose access token expired while the page
//! was closed. Browser only: on the server, [`keep_session_alive`] does nothing.

/// Fraction of the access token's remaining life after which this tab refreshes it.
pub const REFRESH_AT: f64 = 0.8;

/// Milliseconds until the scheduled refresh, given the expiry, the current time (both in Unix
/// seconds) and a jitter factor in `[0, 1)` that spreads tabs out by ±5 %.
pub fn refresh_delay_ms(expires_at: i64, now: f64, jitter: f64) -> u64 {
    let remaining = (expires_at as f64 - now).max(0.0);
    let spread = 0.95 + 0.1 * jitter.clamp(0.0, 1.0);
    (remaining * REFRESH_AT * spread * 1000.0) as u64
}

/// Starts the keep-alive machinery for this page. `expires_at` is the access token's expiry if
/// the page was rendered for a signed-in user; `restoring` says it was rendered while the
/// access token had expired, so a refresh may restore the session (the page then loads again).
pub fn keep_session_alive(expires_at: Option<i64>, restoring: bool) {
    #[cfg(feature = "hydrate")]
    browser::start(expires_at, restoring);
    #[cfg(not(feature = "hydrate"))]
    let _ = (expires_at, restoring);
}

#[cfg(feature = "hydrate")]
mod browser {
    use std::time::Duration;

    use leptos::prelude::*;
    use leptos::task::spawn_local;

    use super::refresh_delay_ms;
    use crate::client::browser::{leave_for_ended_session, leave_to_login, on_wake, reload_page};
    use crate::client::refresh::{refresh_once, RefreshOutcome};
    use crate::client::tabs::{listen, TabMessage};

    fn now() -> f64 {
        js_sys::Date::now() / 1000.0
    }

    pub fn start(expires_at: Option<i64>, restoring: bool) {
        let signed_in = expires_at.is_some();
        let expires_at = RwSignal::new(expires_at);
        if restoring {
            renew(expires_at, signed_in);
        }
        Effect::new(move |previous: Option<Option<TimeoutHandle>>| {
            if let Some(Some(handle)) = previous {
                handle.clear();
            }
            let expires = expires_at.get()?;
            let delay = refresh_delay_ms(expires, now(), js_sys::Math::random());
            set_timeout_with_handle(move || renew(expires_at, signed_in), Duration::from_millis(delay)).ok()
        });
        // Waking up (or coming back online): refresh if the token is about to expire, or if
        // the page is still waiting for its session to be restored (the first try failed).
        on_wake(move || {
            let stale = expires_at.get_untracked().is_some_and(|e| now() >= e as f64 - 5.0);
            if stale || restoring {
                renew(expires_at, signed_in);
            }
        });
        listen(move |message| match message {
            TabMessage::Refreshed(expires) => expires_at.set(Some(expires)),
            // Someone signed in in another tab: show this page as the server now sees it.
            TabMessage::SignedIn => reload_page(),
            TabMessage::SignedOut => leave_to_login(),
        });
    }

    /// Refreshes now. On success the new expiry reschedules the timer, or, if the page was not
    /// rendered for a signed-in user (its access token had expired), the page loads again to
    /// show the restored session. If the server refuses, the session has ended.
    fn renew(expires_at: RwSignal<Option<i64>>, signed_in: bool) {
        spawn_local(async move {
            match refresh_once().await {
                RefreshOutcome::Renewed(expires) if signed_in => expires_at.set(Some(expires)),
                RefreshOutcome::Renewed(_) => reload_page(),
                RefreshOutcome::Ended => leave_for_ended_session(),
                // Offline or the server is restarting: the next wake-up or call tries again.
                RefreshOutcome::Unreachable => {}
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::refresh_delay_ms;

    #[test]
    fn refresh_is_scheduled_at_about_80_percent_of_the_remaining_life() {
        assert_eq!(refresh_delay_ms(1_300, 1_000.0, 0.5), 240_000);
        assert_eq!(refresh_delay_ms(1_300, 1_000.0, 0.0), 228_000);
        assert_eq!(refresh_delay_ms(1_300, 1_000.0, 0.999_999), 251_999);
    }

    #[test]
    fn an_expired_token_is_refreshed_at_once() {
        assert_eq!(refresh_delay_ms(900, 1_000.0, 0.5), 0);
    }
}
