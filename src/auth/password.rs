//! Password hashing with argon2id (OWASP parameters), always on the blocking pool.
//!
//! Must never log a password or a hash, and must cost the same for unknown accounts
//! ([`verify_password`] with `None` verifies against a dummy hash).

use std::sync::{Arc, LazyLock};

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::Semaphore;

use super::validate::Password;
use crate::error::AppError;

/// OWASP's argon2id recommendation, which is also argon2's default: 19 MiB, 2 passes, 1 lane.
fn hasher() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::DEFAULT)
}

/// At most one hash per core runs at once, so a sign-in storm queues instead of piling
/// threads onto the blocking pool and starving request handling.
static HASH_PERMITS: LazyLock<Arc<Semaphore>> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    Arc::new(Semaphore::new(cores))
});

/// A hash of a random password, verified when the account does not exist.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(salt.as_str().as_bytes(), &salt)
        .expect("hashing a fixed-size input cannot fail")
        .to_string()
});

/// Hashes `password` into a PHC string.
///
/// # Errors
/// [`AppError::Internal`] if the blocking pool is gone.
pub async fn hash_password(password: Password) -> Result<String, AppError> {
    run_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        hasher().hash_password(password.expose().as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| {
            tracing::error!(error = %e, "argon2 hashing failed");
            AppError::Internal
        })
    })
    .await?
}

/// Checks `password` against `stored`, or against a dummy hash when there is no account,
/// so that both failures take the same time.
///
/// # Errors
/// [`AppError::Internal`] if the blocking pool is gone.
pub async fn verify_password(password: Password, stored: Option<String>) -> Result<bool, AppError> {
    run_blocking(move || {
        let exists = stored.is_some();
        let phc = stored.unwrap_or_else(|| DUMMY_HASH.clone());
        let matches = PasswordHash::new(&phc)
            .map(|parsed| hasher().verify_password(password.expose().as_bytes(), &parsed).is_ok())
            .unwrap_or(false);
        exists && matches
    })
    .await
}

/// Computes the dummy hash now rather than on the first unknown-email sign-in.
pub fn warm_up() {
    LazyLock::force(&DUMMY_HASH);
}

async fn run_blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
    let _permit = HASH_PERMITS.clone().acquire_owned().await.map_err(|_| AppError::Internal)?;
    let span = tracing::Span::current();
    tokio::task::spawn_blocking(move || span.in_scope(work)).await.map_err(|e| {
        tracing::error!(error = %e, "password hashing task failed");
        AppError::Internal
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pw(s: &str) -> Password {
        Password::parse(s.to_owned()).expect("valid password")
    }

    #[tokio::test]
    async fn a_hash_verifies_its_own_password_only() {
        let hash = hash_password(pw("correct horse battery")).await.expect("hash");
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert!(verify_password(pw("correct horse battery"), Some(hash.clone())).await.expect("ok"));
        assert!(!verify_password(pw("correct horse batterY"), Some(hash)).await.expect("ok"));
    }

    #[tokio::test]
    async fn the_same_password_hashes_differently_each_time() {
        let a = hash_password(pw("correct horse battery")).await.expect("hash");
        let b = hash_password(pw("correct horse battery")).await.expect("hash");
        assert_ne!(a, b, "salts must differ");
    }

    #[tokio::test]
    async fn an_unknown_account_never_verifies() {
        assert!(!verify_password(pw("anything at all"), None).await.expect("ok"));
    }

    #[tokio::test]
    async fn a_corrupt_stored_hash_is_a_mismatch_not_a_panic() {
        assert!(!verify_password(pw("anything at all"), Some("not-a-phc".into())).await.expect("ok"));
    }
}
