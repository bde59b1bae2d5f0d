//! Second factors: TOTP enrolment (behind sudo), recovery codes, and the second step of a
//! sign-in.

use leptos::prelude::*;

use crate::auth::wire::{AuthStatus, RecoveryCodes, TotpEnrolment};
use crate::error::AppError;

/// Draws a TOTP secret and shows it (base32, `otpauth://` URI, QR code as SVG); nothing is on
/// until [`totp_enable`]. Sudo.
#[server(prefix = "/api/auth", endpoint = "totp/setup")]
pub async fn totp_setup() -> Result<TotpEnrolment, AppError> {
    use crate::auth::second_factor::enrolment;
    let auth = super::use_auth()?;
    enrolment::setup(&auth, &crate::auth::current_user()?).await
}

/// Switches TOTP on with a first code from the app; answers the ten recovery codes, shown once.
#[server(prefix = "/api/auth", endpoint = "totp/enable")]
pub async fn totp_enable(code: String) -> Result<RecoveryCodes, AppError> {
    use crate::auth::second_factor::enrolment;
    use crate::auth::transport::client::{request_parts, ClientMeta};
    let auth = super::use_auth()?;
    let meta = ClientMeta::of(&request_parts()?);
    enrolment::enable(&auth, &crate::auth::current_user()?, &code, &meta).await
}

/// Switches TOTP off with a code (TOTP or recovery). Sudo.
#[server(prefix = "/api/auth", endpoint = "totp/disable")]
pub async fn totp_disable(code: String) -> Result<(), AppError> {
    use crate::auth::second_factor::enrolment;
    use crate::auth::transport::client::{request_parts, ClientMeta};
    let auth = super::use_auth()?;
    let meta = ClientMeta::of(&request_parts()?);
    enrolment::disable(&auth, &crate::auth::current_user()?, &code, &meta).await
}

/// Replaces the recovery codes (the old ones stop working); answers the new ones. Sudo.
#[server(prefix = "/api/auth", endpoint = "totp/recovery_codes")]
pub async fn regenerate_recovery_codes() -> Result<RecoveryCodes, AppError> {
    use crate::auth::second_factor::enrolment;
    use crate::auth::transport::client::{request_parts, ClientMeta};
    let auth = super::use_auth()?;
    let meta = ClientMeta::of(&request_parts()?);
    enrolment::regenerate(&auth, &crate::auth::current_user()?, &meta).await
}

/// Completes a sign-in whose password was right with the code of its second factor (TOTP or a
/// recovery code) and the pending cookie: both session cookies. A plain HTML form post goes
/// on to `next`.
#[server(prefix = "/api/auth", endpoint = "login_second_factor")]
pub async fn login_second_factor(code: String, next: Option<String>) -> Result<AuthStatus, AppError> {
    use crate::auth::second_factor::pending;
    use crate::auth::transport::{client, respond};
    let auth = super::use_auth()?;
    let waiting = client::pending_sign_in(&auth).await?;
    let issued = pending::complete(&auth, waiting.as_deref(), &code, client::browser(&auth).await?).await?;
    respond::set_pending_cookie(&auth, None);
    respond::set_session_cookies(&auth, &issued);
    respond::redirect_plain_form(&crate::client::redirect::safe_next(next.as_deref()));
    Ok(issued.status)
}
