//! Pieces of the sign-in and registration forms.

use leptos::html::Input;
use leptos::prelude::*;

/// What the sign-in and registration forms submit.
pub struct Credentials {
    pub email: String,
    pub password: String,
}

/// The email and password inputs of a form, read when it is submitted.
#[derive(Clone, Copy, Default)]
pub struct CredentialInputs {
    email: NodeRef<Input>,
    password: NodeRef<Input>,
}

impl CredentialInputs {
    /// The values typed in; `None` before the inputs are in the page.
    pub fn read(&self) -> Option<Credentials> {
        let value = |input: NodeRef<Input>| input.get_untracked().map(|el| el.value());
        Some(Credentials { email: value(self.email)?, password: value(self.password)? })
    }
}

/// A form that posts `email` and `password` to a server function.
///
/// Before hydration it is a plain HTML form that posts to `action`. Once hydrated, `on_submit`
/// gets the values instead: the caller dispatches its action with them. Reading two inputs here
/// keeps Leptos's generic form-data decoder (and its query-string parser) out of the WASM bundle.
#[component]
pub fn CredentialsForm(
    /// The server function's path.
    action: &'static str,
    /// `data-testid` of the form.
    test_id: &'static str,
    /// `current-password` for sign-in, `new-password` for registration.
    password_autocomplete: &'static str,
    /// Hint shown under the password field.
    #[prop(optional)]
    password_hint: Option<&'static str>,
    /// Called with what was typed, on submit.
    on_submit: impl Fn(Credentials) + 'static,
    children: Children,
) -> impl IntoView {
    let inputs = CredentialInputs::default();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(credentials) = inputs.read() {
            on_submit(credentials);
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
            {children()}
        </form>
    }
}

/// The server's error message for the last submission, if it failed.
#[component]
pub fn FormError(message: Signal<Option<String>>) -> impl IntoView {
    view! {
        <Show when=move || message.get().is_some()>
            <p class="error" role="alert" data-testid="form-error">{move || message.get()}</p>
        </Show>
    }
}

/// A submit button that is disabled and says so while the form is being submitted.
#[component]
pub fn SubmitButton(
    label: &'static str,
    pending_label: &'static str,
    pending: Signal<bool>,
) -> impl IntoView {
    view! {
        <button type="submit" class="button primary" disabled=move || pending.get()>
            {move || if pending.get() { pending_label } else { label }}
        </button>
    }
}
