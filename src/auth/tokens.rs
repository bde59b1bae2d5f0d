//! Access tokens: HS256 JWTs with a `kid`, signed by the newest key of a [`KeyRing`].
//!
//! The algorithm is pinned by the server (never read from the token), there is no leeway past
//! `exp`, and every failure is one of [`TokenError`]'s variants: never a panic.

use std::sync::{Arc, RwLock};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::random::random_bytes;
use super::verified_tokens::VerifiedTokens;

/// The only algorithm Latchkey signs or accepts.
pub const ALGORITHM: Algorithm = Algorithm::HS256;
pub const ALGORITHM_NAME: &str = "HS256";
/// JWT `typ` of an access token (RFC 9068): no other kind of token is accepted in its place.
pub const ACCESS_TOKEN_TYPE: &str = "at+jwt";
/// The `aud` of every access token: this service, and only this service, accepts them.
pub const AUDIENCE: &str = "latchkey";

/// Claims of an access token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessClaims {
    /// User id.
    pub sub: String,
    /// Session id: lets one revocation end every token of a session.
    pub sid: String,
    /// The user's email, so that `me` needs no database read.
    pub email: String,
    /// Always [`AUDIENCE`].
    pub aud: String,
    pub iat: i64,
    pub exp: i64,
    pub jti: String,
}

impl AccessClaims {
    /// The user id in `sub`.
    ///
    /// # Errors
    /// [`TokenError::Malformed`] when `sub` is not a number (only a forged token could do that).
    pub fn user_id(&self) -> Result<i64, TokenError> {
        self.sub.parse().map_err(|_| TokenError::Malformed)
    }
}

/// Why a token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("token is not a well-formed JWT of ours")]
    Malformed,
    #[error("token was signed with an unknown key")]
    UnknownKey,
    #[error("token signature or algorithm is invalid")]
    BadSignature,
    #[error("token has expired")]
    Expired,
}

/// One symmetric signing key. `Debug` never shows the secret.
#[derive(Clone)]
pub struct SigningKey {
    pub kid: String,
    pub secret: Vec<u8>,
}

impl SigningKey {
    /// A fresh 256-bit key with a random `kid`.
    pub fn generate() -> Self {
        Self { kid: URL_SAFE_NO_PAD.encode(random_bytes::<9>()), secret: random_bytes::<32>().to_vec() }
    }
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey").field("kid", &self.kid).field("secret", &"<redacted>").finish()
    }
}

/// The JOSE header fields an access token must carry; any others are ignored.
#[derive(Deserialize)]
struct JoseHeader {
    alg: String,
    typ: Option<String>,
    kid: Option<String>,
}

/// One base64url part of a JWT, decoded as JSON.
fn decode_part<T: serde::de::DeserializeOwned>(part: &str) -> Result<T, TokenError> {
    let json = URL_SAFE_NO_PAD.decode(part).map_err(|_| TokenError::Malformed)?;
    serde_json::from_slice(&json).map_err(|_| TokenError::Malformed)
}

struct Keys {
    signing_kid: String,
    signing: EncodingKey,
    /// A handful at most (the signing key and the retired ones still in use): a linear scan.
    verifying: Vec<VerifyingKey>,
    /// Tokens these keys verified.
    verified: VerifiedTokens,
    /// Of the keys this set was made of: tells a reload that found the same keys.
    fingerprint: [u8; 32],
}

/// A digest of a key set's kids and secrets, in order.
fn fingerprint(signing: &SigningKey, also_verify: &[SigningKey]) -> [u8; 32] {
    let mut digest = Sha256::new();
    for key in std::iter::once(signing).chain(also_verify) {
        for part in [key.kid.as_bytes(), &key.secret] {
            digest.update((part.len() as u64).to_be_bytes());
            digest.update(part);
        }
    }
    digest.finalize().into()
}

/// A key as the verifier uses it, prepared once: the HMAC already keyed (a clone per token
/// instead of hashing the key again), and the exact header segment our own tokens signed with
/// it carry.
struct VerifyingKey {
    kid: String,
    header_segment: String,
    mac: Hmac<Sha256>,
}

impl VerifyingKey {
    fn new(key: &SigningKey) -> Option<Self> {
        Some(Self {
            kid: key.kid.clone(),
            header_segment: header_segment(key)?,
            mac: Hmac::<Sha256>::new_from_slice(&key.secret).ok()?,
        })
    }

    /// Whether `signature` (base64url) is this key's HMAC of `signed`, in constant time.
    fn signed(&self, signed: &str, signature: &str) -> Result<bool, TokenError> {
        let mut tag = [0u8; 32];
        let len = URL_SAFE_NO_PAD.decode_slice(signature, &mut tag).map_err(|_| TokenError::Malformed)?;
        let mut mac = self.mac.clone();
        mac.update(signed.as_bytes());
        Ok(mac.verify_slice(&tag[..len]).is_ok())
    }
}

/// The base64url JOSE header `KeyRing::sign` writes for `key`, taken from a token it signs.
fn header_segment(key: &SigningKey) -> Option<String> {
    let token =
        jsonwebtoken::encode(&jose_header(&key.kid), &(), &EncodingKey::from_secret(&key.secret)).ok()?;
    token.split('.').next().map(str::to_owned)
}

fn jose_header(kid: &str) -> Header {
    let mut header = Header::new(ALGORITHM);
    header.kid = Some(kid.to_owned());
    header.typ = Some(ACCESS_TOKEN_TYPE.to_owned());
    header
}

/// The keys this instance signs and verifies with; replaced whole when keys rotate.
pub struct KeyRing {
    keys: RwLock<Keys>,
}

impl KeyRing {
    /// `signing` signs new tokens; it and every key in `also_verify` verify.
    pub fn new(signing: &SigningKey, also_verify: &[SigningKey]) -> Self {
        Self { keys: RwLock::new(Keys::from(signing, also_verify)) }
    }

    /// Swaps in a new key set (after a rotation elsewhere). The same keys again (the periodic
    /// reload finds them unchanged) keep the current set, and with it the tokens it verified.
    pub fn replace(&self, signing: &SigningKey, also_verify: &[SigningKey]) {
        if self.read().fingerprint == fingerprint(signing, also_verify) {
            return;
        }
        let keys = Keys::from(signing, also_verify);
        *self.keys.write().unwrap_or_else(|p| p.into_inner()) = keys;
    }

    /// The `kid` that signs new tokens.
    pub fn signing_kid(&self) -> String {
        self.read().signing_kid.clone()
    }

    /// Signs `claims`.
    ///
    /// # Errors
    /// Only if serialization fails, which cannot happen for these claims.
    pub fn sign(&self, claims: &AccessClaims) -> Result<String, jsonwebtoken::errors::Error> {
        let keys = self.read();
        jsonwebtoken::encode(&jose_header(&keys.signing_kid), claims, &keys.signing)
    }

    /// Checks algorithm, type, `kid`, signature, audience and expiry (`now` must be before
    /// `exp`), in that order: nothing in the claims is read before the signature is verified.
    ///
    /// This runs on every authenticated request, so it does as little as it can. A token this
    /// key set verified before is taken from its cache ([`VerifiedTokens`]), only its expiry
    /// checked again. A header that is byte for byte the one we sign with a known key names that
    /// key, `HS256` and `at+jwt` without being decoded; any other header is decoded and checked
    /// field by field. The signature is checked with the key's prepared HMAC, and the claims are
    /// decoded once.
    ///
    /// The claims are shared with the cache: a request borrows them instead of copying their
    /// strings.
    ///
    /// # Errors
    /// The reason the token is refused.
    pub fn verify(&self, token: &str, now: i64) -> Result<Arc<AccessClaims>, TokenError> {
        let keys = self.read();
        if let Some(claims) = keys.verified.get(token, now) {
            return Ok(claims);
        }
        let claims = Arc::new(keys.verify(token, now)?);
        keys.verified.insert(token, Arc::clone(&claims));
        Ok(claims)
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Keys> {
        self.keys.read().unwrap_or_else(|p| p.into_inner())
    }
}

impl Keys {
    /// [`KeyRing::verify`] without the cache.
    fn verify(&self, token: &str, now: i64) -> Result<AccessClaims, TokenError> {
        let mut parts = token.split('.');
        let (Some(header), Some(payload), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(TokenError::Malformed);
        };
        // `header.payload`: everything before the signature's dot.
        let signed = &token[..token.len() - signature.len() - 1];
        let key = match self.verifying.iter().find(|k| k.header_segment == header) {
            Some(key) => key,
            None => self.by_kid(&checked_kid(header)?)?,
        };
        let genuine = key.signed(signed, signature)?;
        if !genuine {
            return Err(TokenError::BadSignature);
        }
        let claims: AccessClaims = decode_part(payload)?;
        if claims.aud != AUDIENCE {
            return Err(TokenError::Malformed);
        }
        if now >= claims.exp {
            return Err(TokenError::Expired);
        }
        Ok(claims)
    }

    fn from(signing: &SigningKey, also_verify: &[SigningKey]) -> Self {
        let verifying = std::iter::once(signing)
            .chain(also_verify)
            .filter_map(|key| {
                let prepared = VerifyingKey::new(key);
                if prepared.is_none() {
                    // Neither step can fail for an HMAC key; if one ever did, say so rather than
                    // refuse that key's tokens without a word.
                    tracing::error!(kid = %key.kid, "could not prepare a verifying key");
                }
                prepared
            })
            .collect();
        Self {
            signing_kid: signing.kid.clone(),
            signing: EncodingKey::from_secret(&signing.secret),
            verifying,
            verified: VerifiedTokens::default(),
            fingerprint: fingerprint(signing, also_verify),
        }
    }

    fn by_kid(&self, kid: &str) -> Result<&VerifyingKey, TokenError> {
        self.verifying.iter().find(|k| k.kid == kid).ok_or(TokenError::UnknownKey)
    }
}

/// The `kid` of a header that is not byte for byte one of ours, once its algorithm and type
/// are checked.
fn checked_kid(header: &str) -> Result<String, TokenError> {
    let header: JoseHeader = decode_part(header)?;
    if header.alg != ALGORITHM_NAME {
        return Err(TokenError::BadSignature);
    }
    if header.typ.as_deref() != Some(ACCESS_TOKEN_TYPE) {
        return Err(TokenError::Malformed);
    }
    header.kid.ok_or(TokenError::UnknownKey)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000;

    fn claims(exp: i64) -> AccessClaims {
        AccessClaims {
            sub: "7".into(),
            sid: "session-1".into(),
            email: "ada@example.com".into(),
            aud: AUDIENCE.into(),
            iat: NOW,
            exp,
            jti: "j1".into(),
        }
    }

    fn ring() -> (KeyRing, SigningKey) {
        let key = SigningKey::generate();
        (KeyRing::new(&key, &[]), key)
    }

    fn b64(json: &str) -> String {
        URL_SAFE_NO_PAD.encode(json)
    }

    #[test]
    fn a_signed_token_verifies_and_carries_its_kid() {
        let (ring, key) = ring();
        let token = ring.sign(&claims(NOW + 300)).expect("sign");
        let header = jsonwebtoken::decode_header(&token).expect("header");
        assert_eq!(header.kid.as_deref(), Some(key.kid.as_str()));
        assert_eq!(header.alg, Algorithm::HS256);
        assert_eq!(header.typ.as_deref(), Some(ACCESS_TOKEN_TYPE));
        assert_eq!(*ring.verify(&token, NOW).expect("valid"), claims(NOW + 300));
    }

    #[test]
    fn a_token_is_refused_from_the_second_it_expires() {
        let (ring, _) = ring();
        let token = ring.sign(&claims(NOW + 300)).expect("sign");
        assert!(ring.verify(&token, NOW + 299).is_ok());
        assert_eq!(ring.verify(&token, NOW + 300), Err(TokenError::Expired));
    }

    #[test]
    fn a_tampered_payload_is_refused() {
        let (ring, _) = ring();
        let token = ring.sign(&claims(NOW + 300)).expect("sign");
        let parts: Vec<&str> = token.split('.').collect();
        let forged = b64(
            &serde_json::to_string(&AccessClaims { sub: "1".into(), ..claims(NOW + 300) }).expect("json")
        );
        let tampered = format!("{}.{}.{}", parts[0], forged, parts[2]);
        assert_eq!(ring.verify(&tampered, NOW), Err(TokenError::BadSignature));
    }

    #[test]
    fn a_tampered_signature_is_refused() {
        let (ring, _) = ring();
        let token = ring.sign(&claims(NOW + 300)).expect("sign");
        let mut chars: Vec<char> = token.chars().collect();
        let last = chars.len() - 5;
        chars[last] = if chars[last] == 'A' { 'B' } else { 'A' };
        let tampered: String = chars.into_iter().collect();
        assert!(ring.verify(&tampered, NOW).is_err());
    }

    #[test]
    fn alg_none_is_refused() {
        let (ring, key) = ring();
        let header = b64(&format!(r#"{{"alg":"none","typ":"JWT","kid":"{}"}}"#, key.kid));
        let body = b64(&serde_json::to_string(&claims(NOW + 300)).expect("json"));
        assert!(ring.verify(&format!("{header}.{body}."), NOW).is_err());
    }

    #[test]
    fn another_algorithm_is_refused_even_with_the_right_secret() {
        let (ring, key) = ring();
        let mut header = Header::new(Algorithm::HS512);
        header.kid = Some(key.kid.clone());
        let token = jsonwebtoken::encode(&header, &claims(NOW + 300), &EncodingKey::from_secret(&key.secret))
            .expect("sign");
        assert_eq!(ring.verify(&token, NOW), Err(TokenError::BadSignature));
    }

    #[test]
    fn an_unknown_or_missing_kid_is_refused() {
        let (ring, _) = ring();
        let (other, _) = self::ring();
        let token = other.sign(&claims(NOW + 300)).expect("sign");
        assert_eq!(ring.verify(&token, NOW), Err(TokenError::UnknownKey));
        let header = Header { typ: Some(ACCESS_TOKEN_TYPE.into()), ..Header::new(ALGORITHM) };
        let no_kid =
            jsonwebtoken::encode(&header, &claims(NOW + 300), &EncodingKey::from_secret(b"x")).expect("sign");
        assert_eq!(ring.verify(&no_kid, NOW), Err(TokenError::UnknownKey));
    }

    #[test]
    fn a_token_of_another_type_is_refused() {
        let (ring, key) = ring();
        for typ in [None, Some("JWT"), Some("id+jwt")] {
            let header =
                Header { typ: typ.map(str::to_owned), kid: Some(key.kid.clone()), ..Header::new(ALGORITHM) };
            let token =
                jsonwebtoken::encode(&header, &claims(NOW + 300), &EncodingKey::from_secret(&key.secret))
                    .expect("sign");
            assert_eq!(ring.verify(&token, NOW), Err(TokenError::Malformed), "typ {typ:?}");
        }
    }

    #[test]
    fn a_token_for_another_audience_is_refused() {
        let (ring, _) = ring();
        let token =
            ring.sign(&AccessClaims { aud: "some-other-api".into(), ..claims(NOW + 300) }).expect("sign");
        assert_eq!(ring.verify(&token, NOW), Err(TokenError::Malformed));
    }

    #[test]
    fn genuinely_signed_claims_missing_a_field_or_with_extra_parts_are_refused() {
        let (ring, key) = ring();
        let mut header = Header::new(ALGORITHM);
        header.kid = Some(key.kid.clone());
        header.typ = Some(ACCESS_TOKEN_TYPE.to_owned());
        let signer = EncodingKey::from_secret(&key.secret);
        let no_exp = serde_json::json!({ "sub": "7", "sid": "s", "email": "a@b.c", "aud": AUDIENCE, "iat": NOW, "jti": "j" });
        let token = jsonwebtoken::encode(&header, &no_exp, &signer).expect("sign");
        assert_eq!(ring.verify(&token, NOW), Err(TokenError::Malformed), "no exp");
        let good = ring.sign(&claims(NOW + 300)).expect("sign");
        for bad in [format!("{good}."), format!("{good}.x"), format!(" {good}"), good.replacen('.', "..", 1)]
        {
            assert!(ring.verify(&bad, NOW).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_header_of_ours_written_differently_is_still_checked_and_accepted() {
        let (ring, key) = ring();
        // Same fields as the header we sign with, in another order and spacing: not the
        // byte-for-byte header, so it takes the decoding path.
        let header = b64(&format!(r#"{{ "kid": "{}", "typ": "at+jwt", "alg": "HS256" }}"#, key.kid));
        let body = b64(&serde_json::to_string(&claims(NOW + 300)).expect("json"));
        let signed = format!("{header}.{body}");
        let mut mac = Hmac::<Sha256>::new_from_slice(&key.secret).expect("key");
        mac.update(signed.as_bytes());
        let token = format!("{signed}.{}", URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes()));
        assert_eq!(ring.verify(&token, NOW), Ok(Arc::new(claims(NOW + 300))));
        let wrong_type = b64(&format!(r#"{{ "kid": "{}", "typ": "JWT", "alg": "HS256" }}"#, key.kid));
        let retyped = token.replacen(&header, &wrong_type, 1);
        assert_eq!(ring.verify(&retyped, NOW), Err(TokenError::Malformed));
    }

    #[test]
    fn a_signature_of_the_wrong_length_is_refused() {
        let (ring, _) = ring();
        let token = ring.sign(&claims(NOW + 300)).expect("sign");
        let (signed, signature) = token.rsplit_once('.').expect("three parts");
        for bad in [&signature[..20], &format!("{signature}{signature}"), ""] {
            assert!(ring.verify(&format!("{signed}.{bad}"), NOW).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_known_kid_with_the_wrong_key_is_refused() {
        let (ring, key) = ring();
        let forger = KeyRing::new(&SigningKey { kid: key.kid.clone(), secret: vec![1; 32] }, &[]);
        let token = forger.sign(&claims(NOW + 300)).expect("sign");
        assert_eq!(ring.verify(&token, NOW), Err(TokenError::BadSignature));
    }

    #[test]
    fn garbage_is_malformed_not_a_panic() {
        let (ring, _) = ring();
        for junk in ["", "abc", "a.b.c", "....", &"x".repeat(10_240), "eyJhbGciOiJIUzI1NiJ9.e30.sig"] {
            assert!(ring.verify(junk, NOW).is_err(), "{junk:.20}");
        }
    }

    #[test]
    fn retired_keys_still_verify_after_rotation_but_new_tokens_use_the_new_kid() {
        let (ring, old) = ring();
        let before = ring.sign(&claims(NOW + 300)).expect("sign");
        let new = SigningKey::generate();
        ring.replace(&new, std::slice::from_ref(&old));
        assert!(ring.verify(&before, NOW).is_ok());
        let after = ring.sign(&claims(NOW + 300)).expect("sign");
        assert_eq!(jsonwebtoken::decode_header(&after).expect("h").kid, Some(new.kid));
    }

    #[test]
    fn a_token_verified_once_is_remembered_but_a_forged_twin_of_it_is_not() {
        let (ring, _) = ring();
        let token = ring.sign(&claims(NOW + 300)).expect("sign");
        assert!(ring.verify(&token, NOW).is_ok());
        assert_eq!(ring.read().verified.len(), 1);
        assert_eq!(*ring.verify(&token, NOW).expect("again"), claims(NOW + 300));
        // Its signature, under other claims: a hit only if the cache trusted signatures alone.
        let (header, rest) = token.split_once('.').expect("jwt");
        let signature = rest.rsplit_once('.').expect("jwt").1;
        let admin =
            serde_json::to_string(&AccessClaims { sub: "1".into(), ..claims(NOW + 300) }).expect("json");
        let forged = format!("{header}.{}.{signature}", b64(&admin));
        assert_eq!(ring.verify(&forged, NOW), Err(TokenError::BadSignature));
    }

    #[test]
    fn a_remembered_token_still_expires_without_leeway() {
        let (ring, _) = ring();
        let token = ring.sign(&claims(NOW + 300)).expect("sign");
        assert!(ring.verify(&token, NOW).is_ok());
        assert_eq!(ring.verify(&token, NOW + 300), Err(TokenError::Expired));
    }

    #[test]
    fn reloading_the_same_keys_keeps_the_tokens_they_verified() {
        let (ring, key) = ring();
        let token = ring.sign(&claims(NOW + 300)).expect("sign");
        assert!(ring.verify(&token, NOW).is_ok());
        ring.replace(&key.clone(), &[]);
        assert_eq!(ring.read().verified.len(), 1, "an unchanged reload keeps the cache");
        ring.replace(&key, &[SigningKey::generate()]);
        assert_eq!(ring.read().verified.len(), 0, "another key set starts afresh");
        assert!(ring.verify(&token, NOW).is_ok());
    }

    #[test]
    fn a_token_whose_key_was_dropped_is_not_remembered_past_the_key() {
        let (ring, _) = ring();
        let token = ring.sign(&claims(NOW + 300)).expect("sign");
        assert!(ring.verify(&token, NOW).is_ok());
        ring.replace(&SigningKey::generate(), &[]);
        assert_eq!(ring.verify(&token, NOW), Err(TokenError::UnknownKey));
    }

    #[test]
    fn the_secret_never_appears_in_debug_output() {
        let key = SigningKey { kid: "k".into(), secret: b"supersecretsupersecret".to_vec() };
        assert!(!format!("{key:?}").contains("115"));
        assert!(!format!("{key:?}").contains("supersecret"));
    }
}
