//! One page per file.

mod account;
mod dashboard;
mod forgot_password;
mod home;
mod login;
mod mailed_link;
mod not_found;
mod notes;
mod register;
mod report_sign_in;
mod reset_password;
mod second_factor;
mod sessions;

pub use account::AccountPage;
pub use dashboard::DashboardPage;
pub use forgot_password::ForgotPasswordPage;
pub use home::HomePage;
pub use login::LoginPage;
pub use mailed_link::{ConfirmEmailChangePage, VerifyEmailPage};
pub use not_found::NotFoundPage;
pub use notes::NotesPage;
pub use register::RegisterPage;
pub use report_sign_in::ReportSignInPage;
pub use reset_password::ResetPasswordPage;
pub use second_factor::SecondFactorPage;
pub use sessions::SessionsPage;

/// Declares a route whose page is loaded on demand: with `cargo leptos build --split` the page's
/// code is its own WASM chunk, fetched when the route is first shown (or, on a full page load,
/// before the page hydrates), so a first visit downloads the app's core and that one page.
macro_rules! lazy_page {
    ($route:ident, $page:ident) => {
        #[doc = concat!("[`", stringify!($page), "`] as a lazily loaded route.")]
        pub struct $route;

        #[leptos_router::lazy_route]
        impl leptos_router::LazyRoute for $route {
            fn data() -> Self {
                Self
            }

            fn view(_this: Self) -> leptos::prelude::AnyView {
                use leptos::prelude::IntoAny;
                leptos::prelude::view! { <$page/> }.into_any()
            }
        }
    };
}

// Signing in, its second step and registering: one chunk (see `MailRoute`).
lazy_page!(SignInRoute, SignInPages);
lazy_page!(DashboardRoute, DashboardPage);
lazy_page!(SessionsRoute, SessionsPage);
lazy_page!(NotesRoute, NotesPage);
lazy_page!(AccountRoute, AccountPage);
// The pages a mail leads to are visited rarely: one chunk for all of them (each lazy route is a
// split point, and split points that share code multiply the chunks every page loads).
lazy_page!(MailRoute, MailPages);

/// The page of the mailed-link route at this path (`/forgot-password`, `/reset-password`,
/// `/verify-email`, `/confirm-email-change`, `/report-sign-in`): one lazily loaded chunk for all.
#[leptos::component]
pub fn MailPages() -> impl leptos::prelude::IntoView {
    use leptos::prelude::*;
    match leptos_router::hooks::use_location().pathname.get_untracked().as_str() {
        "/forgot-password" => view! { <ForgotPasswordPage/> }.into_any(),
        "/reset-password" => view! { <ResetPasswordPage/> }.into_any(),
        "/verify-email" => view! { <VerifyEmailPage/> }.into_any(),
        "/confirm-email-change" => view! { <ConfirmEmailChangePage/> }.into_any(),
        _ => view! { <ReportSignInPage/> }.into_any(),
    }
}

/// The page of the signing-in route at this path (`/login`, `/login/code`, `/register`).
#[leptos::component]
pub fn SignInPages() -> impl leptos::prelude::IntoView {
    use leptos::prelude::*;
    match leptos_router::hooks::use_location().pathname.get_untracked().as_str() {
        "/register" => view! { <RegisterPage/> }.into_any(),
        "/login/code" => view! { <SecondFactorPage/> }.into_any(),
        _ => view! { <LoginPage/> }.into_any(),
    }
}
