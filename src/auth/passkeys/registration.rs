//! Registering a passkey, behind sudo: `start` answers the creation options (the account's
//! passkeys excluded, so one authenticator is not registered twice) and `finish` checks the
//! authenticator's answer against the stored ceremony and keeps the credential under a name.
//!
//! The credential is asked to be discoverable (a resident key): signing in with it then needs
//! no email, the authenticator finds the account by its user handle, one stable UUID per
//! account.

use sea_orm::TransactionTrait;
use serde::{Deserialize, Serialize};
use webauthn_rs::prelude::{CredentialID, PasskeyRegistration, RegisterPublicKeyCredential, Uuid};

use super::ceremony::{self, Kind};
use super::{
    credential_id_text, options_for_browser, passkey_json, relying_party, stored_passkey, MAX_PASSKEYS,
};
use crate::auth::account::security_notice::queue_security_notice;
use crate::auth::account::signed_in_account;
use crate::auth::account::sudo::require_sudo;
use crate::auth::audit::{record, AuditKind};
use crate::auth::clock::{now, rfc3339};
use crate::auth::transport::client::ClientMeta;
use crate::auth::user_agent::describe_user_agent;
use crate::auth::wire::{PasskeyView, WebAuthnOptions};
use crate::auth::{Auth, CurrentUser};
use crate::db::passkeys::{insert_passkey, list_passkeys, NewPasskey};
use crate::error::AppError;
use crate::mail::templates::AccountChange;

/// The longest passkey name, in characters.
pub const MAX_NAME_CHARS: usize = 64;

/// What waits in the database between `start` and `finish`.
#[derive(Serialize, Deserialize)]
struct Registering {
    user_handle: Uuid,
    state: PasskeyRegistration,
}

/// Starts registering a passkey for the signed-in `user`.
///
/// # Errors
/// [`AppError::ReauthenticationRequired`] outside sudo; [`AppError::Conflict`] at
/// [`MAX_PASSKEYS`]; [`AppError::NotFound`] without a relying party; database failures.
pub async fn start(auth: &Auth, user: &CurrentUser) -> Result<WebAuthnOptions, AppError> {
    require_sudo(auth, user)?;
    let rp = relying_party(auth)?;
    let account = signed_in_account(auth, user).await?;
    let existing = list_passkeys(&auth.db, user.id).await?;
    if existing.len() >= MAX_PASSKEYS {
        return Err(too_many());
    }
    let user_handle =
        existing.first().and_then(|p| Uuid::from_slice(&p.user_handle).ok()).unwrap_or_else(Uuid::new_v4);
    let exclude = existing
        .iter()
        .map(|p| stored_passkey(&p.credential).map(|k| k.cred_id().clone()))
        .collect::<Result<Vec<CredentialID>, _>>()?;
    let (options, state) = rp
        .start_passkey_registration(user_handle, &account.email, &account.email, Some(exclude))
        .map_err(|e| {
            tracing::error!(error = %e, "could not start a passkey registration");
            AppError::Internal
        })?;
    let challenge = options.public_key.challenge.to_vec();
    ceremony::store(auth, Kind::Register, Some(user.id), &challenge, &Registering { user_handle, state })
        .await?;
    let mut options = serde_json::to_value(&options).map_err(|_| AppError::Internal)?;
    if let Some(selection) =
        options.pointer_mut("/publicKey/authenticatorSelection").and_then(|v| v.as_object_mut())
    {
        selection.insert("residentKey".into(), "required".into());
        selection.insert("requireResidentKey".into(), true.into());
    }
    options_for_browser(&options)
}

/// Finishes a registration with the browser's answer (`credential`, the JSON of
/// `PublicKeyCredential.toJSON()`), naming the passkey `name` (by default, the browser).
///
/// # Errors
/// [`AppError::InvalidInput`] for an unreadable or unverifiable answer, a ceremony that is not
/// this user's, used or expired, or a bad name; [`AppError::Conflict`] when the credential is
/// registered already; database failures.
pub async fn finish(
    auth: &Auth,
    user: &CurrentUser,
    credential: &str,
    name: Option<&str>,
    meta: &ClientMeta,
) -> Result<PasskeyView, AppError> {
    let rp = relying_party(auth)?;
    let name = passkey_name(name, meta)?;
    let answer: RegisterPublicKeyCredential = serde_json::from_str(credential)
        .map_err(|_| AppError::InvalidInput("The authenticator's answer could not be read.".into()))?;
    let expired =
        || AppError::InvalidInput("This registration expired or was finished already: start again.".into());
    let taken: Option<ceremony::Taken<Registering>> =
        ceremony::take(auth, Kind::Register, Some(user.id), &answer.response.client_data_json).await?;
    let Some(taken) = taken else {
        return Err(expired());
    };
    if answer.extensions.cred_props.as_ref().is_some_and(|props| props.rk == Some(false)) {
        // The browser says the authenticator keeps no discoverable credential: it could never
        // sign in without an email, which is all a passkey does here.
        return Err(AppError::InvalidInput(
            "This authenticator cannot keep a passkey that signs in on its own. Try another device.".into(),
        ));
    }
    let passkey = rp.finish_passkey_registration(&answer, &taken.state.state).map_err(|e| {
        tracing::info!(error = %e, "a passkey registration did not verify");
        AppError::InvalidInput("The authenticator's answer did not check out. Try again.".into())
    })?;
    let now = now();
    let new = NewPasskey {
        user_id: user.id,
        credential_id: credential_id_text(passkey.cred_id()),
        user_handle: taken.state.user_handle.as_bytes().to_vec(),
        name,
        credential: passkey_json(&passkey)?,
        created_at: now,
    };
    // The insert first, so the transaction holds the write lock from its first statement (an
    // SQLite read that later writes can fail to upgrade), then the count, which also holds
    // against registrations started together.
    let txn = auth.db.begin().await?;
    let stored = match insert_passkey(&txn, new).await {
        Ok(stored) => stored,
        Err(e) if crate::db::is_unique_violation(&e) => {
            return Err(AppError::Conflict("This passkey is registered already.".into()))
        }
        Err(e) => return Err(e.into()),
    };
    if list_passkeys(&txn, user.id).await?.len() > MAX_PASSKEYS {
        return Err(too_many());
    }
    queue_security_notice(&txn, auth, &user.email, AccountChange::PasskeyAdded, meta, now).await?;
    txn.commit().await?;
    record(&auth.db, AuditKind::PasskeyRegistered, Some(user.id), Some(&user.session_id), None, meta).await;
    Ok(PasskeyView {
        id: stored.id,
        name: stored.name,
        created_at: rfc3339(stored.created_at),
        last_used_at: None,
    })
}

fn too_many() -> AppError {
    AppError::Conflict(format!("You have {MAX_PASSKEYS} passkeys: remove one first."))
}

/// The name to keep: `name` trimmed, or the browser's description when empty.
///
/// # Errors
/// [`AppError::InvalidInput`] when it is too long or holds control characters.
pub fn passkey_name(name: Option<&str>, meta: &ClientMeta) -> Result<String, AppError> {
    let name = name.map(str::trim).unwrap_or_default();
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(AppError::InvalidInput(format!(
            "A passkey name is at most {MAX_NAME_CHARS} characters."
        )));
    }
    if name.chars().any(char::is_control) {
        return Err(AppError::InvalidInput("A passkey name cannot hold control characters.".into()));
    }
    Ok(if name.is_empty() { describe_user_agent(&meta.user_agent) } else { name.to_owned() })
}
