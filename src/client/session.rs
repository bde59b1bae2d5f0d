//! `Session`: who is signed in, as this tab knows it. The one place in the browser that holds
//! user data outside the pages' own resources.
//!
//! The first page is rendered on the server for the user its access cookie names; that state
//! travels to the browser with the page (a Leptos `SharedValue`), so the hydrated app starts
//! exactly where the server's HTML is, with no request. From then on the tab changes it: a
//! sign-in, a refresh, a sign-out (here or in another tab, see `tabs`). Signing out drops the
//! user from this state; the protected pages, and with them every resource that held the
//! user's data, are unmounted as the router leaves them.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::auth::wire::AuthStatus;

/// Who is signed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SessionState {
    SignedIn(AuthStatus),
    /// The access token had expired: a refresh (with the refresh cookie) may restore the
    /// session. Protected pages wait rather than ask for a password.
    Restoring,
    /// Signed out on purpose (logout here or in another tab, logout everywhere).
    SignedOut,
    /// The session ended without the user asking (revoked elsewhere, expired, a stolen token
    /// replayed): the sign-in page says so.
    Ended,
}

/// What a protected page needs to know of the session: which user, if any. A renewed access
/// token leaves it unchanged, so the page (and what it shows) stays as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    SignedIn { user_id: i64 },
    Restoring,
    SignedOut,
    Ended,
}

/// The tab's session, provided once by `<App/>`. `Copy`: a signal handle.
#[derive(Debug, Clone, Copy)]
pub struct Session(RwSignal<SessionState>);

impl Session {
    /// Creates the session from the page the server rendered and provides it to the app.
    pub fn provide() -> Self {
        let initial = SharedValue::new(state_of_this_request).into_inner();
        let session = Self(RwSignal::new(initial));
        provide_context(session);
        session
    }

    /// The session of this app.
    ///
    /// # Panics
    /// Outside `<App/>` (a programming error).
    pub fn get() -> Self {
        expect_context::<Self>()
    }

    /// The current state, tracked.
    pub fn state(&self) -> SessionState {
        self.0.get()
    }

    /// The session as a protected page sees it, tracked.
    pub fn gate(&self) -> Gate {
        self.0.with(|state| match state {
            SessionState::SignedIn(status) => Gate::SignedIn { user_id: status.user.id },
            SessionState::Restoring => Gate::Restoring,
            SessionState::SignedOut => Gate::SignedOut,
            SessionState::Ended => Gate::Ended,
        })
    }

    /// The signed-in user, tracked; `None` when nobody is (or not yet).
    pub fn user(&self) -> Option<AuthStatus> {
        self.0.with(|state| match state {
            SessionState::SignedIn(status) => Some(status.clone()),
            _ => None,
        })
    }

    /// The access token's expiry, untracked.
    pub fn expires_at(&self) -> Option<i64> {
        self.0.with_untracked(|state| match state {
            SessionState::SignedIn(status) => Some(status.access_expires_at),
            _ => None,
        })
    }

    /// Someone signed in (here, or in another tab).
    pub fn signed_in(&self, status: AuthStatus) {
        self.0.set(SessionState::SignedIn(status));
    }

    /// The access token was renewed until `expires_at`.
    pub fn renewed(&self, expires_at: i64) {
        self.0.update(|state| {
            if let SessionState::SignedIn(status) = state {
                status.access_expires_at = expires_at;
            }
        });
    }

    /// The session ended: the user is dropped from the tab (and from what the server's render
    /// left in the page).
    pub fn signed_out(&self) {
        super::browser::forget_server_data();
        self.0.set(SessionState::SignedOut);
    }

    /// The session ended without the user asking: the user is dropped from the tab.
    pub fn ended(&self) {
        super::browser::forget_server_data();
        self.0.set(SessionState::Ended);
    }

    /// Whether the tab waits for a refresh to restore the session, untracked.
    pub fn is_restoring(&self) -> bool {
        self.0.with_untracked(|state| matches!(state, SessionState::Restoring))
    }
}

/// On the server, the state the request's access cookie gives (the `require_session` layer
/// has checked it); in the browser this is never called (the value comes with the page).
fn state_of_this_request() -> SessionState {
    #[cfg(feature = "ssr")]
    {
        use crate::error::AppError;
        match crate::auth::current_user() {
            Ok(user) => SessionState::SignedIn(user.status()),
            Err(AppError::AccessExpired) => SessionState::Restoring,
            Err(_) => SessionState::SignedOut,
        }
    }
    #[cfg(not(feature = "ssr"))]
    {
        SessionState::SignedOut
    }
}
