//! The server functions anyone may call. Every other server function under `/api/` needs a
//! live session: the `require_session` layer answers 401 before it runs. So a new server
//! function is protected unless it is added here: forgetting a line fails closed.

use leptos::server_fn::ServerFn;

use crate::auth::api::{
    ConfirmEmailChange, Login, LoginSecondFactor, Logout, PasskeyLoginFinish, PasskeyLoginStart, Refresh,
    Register, ReportSignIn, RequestPasswordReset, ResetPassword, VerifyEmail,
};
use crate::health::Health;

/// Paths of the public server functions.
pub const PUBLIC_SERVER_FNS: [&str; 13] = [
    <Health as ServerFn>::PATH,
    <Register as ServerFn>::PATH,
    <Login as ServerFn>::PATH,
    // The second step of a sign-in: the pending cookie is the proof so far.
    <LoginSecondFactor as ServerFn>::PATH,
    // A passkey sign-in: the authenticator's signature is the proof.
    <PasskeyLoginStart as ServerFn>::PATH,
    <PasskeyLoginFinish as ServerFn>::PATH,
    <Refresh as ServerFn>::PATH,
    // Logout ends whatever session the cookies name, and succeeds when there is none.
    <Logout as ServerFn>::PATH,
    // Getting back in without the password: the mailed token is the proof.
    <RequestPasswordReset as ServerFn>::PATH,
    <ResetPassword as ServerFn>::PATH,
    // A verification link may be opened in a browser that is not signed in.
    <VerifyEmail as ServerFn>::PATH,
    // So may the confirmation of a new address, and a new-device notice's "this wasn't me".
    <ConfirmEmailChange as ServerFn>::PATH,
    <ReportSignIn as ServerFn>::PATH,
];

/// True for a path that needs a live session: any server function but the public ones (and
/// anything else under `/api/`).
pub fn needs_session(path: &str) -> bool {
    path.starts_with("/api/") && !PUBLIC_SERVER_FNS.contains(&path)
}

/// True for the public server functions: no session is looked at for them.
pub fn is_public_server_fn(path: &str) -> bool {
    PUBLIC_SERVER_FNS.contains(&path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_listed_functions_are_public() {
        assert!(!needs_session("/api/auth/login") && !needs_session("/api/health"));
        for protected in ["/api/auth/me", "/api/auth/sessions", "/api/anything_new123", "/api/auth/login/x"] {
            assert!(needs_session(protected), "{protected}");
        }
        assert!(!needs_session("/dashboard") && !needs_session("/pkg/latchkey.wasm"));
    }
}
