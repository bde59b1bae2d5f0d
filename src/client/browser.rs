//! Things only the browser does: full-page navigation that drops all in-memory state, the
//! back-forward-cache guard, and the hydration marker end-to-end tests wait for.
//! On the server these are no-ops.

use leptos::prelude::*;

/// Leaves for `/login` with a full page load, so no user state survives in memory.
pub fn leave_to_login() {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().location().assign("/login");
    }
}

/// Runs once the app has hydrated in the browser.
pub fn on_hydrated() {
    Effect::new(|_| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::prelude::Closure;
            use wasm_bindgen::JsCast;
            // A page restored from the back-forward cache could show a signed-out user's data:
            // load it again from the server instead.
            let reload_if_restored = Closure::<dyn Fn(web_sys::PageTransitionEvent)>::new(
                |event: web_sys::PageTransitionEvent| {
                    if event.persisted() {
                        let _ = window().location().reload();
                    }
                },
            );
            let _ = window().add_event_listener_with_callback(
                "pageshow",
                reload_if_restored.as_ref().unchecked_ref(),
            );
            reload_if_restored.forget();
            if let Some(body) = document().body() {
                let _ = body.set_attribute("data-hydrated", "true");
            }
        }
    });
}
