//! The pages a mailed link opens that only post its token: `/verify-email`,
//! `/confirm-email-change`. Each reads the token from the fragment
//! (`client::fragment_token`), posts it once, and says how it went; a signed-in tab then picks
//! up the account's new state.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::auth::api::{confirm_email_change, verify_email};
use crate::client::fragment_token::take_fragment_token;
use crate::client::session::Session;
use crate::error::AppError;

#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let verify = Action::new(|token: &String| verify_email(token.clone()));
    take_fragment_token("/verify-email", move |token| {
        verify.dispatch(token);
    });
    view! {
        <Title text="Verify your email"/>
        <TokenOutcome title="Verify your email" action=verify done="Thank you: your address is verified."/>
    }
}

#[component]
pub fn ConfirmEmailChangePage() -> impl IntoView {
    let confirm = Action::new(|token: &String| confirm_email_change(token.clone()));
    take_fragment_token("/confirm-email-change", move |token| {
        confirm.dispatch(token);
    });
    view! {
        <Title text="Confirm your new address"/>
        <TokenOutcome title="Confirm your new address" action=confirm
            done="Done: your account now uses this address."/>
    }
}

/// The card of a token page: pending, done (`done`), or why not.
#[component]
fn TokenOutcome(
    title: &'static str,
    action: Action<String, Result<(), AppError>>,
    done: &'static str,
) -> impl IntoView {
    let session = Session::get();
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            crate::client::account::reload_user(session);
        }
    });
    view! {
        <section class="card auth-card">
            <h1>{title}</h1>
            <noscript><p class="error">"This page needs JavaScript to read the link from your mail."</p></noscript>
            {move || match action.value().get() {
                Some(Ok(())) => view! {
                    <p class="success" role="status" data-testid="link-done">{done}</p>
                }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert" data-testid="form-error">{e.to_string()}</p> }.into_any(),
                None if action.pending().get() => view! { <p class="muted">"Checking the link…"</p> }.into_any(),
                None => view! { <p class="muted">"Open this page with the link from the mail."</p> }.into_any(),
            }}
            <p class="muted"><A href="/">"Home"</A></p>
        </section>
    }
}
