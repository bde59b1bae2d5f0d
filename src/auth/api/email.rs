//! The account's email address: proving it is read.

use leptos::prelude::*;

use crate::error::AppError;

/// Mails the signed-in user a link that verifies their address (nothing when it is verified
/// already). Limited per user (429).
#[server(prefix = "/api/auth", endpoint = "request_email_verification")]
pub async fn request_email_verification() -> Result<(), AppError> {
    use crate::auth::account::email_verification;
    use crate::auth::transport::client::{request_parts, ClientMeta};
    let auth = super::use_auth()?;
    let user = crate::auth::current_user()?;
    email_verification::request_verification(&auth, &user, &ClientMeta::of(&request_parts()?)).await
}

/// Verifies the address with the token of a mailed link (public: the link may be opened in a
/// browser that is not signed in). A session's access token says so from its next refresh.
#[server(prefix = "/api/auth", endpoint = "verify_email")]
pub async fn verify_email(token: String) -> Result<(), AppError> {
    use crate::auth::account::email_verification;
    use crate::auth::transport::client::{request_parts, ClientMeta};
    let auth = super::use_auth()?;
    email_verification::verify_email(&auth, &token, &ClientMeta::of(&request_parts()?)).await
}
