//! The top bar: who is signed in, and a logout button, on every page.

use leptos::prelude::*;

use crate::client::session::Session;
use crate::error::AppError;

#[component]
pub fn Nav() -> impl IntoView {
    let session = Session::get();
    let signed_in_links = move |email: String| {
        view! {
            <a href="/dashboard">"Dashboard"</a>
            <a href="/sessions">"Devices"</a>
            <span class="who" data-testid="nav-user">{email}</span>
            <button
                class="button secondary"
                data-testid="logout"
                disabled=move || session.logging_out()
                on:click=move |_| session.log_out()
            >
                {move || if session.logging_out() { "Logging out…" } else { "Log out" }}
            </button>
        }
    };
    view! {
        <header class="topbar">
            <a class="brand" href="/">
                <img class="brand-mark" src="/favicon.svg" alt="" width="22" height="22"/>
                "Latchkey"
            </a>
            <nav aria-label="Account">
                {move || match session.status() {
                    Ok(status) => signed_in_links(status.user.email).into_any(),
                    // Being restored by a refresh: show neither state yet.
                    Err(AppError::AccessExpired) => ().into_any(),
                    Err(_) => view! {
                        <a href="/login">"Sign in"</a>
                        <a class="button" href="/register">"Create account"</a>
                    }.into_any(),
                }}
            </nav>
        </header>
    }
}
