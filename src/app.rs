//! The HTML shell and the `<App/>`: the routes, and the tab's session every page reads.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, Lazy, SsrMode};

use crate::client::keep_alive::keep_session_alive;
use crate::client::session::Session;
use crate::components::nav::Nav;
use crate::components::verify_banner::VerifyBanner;
use crate::pages::{
    AccountRoute, DashboardRoute, HomePage, MailRoute, NotFoundPage, NotesRoute, SessionsRoute, SignInRoute,
};

/// The document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::server::layers::headers::provide_script_nonce(&options);
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options=options.clone()/>
                <HashedStylesheet options id="leptos"/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The application: navigation, routes, and the session they share. Every page is rendered on
/// the server first, then hydrated; moving between pages is client-side navigation.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let session = Session::provide();
    keep_session_alive(session);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| crate::client::browser::show_session_state(&session.state()));
    view! {
        <Title formatter=|page: String| format!("{page} · Latchkey")/>
        <Router>
            <Nav/>
            <VerifyBanner/>
            <main class="page">
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=HomePage/>
                    <Route path=path!("/login") view={Lazy::<SignInRoute>::new()}/>
                    <Route path=path!("/login/code") view={Lazy::<SignInRoute>::new()}/>
                    <Route path=path!("/register") view={Lazy::<SignInRoute>::new()}/>
                    <Route path=path!("/forgot-password") view={Lazy::<MailRoute>::new()}/>
                    <Route path=path!("/reset-password") view={Lazy::<MailRoute>::new()}/>
                    <Route path=path!("/verify-email") view={Lazy::<MailRoute>::new()}/>
                    <Route path=path!("/confirm-email-change") view={Lazy::<MailRoute>::new()}/>
                    <Route path=path!("/report-sign-in") view={Lazy::<MailRoute>::new()}/>
                    // Pages with data stream in order: what they show is in the HTML where it
                    // belongs, so they read (and their forms work) before the WASM loads.
                    <Route path=path!("/dashboard") view={Lazy::<DashboardRoute>::new()} ssr=SsrMode::InOrder/>
                    <Route path=path!("/sessions") view={Lazy::<SessionsRoute>::new()} ssr=SsrMode::InOrder/>
                    <Route path=path!("/notes") view={Lazy::<NotesRoute>::new()} ssr=SsrMode::InOrder/>
                    <Route path=path!("/account") view={Lazy::<AccountRoute>::new()} ssr=SsrMode::InOrder/>
                </Routes>
            </main>
        </Router>
    }
}
