//! Recovery codes: ten per account, each 80 bits from the OS CSPRNG shown once as
//! `xxxxx-xxxxx-xxxxx-xxxxx` (hex), stored only as SHA-256 (80 bits cannot be guessed, so a
//! fast hash is enough), each usable once.

use sha2::{Digest, Sha256};

use crate::auth::random::random_bytes;

/// How many codes an account gets.
pub const COUNT: usize = 10;
const HEX_LEN: usize = 20;

/// New codes, and the hashes to store.
pub fn new_codes() -> (Vec<String>, Vec<Vec<u8>>) {
    (0..COUNT)
        .map(|_| {
            let hex: String = random_bytes::<10>().iter().map(|b| format!("{b:02x}")).collect();
            let shown =
                hex.as_bytes().chunks(5).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>();
            let hash = hash(&hex);
            (shown.join("-"), hash)
        })
        .unzip()
}

/// The stored form of what the user typed, if it has the shape of a recovery code (dashes and
/// spaces ignored, any case).
pub fn parse(typed: &str) -> Option<Vec<u8>> {
    let hex: String =
        typed.chars().filter(|c| *c != '-' && *c != ' ').collect::<String>().to_ascii_lowercase();
    (hex.len() == HEX_LEN && hex.bytes().all(|b| b.is_ascii_hexdigit())).then(|| hash(&hex))
}

fn hash(hex: &str) -> Vec<u8> {
    Sha256::digest(hex.as_bytes()).to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_parse_back_to_their_hash_and_odd_ones_do_not() {
        let (codes, hashes) = new_codes();
        assert_eq!(codes.len(), COUNT);
        for (code, hash) in codes.iter().zip(&hashes) {
            assert_eq!(code.len(), 23, "{code}");
            assert_eq!(parse(code).as_ref(), Some(hash));
            assert_eq!(parse(&code.to_uppercase().replace('-', " ")).as_ref(), Some(hash));
        }
        let mut unique = hashes.clone();
        unique.dedup();
        assert_eq!(unique.len(), COUNT);
        for odd in ["", "123456", &"g".repeat(20), &"a".repeat(21), "aaaaa-aaaaa-aaaaa-aaaa\0"] {
            assert_eq!(parse(odd), None, "{odd:?}");
        }
    }
}
