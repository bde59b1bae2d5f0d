//! The top bar on every page: the brand, and the account menu (who is signed in, and logout),
//! which also keeps the session alive while the page is open.

use leptos::prelude::*;

use crate::client::account::log_out;
use crate::client::keep_alive::keep_session_alive;
use crate::client::session::Session;
use crate::error::AppError;

#[component]
pub fn Nav() -> impl IntoView {
    let status = Session::status();
    let restoring = matches!(status, Err(AppError::AccessExpired));
    let (email, access_expires_at) = match status {
        Ok(status) => (Some(status.user.email), Some(status.access_expires_at)),
        Err(_) => (None, None),
    };
    view! {
        <header class="topbar">
            <a class="brand" href="/">
                <img class="brand-mark" src="/favicon.svg" alt="" width="22" height="22"/>
                "Latchkey"
            </a>
            <AccountMenu email access_expires_at restoring/>
        </header>
    }
}

/// The links for who is signed in (`email`, whose access token expires at `access_expires_at`),
/// or for signing in. While `restoring` (the access token had expired) it shows neither: the
/// session is being refreshed, and the page loads again if that works.
#[island]
fn AccountMenu(email: Option<String>, access_expires_at: Option<i64>, restoring: bool) -> impl IntoView {
    keep_session_alive(access_expires_at, restoring);
    let links = match email {
        Some(email) => view! { <SignedInLinks email/> }.into_any(),
        None if restoring => ().into_any(),
        None => view! {
            <a href="/login">"Sign in"</a>
            <a class="button" href="/register">"Create account"</a>
        }
        .into_any(),
    };
    view! { <nav aria-label="Account">{links}</nav> }
}

#[component]
fn SignedInLinks(email: String) -> impl IntoView {
    let logging_out = RwSignal::new(false);
    view! {
        <a href="/dashboard">"Dashboard"</a>
        <a href="/sessions">"Devices"</a>
        <span class="who" data-testid="nav-user">{email}</span>
        <button
            class="button secondary"
            data-testid="logout"
            disabled=move || logging_out.get()
            on:click=move |_| {
                logging_out.set(true);
                log_out();
            }
        >
            {move || if logging_out.get() { "Logging out…" } else { "Log out" }}
        </button>
    }
}
