//! Refusal of the passwords attackers try first.
//!
//! `common_passwords.txt` holds the entries of at least eight characters (shorter ones are refused
//! by length already) of the 20,000 most common leaked passwords as published by Royce Williams
//! and shipped with Django (`contrib/auth/common-passwords.txt.gz`), lower-cased. Comparison
//! ignores case, so `Password1` is refused too.

use std::collections::HashSet;
use std::sync::LazyLock;

use crate::auth::validate::Password;
use crate::error::AppError;

const COMMON: &str = include_str!("common_passwords.txt");

static COMMON_SET: LazyLock<HashSet<&'static str>> = LazyLock::new(|| COMMON.lines().collect());

/// True when `password` is on the common-password list (case-insensitive).
pub fn is_common(password: &str) -> bool {
    COMMON_SET.contains(password.to_lowercase().as_str())
}

/// A password someone chose for their account (registering, changing or resetting it): of the
/// allowed length, taken as received, and not a common one.
///
/// # Errors
/// [`AppError::InvalidInput`] saying what is wrong with it.
pub fn new_password(password: String) -> Result<Password, AppError> {
    let password = Password::parse(password)?;
    if is_common(password.expose()) {
        return Err(AppError::InvalidInput(
            "This password is too common: attackers try it first. Choose a longer, less predictable one."
                .into(),
        ));
    }
    Ok(password)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_known_passwords_are_common() {
        for pw in ["password", "Password1", "12345678", "qwertyuiop", "iloveyou1"] {
            assert!(is_common(pw), "{pw} should be refused");
        }
    }

    #[test]
    fn a_passphrase_is_not_common() {
        assert!(!is_common("correct horse battery staple"));
    }

    #[test]
    fn the_list_is_lower_case_and_long_enough_to_matter() {
        assert!(COMMON.lines().count() >= 200);
        assert!(COMMON.lines().all(|l| l == l.to_lowercase() && l.chars().count() >= 8));
    }
}
