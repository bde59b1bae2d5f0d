//! `/login`: sign in, then return to the page you came from.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::auth::server_fns::Login;
use crate::client::redirect::safe_next;
use crate::client::session::Session;
use crate::components::form::{Credentials, CredentialsForm, FormError, SubmitButton};

#[component]
pub fn LoginPage() -> impl IntoView {
    let session = Session::get();
    let login = ServerAction::<Login>::new();
    let query = use_query_map();
    let session_ended = move || query.read().get("reason").as_deref() == Some("ended");
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(status)) = login.value().get() {
            session.signed_in(status);
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
            <CredentialsForm
                action={<Login as leptos::server_fn::ServerFn>::PATH}
                test_id="login-form"
                password_autocomplete="current-password"
                on_submit=move |c: Credentials| {
                    login.dispatch(Login { email: c.email, password: c.password });
                }
            >
                <FormError message=error/>
                <SubmitButton label="Sign in" pending_label="Signing in…" pending=login.pending().into()/>
            </CredentialsForm>
            <p class="muted">"No account yet? " <a href="/register">"Create one"</a></p>
        </section>
    }
}
