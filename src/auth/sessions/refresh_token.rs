//! Refresh tokens: a chain per session, each token used once, only the current one's hash stored.
//!
//! A token reads `<session id>.<generation>.<secret>.<tag>`. The first secret of a session is 256
//! bits from the OS CSPRNG; each successor's secret is *derived*, `HMAC-SHA256(session.rotation_key,
//! "next" ‖ secret)`, and its generation is one more. The tag, `HMAC-SHA256(rotation_key, "tag" ‖
//! generation ‖ secret)` cut to 128 bits, binds the generation and the secret to the session's key.
//! So:
//! - a token presented again within the grace window (two tabs refreshing at once) gets back the
//!   very same successor: the session never forks into two live tokens;
//! - the session row stores only the hash and generation of its current token, however often it
//!   rotated. An older token is recognised by deriving the chain forward from it: if that
//!   reaches the current token's hash, it is a genuine token of this session, presented again
//!   ([`place_in_chain`]). Without a token of the chain nobody can do this, not even with the
//!   database (it holds hashes, and the HMAC cannot be run backwards), so a forged token naming
//!   someone's session cannot get that session revoked;
//! - a token whose tag does not match is refused before any of that, with one HMAC: a made-up
//!   token cannot make the server walk a long chain.
//!
//! Whether to rotate is decided by the pure [`decide`]. This module does no I/O and must never
//! log a token.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::auth::random::random_bytes;

/// Bytes of a secret, and their length in unpadded base64url.
const SECRET_BYTES: usize = 32;
const SECRET_LEN: usize = 43;
/// Bytes of a tag (128 bits), and their length in unpadded base64url.
const TAG_BYTES: usize = 16;
const TAG_LEN: usize = 22;
/// Length of a session id (`random::random_id`): 16 bytes in unpadded base64url.
const SESSION_ID_LEN: usize = 22;
/// Digits of the largest generation accepted (`u32::MAX`, far beyond any session's lifetime).
const MAX_GENERATION_DIGITS: usize = 10;

/// The most generations a presented token may lie behind the current one and still be
/// recognised: this many HMACs (~0.3 ms per thousand) bound the work of one request, and only
/// a token with a genuine tag gets that far. A session refreshed every 5 minutes for 30 days is
/// 8,640 generations long. A token further back is refused without ending its session, as an
/// unknown one.
pub const MAX_CHAIN_WALK: i64 = 20_000;

type Secret = [u8; SECRET_BYTES];

/// A refresh token in clear. `Debug` is redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct RefreshToken {
    encoded: String,
    generation: i64,
    secret: Secret,
    tag: [u8; TAG_BYTES],
}

/// A session's rotation key, ready to derive successors and tags.
#[derive(Clone)]
pub struct ChainKey(Hmac<Sha256>);

impl ChainKey {
    /// # Errors
    /// Only if the HMAC rejects the key, which HMAC-SHA256 never does for any length.
    pub fn new(rotation_key: &[u8]) -> Result<Self, hmac::digest::InvalidLength> {
        Hmac::new_from_slice(rotation_key).map(Self)
    }

    fn next_secret(&self, secret: &Secret) -> Secret {
        let mut mac = self.0.clone();
        mac.update(b"next");
        mac.update(secret);
        mac.finalize().into_bytes().into()
    }

    fn tag(&self, generation: i64, secret: &Secret) -> [u8; TAG_BYTES] {
        let mut mac = self.0.clone();
        mac.update(b"tag");
        mac.update(&generation.to_be_bytes());
        mac.update(secret);
        let mut tag = [0u8; TAG_BYTES];
        tag.copy_from_slice(&mac.finalize().into_bytes()[..TAG_BYTES]);
        tag
    }
}

impl RefreshToken {
    /// The first token of a session: generation 0, a secret of 256 bits from the OS CSPRNG.
    pub fn first(session_id: &str, key: &ChainKey) -> Self {
        Self::from_parts(session_id, 0, random_bytes::<SECRET_BYTES>(), key)
    }

    fn from_parts(session_id: &str, generation: i64, secret: Secret, key: &ChainKey) -> Self {
        let tag = key.tag(generation, &secret);
        let encoded = format!(
            "{session_id}.{generation}.{}.{}",
            URL_SAFE_NO_PAD.encode(secret),
            URL_SAFE_NO_PAD.encode(tag)
        );
        Self { encoded, generation, secret, tag }
    }

    /// Accepts a cookie value only if it has the shape of one of our tokens.
    pub fn parse(raw: &str) -> Option<Self> {
        let mut parts = raw.split('.');
        let (session_id, generation, secret, tag) =
            (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
        let base64url = |s: &str| s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        let canonical_number = (1..=MAX_GENERATION_DIGITS).contains(&generation.len())
            && generation.bytes().all(|b| b.is_ascii_digit())
            && (generation == "0" || !generation.starts_with('0'));
        let generation = generation.parse::<u32>().ok().filter(|_| canonical_number)?;
        let shaped = parts.next().is_none()
            && session_id.len() == SESSION_ID_LEN
            && secret.len() == SECRET_LEN
            && tag.len() == TAG_LEN
            && base64url(session_id);
        if !shaped {
            return None;
        }
        Some(Self {
            encoded: raw.to_owned(),
            generation: i64::from(generation),
            secret: decode_exact(secret)?,
            tag: decode_exact(tag)?,
        })
    }

    /// The session this token claims to belong to (proved only by [`place_in_chain`]).
    pub fn session_id(&self) -> &str {
        &self.encoded[..SESSION_ID_LEN]
    }

    pub fn generation(&self) -> i64 {
        self.generation
    }

    /// What the session row stores of its current token.
    pub fn hash(&self) -> Vec<u8> {
        Sha256::digest(self.secret).to_vec()
    }

    /// The token that replaces this one.
    pub fn successor(&self, key: &ChainKey) -> Self {
        Self::from_parts(self.session_id(), self.generation + 1, key.next_secret(&self.secret), key)
    }

    /// Whether the tag is the one `key` gives this generation and secret.
    fn is_tagged_by(&self, key: &ChainKey) -> bool {
        key.tag(self.generation, &self.secret).ct_eq(&self.tag).into()
    }

    pub fn expose(&self) -> &str {
        &self.encoded
    }
}

/// Unpadded base64url that decodes to exactly `N` bytes (and is the canonical encoding of them).
fn decode_exact<const N: usize>(encoded: &str) -> Option<[u8; N]> {
    let mut buffer = [0u8; 64];
    let len = URL_SAFE_NO_PAD.decode_slice(encoded, &mut buffer).ok()?;
    buffer[..len].try_into().ok()
}

impl std::fmt::Debug for RefreshToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RefreshToken(<redacted>)")
    }
}

/// Where a presented token stands in its session's chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChainPlace {
    /// The session's current token.
    Current,
    /// The token the current one replaced.
    Previous,
    /// A token two or more rotations back.
    Older,
    /// Not a token of this chain (forged, or from before the session's last sign-in), or
    /// further back than [`MAX_CHAIN_WALK`].
    Unknown,
}

/// Places `presented` in the chain whose current token has `current_generation` and
/// `current_hash`: a token with a genuine tag is walked forward, successor by successor, until
/// that generation.
pub fn place_in_chain(
    presented: &RefreshToken,
    key: &ChainKey,
    current_generation: i64,
    current_hash: &[u8],
) -> ChainPlace {
    let behind = current_generation - presented.generation;
    if !(0..=MAX_CHAIN_WALK).contains(&behind) || !presented.is_tagged_by(key) {
        return ChainPlace::Unknown;
    }
    let mut secret = presented.secret;
    for _ in 0..behind {
        secret = key.next_secret(&secret);
    }
    if !bool::from(Sha256::digest(secret)[..].ct_eq(current_hash)) {
        return ChainPlace::Unknown;
    }
    match behind {
        0 => ChainPlace::Current,
        1 => ChainPlace::Previous,
        _ => ChainPlace::Older,
    }
}

/// What the server knows about a presented token and its session, at the moment of refresh.
#[derive(Debug, Clone, Copy)]
pub struct RefreshFacts {
    pub now: i64,
    pub place: ChainPlace,
    /// When the session's current token was issued (its parent rotated).
    pub current_issued_at: i64,
    pub current_expires_at: i64,
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
    /// Not a token of the session it names.
    Unknown,
}

/// Decides what to do with a presented refresh token. Pure: every rule of rotation lives here.
pub fn decide(facts: &RefreshFacts, policy: &RefreshPolicy) -> Decision {
    if facts.place == ChainPlace::Unknown {
        return Decision::Unknown;
    }
    if facts.session_revoked {
        return Decision::Revoked;
    }
    let idle_deadline = facts.session_last_used_at.saturating_add(policy.idle_timeout);
    if facts.now >= facts.session_expires_at || facts.now >= idle_deadline {
        return Decision::Expired;
    }
    let current_is_live = facts.now < facts.current_expires_at;
    match facts.place {
        ChainPlace::Current if current_is_live => Decision::Rotate,
        ChainPlace::Current => Decision::Expired,
        ChainPlace::Previous
            if current_is_live && facts.now - facts.current_issued_at <= policy.reuse_grace =>
        {
            Decision::Grace
        }
        ChainPlace::Previous | ChainPlace::Older => Decision::Reuse,
        ChainPlace::Unknown => Decision::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000;
    const POLICY: RefreshPolicy = RefreshPolicy { reuse_grace: 10, idle_timeout: 3_600 };
    const SESSION: &str = "AAAAAAAAAAAAAAAAAAAAAA";

    fn live() -> RefreshFacts {
        RefreshFacts {
            now: NOW,
            place: ChainPlace::Current,
            current_issued_at: NOW - 100,
            current_expires_at: NOW + 1_000,
            session_revoked: false,
            session_last_used_at: NOW - 60,
            session_expires_at: NOW + 10_000,
        }
    }

    fn key(k: &[u8]) -> ChainKey {
        ChainKey::new(k).expect("any key length")
    }

    /// A chain of `len` tokens from a fresh first one.
    fn chain(key: &ChainKey, len: usize) -> Vec<RefreshToken> {
        let mut tokens = vec![RefreshToken::first(SESSION, key)];
        while tokens.len() < len {
            let next = tokens.last().expect("one").successor(key);
            tokens.push(next);
        }
        tokens
    }

    #[test]
    fn a_current_token_rotates() {
        assert_eq!(decide(&live(), &POLICY), Decision::Rotate);
    }

    #[test]
    fn the_previous_token_within_grace_gets_the_same_successor() {
        let facts = RefreshFacts { place: ChainPlace::Previous, current_issued_at: NOW - 10, ..live() };
        assert_eq!(decide(&facts, &POLICY), Decision::Grace);
    }

    #[test]
    fn the_previous_token_after_grace_is_reuse() {
        let facts = RefreshFacts { place: ChainPlace::Previous, current_issued_at: NOW - 11, ..live() };
        assert_eq!(decide(&facts, &POLICY), Decision::Reuse);
    }

    #[test]
    fn an_older_token_is_reuse_even_within_grace() {
        let facts = RefreshFacts { place: ChainPlace::Older, current_issued_at: NOW - 1, ..live() };
        assert_eq!(decide(&facts, &POLICY), Decision::Reuse);
    }

    #[test]
    fn an_unknown_token_ends_nothing() {
        let facts = RefreshFacts { place: ChainPlace::Unknown, ..live() };
        assert_eq!(decide(&facts, &POLICY), Decision::Unknown);
    }

    #[test]
    fn an_expired_token_does_not_rotate() {
        let facts = RefreshFacts { current_expires_at: NOW, ..live() };
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
        let previous = RefreshFacts { place: ChainPlace::Previous, current_issued_at: NOW, ..current };
        assert_eq!(decide(&current, &POLICY), Decision::Revoked);
        assert_eq!(decide(&previous, &POLICY), Decision::Revoked);
    }

    #[test]
    fn the_previous_token_once_the_current_one_expired_is_reuse() {
        let facts = RefreshFacts {
            place: ChainPlace::Previous,
            current_issued_at: NOW,
            current_expires_at: NOW,
            ..live()
        };
        assert_eq!(decide(&facts, &POLICY), Decision::Reuse);
    }

    #[test]
    fn successors_are_deterministic_per_session_key_and_distinct_from_their_parent() {
        let token = RefreshToken::first(SESSION, &key(b"key-a"));
        let a = token.successor(&key(b"key-a"));
        assert_eq!(a, token.successor(&key(b"key-a")));
        assert_ne!(a, token.successor(&key(b"key-b")));
        assert_ne!(a.hash(), token.hash());
        assert_eq!((a.session_id(), a.generation()), (SESSION, 1));
        assert_eq!(RefreshToken::parse(a.expose()), Some(a), "a successor has the token shape");
    }

    #[test]
    fn every_token_of_a_chain_is_placed_by_how_far_behind_the_current_one_it_is() {
        let k = key(b"rotation key");
        let tokens = chain(&k, 6);
        let current = tokens.last().expect("token");
        let place = |t: &RefreshToken| place_in_chain(t, &k, current.generation(), &current.hash());
        assert_eq!(place(&tokens[5]), ChainPlace::Current);
        assert_eq!(place(&tokens[4]), ChainPlace::Previous);
        for older in &tokens[..4] {
            assert_eq!(place(older), ChainPlace::Older);
        }
    }

    #[test]
    fn a_token_not_derived_from_the_chain_is_unknown_whatever_it_claims() {
        let k = key(b"rotation key");
        let tokens = chain(&k, 4);
        let current = &tokens[3];
        let place = |t: &RefreshToken| place_in_chain(t, &k, current.generation(), &current.hash());
        // Same session and generation as real tokens, other secrets, tagged with the real key
        // (as only someone holding the database could): they pass the tag, not the walk.
        for real in &tokens {
            let forged = RefreshToken::from_parts(SESSION, real.generation(), [7; SECRET_BYTES], &k);
            assert_eq!(place(&forged), ChainPlace::Unknown);
        }
        // A real older secret claiming another generation: its tag does not match.
        let relabelled = RefreshToken::from_parts(SESSION, 2, tokens[0].secret, &key(b"other"));
        let relabelled = RefreshToken { tag: tokens[0].tag, ..relabelled };
        assert_eq!(place(&relabelled), ChainPlace::Unknown);
        // Another key (another session's chain), and generations ahead of the current one.
        assert_eq!(place_in_chain(&tokens[1], &key(b"other"), 3, &current.hash()), ChainPlace::Unknown);
        assert_eq!(place(&current.successor(&k)), ChainPlace::Unknown);
    }

    #[test]
    fn only_a_token_tagged_with_its_sessions_key_is_walked() {
        let k = key(b"rotation key");
        let tokens = chain(&k, 3);
        let mut forged = tokens[0].clone();
        forged.tag[0] ^= 1;
        assert!(tokens[0].is_tagged_by(&k));
        assert!(!forged.is_tagged_by(&k), "a changed tag");
        assert!(!tokens[0].is_tagged_by(&key(b"other")), "another session's key");
        assert_eq!(place_in_chain(&forged, &k, 2, &tokens[2].hash()), ChainPlace::Unknown);
        assert_eq!(place_in_chain(&tokens[0], &k, 2, &tokens[2].hash()), ChainPlace::Older);
    }

    #[test]
    fn a_token_further_back_than_the_walk_limit_is_unknown() {
        let k = key(b"rotation key");
        let first = RefreshToken::first(SESSION, &k);
        let mut current = first.clone();
        for _ in 0..=MAX_CHAIN_WALK {
            current = current.successor(&k);
        }
        assert_eq!(place_in_chain(&first, &k, current.generation(), &current.hash()), ChainPlace::Unknown);
        let second = first.successor(&k);
        assert_eq!(place_in_chain(&second, &k, current.generation(), &current.hash()), ChainPlace::Older);
    }

    #[test]
    fn tokens_carry_256_bits_and_only_well_shaped_values_parse() {
        let k = key(b"rotation key");
        let token = RefreshToken::first(SESSION, &k);
        assert_ne!(token, RefreshToken::first(SESSION, &k));
        assert_eq!(token.hash().len(), 32);
        assert_eq!(RefreshToken::parse(token.expose()).as_ref(), Some(&token));
        assert_eq!(RefreshToken::parse(token.successor(&k).expose()), Some(token.successor(&k)));
        let (secret, tag) = ("A".repeat(SECRET_LEN), "A".repeat(TAG_LEN));
        let well_shaped = format!("{SESSION}.4294967295.{secret}.{tag}");
        assert!(RefreshToken::parse(&well_shaped).is_some());
        for bad in [
            String::new(),
            "short".into(),
            "a".repeat(43),
            format!("{SESSION}.0.{secret}"),
            format!("{SESSION}.0.{secret}.{tag}.x"),
            format!("{SESSION}.01.{secret}.{tag}"),
            format!("{SESSION}.+1.{secret}.{tag}"),
            format!("{SESSION}.-1.{secret}.{tag}"),
            format!("{SESSION}..{secret}.{tag}"),
            format!("{SESSION}.4294967296.{secret}.{tag}"),
            format!("{SESSION}.0.{}.{tag}", "a".repeat(44)),
            format!("{SESSION}.0.{}=.{tag}", "a".repeat(42)),
            format!("{SESSION}.0.{}B.{tag}", "A".repeat(42)),
            format!("{SESSION}.0.{secret}.{}", "A".repeat(23)),
            format!("{}.0.{secret}.{tag}", "é".repeat(11)),
            format!("{SESSION}a.0.{secret}.{tag}"),
        ] {
            assert!(RefreshToken::parse(&bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn debug_output_never_shows_the_token() {
        let token = RefreshToken::first(SESSION, &key(b"k"));
        let secret = token.expose().split('.').nth(2).expect("secret");
        assert!(!format!("{token:?}").contains(secret));
    }
}
