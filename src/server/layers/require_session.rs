//! The session check, in front of every route: protection by default.
//!
//! Every request but those for a public server function (`auth::transport::public`) or a
//! static file is authenticated once, here: its access cookie is verified and its session
//! checked against the revocation set, and what was found (a `Caller`) goes into the request's
//! extensions, where `current_user()` and the `CurrentUser` extractor read it. A server
//! function that needs a session (any under `/api/` that is not public) is refused with 401
//! here, before it runs: a new function is protected even if its author forgets to check.

use crate::error::AppError;
use axum::extract::Request;
use axum_extra::extract::cookie::CookieJar;

use crate::auth::transport::current_user::{authenticate, Caller};
use crate::auth::transport::public::{is_public_server_fn, needs_session};
use crate::auth::Auth;

/// Authenticates the request; 401 for a protected server function without a live session (a
/// `CheckLayer` check).
///
/// # Errors
/// Why nobody is signed in.
pub fn require_session(auth: &Auth, request: &mut Request) -> Result<(), AppError> {
    let path = request.uri().path();
    if is_public_server_fn(path) || is_static_file(path) {
        return Ok(());
    }
    let caller = authenticate(auth, &CookieJar::from_headers(request.headers()));
    if needs_session(path) {
        if let Caller::Absent(why) = &caller {
            return Err(why.clone());
        }
    }
    request.extensions_mut().insert(caller);
    Ok(())
}

/// The built front end and the files of `public/`: nothing there depends on who asks.
fn is_static_file(path: &str) -> bool {
    path.starts_with("/pkg/") || path == "/favicon.svg"
}
