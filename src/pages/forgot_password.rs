//! `/forgot-password`: ask for a reset link by mail. The answer is the same whether or not the
//! address has an account.

use leptos::html::Input;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::auth::api::{request_password_reset, RequestPasswordReset};
use crate::components::form::{posted_error, FormError, SubmitButton};

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let email = NodeRef::<Input>::new();
    let request = Action::new(|email: &String| request_password_reset(email.clone()));
    let query = use_query_map();
    // A plain form post comes back with `?sent=1`.
    let sent = move || matches!(request.value().get(), Some(Ok(()))) || query.read().get("sent").is_some();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(input) = email.get_untracked() {
            request.dispatch(input.value());
        }
    };
    let posted = posted_error(<RequestPasswordReset as ServerFn>::PATH);
    view! {
        <Title text="Forgot your password"/>
        <section class="card auth-card">
            <h1>"Forgot your password?"</h1>
            <Show
                when=sent
                fallback=move || view! {
                    <p class="muted">"Enter the address you signed up with: we will mail you a link to choose a new password."</p>
                    <form class="form" method="post" action={<RequestPasswordReset as ServerFn>::PATH}
                        data-testid="forgot-form" on:submit=submit>
                        <label for="email">"Email"</label>
                        <input id="email" name="email" type="email" autocomplete="email" required node_ref=email/>
                        <FormError result=request.value() posted=posted.clone()/>
                        <SubmitButton label="Send me a link" pending_label="Sending…" pending=request.pending()/>
                    </form>
                }
            >
                <p class="success" role="status" data-testid="reset-sent">
                    "If an account has this address, a link to choose a new password is on its way. It works for an hour."
                </p>
            </Show>
            <p class="muted"><A href="/login">"Back to sign in"</A></p>
        </section>
    }
}
