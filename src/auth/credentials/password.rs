//! Password hashing with argon2id (OWASP parameters), always on the hashing threads of
//! [`super::hash_workers`], one per core.
//!
//! Must never log a password or a hash, and must cost the same for unknown accounts
//! ([`verify_password`] with `None` verifies against a dummy hash).

use std::sync::LazyLock;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{self, Output, ParamsString, PasswordHash, Salt, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use super::{argon2_memory, hash_workers};
use crate::auth::validate::Password;
use crate::error::AppError;

/// OWASP's argon2id recommendation, which is also argon2's default: 19 MiB, 2 passes, 1 lane.
fn hasher() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::DEFAULT)
}

/// A hash of a random password, verified when the account does not exist.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    let salt = SaltString::generate(&mut OsRng);
    to_phc(salt.as_str().as_bytes()).expect("hashing a fixed-size input cannot fail")
});

/// Hashes `password` into a PHC string.
///
/// # Errors
/// [`AppError::Internal`] if the hashing threads are gone.
pub async fn hash_password(password: Password) -> Result<String, AppError> {
    run_blocking(move || {
        to_phc(password.expose().as_bytes()).map_err(|e| {
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
/// [`AppError::Internal`] if the hashing threads are gone.
pub async fn verify_password(password: Password, stored: Option<String>) -> Result<bool, AppError> {
    run_blocking(move || {
        let exists = stored.is_some();
        let phc = stored.unwrap_or_else(|| DUMMY_HASH.clone());
        let matches = matches_phc(password.expose().as_bytes(), &phc).unwrap_or(false);
        exists && matches
    })
    .await
}

/// The PHC string (`$argon2id$v=19$m=…`) of `password` with a fresh salt.
fn to_phc(password: &[u8]) -> password_hash::Result<String> {
    let argon2 = hasher();
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_buf = [0u8; Salt::MAX_LENGTH];
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    argon2_memory::hash_into(&argon2, password, salt.as_salt().decode_b64(&mut salt_buf)?, &mut out)?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(argon2.params())?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out)?),
    };
    Ok(phc.to_string())
}

/// Whether `password` matches the PHC string `phc`, whatever argon2 variant and parameters it
/// was made with. The comparison is constant-time (`Output`'s equality).
fn matches_phc(password: &[u8], phc: &str) -> password_hash::Result<bool> {
    let parsed = PasswordHash::new(phc)?;
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return Ok(false);
    };
    let version = parsed.version.map(Version::try_from).transpose()?.unwrap_or_default();
    let argon2 = Argon2::new(Algorithm::try_from(parsed.algorithm)?, version, Params::try_from(&parsed)?);
    let mut salt_buf = [0u8; Salt::MAX_LENGTH];
    let mut out = vec![0u8; expected.len()];
    argon2_memory::hash_into(&argon2, password, salt.decode_b64(&mut salt_buf)?, &mut out)?;
    Ok(Output::new(&out)? == expected)
}

/// Computes the dummy hash now rather than on the first unknown-email sign-in.
pub fn warm_up() {
    LazyLock::force(&DUMMY_HASH);
}

async fn run_blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
    hash_workers::run(work).await.ok_or_else(|| {
        tracing::error!("password hashing task failed");
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
    async fn hashes_interoperate_with_argon2s_own_api_and_other_parameters() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        let ours = hash_password(pw("correct horse battery")).await.expect("hash");
        let parsed = PasswordHash::new(&ours).expect("phc");
        assert!(hasher().verify_password(b"correct horse battery", &parsed).is_ok(), "argon2 accepts ours");
        // A hash made elsewhere, with smaller memory and argon2i: still verified, still strict.
        let other =
            Argon2::new(Algorithm::Argon2i, Version::V0x13, Params::new(8192, 3, 1, None).expect("p"));
        let salt = SaltString::generate(&mut OsRng);
        let theirs = other.hash_password(b"correct horse battery", &salt).expect("hash").to_string();
        assert!(verify_password(pw("correct horse battery"), Some(theirs.clone())).await.expect("ok"));
        assert!(!verify_password(pw("correct horse batterY"), Some(theirs)).await.expect("ok"));
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
