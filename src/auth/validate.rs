//! Parse, don't validate: raw form input becomes an [`Email`] or a [`Password`] at the edge.
//!
//! Shared by the server (authoritative) and the browser (early feedback on forms).

use crate::error::AppError;

/// Shortest accepted password, in characters.
pub const PASSWORD_MIN_CHARS: usize = 8;
/// Longest accepted password, in characters (bounds the hashing cost of one request).
pub const PASSWORD_MAX_CHARS: usize = 1024;
const EMAIL_MAX_LEN: usize = 254;

/// A syntactically valid email address, trimmed and lower-cased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    /// # Errors
    /// [`AppError::InvalidInput`] when the address is empty, too long or not `local@domain.tld`.
    pub fn parse(raw: &str) -> Result<Self, AppError> {
        let email = raw.trim().to_lowercase();
        if email.is_empty() {
            return Err(invalid("Enter your email address."));
        }
        if email.len() > EMAIL_MAX_LEN {
            return Err(invalid("That email address is too long."));
        }
        if !has_email_shape(&email) {
            return Err(invalid("Enter a valid email address, like name@example.com."));
        }
        Ok(Self(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn has_email_shape(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    let labels_ok =
        domain.split('.').all(|l| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || c == '-'));
    !local.is_empty()
        && domain.contains('.')
        && labels_ok
        && !email.chars().any(|c| c.is_whitespace() || c.is_control() || c == char::REPLACEMENT_CHARACTER)
        && !local.contains('@')
}

/// A password of acceptable length, exactly as the user typed it (never trimmed or truncated).
///
/// `Debug` is redacted so a password cannot reach a log by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    /// # Errors
    /// [`AppError::InvalidInput`] when shorter than 8 or longer than 1024 characters, or when
    /// it holds a NUL or the replacement character (which only a broken encoding produces: the
    /// user could never type that password again).
    pub fn parse(raw: String) -> Result<Self, AppError> {
        if raw.contains(['\0', char::REPLACEMENT_CHARACTER]) {
            return Err(invalid(
                "That password holds a character that cannot be typed. Please choose another.",
            ));
        }
        let chars = raw.chars().count();
        if chars < PASSWORD_MIN_CHARS {
            return Err(invalid(&format!("Use at least {PASSWORD_MIN_CHARS} characters for your password.")));
        }
        if chars > PASSWORD_MAX_CHARS {
            return Err(invalid(&format!("Use at most {PASSWORD_MAX_CHARS} characters for your password.")));
        }
        Ok(Self(raw))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

fn invalid(message: &str) -> AppError {
    AppError::InvalidInput(message.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_trimmed_and_lower_cased() {
        let email = Email::parse("  Ada@Example.COM ").expect("valid");
        assert_eq!(email.as_str(), "ada@example.com");
    }

    #[test]
    fn malformed_emails_are_refused() {
        for raw in [
            "",
            "ada",
            "ada@",
            "@example.com",
            "ada@example",
            "a da@example.com",
            "ada@@example.com",
            "ada@exa..mple.com",
            "ada@exam_ple.com",
            "a\u{fffd}@example.com",
            "ada\0@example.com",
        ] {
            assert!(Email::parse(raw).is_err(), "{raw:?} accepted");
        }
        assert!(Email::parse(&format!("{}@example.com", "a".repeat(250))).is_err());
    }

    #[test]
    fn passwords_are_checked_in_characters_as_received() {
        assert!(Password::parse("1234567".into()).is_err());
        assert!(Password::parse("12345678".into()).is_ok());
        // Eight characters, sixteen bytes: accepted.
        assert!(Password::parse("ééééééééé".into()).is_ok());
        // Leading spaces are kept, not trimmed.
        assert_eq!(Password::parse("   spaced out".into()).expect("ok").expose(), "   spaced out");
        assert!(Password::parse("x".repeat(1024)).is_ok());
        assert!(Password::parse("x".repeat(1025)).is_err());
        assert!(Password::parse("correct\0horse battery".into()).is_err());
        assert!(Password::parse("correct\u{fffd}horse battery".into()).is_err());
    }

    #[test]
    fn password_debug_output_is_redacted() {
        let pw = Password::parse("correct horse battery".into()).expect("ok");
        assert!(!format!("{pw:?}").contains("horse"));
    }
}
