//! `/report-sign-in#<token>`: the "this wasn't me" link of a new-device notice. Posting its
//! token (from the fragment, `client::fragment_token`) signs that device out; the page then asks
//! for a password change, since whoever signed in knows the password.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::auth::api::report_sign_in;
use crate::client::fragment_token::take_fragment_token;
use crate::client::session::Session;

#[component]
pub fn ReportSignInPage() -> impl IntoView {
    let session = Session::get();
    let report = Action::new(|token: &String| report_sign_in(token.clone()));
    take_fragment_token("/report-sign-in", move |token| {
        report.dispatch(token);
    });
    let signed_in = move || session.user().is_some();
    view! {
        <Title text="Report a sign-in"/>
        <section class="card auth-card">
            <h1>"This wasn't me"</h1>
            <noscript><p class="error">"This page needs JavaScript to read the link from your mail."</p></noscript>
            {move || match report.value().get() {
                Some(Ok(reported)) => view! {
                    <p class="success" role="status" data-testid="sign-in-reported">
                        {if reported.session_ended {
                            "That device is signed out."
                        } else {
                            "That device was signed out already."
                        }}
                    </p>
                    <p data-testid="change-password-asked">
                        <strong>"Change your password now:"</strong>
                        " whoever signed in knows it. Changing it signs out every other device."
                    </p>
                    <p>
                        {move || if signed_in() {
                            view! { <A href="/account" attr:class="button primary">"Change my password"</A> }.into_any()
                        } else {
                            view! { <A href="/forgot-password" attr:class="button primary">"Reset my password by mail"</A> }.into_any()
                        }}
                    </p>
                }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert" data-testid="form-error">{e.to_string()}</p> }.into_any(),
                None if report.pending().get() => view! { <p class="muted">"Signing that device out…"</p> }.into_any(),
                None => view! { <p class="muted">"Open this page with the link from the mail."</p> }.into_any(),
            }}
            <p class="muted"><A href="/">"Home"</A></p>
        </section>
    }
}
