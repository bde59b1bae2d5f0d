//! Changing the password with the current one.

use leptos::html::Input;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use super::take_value;
use crate::auth::api::{change_password, ChangePassword};
use crate::client::refresh::protected;
use crate::client::session::Session;
use crate::components::form::{posted_error, FormError, SubmitButton};

#[component]
pub(super) fn ChangePasswordForm() -> impl IntoView {
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
