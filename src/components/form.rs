//! The sign-in and registration form.

use std::future::Future;

use leptos::html::Input;
use leptos::prelude::*;

use crate::auth::types::AuthStatus;
use crate::client::account::after_sign_in;
use crate::error::AppError;

/// What the sign-in and registration forms submit.
pub struct Credentials {
    pub email: String,
    pub password: String,
}

/// The email and password inputs of a form, read when it is submitted.
#[derive(Clone, Copy, Default)]
struct CredentialInputs {
    email: NodeRef<Input>,
    password: NodeRef<Input>,
}

impl CredentialInputs {
    /// The values typed in; `None` before the inputs are in the page.
    fn read(&self) -> Option<Credentials> {
        let value = |input: NodeRef<Input>| input.get_untracked().map(|el| el.value());
        Some(Credentials { email: value(self.email)?, password: value(self.password)? })
    }
}

/// A form that sends `email` and `password` to a server function that signs the user in
/// (`call`), shows the server's error if it refuses, and once it agrees, opens `next`.
///
/// Before hydration it is a plain HTML form that posts to `action`. Once hydrated it reads the
/// two inputs itself and calls the function: that keeps Leptos's generic form-data decoder
/// (and its query-string parser) out of the WASM bundle.
#[component]
pub fn CredentialsForm<F, Fut>(
    /// The server function's path.
    action: &'static str,
    /// `data-testid` of the form.
    test_id: &'static str,
    /// `current-password` for sign-in, `new-password` for registration.
    password_autocomplete: &'static str,
    /// Hint shown under the password field.
    #[prop(optional)]
    password_hint: Option<&'static str>,
    /// The submit button's label, and what it says while the server answers.
    submit_label: &'static str,
    pending_label: &'static str,
    /// Calls the server function with what was typed.
    call: F,
    /// Where to go once signed in (a path that passed `redirect::safe_next`).
    next: String,
) -> impl IntoView
where
    F: Fn(&Credentials) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<AuthStatus, AppError>> + Send + 'static,
{
    let submission = Action::new(call);
    Effect::new(move |_| {
        if let Some(Ok(_)) = submission.value().get() {
            after_sign_in(&next);
        }
    });
    let error = Signal::derive(move || submission.value().get().and_then(Result::err).map(|e| e.to_string()));
    let inputs = CredentialInputs::default();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(credentials) = inputs.read() {
            submission.dispatch(credentials);
        }
    };
    view! {
        <form class="form" method="post" action=action data-testid=test_id on:submit=submit>
            <label for="email">"Email"</label>
            <input id="email" name="email" type="email" autocomplete="email" required node_ref=inputs.email/>
            <label for="password">"Password"</label>
            <input
                id="password"
                name="password"
                type="password"
                autocomplete=password_autocomplete
                required
                node_ref=inputs.password
            />
            {password_hint.map(|hint| view! { <p class="hint">{hint}</p> })}
            <FormError message=error/>
            <SubmitButton label=submit_label pending_label pending=submission.pending().into()/>
        </form>
    }
}

/// The server's error message for the last submission, if it failed.
#[component]
fn FormError(message: Signal<Option<String>>) -> impl IntoView {
    view! {
        <Show when=move || message.get().is_some()>
            <p class="error" role="alert" data-testid="form-error">{move || message.get()}</p>
        </Show>
    }
}

/// A submit button that is disabled and says so while the form is being submitted.
#[component]
fn SubmitButton(label: &'static str, pending_label: &'static str, pending: Signal<bool>) -> impl IntoView {
    view! {
        <button type="submit" class="button primary" disabled=move || pending.get()>
            {move || if pending.get() { pending_label } else { label }}
        </button>
    }
}
