//! `/dashboard`: the protected home of a signed-in user.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::auth::api::me;
use crate::client::refresh::protected;
use crate::client::session::Session;
use crate::components::protected::Protected;

#[component]
pub fn DashboardPage() -> impl IntoView {
    view! {
        <Title text="Dashboard"/>
        <Protected>
            <Dashboard/>
        </Protected>
    }
}

#[component]
fn Dashboard() -> impl IntoView {
    let session = Session::get();
    let email = move || session.user().map(|status| status.user.email);
    view! {
        <section class="card">
            <h1>"Dashboard"</h1>
            <p>"Signed in as " <strong data-testid="user-email">{email}</strong></p>
            <p class="muted">
                "Your session stays alive while you use it; manage your devices on the "
                <A href="/sessions">"devices page"</A> "."
            </p>
            <SessionCheck/>
        </section>
    }
}

/// Asks the server who we are (a protected call, through the silent refresh).
#[component]
fn SessionCheck() -> impl IntoView {
    let check = Action::new(|_: &()| protected(me));
    let answer = move || {
        check.value().get().map(|result| match result {
            Ok(status) => {
                format!("Session active: access token valid until {}.", clock_time(status.access_expires_at))
            }
            Err(err) => err.to_string(),
        })
    };
    view! {
        <div class="session-check">
            <button class="button secondary" data-testid="check-session" disabled=move || check.pending().get()
                on:click=move |_| { check.dispatch(()); }>
                "Check my session"
            </button>
            <span class="muted" data-testid="session-check" aria-live="polite">{answer}</span>
        </div>
    }
}

/// `HH:MM:SS` (UTC) of a Unix time.
fn clock_time(unix: i64) -> String {
    let secs = unix.rem_euclid(86_400);
    format!("{:02}:{:02}:{:02} UTC", secs / 3600, secs % 3600 / 60, secs % 60)
}

#[cfg(test)]
mod tests {
    #[test]
    fn clock_time_is_utc_wall_clock() {
        assert_eq!(super::clock_time(1_800_000_000), "08:00:00 UTC");
    }
}
