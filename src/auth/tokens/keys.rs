//! Loading the JWT key ring from the database, creating the first key on first start.
//!
//! Keys live in the database so that every instance signs and verifies alike and a restart
//! signs nobody out.

use sea_orm::{DatabaseConnection, DbErr};

use super::access::{KeyRing, SigningKey, ALGORITHM_NAME};
use crate::db::entities::signing_keys;
use crate::db::signing_keys::{insert_key, retire_keys_except, usable_keys};

/// The signing key (newest active) and the others that still verify, or `None` if no key is active.
///
/// # Errors
/// Database failure.
pub async fn load_keys(
    db: &DatabaseConnection,
    now: i64,
    access_ttl: i64,
) -> Result<Option<(SigningKey, Vec<SigningKey>)>, DbErr> {
    let rows = usable_keys(db, now - access_ttl).await?;
    let Some(active) = rows
        .iter()
        .filter(|k| k.retired_at.is_none())
        .max_by(|a, b| (a.created_at, &a.kid).cmp(&(b.created_at, &b.kid)))
    else {
        return Ok(None);
    };
    let signing = to_key(active);
    let others = rows.iter().filter(|k| k.kid != active.kid).map(to_key).collect();
    Ok(Some((signing, others)))
}

/// The key ring, generating and storing a first key when there is none.
///
/// # Errors
/// Database failure.
pub async fn load_or_create_key_ring(
    db: &DatabaseConnection,
    now: i64,
    access_ttl: i64,
) -> Result<KeyRing, DbErr> {
    if load_keys(db, now, access_ttl).await?.is_none() {
        store_new_key(db, now).await?;
    }
    // Read back: if two instances created a key at once, both now pick the same newest one.
    let (signing, others) = load_keys(db, now, access_ttl)
        .await?
        .ok_or_else(|| DbErr::Custom("no signing key after creating one".into()))?;
    Ok(KeyRing::new(&signing, &others))
}

/// Creates a new signing key and retires the others (they keep verifying until their tokens expire).
/// Returns the new `kid`.
///
/// # Errors
/// Database failure.
pub async fn rotate_signing_key(db: &DatabaseConnection, now: i64) -> Result<String, DbErr> {
    let kid = store_new_key(db, now).await?;
    retire_keys_except(db, &kid, now).await?;
    Ok(kid)
}

async fn store_new_key(db: &DatabaseConnection, now: i64) -> Result<String, DbErr> {
    let key = SigningKey::generate();
    let kid = key.kid.clone();
    let row = signing_keys::Model {
        kid: key.kid,
        algorithm: ALGORITHM_NAME.into(),
        secret: key.secret,
        created_at: now,
        retired_at: None,
    };
    insert_key(db, row).await?;
    tracing::info!(%kid, "created a new JWT signing key");
    Ok(kid)
}

fn to_key(row: &signing_keys::Model) -> SigningKey {
    SigningKey { kid: row.kid.clone(), secret: row.secret.clone() }
}
