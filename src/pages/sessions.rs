//! `/sessions`: your signed-in devices, with revoke and "log out everywhere", and the account's
//! recent activity. Both lists are resources: a revoke refetches them, with no page load.
//!
//! The buttons are plain forms that post to their server function before the WASM loads, and
//! dispatch an `Action` once it has: protected calls go through the silent refresh
//! (`client::refresh::protected`), which a `ServerAction` would skip. Revoking another device
//! and logging out everywhere need sudo: after the password prompt they run again once.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

use crate::auth::api::{
    list_sessions, logout_all, recent_activity, revoke_session, LogoutAll, RevokeSession,
};
use crate::auth::user_agent::describe_user_agent;
use crate::auth::wire::SessionView;
use crate::client::account::after_sign_out;
use crate::client::refresh::protected;
use crate::client::session::Session;
use crate::components::activity::RecentActivity;
use crate::components::log_out_others::LogOutOthers;
use crate::components::protected::Protected;
use crate::components::sudo::ActionError;
use crate::error::AppError;

#[component]
pub fn SessionsPage() -> impl IntoView {
    view! {
        <Title text="Devices"/>
        <Protected>
            <Devices/>
        </Protected>
    }
}

#[component]
fn Devices() -> impl IntoView {
    let sessions = Resource::new(|| (), |_| protected(list_sessions));
    let activity = Resource::new(|| (), |_| protected(recent_activity));
    let changed = move || {
        sessions.refetch();
        activity.refetch();
    };
    view! {
        <section class="card">
            <div class="card-head">
                <h1>"Your devices"</h1>
                <div class="actions">
                    <LogOutOthers changed=Some(Callback::new(move |()| changed()))/>
                    <LogOutEverywhere/>
                </div>
            </div>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match sessions.await {
                        Ok(list) => view! { <table class="sessions"><tbody>
                            {list.into_iter().map(|session| view! { <SessionRow session changed/> }).collect_view()}
                        </tbody></table> }.into_any(),
                        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
        <RecentActivity activity/>
    }
}

#[component]
fn SessionRow(session: SessionView, changed: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let current = session.current;
    let row_id = session.id.clone();
    view! {
        <tr data-testid="session-row" data-session-id=row_id data-current=current.to_string()>
            <td>
                <strong>{describe_user_agent(&session.user_agent)}</strong>
                {current.then(|| view! { <span class="badge">"This device"</span> })}
                <div class="muted">{session.ip}</div>
            </td>
            <td class="muted">"Signed in " {session.created_at}<br/>"Last seen " {session.last_used_at}</td>
            <td><RevokeButton id=session.id current changed/></td>
        </tr>
    }
}

/// Ends the session `id`. Revoking this device's own session signs this tab (and the browser's
/// other tabs) out; revoking another (or one already gone) refetches the lists.
#[component]
fn RevokeButton(
    id: String,
    current: bool,
    changed: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let session = Session::get();
    let revoke = Action::new(move |id: &String| {
        let id = id.clone();
        protected(move || revoke_session(id.clone()))
    });
    Effect::new(move |_| match revoke.value().get() {
        Some(Ok(())) if current => after_sign_out(session),
        Some(Ok(()) | Err(AppError::NotFound(_))) => changed(),
        _ => {}
    });
    let submitted = id.clone();
    let retried = id.clone();
    view! {
        <form method="post" action={<RevokeSession as ServerFn>::PATH} on:submit=move |ev| {
            ev.prevent_default();
            revoke.dispatch(submitted.clone());
        }>
            <input type="hidden" name="id" value=id/>
            <button class="button secondary" data-testid="revoke" disabled=move || revoke.pending().get()>"Revoke"</button>
        </form>
        <ActionError result=revoke.value() retry=Some(Callback::new(move |()| {
            revoke.dispatch(retried.clone());
        }))/>
    }
}

/// Ends every session of the account, this one included.
#[component]
fn LogOutEverywhere() -> impl IntoView {
    let session = Session::get();
    let logout_all = Action::new(|_: &()| protected(logout_all));
    Effect::new(move |_| {
        if let Some(Ok(())) = logout_all.value().get() {
            after_sign_out(session);
        }
    });
    view! {
        <form method="post" action={<LogoutAll as ServerFn>::PATH} on:submit=move |ev| {
            ev.prevent_default();
            logout_all.dispatch(());
        }>
            <button class="button danger" data-testid="logout-all" disabled=move || logout_all.pending().get()>
                "Log out everywhere"
            </button>
        </form>
        <ActionError result=logout_all.value() retry=Some(Callback::new(move |()| {
            logout_all.dispatch(());
        }))/>
    }
}
