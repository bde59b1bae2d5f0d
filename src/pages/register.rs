//! `/register`: create an account (and be signed in).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

use crate::auth::server_fns::Register;
use crate::client::redirect::DEFAULT_AFTER_LOGIN;
use crate::client::session::Session;
use crate::components::form::{Credentials, CredentialsForm, FormError, SubmitButton};

#[component]
pub fn RegisterPage() -> impl IntoView {
    let session = Session::get();
    let register = ServerAction::<Register>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(status)) = register.value().get() {
            session.signed_in(status);
            navigate(DEFAULT_AFTER_LOGIN, Default::default());
        }
    });
    let error = Signal::derive(move || register.value().get().and_then(Result::err).map(|e| e.to_string()));
    view! {
        <Title text="Create account"/>
        <section class="card auth-card">
            <h1>"Create your account"</h1>
            <CredentialsForm
                action={<Register as leptos::server_fn::ServerFn>::PATH}
                test_id="register-form"
                password_autocomplete="new-password"
                password_hint="At least 8 characters. A few unrelated words make a strong password."
                on_submit=move |c: Credentials| {
                    register.dispatch(Register { email: c.email, password: c.password });
                }
            >
                <FormError message=error/>
                <SubmitButton label="Create account" pending_label="Creating account…" pending=register.pending().into()/>
            </CredentialsForm>
            <p class="muted">"Already have an account? " <a href="/login">"Sign in"</a></p>
        </section>
    }
}
