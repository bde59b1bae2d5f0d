//! Two-step sign-in (TOTP): set it up (sudo; the QR code is an SVG the server drew), switch it
//! on with a first code (the recovery codes are shown this once), make new recovery codes
//! (sudo), switch it off with a code (sudo).

use leptos::prelude::*;

use crate::auth::api::{regenerate_recovery_codes, totp_disable, totp_enable, totp_setup};
use crate::auth::wire::RecoveryCodes;
use crate::client::account::reload_user;
use crate::client::refresh::protected;
use crate::client::session::Session;
use crate::components::form::SubmitButton;
use crate::components::sudo::ActionError;

#[component]
pub(super) fn TwoStepSection() -> impl IntoView {
    let session = Session::get();
    let enabled =
        Memo::new(move |_| session.user().is_some_and(|s| s.user.second_factors.iter().any(|f| f == "totp")));
    let codes = RwSignal::new(None::<Vec<String>>);
    view! {
        <section class="card account-section" data-testid="two-step">
            <h2>"Two-step sign-in"</h2>
            {move || codes.get().map(|codes| view! { <RecoveryCodeList codes/> })}
            <Show when=move || enabled.get() fallback=move || view! { <SetUp codes/> }>
                <p class="success" data-testid="two-step-on">"On: signing in asks for a code from your authenticator app."</p>
                <Regenerate codes/>
                <TurnOff/>
            </Show>
        </section>
    }
}

#[component]
fn SetUp(codes: RwSignal<Option<Vec<String>>>) -> impl IntoView {
    let session = Session::get();
    let setup = Action::new(|_: &()| protected(totp_setup));
    let retry = Callback::new(move |()| {
        setup.dispatch(());
    });
    let code = RwSignal::new(String::new());
    let enable = Action::new(|code: &String| {
        let code = code.clone();
        protected(move || totp_enable(code.clone()))
    });
    Effect::new(move |_| {
        if let Some(Ok(RecoveryCodes { recovery_codes })) = enable.value().get() {
            codes.set(Some(recovery_codes));
            reload_user(session);
        }
    });
    let enrolment = move || setup.value().get().and_then(Result::ok);
    view! {
        <p class="muted">"Ask for a code from an authenticator app at every sign-in, as well as your password."</p>
        <Show when=move || enrolment().is_none()>
            <button class="button secondary" data-testid="totp-setup" disabled=move || setup.pending().get()
                on:click=move |_| { setup.dispatch(()); }>
                "Set up two-step sign-in"
            </button>
            <ActionError result=setup.value() retry=Some(retry)/>
        </Show>
        {move || enrolment().map(|enrolment| view! {
            <p>"Scan this with your authenticator app, or type the key in."</p>
            <div class="qr" inner_html=enrolment.qr_svg></div>
            <p class="muted">"Key: " <code data-testid="totp-secret">{enrolment.secret}</code></p>
            <form class="form" data-testid="totp-enable-form" on:submit=move |ev| {
                ev.prevent_default();
                enable.dispatch(code.get_untracked().trim().to_owned());
                code.set(String::new());
            }>
                <label for="totp-code">"Code from the app"</label>
                <input id="totp-code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code"
                    required maxlength="6" prop:value=move || code.get()
                    on:input=move |ev| code.set(event_target_value(&ev))/>
                <ActionError result=enable.value()/>
                <SubmitButton label="Turn on" pending_label="Checking…" pending=enable.pending()/>
            </form>
        })}
    }
}

#[component]
fn RecoveryCodeList(codes: Vec<String>) -> impl IntoView {
    view! {
        <div class="notice" data-testid="recovery-codes">
            <p><strong>"Your recovery codes."</strong>
                " Each works once, in place of a code from the app. Keep them somewhere safe: they are shown only now."</p>
            <ul class="codes">
                {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
            </ul>
        </div>
    }
}

#[component]
fn Regenerate(codes: RwSignal<Option<Vec<String>>>) -> impl IntoView {
    let regenerate = Action::new(|_: &()| protected(regenerate_recovery_codes));
    Effect::new(move |_| {
        if let Some(Ok(RecoveryCodes { recovery_codes })) = regenerate.value().get() {
            codes.set(Some(recovery_codes));
        }
    });
    let retry = Callback::new(move |()| {
        regenerate.dispatch(());
    });
    view! {
        <button class="button secondary" data-testid="regenerate-codes" disabled=move || regenerate.pending().get()
            on:click=move |_| { regenerate.dispatch(()); }>
            "Make new recovery codes"
        </button>
        <ActionError result=regenerate.value() retry=Some(retry)/>
    }
}

#[component]
fn TurnOff() -> impl IntoView {
    let session = Session::get();
    let code = RwSignal::new(String::new());
    let asked = RwSignal::new(String::new());
    let disable = Action::new(|code: &String| {
        let code = code.clone();
        protected(move || totp_disable(code.clone()))
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = disable.value().get() {
            reload_user(session);
        }
    });
    let retry = Callback::new(move |()| {
        disable.dispatch(asked.get_untracked());
    });
    view! {
        <form class="form" data-testid="totp-disable-form" on:submit=move |ev| {
            ev.prevent_default();
            let typed = code.get_untracked().trim().to_owned();
            asked.set(typed.clone());
            code.set(String::new());
            disable.dispatch(typed);
        }>
            <label for="totp-off-code">"Code from the app (or a recovery code), to turn it off"</label>
            <input id="totp-off-code" name="code" type="text" autocomplete="one-time-code" required maxlength="32"
                prop:value=move || code.get() on:input=move |ev| code.set(event_target_value(&ev))/>
            <ActionError result=disable.value() retry=Some(retry)/>
            <button type="submit" class="button danger" disabled=move || disable.pending().get()>"Turn off"</button>
        </form>
    }
}
