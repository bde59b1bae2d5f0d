//! Device cookies (OWASP's "device cookies" defence against targeted lockout): a random,
//! long-lived cookie that tells this server "this browser has signed in to these accounts
//! before". Only its SHA-256 is stored (`known_devices`, paired with each account).
//!
//! A sign-in attempt from a browser that an account knows is throttled in that device's own
//! bucket (`auth::throttle::device_key`); attempts from anywhere else share the account's
//! bucket. So an attacker who fills the account's bucket with wrong passwords locks out only
//! browsers the account has never been used from: the owner, on a browser they signed in from
//! before, still signs in. Someone who stole a device cookie gets that device's own small
//! budget of guesses, no more. The cookie is `HttpOnly`, `SameSite=Strict`, sent only to
//! `/api/auth`, and is never logged.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use sha2::{Digest, Sha256};

use crate::auth::random::random_bytes;

/// Length of a device cookie: 32 random bytes in unpadded base64url.
const ENCODED_LEN: usize = 43;

/// A browser's device cookie in clear. `Debug` is redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct DeviceId(String);

impl DeviceId {
    /// A new device cookie: 256 bits from the OS CSPRNG.
    pub fn generate() -> Self {
        Self(URL_SAFE_NO_PAD.encode(random_bytes::<32>()))
    }

    /// Accepts a cookie value only if it has the shape of one of ours.
    pub fn parse(raw: &str) -> Option<Self> {
        let shaped = raw.len() == ENCODED_LEN
            && raw.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        shaped.then(|| Self(raw.to_owned()))
    }

    /// What `known_devices` stores of it.
    pub fn hash(&self) -> Vec<u8> {
        Sha256::digest(self.0.as_bytes()).to_vec()
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for DeviceId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DeviceId(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_parse_and_only_their_shape_does() {
        let id = DeviceId::generate();
        assert_eq!(DeviceId::parse(id.expose()), Some(id.clone()));
        assert_ne!(DeviceId::generate(), id);
        for bad in ["", "short", &"a".repeat(44), &format!("{}=", &"a".repeat(42)), &"é".repeat(43)] {
            assert_eq!(DeviceId::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_stored_hash_is_not_the_cookie() {
        let id = DeviceId::generate();
        assert_ne!(id.hash(), id.expose().as_bytes());
        assert!(!format!("{id:?}").contains(id.expose()));
    }
}
