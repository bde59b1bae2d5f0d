//! Pieces of the sign-in and registration forms.

use leptos::prelude::*;

/// Labelled email and password inputs, named as the server functions expect.
#[component]
pub fn CredentialFields(
    /// `current-password` for sign-in, `new-password` for registration.
    password_autocomplete: &'static str,
    /// Hint shown under the password field.
    #[prop(optional)]
    password_hint: Option<&'static str>,
) -> impl IntoView {
    view! {
        <label for="email">"Email"</label>
        <input id="email" name="email" type="email" autocomplete="email" required/>
        <label for="password">"Password"</label>
        <input id="password" name="password" type="password" autocomplete=password_autocomplete required/>
        {password_hint.map(|hint| view! { <p class="hint">{hint}</p> })}
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
