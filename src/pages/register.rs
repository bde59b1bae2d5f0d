//! `/register`: create an account (and be signed in), then see the dashboard.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::components::{Redirect, A};

use crate::auth::api::{register, Register};
use crate::client::account::after_sign_in;
use crate::client::redirect::DEFAULT_AFTER_LOGIN;
use crate::client::session::Session;
use crate::components::form::{posted_error, CredentialFields, CredentialInputs, FormError, SubmitButton};

#[component]
pub fn RegisterPage() -> impl IntoView {
    let session = Session::get();
    let register = Action::new(|(email, password): &(String, String)| {
        register(email.clone(), password.clone(), None, None)
    });
    let inputs = CredentialInputs::default();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(credentials) = inputs.read() {
            register.dispatch(credentials);
        }
    };
    let posted = posted_error(<Register as ServerFn>::PATH);
    Effect::new(move |_| {
        if let Some(Ok(status)) = register.value().get() {
            after_sign_in(session, status);
        }
    });
    view! {
        <Title text="Create account"/>
        {move || session.user().map(|_| view! { <Redirect path=DEFAULT_AFTER_LOGIN/> })}
        <section class="card auth-card">
            <h1>"Create your account"</h1>
            <form class="form" method="post" action={<Register as ServerFn>::PATH} data-testid="register-form" on:submit=submit>
                <CredentialFields
                    inputs
                    password_autocomplete="new-password"
                    password_hint="At least 8 characters. A few unrelated words make a strong password."
                />
                <FormError result=register.value() posted/>
                <SubmitButton label="Create account" pending_label="Creating account…" pending=register.pending()/>
            </form>
            <p class="muted">"Already have an account? " <A href="/login">"Sign in"</A></p>
        </section>
    }
}
