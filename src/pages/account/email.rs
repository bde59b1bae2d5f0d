//! Moving the account to another address (sudo: after the password prompt the request runs
//! again once). The address changes only when the link mailed to the new one is opened.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::auth::api::{change_email, ChangeEmail};
use crate::client::refresh::protected;
use crate::components::form::SubmitButton;
use crate::components::sudo::ActionError;

#[component]
pub(super) fn ChangeEmailForm() -> impl IntoView {
    let new_email = RwSignal::new(String::new());
    let change = Action::new(|new_email: &String| {
        let new_email = new_email.clone();
        protected(move || change_email(new_email.clone()))
    });
    let asked = RwSignal::new(String::new());
    let send = move || {
        let email = new_email.get_untracked().trim().to_owned();
        asked.set(email.clone());
        change.dispatch(email);
    };
    let retry = Callback::new(move |()| {
        change.dispatch(asked.get_untracked());
    });
    view! {
        <section class="card account-section">
            <h2>"Change email"</h2>
            <form class="form" method="post" action={<ChangeEmail as ServerFn>::PATH}
                data-testid="change-email-form" on:submit=move |ev| {
                    ev.prevent_default();
                    send();
                }>
                <label for="new-email">"New email"</label>
                <input id="new-email" name="new_email" type="email" autocomplete="email" required
                    prop:value=move || new_email.get() on:input=move |ev| new_email.set(event_target_value(&ev))/>
                <p class="hint">"We mail a link to the new address; your account moves there when you open it."</p>
                {move || matches!(change.value().get(), Some(Ok(()))).then(|| view! {
                    <p class="success" role="status" data-testid="email-change-sent">
                        "Check " <strong>{asked.get()}</strong> " for the link. Until you open it, nothing changes."
                    </p>
                })}
                <ActionError result=change.value() retry=Some(retry)/>
                <SubmitButton label="Send confirmation link" pending_label="Sending…" pending=change.pending()/>
            </form>
        </section>
    }
}
