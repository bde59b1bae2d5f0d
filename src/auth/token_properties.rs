//! Property tests (fuzzing) of what an attacker controls: access-token strings and cookie
//! headers. Nothing may panic, and nothing but a token we signed may verify.
//!
//! CI runs proptest's default 256 cases per property; for a longer run:
//! `PROPTEST_CASES=200000 cargo test --features ssr --lib token_properties`.

use axum::http::header::COOKIE;
use axum::http::HeaderMap;
use axum_extra::extract::cookie::CookieJar;
use proptest::prelude::*;

use super::clock::now;
use super::sessions::refresh_token::RefreshToken;
use super::tokens::access::AUDIENCE;
use super::tokens::{AccessClaims, KeyRing, SigningKey};
use super::transport::cookies::CookiePolicy;

fn ring_and_token() -> (KeyRing, String) {
    let ring = KeyRing::new(&SigningKey::generate(), &[]);
    let claims = AccessClaims {
        sub: "7".into(),
        sid: "s".into(),
        email: "ada@example.com".into(),
        aud: AUDIENCE.into(),
        iat: now(),
        exp: now() + 300,
        jti: "j".into(),
        auth_time: 0,
        amr: vec![],
        email_verified: false,
        second_factors: vec!["totp".into()],
    };
    let token = ring.sign(&claims).expect("sign");
    (ring, token)
}

proptest! {
    #[test]
    fn arbitrary_strings_never_verify(input in any::<String>()) {
        let (ring, _) = ring_and_token();
        prop_assert!(ring.verify(&input).is_err());
    }

    #[test]
    fn jwt_shaped_junk_never_verifies(parts in proptest::collection::vec("[A-Za-z0-9_-]{0,64}", 0..6)) {
        let (ring, _) = ring_and_token();
        prop_assert!(ring.verify(&parts.join(".")).is_err());
    }

    #[test]
    fn any_change_to_a_signed_token_is_refused(index in any::<prop::sample::Index>(), replacement in any::<char>()) {
        let (ring, token) = ring_and_token();
        let mut chars: Vec<char> = token.chars().collect();
        let at = index.index(chars.len());
        prop_assume!(chars[at] != replacement);
        chars[at] = replacement;
        let tampered: String = chars.into_iter().collect();
        // base64url's last character can carry unused bits: only a change that decodes to
        // different bytes is a real change, and every real change must be refused.
        if ring.verify(&tampered).is_ok() {
            prop_assert_eq!(tampered.len(), token.len());
            prop_assert_eq!(decode_parts(&tampered), decode_parts(&token));
        }
    }

    #[test]
    fn arbitrary_cookie_headers_never_panic(header in "[ -~]{0,512}") {
        let (ring, _) = ring_and_token();
        let policy = CookiePolicy::new(true);
        let mut headers = HeaderMap::new();
        if let Ok(value) = header.parse() {
            headers.insert(COOKIE, value);
        }
        let jar = CookieJar::from_headers(&headers);
        if let Some(token) = policy.access(&jar) {
            prop_assert!(ring.verify(token).is_err());
        }
        if let Some(raw) = policy.refresh(&jar) {
            let _ = RefreshToken::parse(raw).map(|t| t.hash());
        }
    }
}

fn decode_parts(token: &str) -> Vec<Vec<u8>> {
    use base64::Engine as _;
    token
        .split('.')
        .map(|p| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(p).unwrap_or_default())
        .collect()
}
