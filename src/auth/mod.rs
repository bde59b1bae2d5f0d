//! Authentication, by capability:
//!
//! - shared with the browser: [`wire`] (what server functions answer), [`validate`] (parsing
//!   emails and passwords at the edge), [`user_agent`] (a browser in words) and [`api`] (the
//!   server functions, thin);
//! - server only: [`transport`] (where server functions meet HTTP: the `CurrentUser` of a
//!   request, cookies, the client's address), [`credentials`] (passwords, the sign-in
//!   throttle, device cookies), [`tokens`] (access JWTs, signing keys, revocations),
//!   [`sessions`] (refresh tokens and rotation, starting and ending sessions, devices),
//!   [`account`] (signing up and in, admin tasks), [`audit`] and [`maintenance`].
//!
//! Server-side state lives in [`Auth`]; services take it (or less) and plain values, and
//! return typed results.

pub mod api;
pub mod user_agent;
pub mod validate;
pub mod wire;

#[cfg(feature = "ssr")]
pub mod account;
#[cfg(feature = "ssr")]
pub mod audit;
#[cfg(feature = "ssr")]
pub mod clock;
#[cfg(feature = "ssr")]
pub mod credentials;
#[cfg(feature = "ssr")]
pub mod maintenance;
#[cfg(feature = "ssr")]
pub mod passkeys;
#[cfg(feature = "ssr")]
pub mod random;
#[cfg(feature = "ssr")]
pub mod second_factor;
#[cfg(feature = "ssr")]
pub mod sessions;
#[cfg(feature = "ssr")]
pub mod settings;
#[cfg(feature = "ssr")]
mod state;
#[cfg(feature = "ssr")]
pub mod tokens;
#[cfg(feature = "ssr")]
pub mod transport;

#[cfg(feature = "ssr")]
pub use state::Auth;
#[cfg(feature = "ssr")]
pub use transport::current_user::{current_user, CurrentUser};

#[cfg(all(test, feature = "ssr"))]
mod token_properties;
