//! Deleting the account: the password, and the email typed out.

use leptos::html::Input;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_navigate;

use super::take_value;
use crate::auth::api::{delete_account, DeleteAccount};
use crate::client::account::after_sign_out;
use crate::client::refresh::protected;
use crate::client::session::Session;
use crate::components::form::posted_error;
use crate::components::form::FormError;

#[component]
pub(super) fn DeleteAccountForm(email: Memo<String>) -> impl IntoView {
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
