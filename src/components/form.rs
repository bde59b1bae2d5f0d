//! The sign-in and registration forms, with progressive enhancement: before the WASM loads a
//! form is a plain HTML form that posts to its server function (which sends the browser on, or
//! back with the error in the URL, shown by the server's render); once hydrated, it reads its
//! inputs and calls the function through an `Action`.
//!
//! A plain `Action`, not `ActionForm`/`ServerAction`: their generic form-data decoder and URL
//! error decoder weigh ~25 KB (brotli) in the WASM a first visit to `/login` downloads, a tenth
//! of the 200 KB budget (BENCHMARKS.md). The error of a plain post is decoded on the server
//! instead ([`posted_error`]) and travels to the browser with the page.

use leptos::html::Input;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::error::AppError;

/// What the email and password inputs hold, read when the form is submitted.
#[derive(Clone, Copy, Default)]
pub struct CredentialInputs {
    email: NodeRef<Input>,
    password: NodeRef<Input>,
}

impl CredentialInputs {
    /// The values typed in; `None` before the inputs are in the page.
    pub fn read(&self) -> Option<(String, String)> {
        let value = |input: NodeRef<Input>| input.get_untracked().map(|el| el.value());
        Some((value(self.email)?, value(self.password)?))
    }
}

/// The email and password inputs, named as the server functions' arguments.
#[component]
pub fn CredentialFields(
    inputs: CredentialInputs,
    /// `current-password` for sign-in, `new-password` for registration.
    password_autocomplete: &'static str,
    /// Shown under the password field.
    #[prop(optional)]
    password_hint: Option<&'static str>,
) -> impl IntoView {
    view! {
        <label for="email">"Email"</label>
        <input id="email" name="email" type="email" autocomplete="email" required node_ref=inputs.email/>
        <label for="password">"Password"</label>
        <input id="password" name="password" type="password" autocomplete=password_autocomplete required
            node_ref=inputs.password/>
        {password_hint.map(|hint| view! { <p class="hint">{hint}</p> })}
    }
}

/// The error of the last plain HTML post of the server function at `path` to this page, if it
/// failed: `server_fn` sends the browser back with it in the URL (`?__path=…&__err=…`). Decoded
/// during the server's render and handed to the browser with the page.
pub fn posted_error(path: &'static str) -> Option<String> {
    let query = use_query_map();
    SharedValue::new(move || {
        let query = query.read_untracked();
        (query.get("__path").as_deref() == Some(path))
            .then(|| query.get("__err"))
            .flatten()
            .and_then(decode_error)
    })
    .into_inner()
}

/// The message of an `AppError` as `server_fn` put it in a URL (base64url of its JSON).
#[cfg(feature = "ssr")]
fn decode_error(encoded: String) -> Option<String> {
    use base64::Engine as _;
    let json = base64::engine::general_purpose::URL_SAFE.decode(encoded.as_bytes()).ok()?;
    serde_json::from_slice::<AppError>(&json).ok().map(|e| e.to_string())
}

/// In the browser the value always comes with the page, decoded already.
#[cfg(not(feature = "ssr"))]
fn decode_error(_encoded: String) -> Option<String> {
    None
}

/// The error to show: that of the last call from this page, else that of the plain post the
/// page came back from.
#[component]
pub fn FormError<T: Send + Sync + 'static>(
    #[prop(into)] result: Signal<Option<Result<T, AppError>>>,
    posted: Option<String>,
) -> impl IntoView {
    let message = move || match result.with(|r| r.as_ref().map(|r| r.as_ref().err().map(ToString::to_string)))
    {
        Some(from_call) => from_call,
        None => posted.clone(),
    };
    let shown = message.clone();
    view! {
        <Show when=move || shown().is_some()>
            <p class="error" role="alert" data-testid="form-error">{message.clone()}</p>
        </Show>
    }
}

/// A submit button that is disabled and says so while the form is being submitted.
#[component]
pub fn SubmitButton(
    label: &'static str,
    pending_label: &'static str,
    #[prop(into)] pending: Signal<bool>,
) -> impl IntoView {
    view! {
        <button type="submit" class="button primary" disabled=move || pending.get()>
            {move || if pending.get() { pending_label } else { label }}
        </button>
    }
}
