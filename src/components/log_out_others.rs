//! "Log out other devices": ends every other session of the account, keeping this one (sudo:
//! after the password prompt the action runs again once). On the devices and account pages.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::auth::api::{logout_others, LogoutOthers};
use crate::client::refresh::protected;
use crate::components::sudo::ActionError;

#[component]
pub fn LogOutOthers(
    /// Called after the other sessions ended (to refetch what lists them).
    #[prop(default = None)]
    changed: Option<Callback<()>>,
) -> impl IntoView {
    let logout_others = Action::new(|_: &()| protected(logout_others));
    Effect::new(move |_| {
        if let (Some(Ok(())), Some(changed)) = (logout_others.value().get(), changed) {
            changed.run(());
        }
    });
    let retry = Callback::new(move |()| {
        logout_others.dispatch(());
    });
    view! {
        <form method="post" action={<LogoutOthers as ServerFn>::PATH} on:submit=move |ev| {
            ev.prevent_default();
            logout_others.dispatch(());
        }>
            <button class="button secondary" data-testid="logout-others" disabled=move || logout_others.pending().get()>
                {move || if logout_others.pending().get() { "Logging out other devices…" } else { "Log out other devices" }}
            </button>
        </form>
        {move || matches!(logout_others.value().get(), Some(Ok(()))).then(|| view! {
            <p class="success" role="status" data-testid="logout-others-done">"Every other device is signed out."</p>
        })}
        <ActionError result=logout_others.value() retry=Some(retry)/>
    }
}
