//! `<Protected>`: the guard every protected page sits in.
//!
//! Signed in: the page. Access token expired: "restoring" while the tab refreshes it (the page
//! then appears without loading again). Signed out: to the sign-in page, asked to come back
//! here; during the server's render that is a `302`, in the browser a client-side navigation.
//! When the session ends while the page is open, the page and every resource it holds are
//! dropped at once.

use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;

use crate::client::redirect::login_url;
use crate::client::session::{Gate, Session};

#[component]
pub fn Protected(children: ChildrenFn) -> impl IntoView {
    let session = Session::get();
    let location = use_location();
    let here = move || {
        let search = location.search.get_untracked();
        let path = location.pathname.get_untracked();
        if search.is_empty() {
            path
        } else {
            format!("{path}?{search}")
        }
    };
    // A memo: a renewed access token changes the session but not the gate, so the page is not
    // rebuilt (and loses nothing it shows) every few minutes.
    let gate = Memo::new(move |_| session.gate());
    move || match gate.get() {
        Gate::SignedIn { .. } => children().into_any(),
        Gate::Restoring => view! {
            <p class="muted" data-testid="restoring">"Restoring your session…"</p>
        }
        .into_any(),
        Gate::SignedOut => view! { <Redirect path=login_url(&here(), false)/> }.into_any(),
        Gate::Ended => view! { <Redirect path=login_url(&here(), true)/> }.into_any(),
    }
}
