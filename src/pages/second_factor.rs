//! `/login/code`: the second step of a sign-in, for an account with a second factor. The
//! password was right; the pending cookie (`HttpOnly`, 5 minutes) says so to the server, and
//! this page sends the code from the authenticator app, or a recovery code.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::components::{Redirect, A};
use leptos_router::hooks::use_query_map;

use crate::auth::api::{login_second_factor, LoginSecondFactor};
use crate::client::account::after_sign_in;
use crate::client::redirect::safe_next;
use crate::client::session::Session;
use crate::components::form::{posted_error, FormError, SubmitButton};

#[component]
pub fn SecondFactorPage() -> impl IntoView {
    let session = Session::get();
    let query = use_query_map();
    let next = Memo::new(move |_| safe_next(query.read().get("next").as_deref()));
    let code = RwSignal::new(String::new());
    let verify =
        Action::new(|(code, next): &(String, String)| login_second_factor(code.clone(), Some(next.clone())));
    Effect::new(move |_| {
        if let Some(Ok(status)) = verify.value().get() {
            after_sign_in(session, status);
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        verify.dispatch((code.get_untracked().trim().to_owned(), next.get_untracked()));
        code.set(String::new());
    };
    let posted = posted_error(<LoginSecondFactor as ServerFn>::PATH);
    view! {
        <Title text="Two-step sign-in"/>
        {move || session.user().map(|_| view! { <Redirect path=next.get()/> })}
        <section class="card auth-card">
            <h1>"Two-step sign-in"</h1>
            <p class="muted">"Enter the 6-digit code from your authenticator app, or one of your recovery codes."</p>
            <form class="form" method="post" action={<LoginSecondFactor as ServerFn>::PATH}
                data-testid="second-factor-form" on:submit=submit>
                <label for="code">"Code"</label>
                <input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code"
                    required maxlength="32" prop:value=move || code.get()
                    on:input=move |ev| code.set(event_target_value(&ev))/>
                <input type="hidden" name="next" value=move || next.get()/>
                <FormError result=verify.value() posted/>
                <SubmitButton label="Verify" pending_label="Verifying…" pending=verify.pending()/>
            </form>
            <p class="muted">"Took too long? " <A href="/login">"Sign in again"</A></p>
        </section>
    }
}
