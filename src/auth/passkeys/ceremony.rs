//! The server half of a ceremony between `…_start` and `…_finish`: stored in the database
//! (any instance can finish what another started), keyed by the SHA-256 of its challenge, which
//! the browser's response carries back inside `clientDataJSON`, and taken once. Taking deletes
//! the row, so of two requests finishing one ceremony (on one instance or two) only the one
//! whose delete removed it goes on (Keycloak #52398 is the bug this avoids).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::auth::clock::now;
use crate::auth::Auth;
use crate::db::passkeys::{insert_ceremony, take_ceremony, NewCeremony};
use crate::error::AppError;

/// How long a ceremony may take, in seconds.
pub const CEREMONY_TTL: i64 = 300;

/// What a ceremony is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Register,
    SignIn,
    /// A passkey proving it is the signed-in user again (sudo).
    Reauth,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Self::Register => "register",
            Self::SignIn => "sign_in",
            Self::Reauth => "reauth",
        }
    }
}

/// Stores `state` for the ceremony whose challenge is `challenge`.
///
/// # Errors
/// Database failure.
pub async fn store<S: Serialize>(
    auth: &Auth,
    kind: Kind,
    user_id: Option<i64>,
    challenge: &[u8],
    state: &S,
) -> Result<(), AppError> {
    let state = serde_json::to_string(state).map_err(|e| {
        tracing::error!(error = %e, "could not serialise a passkey ceremony");
        AppError::Internal
    })?;
    let challenge_hash = Sha256::digest(challenge).to_vec();
    let expires_at = now() + CEREMONY_TTL;
    insert_ceremony(
        &auth.db,
        NewCeremony { challenge_hash, kind: kind.as_str(), user_id, state, expires_at },
    )
    .await?;
    Ok(())
}

/// A ceremony taken from the database.
#[derive(Debug)]
pub struct Taken<S> {
    pub user_id: Option<i64>,
    pub state: S,
}

/// Takes the ceremony of `kind` and of user `user_id` (none for a sign-in) that the browser's
/// `client_data_json` answers; `None` when the response names no challenge, or one that is
/// unknown, another user's, taken already or expired.
///
/// # Errors
/// Database failure.
pub async fn take<S: DeserializeOwned>(
    auth: &Auth,
    kind: Kind,
    user_id: Option<i64>,
    client_data_json: &[u8],
) -> Result<Option<Taken<S>>, AppError> {
    let Some(challenge) = challenge_in(client_data_json) else {
        return Ok(None);
    };
    let Some(row) =
        take_ceremony(&auth.db, &Sha256::digest(challenge), kind.as_str(), user_id, now()).await?
    else {
        return Ok(None);
    };
    let state = serde_json::from_str(&row.state).map_err(|e| {
        tracing::error!(error = %e, "a stored passkey ceremony could not be read");
        AppError::Internal
    })?;
    Ok(Some(Taken { user_id: row.user_id, state }))
}

#[derive(Deserialize)]
struct ClientData {
    challenge: String,
}

/// The challenge (its bytes) that `clientDataJSON` answers.
fn challenge_in(client_data_json: &[u8]) -> Option<Vec<u8>> {
    let data: ClientData = serde_json::from_slice(client_data_json).ok()?;
    URL_SAFE_NO_PAD.decode(data.challenge.trim_end_matches('=')).ok()
}

#[cfg(test)]
mod tests {
    use super::challenge_in;

    #[test]
    fn the_challenge_is_read_from_client_data_and_anything_else_is_none() {
        let data = br#"{"type":"webauthn.get","challenge":"AQID","origin":"http://localhost:3000"}"#;
        assert_eq!(challenge_in(data), Some(vec![1, 2, 3]));
        assert_eq!(challenge_in(br#"{"challenge":"not base64!"}"#), None);
        assert_eq!(challenge_in(b"\0\xff"), None);
        assert_eq!(challenge_in(br#"{"type":"webauthn.get"}"#), None);
    }
}
