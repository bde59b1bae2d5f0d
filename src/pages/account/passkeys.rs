//! Passkeys on the account page: the list (name, added, last used), adding one under a name
//! (sudo; the browser's own dialog creates it) and removing one (sudo).

use leptos::prelude::*;

use crate::auth::api::{list_passkeys, passkey_register_finish, passkey_register_start, remove_passkey};
use crate::auth::wire::PasskeyView;
use crate::client::account::reload_user;
use crate::client::refresh::protected;
use crate::client::session::Session;
use crate::client::webauthn::create_passkey;
use crate::components::sudo::ActionError;
use crate::error::AppError;

#[component]
pub(super) fn PasskeysSection() -> impl IntoView {
    let passkeys = Resource::new(|| (), |_| protected(list_passkeys));
    let changed = Callback::new(move |()| {
        passkeys.refetch();
        reload_user(Session::get());
    });
    view! {
        <section class="card account-section" data-testid="passkeys">
            <h2>"Passkeys"</h2>
            <p class="muted">"Sign in with your fingerprint, face or device PIN instead of a password."</p>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match passkeys.await {
                        Ok(list) if list.is_empty() => view! { <p class="muted">"No passkeys yet."</p> }.into_any(),
                        Ok(list) => view! { <ul class="passkeys">
                            {list.into_iter().map(|passkey| view! { <PasskeyRow passkey changed/> }).collect_view()}
                        </ul> }.into_any(),
                        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Transition>
            <AddPasskey changed/>
        </section>
    }
}

/// Starts a registration, lets the browser create the passkey, and keeps it under `name`.
async fn add_passkey(name: String) -> Result<PasskeyView, AppError> {
    let options = protected(passkey_register_start).await?;
    let credential = create_passkey(options).await?;
    protected(move || passkey_register_finish(credential.clone(), Some(name.clone()))).await
}

#[component]
fn AddPasskey(changed: Callback<()>) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let add = Action::new_local(|name: &String| add_passkey(name.clone()));
    Effect::new(move |_| {
        if let Some(Ok(_)) = add.value().get() {
            // Untracked: what `changed` reads must not run this effect again.
            untrack(|| {
                name.set(String::new());
                changed.run(());
            });
        }
    });
    view! {
        <form class="form inline" data-testid="add-passkey-form" on:submit=move |ev| {
            ev.prevent_default();
            add.dispatch_local(name.get_untracked());
        }>
            <label for="passkey-name">"Name (optional)"</label>
            <input id="passkey-name" name="name" type="text" maxlength="64" placeholder="This laptop"
                prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
            <button type="submit" class="button secondary" data-testid="add-passkey" disabled=move || add.pending().get()>
                {move || if add.pending().get() { "Waiting for your device…" } else { "Add a passkey" }}
            </button>
        </form>
        // No automatic retry after the sudo prompt: creating a passkey needs a click of the
        // user's own (some browsers refuse it otherwise), so the prompt asks for it again.
        <ActionError result=add.value()/>
    }
}

#[component]
fn PasskeyRow(passkey: PasskeyView, changed: Callback<()>) -> impl IntoView {
    let remove = Action::new(move |id: &i64| {
        let id = *id;
        protected(move || remove_passkey(id))
    });
    Effect::new(move |_| {
        if let Some(Ok(()) | Err(AppError::NotFound(_))) = remove.value().get() {
            untrack(|| changed.run(()));
        }
    });
    let id = passkey.id;
    let used = passkey.last_used_at.map_or_else(|| "never used".to_owned(), |at| format!("last used {at}"));
    view! {
        <li data-testid="passkey-row">
            <strong data-testid="passkey-name">{passkey.name}</strong>
            <span class="muted">" added " {passkey.created_at} ", " {used}</span>
            <button class="button secondary" data-testid="remove-passkey" disabled=move || remove.pending().get()
                on:click=move |_| { remove.dispatch(id); }>
                "Remove"
            </button>
            <ActionError result=remove.value() retry=Some(Callback::new(move |()| { remove.dispatch(id); }))/>
        </li>
    }
}
