//! TOTP (RFC 6238) with `totp-rs`: SHA-1, 6 digits, 30-second steps, one step of drift either
//! way. The secret is 160 bits from the OS CSPRNG. A code is checked against each step of the
//! window later than the last one the account accepted, so a code (or an earlier one) is
//! accepted once; the caller stores the step by compare-and-set (`db::second_factors`).

use subtle::ConstantTimeEq;
use totp_rs::{Algorithm, TOTP};

use crate::auth::random::random_bytes;
use crate::error::AppError;

/// Seconds per time step.
pub const STEP_SECS: i64 = 30;
const DIGITS: usize = 6;
/// Steps of clock drift accepted either way.
const SKEW: i64 = 1;
/// The issuer an authenticator app shows.
pub const ISSUER: &str = "Latchkey";

/// A new secret: 160 bits, as RFC 4226 recommends.
pub fn new_secret() -> Vec<u8> {
    random_bytes::<20>().to_vec()
}

fn totp(secret: &[u8], account: &str) -> Result<TOTP, AppError> {
    // `otpauth` labels are `issuer:account`: a colon in the account would split it.
    let account = account.replace(':', "_");
    TOTP::new(Algorithm::SHA1, DIGITS, 1, STEP_SECS as u64, secret.to_vec(), Some(ISSUER.to_owned()), account)
        .map_err(|e| {
            tracing::error!(error = %e, "a TOTP secret was refused");
            AppError::Internal
        })
}

/// What an authenticator app needs: the secret in base32 and the `otpauth://` URI.
///
/// # Errors
/// [`AppError::Internal`] if `totp-rs` refuses the secret (never for one of [`new_secret`]).
pub fn enrolment(secret: &[u8], account: &str) -> Result<(String, String), AppError> {
    let totp = totp(secret, account)?;
    Ok((totp.get_secret_base32(), totp.get_url()))
}

/// The time step of `code` at `now`, if it is a code of a step later than `last_step` in the
/// drift window (the latest such step when several match).
pub fn matching_step(secret: &[u8], code: &str, now: i64, last_step: i64) -> Option<i64> {
    let code = code.trim();
    if code.len() != DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let totp = totp(secret, "account").ok()?;
    let current = now.div_euclid(STEP_SECS);
    ((current - SKEW)..=(current + SKEW)).rev().filter(|step| *step > last_step && *step >= 0).find(|step| {
        let expected = totp.generate((*step * STEP_SECS) as u64);
        bool::from(expected.as_bytes().ct_eq(code.as_bytes()))
    })
}

/// The QR code of `uri`, as an SVG image (drawn on the server: nothing in the WASM).
///
/// # Errors
/// [`AppError::Internal`] if the URI does not fit in a QR code (never for ours).
pub fn qr_svg(uri: &str) -> Result<String, AppError> {
    let code = qrcode::QrCode::new(uri.as_bytes()).map_err(|e| {
        tracing::error!(error = %e, "could not draw a QR code");
        AppError::Internal
    })?;
    Ok(code.render::<qrcode::render::svg::Color>().min_dimensions(200, 200).quiet_zone(true).build())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238, appendix B: the SHA-1 secret and its codes (the last 6 of 8 digits).
    const RFC_SECRET: &[u8] = b"12345678901234567890";

    #[test]
    fn codes_match_rfc_6238_and_only_in_their_window() {
        let step = 59 / STEP_SECS;
        assert_eq!(matching_step(RFC_SECRET, "287082", 59, -1), Some(step));
        assert_eq!(matching_step(RFC_SECRET, "081804", 1_111_111_109, 0), Some(1_111_111_109 / STEP_SECS));
        assert_eq!(matching_step(RFC_SECRET, "287082", 59 + 30, -1), Some(step), "one step late is fine");
        assert_eq!(matching_step(RFC_SECRET, "287082", 59 + 90, -1), None, "three steps late is not");
        assert_eq!(matching_step(RFC_SECRET, "287083", 59, -1), None);
    }

    #[test]
    fn a_step_accepted_once_is_never_accepted_again() {
        let step = 59 / STEP_SECS;
        assert_eq!(matching_step(RFC_SECRET, "287082", 59, step), None);
        assert_eq!(matching_step(RFC_SECRET, "287082", 59, step - 1), Some(step));
    }

    #[test]
    fn odd_codes_are_refused_before_any_work() {
        for odd in ["", "28708", "2870822", "28708a", "２８７０８２", "287 82", "\0\0\0\0\0\0"] {
            assert_eq!(matching_step(RFC_SECRET, odd, 59, -1), None, "{odd:?}");
        }
    }

    #[test]
    fn enrolment_gives_base32_and_an_otpauth_uri_with_a_qr_code() {
        let secret = new_secret();
        let (base32, uri) = enrolment(&secret, "ada:x@example.com").expect("enrolment");
        assert_eq!(base32.len(), 32);
        assert!(uri.starts_with("otpauth://totp/Latchkey:ada_x%40example.com?"), "{uri}");
        assert!(uri.contains(&format!("secret={base32}")) && uri.contains("issuer=Latchkey"), "{uri}");
        assert!(qr_svg(&uri).expect("svg").starts_with("<?xml"));
    }
}
