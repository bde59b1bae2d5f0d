//! Sensitive actions (sudo): `<SudoPrompt/>` asks for the password in place when an action
//! answered 403 `reauthentication_required`, then retries the action once (a destructive action
//! gives no `retry`: it is confirmed again, never replayed on its own). `<ActionError/>` shows
//! why an action failed, or that prompt.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::auth::api::{passkey_reauth_start, reauthenticate, Reauthenticate};
use crate::auth::wire::ReauthStatus;
use crate::client::refresh::protected;
use crate::client::session::Session;
use crate::client::webauthn::use_passkey;
use crate::error::AppError;

#[component]
pub fn SudoPrompt(
    /// Runs the action again once the password is confirmed.
    #[prop(default = None)]
    retry: Option<Callback<()>>,
) -> impl IntoView {
    let password = RwSignal::new(String::new());
    // An account with a second factor confirms with its code: the strongest factor it has.
    let with_code =
        Session::get().user().is_some_and(|status| status.user.second_factors.iter().any(|f| f == "totp"));
    // So does one with a passkey: it is a multi-factor proof on its own.
    let with_passkey =
        Session::get().user().is_some_and(|status| status.user.second_factors.iter().any(|f| f == "passkey"));
    let confirm = Action::new(move |typed: &String| {
        let (password, code) =
            if with_code { (None, Some(typed.clone())) } else { (Some(typed.clone()), None) };
        protected(move || reauthenticate(password.clone(), code.clone(), None))
    });
    let by_passkey = Action::new_local(|_: &()| confirm_with_passkey());
    Effect::new(move |_| {
        if let Some(done) = by_passkey.value().get() {
            confirm.value().set(Some(done));
        }
    });
    Effect::new(move |_| match confirm.value().get() {
        Some(Ok(_)) => {
            password.set(String::new());
            if let Some(retry) = retry {
                retry.run(());
            }
        }
        Some(Err(_)) => password.set(String::new()),
        None => {}
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
                    {if with_code {
                        view! {
                            <p>"This needs a code from your authenticator app (or a recovery code)."</p>
                            <label for="sudo-code">"Code"</label>
                            <input id="sudo-code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code"
                                required prop:value=move || password.get()
                                on:input=move |ev| password.set(event_target_value(&ev))/>
                        }.into_any()
                    } else {
                        view! {
                            <p>"This needs your password again."</p>
                            <label for="sudo-password">"Password"</label>
                            <input id="sudo-password" name="password" type="password" autocomplete="current-password"
                                required prop:value=move || password.get()
                                on:input=move |ev| password.set(event_target_value(&ev))/>
                        }.into_any()
                    }}
                    {move || error().map(|m| view! { <p class="error" role="alert" data-testid="sudo-error">{m}</p> })}
                    <button type="submit" class="button primary" disabled=move || confirm.pending().get()>
                        "Confirm"
                    </button>
                    {with_passkey.then(|| view! {
                        <button type="button" class="button secondary" data-testid="sudo-passkey"
                            disabled=move || by_passkey.pending().get()
                            on:click=move |_| { by_passkey.dispatch_local(()); }>
                            "Confirm with a passkey"
                        </button>
                    })}
                </form>
            }
        >
            <p class="muted" data-testid="sudo-confirmed">
                {if retry.is_some() { "Confirmed." } else { "Confirmed. Now do it again." }}
            </p>
        </Show>
    }
}

/// Re-authenticates with one of the account's passkeys (the browser's dialog).
async fn confirm_with_passkey() -> Result<ReauthStatus, AppError> {
    let options = protected(passkey_reauth_start).await?;
    let credential = use_passkey(options).await?;
    protected(move || reauthenticate(None, None, Some(credential.clone()))).await
}

/// Why an action failed, unless the session is ending anyway (the page is about to leave) or
/// the thing was gone already (the page refetches its lists); the password prompt when the
/// action needs a recent one (sudo), retrying the action through `retry` once confirmed.
#[component]
pub fn ActionError<T: Clone + Send + Sync + 'static>(
    #[prop(into)] result: Signal<Option<Result<T, AppError>>>,
    #[prop(default = None)] retry: Option<Callback<()>>,
) -> impl IntoView {
    move || match result.get() {
        Some(Err(AppError::ReauthenticationRequired)) => view! { <SudoPrompt retry=retry/> }.into_any(),
        Some(Err(e)) if !e.is_auth_failure() && !matches!(e, AppError::NotFound(_)) => {
            view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any()
        }
        _ => ().into_any(),
    }
}
