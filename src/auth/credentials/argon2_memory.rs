//! Argon2's working memory, reused: 19 MiB per hash with the default parameters.
//!
//! `argon2`'s own `hash_password` allocates and zeroes that memory on every call. On a sign-in
//! storm the allocator keeps the freed 19 MiB blocks in per-thread arenas, so the process grew
//! to hundreds of MiB, and the zeroing alone was ~4 % of the CPU. Here each hash borrows a
//! buffer from a small pool instead; at most one buffer per hashing thread (one per core) is
//! ever in use. Reuse needs no clearing: argon2 writes every block before reading it.

use std::sync::Mutex;

use argon2::{Argon2, Block};

/// Buffers of the size in use, returned after each hash.
static POOL: Mutex<Vec<Vec<Block>>> = Mutex::new(Vec::new());
/// More than this many idle buffers are dropped rather than kept.
const MAX_IDLE: usize = 16;

/// `argon2.hash_password_into(password, salt, out)`, with pooled memory.
///
/// # Errors
/// As [`Argon2::hash_password_into`] (bad lengths of salt or output).
pub fn hash_into(argon2: &Argon2<'_>, password: &[u8], salt: &[u8], out: &mut [u8]) -> argon2::Result<()> {
    let blocks = argon2.params().block_count();
    let mut memory = take(blocks);
    let result = argon2.hash_password_into_with_memory(password, salt, out, &mut memory);
    give_back(memory);
    result
}

fn take(blocks: usize) -> Vec<Block> {
    let reused = POOL.lock().ok().and_then(|mut pool| {
        let at = pool.iter().position(|memory| memory.len() == blocks)?;
        Some(pool.swap_remove(at))
    });
    reused.unwrap_or_else(|| vec![Block::default(); blocks])
}

fn give_back(memory: Vec<Block>) {
    if let Ok(mut pool) = POOL.lock() {
        if pool.len() < MAX_IDLE {
            pool.push(memory);
        }
    }
}

#[cfg(test)]
mod tests {
    use argon2::{Algorithm, Params, Version};

    use super::*;

    fn argon2(m_cost: u32) -> Argon2<'static> {
        let params = Params::new(m_cost, 2, 1, None).expect("params");
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
    }

    #[test]
    fn pooled_memory_gives_the_same_hash_as_fresh_memory_every_time() {
        let salt = b"sixteen byte salt";
        for m_cost in [8, 64, 8] {
            let mut expected = [0u8; 32];
            argon2(m_cost).hash_password_into(b"password one", salt, &mut expected).expect("hash");
            for password in [b"password two".as_slice(), b"password one"] {
                let mut out = [0u8; 32];
                hash_into(&argon2(m_cost), password, salt, &mut out).expect("hash");
                assert_eq!(out == expected, password == b"password one", "m={m_cost}");
            }
        }
    }
}
