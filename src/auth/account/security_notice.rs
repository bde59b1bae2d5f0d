//! Security notices: a mail to the account's address when how it signs in changed (password
//! changed or reset, two-step sign-in on or off), saying when, from what browser and where,
//! queued in the transaction of the change. It carries no token: "not you?" points to a reset.

use sea_orm::ConnectionTrait;

use crate::auth::clock::in_words;
use crate::auth::transport::client::ClientMeta;
use crate::auth::user_agent::describe_user_agent;
use crate::auth::Auth;
use crate::db::outbox::queue_mail;
use crate::error::AppError;
use crate::mail::templates::{self, AccountChange, SignInFacts};

/// What a notice tells about the client `meta` describes at `now` (`how`: the factors used).
pub fn facts_of(meta: &ClientMeta, now: i64, how: &str) -> SignInFacts {
    SignInFacts {
        when: in_words(now),
        device: describe_user_agent(&meta.user_agent),
        ip: if meta.ip.is_empty() { "unknown".to_owned() } else { meta.ip.clone() },
        how: how.to_owned(),
    }
}

/// Queues the notice of `change` to `email`, through `db` (the change's transaction).
///
/// # Errors
/// Database failure.
pub async fn queue_security_notice(
    db: &impl ConnectionTrait,
    auth: &Auth,
    email: &str,
    change: AccountChange,
    meta: &ClientMeta,
    now: i64,
) -> Result<(), AppError> {
    let mail =
        templates::security_notice(email, change, &facts_of(meta, now, ""), &auth.settings.link_origin);
    queue_mail(db, mail.as_new_mail(), now).await?;
    Ok(())
}
