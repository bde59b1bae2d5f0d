//! Signing in with a passkey alone: `start` answers request options with no credential listed
//! (the authenticator offers the account's discoverable credential) and `finish` finds the
//! passkey by its credential id and user handle, verifies the assertion (user verification
//! required, signature counter checked) and starts the session.
//!
//! Starting stores a ceremony row, so it is limited per client address; the rows expire after
//! five minutes and the periodic purge deletes them.

use webauthn_rs::prelude::{DiscoverableAuthentication, DiscoverableKey, PublicKeyCredential};

use super::ceremony::{self, Kind};
use super::{
    credential_id_text, options_for_browser, passkey_json, relying_party, stored_passkey, PASSKEY_METHODS,
};
use crate::auth::account::signin::{knows_browser, start_signed_in, SignedInWith};
use crate::auth::audit::{record, record_unauthenticated, AuditKind};
use crate::auth::clock::now;
use crate::auth::credentials::throttle::{address_key, take_attempt, Limit};
use crate::auth::sessions::lifecycle::IssuedSession;
use crate::auth::transport::client::{Browser, ClientMeta};
use crate::auth::wire::WebAuthnOptions;
use crate::auth::Auth;
use crate::db::entities::users;
use crate::db::passkeys::{find_passkey, record_passkey_use};
use crate::db::users::find_user_by_id;
use crate::error::AppError;

/// Passkey sign-ins one client address may start per minute.
pub const STARTS_PER_ADDRESS: Limit = Limit { max: 30, window: 60 };

/// Passkey sign-ins all clients together may start per minute: with five minutes per ceremony,
/// at most 15,000 unfinished ones are stored, however many addresses a client has (an IPv6
/// /48 holds 65,536 /64s).
pub const STARTS_IN_ALL: Limit = Limit { max: 3_000, window: 60 };

/// Starts a passkey sign-in (`user`: none), or a re-authentication of the signed-in user
/// `user` (sudo): each kind of ceremony is finished only by its own endpoint, and a
/// re-authentication only by its user.
///
/// # Errors
/// [`AppError::Throttled`] past [`STARTS_PER_ADDRESS`] or [`STARTS_IN_ALL`];
/// [`AppError::NotFound`] without a relying party; database failures.
pub async fn start(auth: &Auth, meta: &ClientMeta, user: Option<i64>) -> Result<WebAuthnOptions, AppError> {
    let rp = relying_party(auth)?;
    if user.is_none() {
        let now = now();
        take_attempt(&auth.db, &address_key("passkey_start", meta.addr), STARTS_PER_ADDRESS, now)
            .await?
            .allowed()?;
        take_attempt(&auth.db, "passkey_start:all", STARTS_IN_ALL, now).await?.allowed()?;
    }
    let (options, state) = rp.start_discoverable_authentication().map_err(|e| {
        tracing::error!(error = %e, "could not start a passkey sign-in");
        AppError::Internal
    })?;
    let challenge = options.public_key.challenge.to_vec();
    let kind = if user.is_some() { Kind::Reauth } else { Kind::SignIn };
    ceremony::store(auth, kind, user, &challenge, &state).await?;
    let mut options = serde_json::to_value(&options).map_err(|_| AppError::Internal)?;
    // webauthn-rs asks for conditional mediation (the browser's autofill); the sign-in page
    // asks from a button, in the browser's own dialog.
    if let Some(fields) = options.as_object_mut() {
        fields.remove("mediation");
    }
    options_for_browser(&options)
}

/// Finishes a passkey sign-in with the browser's answer (`credential`, the JSON of
/// `PublicKeyCredential.toJSON()`): the session, as a password sign-in would start it.
///
/// # Errors
/// As [`verify`]; database failures.
pub async fn finish(auth: &Auth, credential: &str, browser: Browser) -> Result<IssuedSession, AppError> {
    let account = verify(auth, credential, &browser.meta, None).await?;
    let known_device = knows_browser(auth, browser.device.as_ref(), account.id).await?;
    let remember = browser.remember;
    let how = SignedInWith { methods: PASSKEY_METHODS, words: "a passkey" };
    start_signed_in(auth, &account, browser, remember, known_device, how).await
}

/// Checks a passkey assertion made for a ceremony [`start`] began, and records the passkey's
/// use; answers the account whose passkey it is. A sign-in (`reauthenticating`: none) and a
/// re-authentication of user `reauthenticating` both prove themselves this way, each with its
/// own kind of ceremony; a re-authentication accepts only that user's own passkeys.
///
/// # Errors
/// [`AppError::InvalidInput`] for an unreadable answer; [`AppError::InvalidPasskey`] for a
/// ceremony used, expired or never started, an unknown or removed passkey, a disabled account,
/// or an assertion that does not verify; database failures.
pub async fn verify(
    auth: &Auth,
    credential: &str,
    meta: &ClientMeta,
    reauthenticating: Option<i64>,
) -> Result<users::Model, AppError> {
    let rp = relying_party(auth)?;
    let answer: PublicKeyCredential = serde_json::from_str(credential)
        .map_err(|_| AppError::InvalidInput("The authenticator's answer could not be read.".into()))?;
    let refused = |user_id: Option<i64>| async move {
        record_unauthenticated(auth, AuditKind::PasskeyFailure, user_id, "", meta).await;
        AppError::InvalidPasskey
    };
    let kind = if reauthenticating.is_some() { Kind::Reauth } else { Kind::SignIn };
    let data = &answer.response.client_data_json;
    let taken = ceremony::take::<DiscoverableAuthentication>(auth, kind, reauthenticating, data);
    let Some(taken) = taken.await? else {
        return Err(refused(reauthenticating).await);
    };
    let Ok((user_handle, credential_id)) = rp.identify_discoverable_authentication(&answer) else {
        return Err(refused(None).await);
    };
    let stored = find_passkey(&auth.db, &credential_id_text(credential_id)).await?;
    let own = |p: &crate::db::entities::passkeys::Model| {
        p.user_handle == user_handle.as_bytes() && reauthenticating.is_none_or(|id| p.user_id == id)
    };
    let Some(stored) = stored.filter(own) else {
        return Err(refused(reauthenticating).await);
    };
    let mut passkey = stored_passkey(&stored.credential)?;
    let key = DiscoverableKey::from(&passkey);
    let verified = match rp.finish_discoverable_authentication(&answer, taken.state, &[key]) {
        Ok(verified) => verified,
        Err(e) => {
            tracing::info!(error = %e, "a passkey sign-in did not verify");
            return Err(refused(Some(stored.user_id)).await);
        }
    };
    let account = find_user_by_id(&auth.db, stored.user_id).await?;
    let Some(account) = account.filter(|a| a.disabled_at.is_none()) else {
        return Err(refused(Some(stored.user_id)).await);
    };
    let moved = match passkey.update_credential(&verified) {
        Some(true) => Some((stored.credential.as_str(), passkey_json(&passkey)?)),
        _ => None,
    };
    if !record_passkey_use(&auth.db, stored.id, moved, now()).await? {
        // Removed while this sign-in was being checked, or another assertion moved its counter
        // first (a clone racing the real authenticator).
        return Err(refused(Some(stored.user_id)).await);
    }
    record(&auth.db, AuditKind::PasskeyUsed, Some(account.id), None, Some(&account.email), meta).await;
    Ok(account)
}
