//! `/login`: sign in, then go on to the page you came from (`next`); an account with a second
//! factor goes to `/login/code` first.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::components::{Redirect, A};
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::auth::api::{login, passkey_login_finish, passkey_login_start, Login};
use crate::auth::wire::{AuthStatus, LoginAnswer};
use crate::client::account::after_sign_in;
use crate::client::redirect::{code_page, safe_next};
use crate::client::session::Session;
use crate::client::webauthn::use_passkey;
use crate::components::form::{posted_error, CredentialFields, CredentialInputs, FormError, SubmitButton};
use crate::error::AppError;

#[component]
pub fn LoginPage() -> impl IntoView {
    let session = Session::get();
    let query = use_query_map();
    let next = Memo::new(move |_| safe_next(query.read().get("next").as_deref()));
    let ended = move || query.read().get("reason").as_deref() == Some("ended");
    let login = Action::new(|(email, password, next, remember): &(String, String, String, bool)| {
        login(email.clone(), password.clone(), Some(next.clone()), Some(*remember), None)
    });
    let navigate = use_navigate();
    Effect::new(move |_| match login.value().get() {
        Some(Ok(LoginAnswer::SignedIn(status))) => after_sign_in(session, status),
        Some(Ok(LoginAnswer::SecondFactor(_))) => {
            navigate(&code_page(&next.get_untracked()), Default::default())
        }
        _ => {}
    });
    let inputs = CredentialInputs::default();
    let remember = NodeRef::<leptos::html::Input>::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let remember = remember.get_untracked().is_none_or(|box_| box_.checked());
        if let Some((email, password)) = inputs.read() {
            login.dispatch((email, password, next.get_untracked(), remember));
        }
    };
    let posted = posted_error(<Login as ServerFn>::PATH);
    view! {
        <Title text="Sign in"/>
        // Signed in already, or just now: on to `next`.
        {move || session.user().map(|_| view! { <Redirect path=next.get()/> })}
        <section class="card auth-card">
            <h1>"Sign in"</h1>
            {move || ended().then(|| view! {
                <p class="notice" data-testid="session-ended">"Your session ended. Please sign in again."</p>
            })}
            <form class="form" method="post" action={<Login as ServerFn>::PATH} data-testid="login-form" on:submit=submit>
                <CredentialFields inputs password_autocomplete="current-password"/>
                <input type="hidden" name="next" value=move || next.get()/>
                // Unchecked, a box sends nothing: `remember_offered` tells the server that
                // nothing means "no".
                <input type="hidden" name="remember_offered" value="true"/>
                <label class="check">
                    <input type="checkbox" name="remember" value="true" checked node_ref=remember data-testid="remember"/>
                    "Keep me signed in on this device"
                </label>
                <FormError result=login.value() posted/>
                <SubmitButton label="Sign in" pending_label="Signing in…" pending=login.pending()/>
            </form>
            <PasskeySignIn remember/>
            <p class="muted"><A href="/forgot-password">"Forgot your password?"</A></p>
            <p class="muted">"No account yet? " <A href="/register">"Create one"</A></p>
        </section>
    }
}

/// Asks the browser for a passkey of this site and signs in with it (no email needed).
async fn sign_in_with_passkey(remember: bool) -> Result<AuthStatus, AppError> {
    let options = passkey_login_start().await?;
    let credential = use_passkey(options).await?;
    passkey_login_finish(credential, Some(remember)).await
}

/// "Sign in with a passkey": the browser's own dialog, then on as a password sign-in would.
#[component]
fn PasskeySignIn(remember: NodeRef<leptos::html::Input>) -> impl IntoView {
    let session = Session::get();
    let sign_in = Action::new_local(|remember: &bool| sign_in_with_passkey(*remember));
    Effect::new(move |_| {
        if let Some(Ok(status)) = sign_in.value().get() {
            after_sign_in(session, status);
        }
    });
    view! {
        <div class="alternative">
            <button type="button" class="button secondary" data-testid="passkey-sign-in"
                disabled=move || sign_in.pending().get()
                on:click=move |_| {
                    let remember = remember.get_untracked().is_none_or(|box_| box_.checked());
                    sign_in.dispatch_local(remember);
                }>
                {move || if sign_in.pending().get() { "Waiting for your device…" } else { "Sign in with a passkey" }}
            </button>
            <FormError result=sign_in.value() posted=None/>
        </div>
    }
}
