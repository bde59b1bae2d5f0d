//! The HTTP contract's endpoints under `/api/auth`, as Leptos server functions (shared by the
//! server, which runs them, and the browser, which calls them). Each is thin: read the
//! request, call a service, set cookies, answer. Errors are [`crate::error::AppError`]s; their
//! status is applied in one place (`server::layers::error_status`).

pub mod account;
pub mod devices;
pub mod email;
pub mod passkeys;
pub mod recovery;
pub mod second_factor;
pub mod session;

pub use account::*;
pub use devices::*;
pub use email::*;
pub use passkeys::*;
pub use recovery::*;
pub use second_factor::*;
pub use session::*;
