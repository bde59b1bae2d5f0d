//! Keeps the tab's session alive while the app is open: schedules silent refreshes, reacts to
//! the tab waking up and to other tabs, and restores a session whose access token expired
//! while the app was closed (the page then shows its data without loading again). Browser
//! only: on the server, [`keep_session_alive`] does nothing.

use super::session::Session;

/// Fraction of the access token's remaining life after which this tab refreshes it.
pub const REFRESH_AT: f64 = 0.8;

/// Milliseconds until the scheduled refresh, given the expiry, the current time (both in Unix
/// seconds) and a jitter factor in `[0, 1)` that spreads tabs out by ±5 %.
pub fn refresh_delay_ms(expires_at: i64, now: f64, jitter: f64) -> u64 {
    let remaining = (expires_at as f64 - now).max(0.0);
    let spread = 0.95 + 0.1 * jitter.clamp(0.0, 1.0);
    (remaining * REFRESH_AT * spread * 1000.0) as u64
}

/// How long a tab whose session could not be restored (the server was unreachable) waits
/// before its next try: 2, 4, 8 … seconds, at most a minute.
pub fn restore_retry_delay_ms(failed_tries: u32) -> u64 {
    1000 * (2u64 << failed_tries.min(5)).min(60)
}

/// Starts the keep-alive machinery for `session`; call once, in `<App/>`.
pub fn keep_session_alive(session: Session) {
    #[cfg(feature = "hydrate")]
    browser::start(session);
    #[cfg(not(feature = "hydrate"))]
    let _ = session;
}

#[cfg(feature = "hydrate")]
mod browser {
    use std::time::Duration;

    use leptos::prelude::*;
    use leptos::task::spawn_local;

    use super::{refresh_delay_ms, restore_retry_delay_ms};
    use crate::auth::api::me;
    use crate::client::browser::on_wake;
    use crate::client::refresh::{refresh_once, RefreshOutcome};
    use crate::client::session::{Session, SessionState};
    use crate::client::tabs::{listen, TabMessage};

    fn now() -> f64 {
        js_sys::Date::now() / 1000.0
    }

    pub fn start(session: Session) {
        let failed_restores = StoredValue::new(0u32);
        // Whatever the state becomes, schedule what it needs: a refresh before the token
        // expires, or one now to restore the session.
        Effect::new(move |previous: Option<Option<TimeoutHandle>>| {
            if let Some(Some(handle)) = previous {
                handle.clear();
            }
            match session.state() {
                SessionState::SignedIn(status) => {
                    let delay = refresh_delay_ms(status.access_expires_at, now(), js_sys::Math::random());
                    set_timeout_with_handle(
                        move || renew(session, failed_restores),
                        Duration::from_millis(delay),
                    )
                    .ok()
                }
                SessionState::Restoring => {
                    renew(session, failed_restores);
                    None
                }
                SessionState::SignedOut | SessionState::Ended => None,
            }
        });
        // Waking up (or coming back online): refresh if the token is about to expire, or if
        // the tab is still waiting for its session to be restored.
        on_wake(move || {
            let stale = session.expires_at().is_some_and(|e| now() >= e as f64 - 5.0);
            if stale || session.is_restoring() {
                renew(session, failed_restores);
            }
        });
        listen(move |message| match message {
            TabMessage::Refreshed(expires_at) if session.expires_at().is_some() => {
                session.renewed(expires_at)
            }
            // Another tab restored the session, or signed someone in: ask who.
            TabMessage::Refreshed(_) | TabMessage::SignedIn => load_signed_in_user(session),
            TabMessage::SignedOut => session.signed_out(),
        });
    }

    /// Refreshes now. On success the new expiry reschedules the timer (or, when restoring, the
    /// signed-in user is loaded). If the server refuses, the session has ended; if it cannot be
    /// reached, a restore tries again later.
    fn renew(session: Session, failed_restores: StoredValue<u32>) {
        spawn_local(async move {
            match refresh_once().await {
                RefreshOutcome::Renewed(_) if session.is_restoring() => load_signed_in_user(session),
                RefreshOutcome::Renewed(expires_at) => session.renewed(expires_at),
                RefreshOutcome::Ended if session.expires_at().is_some() || session.is_restoring() => {
                    session.ended()
                }
                RefreshOutcome::Ended => {}
                RefreshOutcome::Unreachable if session.is_restoring() => {
                    let failed = failed_restores.get_value();
                    failed_restores.set_value(failed + 1);
                    let delay = Duration::from_millis(restore_retry_delay_ms(failed));
                    set_timeout(move || renew(session, failed_restores), delay);
                }
                // Offline or the server is restarting: the next wake-up or call tries again.
                RefreshOutcome::Unreachable => {}
            }
        });
    }

    /// Asks the server who is signed in (after a restore here or a sign-in elsewhere).
    fn load_signed_in_user(session: Session) {
        spawn_local(async move {
            match me().await {
                Ok(status) => session.signed_in(status),
                Err(err) if err.is_auth_failure() && session.is_restoring() => session.ended(),
                Err(_) => {}
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
    fn failed_restores_are_retried_ever_less_often_up_to_a_minute() {
        let delays: Vec<u64> = (0..8).map(super::restore_retry_delay_ms).collect();
        assert_eq!(delays, [2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
    }

    #[test]
    fn an_expired_token_is_refreshed_at_once() {
        assert_eq!(refresh_delay_ms(900, 1_000.0, 0.5), 0);
    }
}
