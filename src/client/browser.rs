//! Things only the browser does: full-page navigation that drops all in-memory state, wake-up
//! events, the back-forward-cache guard, and the hydration marker end-to-end tests wait for.
//! On the server these are no-ops.

#[cfg(feature = "hydrate")]
use leptos::prelude::*;

/// Leaves for `/login` with a full page load, so no user state survives in memory.
pub fn leave_to_login() {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().location().assign("/login");
    }
}

/// Opens `path` (a path on this site) with a full page load, rendered by the server.
pub fn go_to(path: &str) {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().location().assign(path);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}

/// Loads this page again, so it shows what the server now knows about the session.
pub fn reload_page() {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().location().reload();
    }
}

/// The session could not be renewed: tell the other tabs, then go to `/login` with a "your
/// session ended" notice and a way back to this page.
pub fn leave_for_ended_session() {
    #[cfg(feature = "hydrate")]
    {
        super::tabs::announce_sign_out();
        let location = window().location();
        let here =
            format!("{}{}", location.pathname().unwrap_or_default(), location.search().unwrap_or_default());
        let next = String::from(js_sys::encode_uri_component(&here));
        let _ = location.assign(&format!("/login?reason=ended&next={next}"));
    }
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

/// Runs when the WASM module has started, before the page's islands hydrate; marks the page
/// once they have. Leptos's islands loader hydrates them right after `hydrate()` returns, in
/// promise callbacks of the same task, so a zero-delay timer runs after the last of them.
/// (A `#[island(lazy)]` would load later than that: the marker would come too early.)
#[cfg(feature = "hydrate")]
pub fn on_started() {
    use wasm_bindgen::prelude::Closure;
    use wasm_bindgen::JsCast;
    // A page restored from the back-forward cache could show a signed-out user's data:
    // load it again from the server instead.
    let reload_if_restored =
        Closure::<dyn Fn(web_sys::PageTransitionEvent)>::new(|event: web_sys::PageTransitionEvent| {
            if event.persisted() {
                reload_page();
            }
        });
    let _ =
        window().add_event_listener_with_callback("pageshow", reload_if_restored.as_ref().unchecked_ref());
    reload_if_restored.forget();
    // The marker end-to-end tests wait for: a timer runs after the islands have hydrated.
    set_timeout(
        || {
            if let Some(body) = document().body() {
                let _ = body.set_attribute("data-hydrated", "true");
            }
        },
        std::time::Duration::ZERO,
    );
}
