//! Two minimal Leptos apps (see `Cargo.toml`): a page that loads one value from a server
//! function, and a counter. Only the framework's own weight is in their WASM.

use leptos::prelude::*;

/// What the server function answers.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub struct Message {
    pub id: i64,
    pub text: String,
}

#[server]
pub async fn greeting() -> Result<Message, ServerFnError> {
    Ok(Message { id: 1, text: "hello".into() })
}

fn greeting_view() -> impl IntoView {
    let greeting = Resource::new(|| (), |_| greeting());
    view! {
        <Suspense fallback=|| "…">
            {move || Suspend::new(async move { greeting.await.map(|g| g.text) })}
        </Suspense>
    }
}

fn counter_view() -> impl IntoView {
    let (count, set_count) = signal(0);
    view! { <button on:click=move |_| set_count.update(|n| *n += 1)>{count}</button> }
}

#[cfg(feature = "spa")]
mod app {
    use leptos::prelude::*;
    use leptos_router::components::{Route, Router, Routes};
    use leptos_router::path;

    #[component]
    fn Home() -> impl IntoView {
        super::greeting_view()
    }

    #[component]
    fn Counter() -> impl IntoView {
        super::counter_view()
    }

    #[component]
    pub fn App() -> impl IntoView {
        view! {
            <Router>
                <Routes fallback=|| "not found">
                    <Route path=path!("/") view=Home/>
                    <Route path=path!("/counter") view=Counter/>
                </Routes>
            </Router>
        }
    }

    #[wasm_bindgen::prelude::wasm_bindgen]
    pub fn hydrate() {
        console_error_panic_hook::set_once();
        leptos::mount::hydrate_body(App);
    }
}

#[cfg(feature = "islands")]
mod app {
    use leptos::prelude::*;

    #[island]
    fn Home() -> impl IntoView {
        super::greeting_view()
    }

    #[island]
    fn Counter() -> impl IntoView {
        super::counter_view()
    }

    #[component]
    pub fn App() -> impl IntoView {
        view! { <Home/> <Counter/> }
    }

    #[wasm_bindgen::prelude::wasm_bindgen]
    pub fn hydrate() {
        console_error_panic_hook::set_once();
        leptos::mount::hydrate_islands();
    }
}
