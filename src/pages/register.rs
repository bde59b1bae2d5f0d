//! `/register`: create an account (and be signed in).

use leptos::prelude::*;
use leptos_meta::Title;

use crate::auth::server_fns::{register, Register};
use crate::client::redirect::DEFAULT_AFTER_LOGIN;
use crate::components::form::CredentialsForm;

#[component]
pub fn RegisterPage() -> impl IntoView {
    view! {
        <Title text="Create account"/>
        <section class="card auth-card">
            <h1>"Create your account"</h1>
            <RegisterForm/>
            <p class="muted">"Already have an account? " <a href="/login">"Sign in"</a></p>
        </section>
    }
}

/// The registration form; the new user is signed in, and sees the dashboard.
#[island]
fn RegisterForm() -> impl IntoView {
    view! {
        <CredentialsForm
            action={<Register as leptos::server_fn::ServerFn>::PATH}
            test_id="register-form"
            password_autocomplete="new-password"
            password_hint="At least 8 characters. A few unrelated words make a strong password."
            submit_label="Create account"
            pending_label="Creating account…"
            call=|c| register(c.email.clone(), c.password.clone())
            next=DEFAULT_AFTER_LOGIN.to_owned()
        />
    }
}
