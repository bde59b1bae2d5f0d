//! Access tokens this instance has already verified, so that a token presented again skips its
//! HMAC and the decoding of its claims.
//!
//! A browser sends the same access token with every request for the token's whole lifetime
//! (`ACCESS_TOKEN_TTL`), and checking it was most of what a protected request cost beyond an
//! unauthenticated one. Only tokens that passed every check of `KeyRing::verify` are stored, and
//! a hit is the very same token, compared in full, not merely the same signature. What is not
//! cached is still checked on every request: expiry (here) and revocation (by the caller).
//!
//! The cache belongs to one key set: when keys rotate, the set is replaced and its cache with
//! it, so a token whose key was dropped is never served from here. Its size is bounded: a full
//! shard first drops its expired tokens and, if that is not enough, everything.

use std::sync::{Arc, Mutex};

use foldhash::HashMap;

use super::tokens::AccessClaims;

/// Shards, each with its own lock: two requests rarely wait for each other.
const SHARDS: usize = 16;
/// Tokens per shard: 4,096 in all, a few MiB at most.
const PER_SHARD: usize = 256;

/// Verified tokens, by signature, each with the whole token and its claims. Hashed with
/// foldhash (seeded per map): only verified tokens are ever stored, so a caller cannot fill a
/// shard with colliding keys.
pub struct VerifiedTokens {
    shards: [Mutex<HashMap<Box<str>, Entry>>; SHARDS],
}

struct Entry {
    token: Box<str>,
    claims: Arc<AccessClaims>,
}

impl Default for VerifiedTokens {
    fn default() -> Self {
        Self { shards: std::array::from_fn(|_| Mutex::new(HashMap::default())) }
    }
}

impl VerifiedTokens {
    /// The claims of `token` if it was verified before and has not expired at `now`.
    pub fn get(&self, token: &str, now: i64) -> Option<Arc<AccessClaims>> {
        let signature = signature_of(token)?;
        let shard = self.shard(signature).lock().ok()?;
        let entry = shard.get(signature)?;
        (*entry.token == *token && now < entry.claims.exp).then(|| Arc::clone(&entry.claims))
    }

    /// Remembers a token that passed verification, with its claims.
    pub fn insert(&self, token: &str, claims: Arc<AccessClaims>) {
        let Some(signature) = signature_of(token) else { return };
        let Ok(mut shard) = self.shard(signature).lock() else { return };
        if shard.len() >= PER_SHARD {
            let now = super::clock::now();
            shard.retain(|_, entry| entry.claims.exp > now);
            if shard.len() >= PER_SHARD {
                shard.clear();
            }
        }
        shard.insert(signature.into(), Entry { token: token.into(), claims });
    }

    /// Tokens held, across shards.
    pub fn len(&self) -> usize {
        self.shards.iter().map(|shard| shard.lock().map_or(0, |s| s.len())).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The shard of a signature: its first character, six uniformly random bits of an HMAC.
    /// (Not the last: the last character of a 32-byte value in base64 has only four.)
    fn shard(&self, signature: &str) -> &Mutex<HashMap<Box<str>, Entry>> {
        let first = signature.as_bytes().first().copied().unwrap_or_default();
        &self.shards[usize::from(first) % SHARDS]
    }
}

/// The signature segment of a compact JWS: what follows its last dot.
fn signature_of(token: &str) -> Option<&str> {
    let dot = memchr::memrchr(b'.', token.as_bytes())?;
    token.get(dot + 1..).filter(|signature| !signature.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000;

    fn claims(sid: &str, exp: i64) -> Arc<AccessClaims> {
        Arc::new(AccessClaims {
            sub: "7".into(),
            sid: sid.into(),
            email: "ada@example.com".into(),
            aud: "latchkey".into(),
            iat: NOW,
            exp,
            jti: "j".into(),
        })
    }

    #[test]
    fn a_stored_token_is_found_until_it_expires() {
        let cache = VerifiedTokens::default();
        cache.insert("h.p.sig", claims("s", NOW + 10));
        assert_eq!(cache.get("h.p.sig", NOW + 9), Some(claims("s", NOW + 10)));
        assert_eq!(cache.get("h.p.sig", NOW + 10), None, "no leeway past exp");
    }

    #[test]
    fn another_token_with_the_same_signature_is_not_a_hit() {
        let cache = VerifiedTokens::default();
        cache.insert("h.p.sig", claims("s", NOW + 10));
        assert_eq!(cache.get("h.forged.sig", NOW), None);
        assert_eq!(cache.get("sig", NOW), None);
        assert_eq!(cache.get("h.p.other", NOW), None);
    }

    #[test]
    fn the_cache_stays_bounded() {
        let cache = VerifiedTokens::default();
        for i in 0..SHARDS * PER_SHARD * 3 {
            cache.insert(&format!("h.p.{i}sig"), claims("s", NOW + 10));
        }
        assert!(cache.len() <= SHARDS * PER_SHARD, "{} tokens held", cache.len());
        assert!(!cache.is_empty());
    }
}
