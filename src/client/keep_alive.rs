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

/// How long a page whose session could not be restored (the server was unreachable) waits
/// before its next try: 2, 4, 8 … seconds, at most a minute.
pub fn restore_retry_delay_ms(failed_tries: u32) -> u64 {
    1000 * (2u64 << failed_tries.min(5)).min(60)
}

/// A page restoring its session loads again only if it did not do so in the last this many
/// milliseconds: if the server renders it with an expired token again right after a refresh
/// (a clock or a token life set wrong), reloading again would never end.
pub const RESTORE_RELOAD_GUARD_MS: u64 = 10_000;

#[cfg(feature = "hydrate")]
mod browser {
    use std::time::Duration;

    use leptos::prelude::*;
    use leptos::task::spawn_local;

    use super::{refresh_delay_ms, restore_retry_delay_ms, RESTORE_RELOAD_GUARD_MS};
    use crate::client::browser::{leave_for_ended_session, leave_to_login, on_wake, reload_page};
    use crate::client::refresh::{refresh_once, RefreshOutcome};
    use crate::client::tabs::{listen, TabMessage};

    fn now() -> f64 {
        js_sys::Date::now() / 1000.0
    }

    /// What this page was rendered with, and its refresh state.
    #[derive(Clone, Copy)]
    struct PageSession {
        /// Rendered for a signed-in user.
        signed_in: bool,
        /// Rendered while the access token had expired: waiting for a refresh to restore it.
        restoring: bool,
        expires_at: RwSignal<Option<i64>>,
        failed_restores: StoredValue<u32>,
    }

    pub fn start(expires_at: Option<i64>, restoring: bool) {
        let page = PageSession {
            signed_in: expires_at.is_some(),
            restoring,
            expires_at: RwSignal::new(expires_at),
            failed_restores: StoredValue::new(0),
        };
        if restoring {
            renew(page);
        }
        Effect::new(move |previous: Option<Option<TimeoutHandle>>| {
            if let Some(Some(handle)) = previous {
                handle.clear();
            }
            let expires = page.expires_at.get()?;
            let delay = refresh_delay_ms(expires, now(), js_sys::Math::random());
            set_timeout_with_handle(move || renew(page), Duration::from_millis(delay)).ok()
        });
        // Waking up (or coming back online): refresh if the token is about to expire, or if
        // the page is still waiting for its session to be restored.
        on_wake(move || {
            let stale = page.expires_at.get_untracked().is_some_and(|e| now() >= e as f64 - 5.0);
            if stale || page.restoring {
                renew(page);
            }
        });
        listen(move |message| match message {
            TabMessage::Refreshed(expires) if page.signed_in => page.expires_at.set(Some(expires)),
            // Another tab restored the session this page is waiting for.
            TabMessage::Refreshed(_) if page.restoring => show_restored_session(),
            TabMessage::Refreshed(_) => {}
            // Someone signed in in another tab: show this page as the server now sees it.
            TabMessage::SignedIn => reload_page(),
            TabMessage::SignedOut => leave_to_login(),
        });
    }

    /// Refreshes now. On success the new expiry reschedules the timer, or, if the page was not
    /// rendered for a signed-in user, the page loads again to show the restored session. If the
    /// server refuses, the session has ended; if it cannot be reached, a restore tries again.
    fn renew(page: PageSession) {
        spawn_local(async move {
            match refresh_once().await {
                RefreshOutcome::Renewed(expires) if page.signed_in => page.expires_at.set(Some(expires)),
                RefreshOutcome::Renewed(_) => show_restored_session(),
                RefreshOutcome::Ended => leave_for_ended_session(),
                RefreshOutcome::Unreachable if page.restoring => {
                    let failed = page.failed_restores.get_value();
                    page.failed_restores.set_value(failed + 1);
                    let delay = Duration::from_millis(restore_retry_delay_ms(failed));
                    set_timeout(move || renew(page), delay);
                }
                // Offline or the server is restarting: the next wake-up or call tries again.
                RefreshOutcome::Unreachable => {}
            }
        });
    }

    /// Loads the page again, now that its session is restored, unless it just did.
    fn show_restored_session() {
        const KEY: &str = "latchkey-restored-at";
        let storage = window().session_storage().ok().flatten();
        let last = storage.as_ref().and_then(|s| s.get_item(KEY).ok().flatten());
        // Whole milliseconds: parsing an integer keeps the float parser out of the module.
        let now_ms = js_sys::Date::now() as u64;
        if last
            .and_then(|t| t.parse::<u64>().ok())
            .is_some_and(|t| now_ms.saturating_sub(t) < RESTORE_RELOAD_GUARD_MS)
        {
            leptos::logging::warn!(
                "the session was restored, but the server still renders this page without it"
            );
            return;
        }
        if let Some(storage) = storage {
            let _ = storage.set_item(KEY, &now_ms.to_string());
        }
        reload_page();
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
    fn failed_restores_are_retried_ever_less_often_up_to_a_minute() {
        let delays: Vec<u64> = (0..8).map(super::restore_retry_delay_ms).collect();
        assert_eq!(delays, [2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
    }

    #[test]
    fn an_expired_token_is_refreshed_at_once() {
        assert_eq!(refresh_delay_ms(900, 1_000.0, 0.5), 0);
    }
}
