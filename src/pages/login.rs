//! `/login`: sign in, then return to the page you came from.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::client::redirect::safe_next;
use crate::client::session::Session;
use crate::components::form::{CredentialFields, FormError, SubmitButton};

#[component]
pub fn LoginPage() -> impl IntoView {
    let login = Session::get().login;
    let query = use_query_map();
    let session_ended = move || query.read().get("reason").as_deref() == Some("ended");
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(_)) = login.value().get() {
            let next = safe_next(query.read_untracked().get("next").as_deref());
            navigate(&next, Default::default());
        }
    });
    let error = Signal::derive(move || login.value().get().and_then(Result::err).map(|e| e.to_string()));
    view! {
        <Title text="Sign in"/>
        <section class="card auth-card">
            <h1>"Sign in"</h1>
            <Show when=session_ended>
                <p class="notice" data-testid="session-ended">"Your session ended. Please sign in again."</p>
            </Show>
            <ActionForm action=login attr:class="form" attr:data-testid="login-form">
                <CredentialFields password_autocomplete="current-password"/>
                <FormError message=error/>
                <SubmitButton label="Sign in" pending_label="Signing in…" pending=login.pending().into()/>
            </ActionForm>
            <p class="muted">"No account yet? " <a href="/register">"Create one"</a></p>
        </section>
    }
}
