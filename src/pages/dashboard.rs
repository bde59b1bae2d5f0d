//! `/dashboard`: the protected home of a signed-in user.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::auth::types::AuthStatus;
use crate::components::signed_in::SignedIn;

#[component]
pub fn DashboardPage() -> impl IntoView {
    view! {
        <Title text="Dashboard"/>
        <SignedIn next="/dashboard" render=|status: AuthStatus| view! {
                <section class="card">
                    <h1>"Dashboard"</h1>
                    <p>"Signed in as " <strong data-testid="user-email">{status.user.email}</strong></p>
                    <p class="muted">
                        "Your session stays alive while you use it; manage your devices on the "
                        <a href="/sessions">"devices page"</a> "."
                    </p>
                </section>
            }/>
    }
}
