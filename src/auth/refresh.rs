//! Refresh tokens: opaque 256-bit values, stored only as SHA-256 hashes, rotated on every use.
//!
//! The successor of a token is *derived*, `HMAC-SHA256(session.rotation_key, token)`, rather than
//! drawn at random. A token presented again within the grace window (two tabs refreshing at
//! once) therefore gets back the very same successor: the session never forks into two live
//! tokens, and nothing but hashes is stored. Whether to rotate is decided by the pure
//! [`decide`]; this module does no I/O and must never log a token.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::random::random_bytes;

/// Length of an encoded token: 32 bytes in unpadded base64url.
const ENCODED_LEN: usize = 43;

/// A refresh token in clear. `Debug` is redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct RefreshToken(String);

impl RefreshToken {
    /// A fresh token with 256 bits from the OS CSPRNG.
    pub fn generate() -> Self {
        Self(URL_SAFE_NO_PAD.encode(random_bytes::<32>()))
    }

    /// Accepts a cookie value only if it has the shape of one of our tokens.
    pub fn parse(raw: &str) -> Option<Self> {
        let ok = raw.len() == ENCODED_LEN
            && raw.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        ok.then(|| Self(raw.to_owned()))
    }

    /// What the database stores and looks tokens up by.
    pub fn hash(&self) -> Vec<u8> {
        Sha256::digest(self.0.as_bytes()).to_vec()
    }

    /// The token that replaces this one, derived with the session's rotation key.
    ///
    /// # Errors
    /// Only if the HMAC rejects the key, which HMAC-SHA256 never does for any length.
    pub fn successor(&self, rotation_key: &[u8]) -> Result<Self, hmac::digest::InvalidLength> {
        let mut mac = Hmac::<Sha256>::new_from_slice(rotation_key)?;
        mac.update(self.0.as_bytes());
        Ok(Self(URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for RefreshToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RefreshToken(<redacted>)")
    }
}

/// What the server knows about a presented token and its session, at the moment of refresh.
#[derive(Debug, Clone, Copy)]
pub struct RefreshFacts {
    pub now: i64,
    pub token_expires_at: i64,
    pub token_rotated_at: Option<i64>,
    /// The token's successor exists and has not been rotated itself.
    pub successor_is_current: bool,
    pub session_revoked: bool,
    pub session_last_used_at: i64,
    pub session_expires_at: i64,
}

/// Limits that apply to every refresh.
#[derive(Debug, Clone, Copy)]
pub struct RefreshPolicy {
    pub reuse_grace: i64,
    pub idle_timeout: i64,
}

/// The outcome of presenting a refresh token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Current token: exchange it for its successor.
    Rotate,
    /// Just rotated (within the grace window): answer with the same successor again.
    Grace,
    /// A rotated token presented after the grace window: theft. Revoke the whole session.
    Reuse,
    /// The token, or the session (idle or absolute limit), has run out.
    Expired,
    /// The session was ended (logout, revoke, reuse detection).
    Revoked,
}

/// Decides what to do with a presented refresh token. Pure: every rule of rotation lives here.
pub fn decide(facts: &RefreshFacts, policy: &RefreshPolicy) -> Decision {
    if facts.session_revoked {
        return Decision::Revoked;
    }
    let idle_deadline = facts.session_last_used_at.saturating_add(policy.idle_timeout);
    if facts.now >= facts.session_expires_at || facts.now >= idle_deadline {
        return Decision::Expired;
    }
    match facts.token_rotated_at {
        None if facts.now >= facts.token_expires_at => Decision::Expired,
        None => Decision::Rotate,
        Some(rotated_at) => {
            let within_grace = facts.now - rotated_at <= policy.reuse_grace;
            if within_grace && facts.successor_is_current {
                Decision::Grace
            } else {
                Decision::Reuse
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000;
    const POLICY: RefreshPolicy = RefreshPolicy { reuse_grace: 10, idle_timeout: 3_600 };

    fn live() -> RefreshFacts {
        RefreshFacts {
            now: NOW,
            token_expires_at: NOW + 1_000,
            token_rotated_at: None,
            successor_is_current: false,
            session_revoked: false,
            session_last_used_at: NOW - 60,
            session_expires_at: NOW + 10_000,
        }
    }

    #[test]
    fn a_current_token_rotates() {
        assert_eq!(decide(&live(), &POLICY), Decision::Rotate);
    }

    #[test]
    fn the_previous_token_within_grace_gets_the_same_successor() {
        let facts = RefreshFacts { token_rotated_at: Some(NOW - 10), successor_is_current: true, ..live() };
        assert_eq!(decide(&facts, &POLICY), Decision::Grace);
    }

    #[test]
    fn the_previous_token_after_grace_is_reuse() {
        let facts = RefreshFacts { token_rotated_at: Some(NOW - 11), successor_is_current: true, ..live() };
        assert_eq!(decide(&facts, &POLICY), Decision::Reuse);
    }

    #[test]
    fn an_older_token_is_reuse_even_within_grace() {
        let facts = RefreshFacts { token_rotated_at: Some(NOW - 1), successor_is_current: false, ..live() };
        assert_eq!(decide(&facts, &POLICY), Decision::Reuse);
    }

    #[test]
    fn an_expired_token_does_not_rotate() {
        let facts = RefreshFacts { token_expires_at: NOW, ..live() };
        assert_eq!(decide(&facts, &POLICY), Decision::Expired);
    }

    #[test]
    fn an_idle_session_does_not_refresh() {
        let facts = RefreshFacts { session_last_used_at: NOW - 3_600, ..live() };
        assert_eq!(decide(&facts, &POLICY), Decision::Expired);
    }

    #[test]
    fn a_session_past_its_absolute_lifetime_does_not_refresh() {
        let facts = RefreshFacts { session_expires_at: NOW, ..live() };
        assert_eq!(decide(&facts, &POLICY), Decision::Expired);
    }

    #[test]
    fn a_revoked_session_refuses_every_token() {
        let current = RefreshFacts { session_revoked: true, ..live() };
        let previous = RefreshFacts { token_rotated_at: Some(NOW), successor_is_current: true, ..current };
        assert_eq!(decide(&current, &POLICY), Decision::Revoked);
        assert_eq!(decide(&previous, &POLICY), Decision::Revoked);
    }

    #[test]
    fn successors_are_deterministic_per_session_key_and_distinct_from_their_parent() {
        let token = RefreshToken::generate();
        let derive = |key: &[u8]| token.successor(key).expect("any key length");
        let a = derive(b"key-a");
        assert_eq!(a, derive(b"key-a"));
        assert_ne!(a, derive(b"key-b"));
        assert_ne!(a, token);
        assert!(RefreshToken::parse(a.expose()).is_some(), "a successor has the token shape");
    }

    #[test]
    fn tokens_carry_256_bits_and_only_well_shaped_values_parse() {
        let token = RefreshToken::generate();
        assert_eq!(token.expose().len(), ENCODED_LEN);
        assert_ne!(token, RefreshToken::generate());
        assert_eq!(token.hash().len(), 32);
        assert!(RefreshToken::parse(token.expose()).is_some());
        for bad in ["", "short", &"a".repeat(44), &format!("{}=", &"a".repeat(42)), &"é".repeat(43)] {
            assert!(RefreshToken::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn debug_output_never_shows_the_token() {
        let token = RefreshToken::generate();
        assert!(!format!("{token:?}").contains(token.expose()));
    }
}
