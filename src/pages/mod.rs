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

lazy_page!(LoginRoute, LoginPage);
lazy_page!(RegisterRoute, RegisterPage);
lazy_page!(DashboardRoute, DashboardPage);
lazy_page!(SessionsRoute, SessionsPage);
lazy_page!(NotesRoute, NotesPage);
lazy_page!(AccountRoute, AccountPage);
lazy_page!(ForgotPasswordRoute, ForgotPasswordPage);
lazy_page!(ResetPasswordRoute, ResetPasswordPage);
lazy_page!(VerifyEmailRoute, VerifyEmailPage);
lazy_page!(ConfirmEmailChangeRoute, ConfirmEmailChangePage);
lazy_page!(ReportSignInRoute, ReportSignInPage);
lazy_page!(SecondFactorRoute, SecondFactorPage);
