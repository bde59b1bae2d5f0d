//! The top bar: who is signed in, and a logout button, on every page.

use leptos::prelude::*;

use crate::auth::server_fns::Logout;
use crate::client::session::Session;
use crate::error::AppError;

#[component]
pub fn Nav() -> impl IntoView {
    let session = Session::get();
    let logging_out = session.logout.pending();
    let signed_in_links = move |email: String| {
        view! {
            <a href="/dashboard">"Dashboard"</a>
            <a href="/sessions">"Devices"</a>
            <span class="who" data-testid="nav-user">{email}</span>
            <button
                class="button secondary"
                data-testid="logout"
                disabled=move || logging_out.get()
                on:click=move |_| {
                    session.logout.dispatch(Logout {});
                }
            >
                {move || if logging_out.get() { "Logging out…" } else { "Log out" }}
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
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        match session.me.await {
                            Ok(status) => signed_in_links(status.user.email).into_any(),
                            // Being restored by a refresh: show neither state yet.
                            Err(AppError::AccessExpired) => ().into_any(),
                            Err(_) => view! {
                                <a href="/login">"Sign in"</a>
                                <a class="button" href="/register">"Create account"</a>
                            }.into_any(),
                        }
                    })}
                </Transition>
            </nav>
        </header>
    }
}
