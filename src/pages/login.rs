//! `/login`: sign in, then return to the page you came from.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::auth::server_fns::{login, Login};
use crate::client::redirect::safe_next;
use crate::components::form::CredentialsForm;

#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let session_ended = query.read_untracked().get("reason").as_deref() == Some("ended");
    let next = safe_next(query.read_untracked().get("next").as_deref());
    view! {
        <Title text="Sign in"/>
        <section class="card auth-card">
            <h1>"Sign in"</h1>
            {session_ended.then(|| view! {
                <p class="notice" data-testid="session-ended">"Your session ended. Please sign in again."</p>
            })}
            <SignInForm next/>
            <p class="muted">"No account yet? " <a href="/register">"Create one"</a></p>
        </section>
    }
}

/// The sign-in form; once signed in, opens `next`.
#[island]
fn SignInForm(next: String) -> impl IntoView {
    view! {
        <CredentialsForm
            action={<Login as leptos::server_fn::ServerFn>::PATH}
            test_id="login-form"
            password_autocomplete="current-password"
            submit_label="Sign in"
            pending_label="Signing in…"
            call=|c| login(c.email.clone(), c.password.clone())
            next
        />
    }
}
