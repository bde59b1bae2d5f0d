//! `Session`: the signed-in state as the pages see it, and the actions that change it.
//!
//! `me` is a resource: loaded during server rendering (so protected pages arrive complete),
//! sent along with the page, and reloaded after sign-in, registration or logout. Signing in or
//! out here is announced to the other tabs.

use leptos::prelude::*;

use super::keep_alive::keep_session_alive;
use super::tabs::{announce_sign_in, announce_sign_out};
use crate::auth::server_fns::{me, Logout};
use crate::auth::types::AuthStatus;
use crate::error::AppError;

/// Signed-in state and the logout action, provided once by `<App/>`.
///
/// Sign-in and registration live on their own pages (and in their own WASM chunks); they call
/// [`Session::signed_in`] when they succeed.
#[derive(Clone, Copy)]
pub struct Session {
    pub me: Resource<Result<AuthStatus, AppError>>,
    pub logout: ServerAction<Logout>,
    sign_ins: RwSignal<u32>,
}

impl Session {
    /// Creates the context and starts keeping the session alive; call once, in `<App/>`.
    pub fn provide() -> Self {
        let logout = ServerAction::<Logout>::new();
        let sign_ins = RwSignal::new(0);
        let me = Resource::new(move || (sign_ins.get(), logout.version().get()), |_| me());
        let session = Self { me, logout, sign_ins };
        provide_context(session);
        Effect::new(move |_| {
            if logout.value().get().is_some() {
                announce_sign_out();
                super::browser::leave_to_login();
            }
        });
        keep_session_alive(session);
        session
    }

    /// The context provided by `<App/>`.
    pub fn get() -> Self {
        expect_context::<Self>()
    }

    /// This tab just signed in: reload who is signed in, and tell the other tabs.
    pub fn signed_in(&self) {
        self.sign_ins.update(|n| *n = n.wrapping_add(1));
        announce_sign_in();
    }
}
