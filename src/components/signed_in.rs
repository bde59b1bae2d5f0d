//! Protected content: rendered with the signed-in user, or a sign-in prompt instead.

use leptos::prelude::*;

use crate::auth::types::AuthStatus;
use crate::client::session::Session;
use crate::error::AppError;

/// Renders `render(user)` for the signed-in user; otherwise asks the visitor to sign in.
#[component]
pub fn SignedIn<F, V>(render: F, next: &'static str) -> impl IntoView
where
    F: FnOnce(AuthStatus) -> V + 'static,
    V: IntoView + 'static,
{
    match Session::status() {
        Ok(status) => render(status).into_any(),
        // The access token expired but the session may live: the account menu is refreshing it
        // (client::keep_alive) and loads the page again if that works, so do not ask for a
        // password.
        Err(AppError::AccessExpired) => view! {
            <p class="muted" data-testid="restoring">"Restoring your session…"</p>
        }
        .into_any(),
        Err(_) => view! { <SignInPrompt next/> }.into_any(),
    }
}

#[component]
fn SignInPrompt(next: &'static str) -> impl IntoView {
    view! {
        <section class="card" data-testid="signin-prompt">
            <h1>"Please sign in"</h1>
            <p>"You need to be signed in to see this page."</p>
            <a class="button primary" href=format!("/login?next={next}")>"Sign in"</a>
        </section>
    }
}
