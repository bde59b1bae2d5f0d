//! `<SudoPrompt/>`: asks for the password in place when a sensitive action answered 403
//! `reauthentication_required`. After the password is confirmed the user repeats the action
//! (a destructive action is confirmed again, never replayed on its own).

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::auth::api::{reauthenticate, Reauthenticate};
use crate::client::refresh::protected;

#[component]
pub fn SudoPrompt() -> impl IntoView {
    let password = RwSignal::new(String::new());
    let confirm = Action::new(move |password: &String| {
        let password = password.clone();
        protected(move || reauthenticate(password.clone()))
    });
    Effect::new(move |_| {
        if confirm.value().get().is_some() {
            password.set(String::new());
        }
    });
    let confirmed = move || matches!(confirm.value().get(), Some(Ok(_)));
    let error = move || confirm.value().get().and_then(Result::err).map(|e| e.to_string());
    view! {
        <Show
            when=confirmed
            fallback=move || view! {
                <form class="form sudo" method="post" action={<Reauthenticate as ServerFn>::PATH}
                    data-testid="sudo-prompt"
                    on:submit=move |ev| {
                        ev.prevent_default();
                        confirm.dispatch(password.get_untracked());
                    }>
                    <p>"This needs your password again."</p>
                    <label for="sudo-password">"Password"</label>
                    <input id="sudo-password" name="password" type="password" autocomplete="current-password"
                        required prop:value=move || password.get()
                        on:input=move |ev| password.set(event_target_value(&ev))/>
                    {move || error().map(|m| view! { <p class="error" role="alert" data-testid="sudo-error">{m}</p> })}
                    <button type="submit" class="button primary" disabled=move || confirm.pending().get()>
                        "Confirm"
                    </button>
                </form>
            }
        >
            <p class="muted" data-testid="sudo-confirmed">"Confirmed. Now do it again."</p>
        </Show>
    }
}
