//! Second factors: TOTP (`totp`) with recovery codes (`recovery_codes`), enrolled behind sudo
//! (`enrolment`), proven by a code (`proof`, throttled per account, each code once), and asked
//! for between a correct password and a session (`pending`: the sign-in gate every first-factor
//! path goes through).

pub mod enrolment;
pub mod pending;
pub mod proof;
pub mod recovery_codes;
pub mod totp;

/// The name of TOTP in `me`'s `second_factors` and the login answer's `methods`.
pub const TOTP: &str = "totp";

/// The second factors of an account whose TOTP was enabled at `totp_enabled_at`, and that
/// has a passkey or not.
pub fn factors_of(totp_enabled_at: Option<i64>, has_passkey: bool) -> Vec<String> {
    let totp = totp_enabled_at.map(|_| TOTP);
    let passkey = has_passkey.then_some(crate::auth::passkeys::PASSKEY);
    totp.into_iter().chain(passkey).map(str::to_owned).collect()
}
