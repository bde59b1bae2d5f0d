//! Things only the browser does: waiting, wake-up events, the back-forward-cache guard, and the
//! hydration marker end-to-end tests wait for. On the server these are no-ops.

#[cfg(feature = "hydrate")]
use leptos::prelude::*;

/// Waits `ms` milliseconds (browser only).
#[cfg(feature = "hydrate")]
pub async fn sleep_ms(ms: u64) {
    let (done, waited) = futures::channel::oneshot::channel::<()>();
    set_timeout(
        move || {
            let _ = done.send(());
        },
        std::time::Duration::from_millis(ms),
    );
    let _ = waited.await;
}

/// Calls `on_wake` when the tab becomes visible again or the browser comes back online.
pub fn on_wake(on_wake: impl Fn() + Clone + 'static) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::prelude::Closure;
        use wasm_bindgen::JsCast;
        let when_visible = on_wake.clone();
        let visibility = Closure::<dyn Fn()>::new(move || {
            if document().visibility_state() == web_sys::VisibilityState::Visible {
                when_visible();
            }
        });
        let online = Closure::<dyn Fn()>::new(on_wake);
        let _ = document()
            .add_event_listener_with_callback("visibilitychange", visibility.as_ref().unchecked_ref());
        let _ = window().add_event_listener_with_callback("online", online.as_ref().unchecked_ref());
        visibility.forget();
        online.forget();
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = on_wake;
}

/// Runs once the app has hydrated: marks the page for end-to-end tests, and makes a page
/// restored from the back-forward cache (which could show a signed-out user's data) load again
/// from the server instead.
#[cfg(feature = "hydrate")]
pub fn on_hydrated() {
    use wasm_bindgen::prelude::Closure;
    use wasm_bindgen::JsCast;
    let reload_if_restored =
        Closure::<dyn Fn(web_sys::PageTransitionEvent)>::new(|event: web_sys::PageTransitionEvent| {
            if event.persisted() {
                let _ = window().location().reload();
            }
        });
    let _ =
        window().add_event_listener_with_callback("pageshow", reload_if_restored.as_ref().unchecked_ref());
    reload_if_restored.forget();
    if let Some(body) = document().body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}

/// Mirrors the kind of session this tab holds on `<body data-session=…>` (never who): what
/// end-to-end tests read to see that a sign-out reached a tab.
#[cfg(feature = "hydrate")]
pub fn show_session_state(state: &super::session::SessionState) {
    use super::session::SessionState;
    let name = match state {
        SessionState::SignedIn(_) => "signed-in",
        SessionState::Restoring => "restoring",
        SessionState::SignedOut => "signed-out",
        SessionState::Ended => "ended",
    };
    if let Some(body) = document().body() {
        let _ = body.set_attribute("data-session", name);
    }
}

/// Drops what the server's render left in the page of the signed-in user: the streamed
/// resource values (`<script>`s in the body, and the `__RESOLVED_RESOURCES` they filled) and
/// the chunks they were swapped in from (`<template>`s). Leptos reads them while the page
/// hydrates; after a sign-out nothing may keep them.
pub fn forget_server_data() {
    #[cfg(feature = "hydrate")]
    {
        if let Some(body) = document().body() {
            if let Ok(nodes) = body.query_selector_all("script, template") {
                for i in 0..nodes.length() {
                    if let Some(node) = nodes.item(i) {
                        if let Some(parent) = node.parent_node() {
                            let _ = parent.remove_child(&node);
                        }
                    }
                }
            }
        }
        for global in [
            "__RESOLVED_RESOURCES",
            "__SERIALIZED_ERRORS",
            "__PENDING_RESOURCES",
            "__RESOURCE_RESOLVERS",
            "__INCOMPLETE_CHUNKS",
        ] {
            let _ = js_sys::Reflect::set(&window(), &global.into(), &js_sys::Array::new());
        }
    }
}
