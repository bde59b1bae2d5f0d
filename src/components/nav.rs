//! The top bar on every page: the brand, and the account menu (who is signed in, and logout).

use leptos::prelude::*;
use leptos_router::components::A;

use crate::client::account::log_out;
use crate::client::session::{Gate, Session};

#[component]
pub fn Nav() -> impl IntoView {
    let session = Session::get();
    // Memos: a renewed access token changes neither, so the menu (and a logout error it may
    // show) is not rebuilt.
    let gate = Memo::new(move |_| session.gate());
    let email = Memo::new(move |_| session.user().map(|status| status.user.email));
    let menu = move || match gate.get() {
        Gate::SignedIn { .. } => {
            view! { <SignedInLinks email=email.get_untracked().unwrap_or_default()/> }.into_any()
        }
        // The session is being restored: neither "sign in" nor a user yet.
        Gate::Restoring => ().into_any(),
        Gate::SignedOut | Gate::Ended => view! {
            <A href="/login">"Sign in"</A>
            <A href="/register" attr:class="button">"Create account"</A>
        }
        .into_any(),
    };
    view! {
        <header class="topbar">
            <A href="/" attr:class="brand">
                <img class="brand-mark" src="/favicon.svg" alt="" width="22" height="22"/>
                "Latchkey"
            </A>
            <nav aria-label="Account">{menu}</nav>
        </header>
    }
}

#[component]
fn SignedInLinks(email: String) -> impl IntoView {
    let session = Session::get();
    let logging_out = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    view! {
        <A href="/dashboard">"Dashboard"</A>
        <A href="/notes">"Notes"</A>
        <A href="/sessions">"Devices"</A>
        <A href="/account">"Account"</A>
        <span class="who" data-testid="nav-user">{email}</span>
        <button
            class="button secondary"
            data-testid="logout"
            disabled=move || logging_out.get()
            on:click=move |_| {
                logging_out.set(true);
                log_out(session, move |message| failure.set(message));
            }
        >
            {move || if logging_out.get() { "Logging out…" } else { "Log out" }}
        </button>
        {move || failure.get().map(|message| view! {
            <span class="error" role="alert" data-testid="logout-error">{message}</span>
        })}
    }
}
