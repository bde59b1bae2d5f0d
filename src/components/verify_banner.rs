//! A banner for a signed-in user whose address is not verified yet, with "send the link again".

use leptos::prelude::*;

use crate::auth::api::request_email_verification;
use crate::client::refresh::protected;
use crate::client::session::Session;

#[component]
pub fn VerifyBanner() -> impl IntoView {
    let session = Session::get();
    let unverified = Memo::new(move |_| {
        session.user().filter(|status| !status.user.email_verified).map(|status| status.user.email)
    });
    let resend = Action::new(|_: &()| protected(request_email_verification));
    move || {
        unverified.get().map(|email| {
            view! {
                <div class="banner" role="status" data-testid="verify-banner">
                    <span>"Please verify your address: we sent a link to " <strong>{email}</strong> "."</span>
                    {move || match resend.value().get() {
                        Some(Ok(())) => view! { <span class="muted">"Sent again."</span> }.into_any(),
                        Some(Err(e)) => view! { <span class="error">{e.to_string()}</span> }.into_any(),
                        None => view! {
                            <button class="button secondary" data-testid="resend-verification"
                                disabled=move || resend.pending().get()
                                on:click=move |_| { resend.dispatch(()); }>
                                "Send it again"
                            </button>
                        }.into_any(),
                    }}
                </div>
            }
        })
    }
}
