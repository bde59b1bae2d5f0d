//! Passkeys (WebAuthn, with `webauthn-rs`): registered behind sudo (`registration`), listed and
//! removed (`listing`), and a sign-in on their own (`sign_in`: discoverable credentials, user
//! verification required, so no email is typed). The relying party comes from `PUBLIC_ORIGIN`
//! (`relying_party`); each ceremony's server half waits in the database, taken once
//! (`ceremony`).

pub mod ceremony;
pub mod listing;
pub mod registration;
pub mod relying_party;
pub mod sign_in;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use webauthn_rs::prelude::Passkey;
use webauthn_rs::Webauthn;

use super::wire::WebAuthnOptions;
use super::Auth;
use crate::error::AppError;

/// The name of passkeys in `me`'s `second_factors`.
pub const PASSKEY: &str = "passkey";

/// How a passkey sign-in is recorded in the session (RFC 8176 `amr`): a key's proof of
/// possession with user verification, a multi-factor authentication on its own.
pub const PASSKEY_METHODS: &str = "hwk user mfa";

/// The most passkeys one account may have.
pub const MAX_PASSKEYS: usize = 20;

/// This site's relying party.
///
/// # Errors
/// [`AppError::NotFound`] when the site's origin cannot have passkeys (an IP address).
pub fn relying_party(auth: &Auth) -> Result<&Webauthn, AppError> {
    auth.passkeys.as_ref().ok_or_else(|| {
        AppError::NotFound(
            "Passkeys are not available here: the site needs a domain name (PUBLIC_ORIGIN).".into(),
        )
    })
}

/// A credential id as stored: base64url.
pub fn credential_id_text(id: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(id)
}

/// Options as the browser gets them.
///
/// # Errors
/// [`AppError::Internal`] when they cannot be written.
pub fn options_for_browser(options: &serde_json::Value) -> Result<WebAuthnOptions, AppError> {
    serde_json::value::to_raw_value(options).map(WebAuthnOptions).map_err(|_| AppError::Internal)
}

/// A stored credential, read back.
///
/// # Errors
/// [`AppError::Internal`] when the stored JSON cannot be read.
pub fn stored_passkey(json: &str) -> Result<Passkey, AppError> {
    serde_json::from_str(json).map_err(|e| {
        tracing::error!(error = %e, "a stored passkey could not be read");
        AppError::Internal
    })
}

/// A credential, to store.
///
/// # Errors
/// [`AppError::Internal`] when it cannot be written.
pub fn passkey_json(passkey: &Passkey) -> Result<String, AppError> {
    serde_json::to_string(passkey).map_err(|e| {
        tracing::error!(error = %e, "a passkey could not be serialised");
        AppError::Internal
    })
}
