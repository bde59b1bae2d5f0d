//! `/reset-password#<token>`: choose a new password with the link from the mail.
//!
//! The token is in the URL's fragment (`client::fragment_token`): the page posts it with the new
//! password. Opening the link (as a mail scanner does) uses nothing up.

use leptos::html::Input;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Redirect, A};

use crate::auth::api::reset_password;
use crate::client::account::after_sign_in;
use crate::client::fragment_token::take_fragment_token;
use crate::client::redirect::DEFAULT_AFTER_LOGIN;
use crate::client::session::Session;
use crate::components::form::{FormError, SubmitButton};
use crate::error::AppError;

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let session = Session::get();
    let token = RwSignal::new(String::new());
    take_fragment_token("/reset-password", move |found| token.set(found));
    let new_password = NodeRef::<Input>::new();
    let code = RwSignal::new(String::new());
    let reset = Action::new(|(token, password, code): &(String, String, Option<String>)| {
        reset_password(token.clone(), password.clone(), code.clone())
    });
    // An account with a second factor needs its code too: the field appears when asked for.
    let needs_code = move || {
        matches!(reset.value().get(), Some(Err(AppError::SecondFactorRequired | AppError::InvalidCode)))
    };
    let done = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(Ok(status)) = reset.value().get() {
            done.set(true);
            after_sign_in(session, status);
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(input) = new_password.get_untracked() {
            let typed = code.get_untracked().trim().to_owned();
            code.set(String::new());
            reset.dispatch((token.get_untracked(), input.value(), (!typed.is_empty()).then_some(typed)));
        }
    };
    let missing = move || token.with(String::is_empty) && reset.value().with(Option::is_none);
    let result = Signal::derive(move || reset.value().get().map(|r| r.map(|_| ())));
    view! {
        <Title text="Choose a new password"/>
        {move || done.get().then(|| view! { <Redirect path=DEFAULT_AFTER_LOGIN/> })}
        <section class="card auth-card">
            <h1>"Choose a new password"</h1>
            <noscript><p class="error">"This page needs JavaScript to read the link from your mail."</p></noscript>
            <form class="form" data-testid="reset-form" on:submit=submit>
                <label for="new-password">"New password"</label>
                <input id="new-password" name="new_password" type="password" autocomplete="new-password" required
                    minlength="8" node_ref=new_password/>
                <p class="hint">"At least 8 characters. Resetting signs you out on every device."</p>
                {move || needs_code().then(|| view! {
                    <label for="reset-code">"Code from your authenticator app (or a recovery code)"</label>
                    <input id="reset-code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code"
                        required maxlength="32" prop:value=move || code.get()
                        on:input=move |ev| code.set(event_target_value(&ev))/>
                })}
                {move || missing().then(|| view! {
                    <p class="muted" data-testid="reset-no-token">"Open this page with the link from the mail."</p>
                })}
                <FormError result posted=None/>
                <SubmitButton label="Set password and sign in" pending_label="Saving…" pending=reset.pending()/>
            </form>
            <p class="muted"><A href="/forgot-password">"Ask for a new link"</A></p>
        </section>
    }
}
