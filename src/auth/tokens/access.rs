//! Access tokens: HS256 JWTs with a `kid`, signed by the newest key of a [`KeyRing`] and
//! verified by `jsonwebtoken::decode` with one pinned [`Validation`]: algorithm HS256 only (never
//! read from the token), `aud` must be ours, `exp`, `sub` and `aud` required, no leeway past
//! `exp`; the header's `typ` must be `at+jwt` and its `kid` one of our keys. Every failure is
//! one of [`TokenError`]'s variants: never a panic.

use std::sync::{Arc, LazyLock, RwLock};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::auth::random::random_bytes;

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
    /// When the user last proved who they are in this session (OIDC's `auth_time`); a refresh
    /// copies it, never renews it. 0 in tokens from before it existed: never fresh.
    #[serde(default)]
    pub auth_time: i64,
    /// How (RFC 8176 `amr` values, such as `pwd`).
    #[serde(default)]
    pub amr: Vec<String>,
    /// OIDC's `email_verified`: read from the account when the token is signed.
    #[serde(default)]
    pub email_verified: bool,
    /// The second factors the account has (`"totp"`), so that `me` and sudo need no database read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub second_factors: Vec<String>,
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

impl From<jsonwebtoken::errors::Error> for TokenError {
    fn from(err: jsonwebtoken::errors::Error) -> Self {
        match err.kind() {
            ErrorKind::ExpiredSignature => Self::Expired,
            ErrorKind::InvalidSignature | ErrorKind::InvalidAlgorithm | ErrorKind::InvalidAlgorithmName => {
                Self::BadSignature
            }
            _ => Self::Malformed,
        }
    }
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

/// The checks every access token passes: HS256 only, our audience, `exp`/`sub`/`aud`
/// present, no leeway, and refused from the second `exp` is reached (jsonwebtoken accepts a
/// token *at* `exp` unless told to refuse those expiring in less than a second).
static VALIDATION: LazyLock<Validation> = LazyLock::new(|| {
    let mut validation = Validation::new(ALGORITHM);
    validation.leeway = 0;
    validation.reject_tokens_expiring_in_less_than = 1;
    validation.set_audience(&[AUDIENCE]);
    validation.set_required_spec_claims(&["exp", "sub", "aud"]);
    validation
});

/// As [`VALIDATION`], but an expired token passes: logout uses it to find the session to end.
static VALIDATION_IGNORING_EXPIRY: LazyLock<Validation> = LazyLock::new(|| {
    let mut validation = VALIDATION.clone();
    validation.validate_exp = false;
    validation.reject_tokens_expiring_in_less_than = 0;
    validation
});

/// A key set: one signs, all verify.
struct Keys {
    signing_kid: String,
    signing: EncodingKey,
    /// A handful at most (the signing key and the retired ones still in use): a linear scan.
    verifying: Vec<(String, DecodingKey)>,
    /// Of the keys this set was made of: tells a reload that found the same keys.
    fingerprint: [u8; 32],
}

impl Keys {
    fn new(signing: &SigningKey, also_verify: &[SigningKey]) -> Self {
        let verifying = std::iter::once(signing)
            .chain(also_verify)
            .map(|key| (key.kid.clone(), DecodingKey::from_secret(&key.secret)))
            .collect();
        Self {
            signing_kid: signing.kid.clone(),
            signing: EncodingKey::from_secret(&signing.secret),
            verifying,
            fingerprint: fingerprint(signing, also_verify),
        }
    }

    fn decoding_key(&self, kid: &str) -> Option<&DecodingKey> {
        self.verifying.iter().find(|(k, _)| k == kid).map(|(_, key)| key)
    }
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

fn jose_header(kid: &str) -> Header {
    let mut header = Header::new(ALGORITHM);
    header.kid = Some(kid.to_owned());
    header.typ = Some(ACCESS_TOKEN_TYPE.to_owned());
    header
}

/// The keys this instance signs and verifies with; replaced whole when keys rotate.
pub struct KeyRing {
    keys: RwLock<Arc<Keys>>,
}

impl KeyRing {
    /// `signing` signs new tokens; it and every key in `also_verify` verify.
    pub fn new(signing: &SigningKey, also_verify: &[SigningKey]) -> Self {
        Self { keys: RwLock::new(Arc::new(Keys::new(signing, also_verify))) }
    }

    /// Swaps in a new key set (after a rotation elsewhere); the same keys again keep the set.
    pub fn replace(&self, signing: &SigningKey, also_verify: &[SigningKey]) {
        if self.current().fingerprint == fingerprint(signing, also_verify) {
            return;
        }
        let keys = Arc::new(Keys::new(signing, also_verify));
        *self.keys.write().unwrap_or_else(std::sync::PoisonError::into_inner) = keys;
    }

    /// The `kid` that signs new tokens.
    pub fn signing_kid(&self) -> String {
        self.current().signing_kid.clone()
    }

    /// Signs `claims`.
    ///
    /// # Errors
    /// Only if serialization fails, which cannot happen for these claims.
    pub fn sign(&self, claims: &AccessClaims) -> Result<String, jsonwebtoken::errors::Error> {
        let keys = self.current();
        jsonwebtoken::encode(&jose_header(&keys.signing_kid), claims, &keys.signing)
    }

    /// The claims of `token` if it is one of ours and has not expired.
    ///
    /// # Errors
    /// The reason the token is refused.
    pub fn verify(&self, token: &str) -> Result<AccessClaims, TokenError> {
        self.decode(token, &VALIDATION)
    }

    /// [`Self::verify`], except that an expired token is accepted (its signature, algorithm,
    /// type, key and audience are still checked).
    ///
    /// # Errors
    /// The reason the token is refused.
    pub fn verify_ignoring_expiry(&self, token: &str) -> Result<AccessClaims, TokenError> {
        self.decode(token, &VALIDATION_IGNORING_EXPIRY)
    }

    /// Tries the keys in turn, the signing key first (nearly every token is signed with it), so
    /// the header is parsed by `jsonwebtoken::decode` alone. A signature that verifies proves the
    /// header too, so its `kid` must then name that key and its `typ` be ours.
    fn decode(&self, token: &str, validation: &Validation) -> Result<AccessClaims, TokenError> {
        let keys = self.current();
        for (kid, key) in &keys.verifying {
            match jsonwebtoken::decode::<AccessClaims>(token, key, validation) {
                Ok(data) if data.header.kid.as_deref() != Some(kid.as_str()) => {
                    return Err(TokenError::UnknownKey)
                }
                Ok(data) if data.header.typ.as_deref() != Some(ACCESS_TOKEN_TYPE) => {
                    return Err(TokenError::Malformed)
                }
                Ok(data) => return Ok(data.claims),
                Err(e) if matches!(e.kind(), ErrorKind::InvalidSignature) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        // No key of ours signed it: a token naming a kid we do not have is "unknown key".
        let header = jsonwebtoken::decode_header(token)?;
        match header.kid {
            Some(kid) if keys.decoding_key(&kid).is_some() => Err(TokenError::BadSignature),
            _ => Err(TokenError::UnknownKey),
        }
    }

    fn current(&self) -> Arc<Keys> {
        Arc::clone(&self.keys.read().unwrap_or_else(std::sync::PoisonError::into_inner))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::clock::now;

    fn claims(exp: i64) -> AccessClaims {
        AccessClaims {
            sub: "7".into(),
            sid: "session-1".into(),
            email: "ada@example.com".into(),
            aud: AUDIENCE.into(),
            iat: now(),
            exp,
            jti: "j1".into(),
            auth_time: 0,
            amr: vec![],
            email_verified: false,
            second_factors: Vec::new(),
        }
    }

    fn ring() -> (KeyRing, SigningKey) {
        let key = SigningKey::generate();
        (KeyRing::new(&key, &[]), key)
    }

    fn b64(json: &str) -> String {
        URL_SAFE_NO_PAD.encode(json)
    }

    fn hs256(key: &SigningKey, header: &str, body: &str) -> String {
        use hmac::{Hmac, Mac};
        let signed = format!("{}.{}", b64(header), b64(body));
        let mut mac = Hmac::<Sha256>::new_from_slice(&key.secret).expect("key");
        mac.update(signed.as_bytes());
        format!("{signed}.{}", URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes()))
    }

    #[test]
    fn a_signed_token_verifies_and_carries_its_kid() {
        let (ring, key) = ring();
        let claims = claims(now() + 300);
        let token = ring.sign(&claims).expect("sign");
        let header = jsonwebtoken::decode_header(&token).expect("header");
        assert_eq!(header.kid.as_deref(), Some(key.kid.as_str()));
        assert_eq!(header.alg, Algorithm::HS256);
        assert_eq!(header.typ.as_deref(), Some(ACCESS_TOKEN_TYPE));
        assert_eq!(ring.verify(&token).expect("valid"), claims);
    }

    #[test]
    fn a_token_is_refused_from_the_second_it_expires() {
        let (ring, _) = ring();
        let live = ring.sign(&claims(now() + 2)).expect("sign");
        assert!(ring.verify(&live).is_ok());
        for exp in [now(), now() - 1, now() - 3_600] {
            let expired = ring.sign(&claims(exp)).expect("sign");
            assert_eq!(ring.verify(&expired), Err(TokenError::Expired), "exp = now{:+}", exp - now());
        }
    }

    #[test]
    fn an_expired_token_still_proves_its_claims_when_expiry_is_ignored_but_a_forgery_does_not() {
        let (ring, _) = ring();
        let expired = ring.sign(&claims(now() - 60)).expect("sign");
        assert_eq!(ring.verify_ignoring_expiry(&expired).expect("genuine").sid, "session-1");
        let (other, _) = self::ring();
        let forged = other.sign(&claims(now() - 60)).expect("sign");
        assert_eq!(ring.verify_ignoring_expiry(&forged), Err(TokenError::UnknownKey));
    }

    #[test]
    fn a_tampered_payload_is_refused() {
        let (ring, _) = ring();
        let token = ring.sign(&claims(now() + 300)).expect("sign");
        let parts: Vec<&str> = token.split('.').collect();
        let forged =
            b64(&serde_json::to_string(&AccessClaims { sub: "1".into(), ..claims(now() + 300) })
                .expect("json"));
        let tampered = format!("{}.{}.{}", parts[0], forged, parts[2]);
        assert_eq!(ring.verify(&tampered), Err(TokenError::BadSignature));
    }

    #[test]
    fn a_tampered_signature_is_refused() {
        let (ring, _) = ring();
        let token = ring.sign(&claims(now() + 300)).expect("sign");
        let mut chars: Vec<char> = token.chars().collect();
        let last = chars.len() - 5;
        chars[last] = if chars[last] == 'A' { 'B' } else { 'A' };
        let tampered: String = chars.into_iter().collect();
        assert!(ring.verify(&tampered).is_err());
    }

    #[test]
    fn alg_none_is_refused() {
        let (ring, key) = ring();
        let header = b64(&format!(r#"{{"alg":"none","typ":"at+jwt","kid":"{}"}}"#, key.kid));
        let body = b64(&serde_json::to_string(&claims(now() + 300)).expect("json"));
        assert!(ring.verify(&format!("{header}.{body}.")).is_err());
    }

    #[test]
    fn another_algorithm_is_refused_even_with_the_right_secret() {
        let (ring, key) = ring();
        let mut header = jose_header(&key.kid);
        header.alg = Algorithm::HS512;
        let token =
            jsonwebtoken::encode(&header, &claims(now() + 300), &EncodingKey::from_secret(&key.secret))
                .expect("sign");
        assert_eq!(ring.verify(&token), Err(TokenError::BadSignature));
    }

    #[test]
    fn an_unknown_or_missing_kid_is_refused() {
        let (ring, _) = ring();
        let (other, _) = self::ring();
        let token = other.sign(&claims(now() + 300)).expect("sign");
        assert_eq!(ring.verify(&token), Err(TokenError::UnknownKey));
        let header = Header { typ: Some(ACCESS_TOKEN_TYPE.into()), ..Header::new(ALGORITHM) };
        let no_kid = jsonwebtoken::encode(&header, &claims(now() + 300), &EncodingKey::from_secret(b"x"))
            .expect("sign");
        assert_eq!(ring.verify(&no_kid), Err(TokenError::UnknownKey));
    }

    #[test]
    fn a_token_of_another_type_is_refused() {
        let (ring, key) = ring();
        for typ in [None, Some("JWT"), Some("id+jwt")] {
            let header = Header { typ: typ.map(str::to_owned), ..jose_header(&key.kid) };
            let token =
                jsonwebtoken::encode(&header, &claims(now() + 300), &EncodingKey::from_secret(&key.secret))
                    .expect("sign");
            assert_eq!(ring.verify(&token), Err(TokenError::Malformed), "typ {typ:?}");
        }
    }

    #[test]
    fn a_token_for_another_audience_is_refused() {
        let (ring, _) = ring();
        let token =
            ring.sign(&AccessClaims { aud: "some-other-api".into(), ..claims(now() + 300) }).expect("sign");
        assert_eq!(ring.verify(&token), Err(TokenError::Malformed));
    }

    #[test]
    fn genuinely_signed_claims_missing_a_field_or_with_extra_parts_are_refused() {
        let (ring, key) = ring();
        let header = format!(r#"{{"alg":"HS256","typ":"at+jwt","kid":"{}"}}"#, key.kid);
        let no_exp =
            format!(r#"{{"sub":"7","sid":"s","email":"a@b.c","aud":"{AUDIENCE}","iat":1,"jti":"j"}}"#);
        assert_eq!(ring.verify(&hs256(&key, &header, &no_exp)), Err(TokenError::Malformed), "no exp");
        let no_sid = format!(
            r#"{{"sub":"7","email":"a@b.c","aud":"{AUDIENCE}","iat":1,"exp":{},"jti":"j"}}"#,
            now() + 300
        );
        assert_eq!(ring.verify(&hs256(&key, &header, &no_sid)), Err(TokenError::Malformed), "no sid");
        let good = ring.sign(&claims(now() + 300)).expect("sign");
        for bad in [format!("{good}."), format!("{good}.x"), format!(" {good}"), good.replacen('.', "..", 1)]
        {
            assert!(ring.verify(&bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_header_of_ours_written_differently_is_still_checked_and_accepted() {
        let (ring, key) = ring();
        let body = serde_json::to_string(&claims(now() + 300)).expect("json");
        let reordered = format!(r#"{{ "kid": "{}", "typ": "at+jwt", "alg": "HS256" }}"#, key.kid);
        assert!(ring.verify(&hs256(&key, &reordered, &body)).is_ok());
        let wrong_type = format!(r#"{{ "kid": "{}", "typ": "JWT", "alg": "HS256" }}"#, key.kid);
        assert_eq!(ring.verify(&hs256(&key, &wrong_type, &body)), Err(TokenError::Malformed));
    }

    #[test]
    fn a_signature_of_the_wrong_length_is_refused() {
        let (ring, _) = ring();
        let token = ring.sign(&claims(now() + 300)).expect("sign");
        let (signed, signature) = token.rsplit_once('.').expect("three parts");
        for bad in [&signature[..20], &format!("{signature}{signature}"), ""] {
            assert!(ring.verify(&format!("{signed}.{bad}")).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_known_kid_with_the_wrong_key_is_refused() {
        let (ring, key) = ring();
        let forger = KeyRing::new(&SigningKey { kid: key.kid.clone(), secret: vec![1; 32] }, &[]);
        let token = forger.sign(&claims(now() + 300)).expect("sign");
        assert_eq!(ring.verify(&token), Err(TokenError::BadSignature));
    }

    #[test]
    fn garbage_is_malformed_not_a_panic() {
        let (ring, _) = ring();
        for junk in ["", "abc", "a.b.c", "....", &"x".repeat(10_240), "eyJhbGciOiJIUzI1NiJ9.e30.sig"] {
            assert!(ring.verify(junk).is_err(), "{junk:.20}");
        }
    }

    #[test]
    fn retired_keys_still_verify_after_rotation_but_new_tokens_use_the_new_kid() {
        let (ring, old) = ring();
        let before = ring.sign(&claims(now() + 300)).expect("sign");
        let new = SigningKey::generate();
        ring.replace(&new, std::slice::from_ref(&old));
        assert!(ring.verify(&before).is_ok());
        let after = ring.sign(&claims(now() + 300)).expect("sign");
        assert_eq!(jsonwebtoken::decode_header(&after).expect("h").kid, Some(new.kid));
    }

    #[test]
    fn a_token_whose_key_was_dropped_is_refused() {
        let (ring, _) = ring();
        let token = ring.sign(&claims(now() + 300)).expect("sign");
        ring.replace(&SigningKey::generate(), &[]);
        assert_eq!(ring.verify(&token), Err(TokenError::UnknownKey));
    }

    #[test]
    fn the_secret_never_appears_in_debug_output() {
        let key = SigningKey { kid: "k".into(), secret: b"supersecretsupersecret".to_vec() };
        assert!(!format!("{key:?}").contains("115"));
        assert!(!format!("{key:?}").contains("supersecret"));
    }
}
