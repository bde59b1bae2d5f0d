//! The HTML shell and the `<App/>`: routes, and the session context every page reads.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::client::session::Session;
use crate::components::nav::Nav;
use crate::pages::{DashboardPage, HomePage, LoginPage, NotFoundPage, RegisterPage, SessionsPage};

/// The document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::server::headers::provide_script_nonce();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options islands=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The application: navigation, routes, and the signed-in state they share.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    Session::provide();
    view! {
        <Stylesheet id="leptos" href="/pkg/latchkey.css"/>
        <Title formatter=|page: String| format!("{page} · Latchkey")/>
        <Router>
            <Nav/>
            <main class="page">
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=HomePage/>
                    <Route path=path!("/login") view=LoginPage/>
                    <Route path=path!("/register") view=RegisterPage/>
                    <Route path=path!("/dashboard") view=DashboardPage/>
                    <Route path=path!("/sessions") view=SessionsPage/>
                </Routes>
            </main>
        </Router>
    }
}
