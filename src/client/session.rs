//! `Session`: who is signed in, as the server saw it when it rendered this page.
//!
//! Pages are rendered on the server (islands architecture): the server knows the user from the
//! request's access cookie, so every page is rendered for that user (or for nobody) with no
//! request from the browser and no loading state. The interactive parts (the account menu, the
//! forms, the revoke buttons) are islands that get what they need as props.
//!
//! When the state changes in the browser (sign-in, logout, a refresh that restored an expired
//! session, another tab), the page is left or loaded again, so what it shows always comes from
//! the server and nothing of a signed-out user stays in memory.

use leptos::prelude::*;

use crate::auth::types::AuthStatus;
use crate::error::AppError;

/// Who is signed in: the user and token expiry, or why nobody is (`AccessExpired` while a
/// refresh may still restore the session).
pub type SessionStatus = Result<AuthStatus, AppError>;

/// The signed-in state of the request being rendered, provided once by `<App/>`.
#[derive(Clone)]
pub struct Session(SessionStatus);

impl Session {
    /// Reads the state from the request and provides it to the page; call once, in `<App/>`.
    pub fn provide() {
        provide_context(Self(status_of_this_request()));
    }

    /// Who is signed in on the page being rendered.
    pub fn status() -> SessionStatus {
        use_context::<Self>().map_or(Err(AppError::Unauthenticated), |session| session.0)
    }
}

/// On the server, the request's own access token; elsewhere (and outside a request: at
/// start-up the route list is made by rendering the app once) nobody.
fn status_of_this_request() -> SessionStatus {
    #[cfg(feature = "ssr")]
    {
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
