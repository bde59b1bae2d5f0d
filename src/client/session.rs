//! `Session`: the signed-in state as the pages see it, and the actions that change it.
//!
//! The state is a plain signal, not a resource. The server knows who is signed in from the
//! request's access cookie while it renders, so it computes the first value synchronously and
//! sends it along with the page ([`SharedValue`]); the browser starts from that value, with no
//! request, no loading state and no `<Suspense/>`. Later changes come from this tab (sign-in,
//! logout, a refresh that restored an expired session) or from the other tabs.
//!
//! The server calls made from here go through [`super::calls`], so their code is fetched only
//! when one is first made.

use leptos::prelude::*;

use super::keep_alive::keep_session_alive;
use super::tabs::announce_sign_in;
use crate::auth::types::AuthStatus;
use crate::error::AppError;

/// Who is signed in: the user and token expiry, or why nobody is (`AccessExpired` while a
/// refresh may still restore the session).
pub type SessionStatus = Result<AuthStatus, AppError>;

/// Signed-in state and logout, provided once by `<App/>`.
#[derive(Clone, Copy)]
pub struct Session {
    status: RwSignal<SessionStatus>,
    logging_out: RwSignal<bool>,
}

impl Session {
    /// Creates the context and starts keeping the session alive; call once, in `<App/>`.
    pub fn provide() -> Self {
        let first = SharedValue::new(status_of_this_request).into_inner();
        let session = Self { status: RwSignal::new(first), logging_out: RwSignal::new(false) };
        provide_context(session);
        keep_session_alive(session);
        session
    }

    /// The context provided by `<App/>`.
    pub fn get() -> Self {
        expect_context::<Self>()
    }

    /// Who is signed in (tracked: a view reading it follows every change).
    pub fn status(&self) -> SessionStatus {
        self.status.get()
    }

    /// [`Self::status`] without subscribing to changes.
    pub fn status_untracked(&self) -> SessionStatus {
        self.status.get_untracked()
    }

    /// True while a logout started here is under way.
    pub fn logging_out(&self) -> bool {
        self.logging_out.get()
    }

    /// This tab just signed in as `status`: show it, and tell the other tabs.
    pub fn signed_in(&self, status: AuthStatus) {
        self.status.set(Ok(status));
        announce_sign_in();
    }

    /// Asks the server again who is signed in (another tab signed in, or a refresh restored
    /// the session).
    pub fn reload(&self) {
        #[cfg(feature = "hydrate")]
        {
            let status = self.status;
            leptos::task::spawn_local(async move { status.set(super::calls::who_is_signed_in().await) });
        }
    }

    /// Ends the session on the server, tells the other tabs, and leaves for `/login` with a full
    /// page load so that nothing of the user stays in memory.
    pub fn log_out(&self) {
        #[cfg(feature = "hydrate")]
        {
            self.logging_out.set(true);
            leptos::task::spawn_local(async {
                // Logout always succeeds on the server; whatever happened, this tab leaves.
                let _ = super::calls::end_this_session().await;
                super::tabs::announce_sign_out();
                super::browser::leave_to_login();
            });
        }
    }
}

/// The first value: on the server, the request's own access token; in the browser (only if the
/// page carried no value, which does not happen for pages Latchkey rendered) nobody.
fn status_of_this_request() -> SessionStatus {
    #[cfg(feature = "ssr")]
    {
        // At start-up the route list is made by rendering the app once, outside any request.
        let Some(request) = crate::auth::request::AuthRequest::current_if_serving() else {
            return Err(AppError::Unauthenticated);
        };
        request?.signed_in_status()
    }
    #[cfg(not(feature = "ssr"))]
    {
        Err(AppError::Unauthenticated)
    }
}
