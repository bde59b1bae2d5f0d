//! `/verify-email#<token>`: confirms the address with the link from the mail. The token is in
//! the fragment (never sent to a server); the page reads it once hydrated, drops it from the
//! address bar and posts it. A signed-in tab then picks up the verified address.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;

use crate::auth::api::verify_email;
use crate::client::session::Session;

#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let session = Session::get();
    let location = use_location();
    let navigate = use_navigate();
    let verify = Action::new(|token: &String| verify_email(token.clone()));
    Effect::new(move |_| {
        let hash = location.hash.get_untracked();
        let token = hash.trim_start_matches('#');
        if !token.is_empty() {
            verify.dispatch(token.to_owned());
            navigate("/verify-email", NavigateOptions { replace: true, ..Default::default() });
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = verify.value().get() {
            crate::client::account::reload_user(session);
        }
    });
    view! {
        <Title text="Verify your email"/>
        <section class="card auth-card">
            <h1>"Verify your email"</h1>
            <noscript><p class="error">"This page needs JavaScript to read the link from your mail."</p></noscript>
            {move || match verify.value().get() {
                Some(Ok(())) => view! {
                    <p class="success" role="status" data-testid="email-verified">"Thank you: your address is verified."</p>
                }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert" data-testid="form-error">{e.to_string()}</p> }.into_any(),
                None if verify.pending().get() => view! { <p class="muted">"Checking the link…"</p> }.into_any(),
                None => view! { <p class="muted">"Open this page with the link from the mail."</p> }.into_any(),
            }}
            <p class="muted"><A href="/">"Home"</A></p>
        </section>
    }
}
