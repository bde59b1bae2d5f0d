//! `/account`: change the password, log out other devices, delete the account.
//!
//! Each form is a plain HTML form posting to its server function before the WASM loads, and an
//! `Action` through the silent refresh once it has (see `pages::sessions`). Deleting the account
//! asks for the password and for the email typed out: it cannot be undone, so it is never
//! retried on its own.

use leptos::html::Input;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

use crate::auth::api::{change_password, delete_account, ChangePassword, DeleteAccount};
use crate::client::account::after_sign_out;
use crate::client::refresh::protected;
use crate::client::session::Session;
use crate::components::form::{posted_error, FormError, SubmitButton};
use crate::components::log_out_others::LogOutOthers;
use crate::components::protected::Protected;

#[component]
pub fn AccountPage() -> impl IntoView {
    view! {
        <Title text="Account"/>
        <Protected>
            <Account/>
        </Protected>
    }
}

#[component]
fn Account() -> impl IntoView {
    let session = Session::get();
    let email = Memo::new(move |_| session.user().map(|status| status.user.email).unwrap_or_default());
    view! {
        <section class="card account-section">
            <h1>"Your account"</h1>
            <p class="muted">"Signed in as " <strong data-testid="account-email">{move || email.get()}</strong></p>
        </section>
        <ChangePasswordForm/>
        <section class="card account-section">
            <h2>"Other devices"</h2>
            <p class="muted">"Signs out every other browser and app where you are signed in. This one stays signed in."</p>
            <LogOutOthers/>
        </section>
        <DeleteAccountForm email/>
    }
}

/// Reads a password input and empties it.
fn take_value(input: NodeRef<Input>) -> Option<String> {
    input.get_untracked().map(|el| {
        let value = el.value();
        el.set_value("");
        value
    })
}

#[component]
fn ChangePasswordForm() -> impl IntoView {
    let session = Session::get();
    let current = NodeRef::<Input>::new();
    let new = NodeRef::<Input>::new();
    let change = Action::new(|(current, new): &(String, String)| {
        let (current, new) = (current.clone(), new.clone());
        protected(move || change_password(current.clone(), new.clone()))
    });
    Effect::new(move |_| {
        if let Some(Ok(status)) = change.value().get() {
            // The same user in a new session: the tab keeps going with its new access token.
            session.signed_in(status);
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let (Some(current), Some(new)) = (take_value(current), take_value(new)) {
            change.dispatch((current, new));
        }
    };
    let posted = posted_error(<ChangePassword as ServerFn>::PATH);
    view! {
        <section class="card account-section">
            <h2>"Change password"</h2>
            <form class="form" method="post" action={<ChangePassword as ServerFn>::PATH}
                data-testid="change-password-form" on:submit=submit>
                <label for="current-password">"Current password"</label>
                <input id="current-password" name="current_password" type="password" autocomplete="current-password"
                    required node_ref=current/>
                <label for="new-password">"New password"</label>
                <input id="new-password" name="new_password" type="password" autocomplete="new-password"
                    required minlength="8" node_ref=new/>
                <p class="hint">"At least 8 characters. Every other device will be signed out."</p>
                <FormError result=change.value() posted/>
                {move || matches!(change.value().get(), Some(Ok(_))).then(|| view! {
                    <p class="success" role="status" data-testid="password-changed">
                        "Password changed. Every other device was signed out."
                    </p>
                })}
                <SubmitButton label="Change password" pending_label="Changing password…" pending=change.pending()/>
            </form>
        </section>
    }
}

#[component]
fn DeleteAccountForm(email: Memo<String>) -> impl IntoView {
    let session = Session::get();
    let navigate = use_navigate();
    let password = NodeRef::<Input>::new();
    let typed = RwSignal::new(String::new());
    let delete = Action::new(|password: &String| {
        let password = password.clone();
        protected(move || delete_account(password.clone()))
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = delete.value().get() {
            // Away from the protected page first, so it does not send the tab to sign in.
            navigate("/", Default::default());
            after_sign_out(session);
        }
    });
    let confirmed = move || {
        let expected = email.get();
        !expected.is_empty() && typed.with(|t| t.trim().eq_ignore_ascii_case(&expected))
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if confirmed() {
            if let Some(password) = take_value(password) {
                delete.dispatch(password);
            }
        }
    };
    let posted = posted_error(<DeleteAccount as ServerFn>::PATH);
    view! {
        <section class="card account-section danger-zone">
            <h2>"Delete account"</h2>
            <p class="muted">
                "Deletes your account and everything in it, and signs you out everywhere. This cannot be undone."
            </p>
            <form class="form" method="post" action={<DeleteAccount as ServerFn>::PATH}
                data-testid="delete-account-form" on:submit=submit>
                <label for="delete-confirm">"Type your email to confirm"</label>
                // `pattern` holds the form to the email before the WASM loads too.
                <input id="delete-confirm" type="text" autocomplete="off" required data-testid="delete-confirm"
                    pattern=move || exact_pattern(&email.get()) title="Your email, as shown above"
                    prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev))/>
                <label for="delete-password">"Password"</label>
                <input id="delete-password" name="password" type="password" autocomplete="current-password"
                    required node_ref=password/>
                <FormError result=delete.value() posted/>
                <button type="submit" class="button danger" data-testid="delete-account"
                    disabled=move || delete.pending().get()>
                    {move || if delete.pending().get() { "Deleting…" } else { "Delete my account" }}
                </button>
            </form>
        </section>
    }
}

/// An HTML `pattern` that matches exactly `text` (its regular-expression syntax characters
/// escaped; browsers compile patterns in the `v` mode, where escaping anything else is an error).
pub fn exact_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() * 2);
    for c in text.chars() {
        if "^$\\.*+?()[]{}|/".contains(c) {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern
}

#[cfg(test)]
mod tests {
    use super::exact_pattern;

    #[test]
    fn a_pattern_matches_the_email_literally() {
        assert_eq!(exact_pattern("ada.l+x@example.com"), r"ada\.l\+x@example\.com");
        assert_eq!(exact_pattern("a-b_c@d.io"), r"a-b_c@d\.io");
    }
}
