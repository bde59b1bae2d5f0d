//! The tokens a mailed link carries (password reset, email verification and change, a
//! new-device notice's "this wasn't me"): 256 bits from the OS CSPRNG in unpadded base64url,
//! stored only as their SHA-256 (`email_tokens`, with what they are for), checked for their
//! shape before any query.

use sha2::{Digest, Sha256};

use crate::auth::random::random_bytes;

/// What a mailed token is for (`email_tokens.purpose`): a token of one purpose is refused
/// for any other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Proves the account's own address is read.
    Verify,
    /// Sets a new password.
    Reset,
    /// Proves the account's new address is read, and moves the account to it.
    ChangeEmail,
    /// Reports a sign-in the user did not make.
    ReportSignIn,
}

impl Purpose {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Verify => "verify",
            Self::Reset => "reset",
            Self::ChangeEmail => "change",
            Self::ReportSignIn => "report",
        }
    }
}

/// Length of a token: 32 bytes in unpadded base64url.
pub const TOKEN_LEN: usize = 43;

/// A new token and the hash to store.
pub fn new_mail_token() -> (String, Vec<u8>) {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine as _;
    let token = URL_SAFE_NO_PAD.encode(random_bytes::<32>());
    let hash = token_hash(&token);
    (token, hash)
}

/// The stored form of a token, if `token` has the shape of one.
pub fn parse_mail_token(token: &str) -> Option<Vec<u8>> {
    let shaped = token.len() == TOKEN_LEN
        && token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    shaped.then(|| token_hash(token))
}

fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_tokens_of_our_shape_are_looked_up() {
        let (token, hash) = new_mail_token();
        assert_eq!(token.len(), TOKEN_LEN);
        assert_eq!(parse_mail_token(&token), Some(hash));
        assert_ne!(new_mail_token().0, token);
        for odd in
            ["", "short", &"a".repeat(44), &format!("{}\0", &token[..42]), &format!("{}=", &token[..42])]
        {
            assert_eq!(parse_mail_token(odd), None, "{odd:?}");
        }
    }
}
