//! `Session`: the signed-in state as the pages see it, and the actions that change it.
//!
//! `me` is a resource: loaded during server rendering (so protected pages arrive complete),
//! sent along with the page, and reloaded after sign-in, registration or logout. Signing in or
//! out here is announced to the other tabs.

use leptos::prelude::*;

use super::keep_alive::keep_session_alive;
use super::tabs::{announce_sign_in, announce_sign_out};
use crate::auth::server_fns::{me, Login, Logout, Register};
use crate::auth::types::AuthStatus;
use crate::error::AppError;

/// Signed-in state and auth actions, provided once by `<App/>`.
#[derive(Clone, Copy)]
pub struct Session {
    pub me: Resource<Result<AuthStatus, AppError>>,
    pub login: ServerAction<Login>,
    pub register: ServerAction<Register>,
    pub logout: ServerAction<Logout>,
}

impl Session {
    /// Creates the context and starts keeping the session alive; call once, in `<App/>`.
    pub fn provide() -> Self {
        let login = ServerAction::<Login>::new();
        let register = ServerAction::<Register>::new();
        let logout = ServerAction::<Logout>::new();
        let me = Resource::new(
            move || (login.version().get(), register.version().get(), logout.version().get()),
            |_| me(),
        );
        let session = Self { me, login, register, logout };
        provide_context(session);
        Effect::new(move |_| {
            let signed_in = |v: Option<Result<AuthStatus, AppError>>| v.is_some_and(|r| r.is_ok());
            if signed_in(login.value().get()) || signed_in(register.value().get()) {
                announce_sign_in();
            }
        });
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
}
