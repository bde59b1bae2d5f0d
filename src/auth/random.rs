//! Randomness from the operating system's CSPRNG, and the identifiers made from it.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use rand_core::{OsRng, RngCore};

/// `N` bytes from the OS CSPRNG.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    OsRng.fill_bytes(&mut bytes);
    bytes
}

/// A 128-bit random identifier, URL-safe (session ids, JWT ids).
pub fn random_id() -> String {
    URL_SAFE_NO_PAD.encode(random_bytes::<16>())
}

/// Length of a [`random_id`]: 16 bytes in unpadded base64url.
pub const ID_LEN: usize = 22;

/// True when `raw` has the shape of a [`random_id`], checked before it reaches a query.
pub fn is_session_id(raw: &str) -> bool {
    raw.len() == ID_LEN && raw.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}
