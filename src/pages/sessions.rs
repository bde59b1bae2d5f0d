//! `/sessions`: your signed-in devices, with revoke and "log out everywhere", and the
//! account's recent activity. The lists are rendered on the server; the buttons are islands.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::auth::server_fns::{list_sessions, logout_all, revoke_session};
use crate::auth::types::SessionView;
use crate::client::account::after_sign_out;
use crate::client::browser::reload_page;
use crate::client::refresh::protected;
use crate::components::activity::RecentActivity;
use crate::components::signed_in::SignedIn;
use crate::error::AppError;

#[component]
pub fn SessionsPage() -> impl IntoView {
    view! {
        <Title text="Devices"/>
        <SignedIn next="/sessions" render=|_| view! { <DeviceList/> <RecentActivity/> }/>
    }
}

/// The signed-in devices, rendered on the server, each with a revoke button.
#[component]
fn DeviceList() -> impl IntoView {
    let sessions = Resource::new(|| (), |_| list_sessions());
    view! {
        <section class="card">
            <div class="card-head">
                <h1>"Your devices"</h1>
                <LogOutEverywhere/>
            </div>
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match sessions.await {
                        Ok(list) => view! { <table class="sessions"><tbody>
                            {list.into_iter().map(|session| view! { <SessionRow session/> }).collect_view()}
                        </tbody></table> }.into_any(),
                        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn SessionRow(session: SessionView) -> impl IntoView {
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
            <td><RevokeButton id=session.id current/></td>
        </tr>
    }
}

/// Ends the session `id`. Revoking this device's own session signs this browser out; revoking
/// another (or one already gone) loads the page again, so the list shows what the server has.
#[island]
fn RevokeButton(id: String, current: bool) -> impl IntoView {
    let revoke = Action::new(move |_: &()| {
        let id = id.clone();
        protected(move || revoke_session(id.clone()))
    });
    Effect::new(move |_| match revoke.value().get() {
        Some(Ok(())) if current => after_sign_out(),
        Some(Ok(()) | Err(AppError::NotFound(_))) => reload_page(),
        _ => {}
    });
    view! {
        <button
            class="button secondary"
            data-testid="revoke"
            disabled=move || revoke.pending().get()
            on:click=move |_| { revoke.dispatch(()); }
        >
            "Revoke"
        </button>
        <ActionError result=revoke.value()/>
    }
}

/// Ends every session of the account, this one included.
#[island]
fn LogOutEverywhere() -> impl IntoView {
    let logout_all = Action::new(|_: &()| protected(logout_all));
    Effect::new(move |_| {
        if let Some(Ok(())) = logout_all.value().get() {
            after_sign_out();
        }
    });
    view! {
        <button
            class="button danger"
            data-testid="logout-all"
            disabled=move || logout_all.pending().get()
            on:click=move |_| { logout_all.dispatch(()); }
        >
            "Log out everywhere"
        </button>
        <ActionError result=logout_all.value()/>
    }
}

/// Why an action failed, unless the page is leaving anyway (the session could not be renewed,
/// and `protected` is taking the tab to the sign-in page) or is loading again.
#[component]
fn ActionError(#[prop(into)] result: Signal<Option<Result<(), AppError>>>) -> impl IntoView {
    let message = move || match result.get() {
        Some(Err(e)) if !e.is_auth_failure() && !matches!(e, AppError::NotFound(_)) => Some(e.to_string()),
        _ => None,
    };
    move || message().map(|m| view! { <p class="error" role="alert">{m}</p> })
}

/// "Chrome on Linux" from a user-agent string; good enough to recognise your own devices.
pub fn describe_user_agent(ua: &str) -> String {
    let browser = [
        ("Edg/", "Edge"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
        ("curl/", "curl"),
    ]
    .into_iter()
    .find(|(needle, _)| ua.contains(needle))
    .map_or("Unknown browser", |(_, name)| name);
    let os = [
        ("Windows", "Windows"),
        ("Android", "Android"),
        ("iPhone", "iOS"),
        ("Mac OS X", "macOS"),
        ("Linux", "Linux"),
    ]
    .into_iter()
    .find(|(needle, _)| ua.contains(needle))
    .map(|(_, name)| name);
    match os {
        Some(os) => format!("{browser} on {os}"),
        None => browser.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::describe_user_agent;

    #[test]
    fn user_agents_are_described_as_browser_and_os() {
        let chrome_linux = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36";
        let edge = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/130.0 Safari/537.36 Edg/130.0";
        let iphone =
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Version/17.0 Mobile Safari/604.1";
        assert_eq!(describe_user_agent(chrome_linux), "Chrome on Linux");
        assert_eq!(describe_user_agent(edge), "Edge on Windows");
        assert_eq!(describe_user_agent(iphone), "Safari on iOS");
        assert_eq!(describe_user_agent("curl/8.5.0"), "curl");
        assert_eq!(describe_user_agent(""), "Unknown browser");
    }
}
