//! `/account`: change the password (`password`) or the address (`email`), two-step sign-in
//! (`two_step`), passkeys (`passkeys`), log out other devices, delete the account (`deletion`).
//!
//! Each form is a plain HTML form posting to its server function before the WASM loads, and an
//! `Action` through the silent refresh once it has (see `pages::sessions`). Deleting the account
//! asks for the password and for the email typed out: it cannot be undone, so it is never
//! retried on its own.

mod deletion;
mod email;
mod passkeys;
mod password;
mod two_step;

use leptos::html::Input;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::client::session::Session;
use crate::components::log_out_others::LogOutOthers;
use crate::components::protected::Protected;
use deletion::DeleteAccountForm;
use email::ChangeEmailForm;
use passkeys::PasskeysSection;
use password::ChangePasswordForm;
use two_step::TwoStepSection;

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
        <ChangeEmailForm/>
        <TwoStepSection/>
        <PasskeysSection/>
        <section class="card account-section">
            <h2>"Other devices"</h2>
            <p class="muted">"Signs out every other browser and app where you are signed in. This one stays signed in."</p>
            <LogOutOthers/>
        </section>
        <DeleteAccountForm email/>
    }
}

/// Reads a password input and empties it.
pub(super) fn take_value(input: NodeRef<Input>) -> Option<String> {
    input.get_untracked().map(|el| {
        let value = el.value();
        el.set_value("");
        value
    })
}
