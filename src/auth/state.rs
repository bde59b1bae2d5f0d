//! `Auth`: everything the auth services share, built once at start-up.

use std::sync::Arc;

use sea_orm::{DatabaseConnection, DbErr};

use super::clock::now;
use super::credentials::password;
use super::sessions::rotation_batches::RotationBatches;
use super::settings::AuthSettings;
use super::tokens::keys::load_or_create_key_ring;
use super::tokens::revocations::{load_revocations, RevocationFeed, Revocations};
use super::tokens::KeyRing;
use super::transport::cookies::CookiePolicy;

/// The auth capability's state. Cloning it is one reference-count increment.
#[derive(Clone)]
pub struct Auth(Arc<AuthParts>);

/// What [`Auth`] shares.
pub struct AuthParts {
    pub db: DatabaseConnection,
    pub settings: AuthSettings,
    pub keys: KeyRing,
    /// Sessions ended lately, for refusing their access tokens without a database read.
    pub revocations: Revocations,
    /// Where this instance stands in the database's revocation log.
    pub revocation_feed: RevocationFeed,
    /// Refresh-token reads and rotations, batched across concurrent refreshes.
    pub rotations: RotationBatches,
    pub cookies: CookiePolicy,
    /// The WebAuthn relying party, when the site's origin can have one.
    pub passkeys: Option<webauthn_rs::Webauthn>,
}

impl Auth {
    /// Loads (or creates) the signing keys and the recent revocations, and starts the refresh
    /// batching tasks on the current Tokio runtime.
    ///
    /// # Errors
    /// Database failure.
    pub async fn start(db: DatabaseConnection, settings: AuthSettings) -> Result<Self, DbErr> {
        let ttl = settings.access_token_ttl;
        let keys = load_or_create_key_ring(&db, now(), ttl).await?;
        let revocations = Revocations::default();
        let revocation_feed = load_revocations(&db, &revocations, now(), ttl).await?;
        tokio::task::spawn_blocking(password::warm_up);
        Ok(Self(Arc::new(AuthParts {
            rotations: RotationBatches::start(&db),
            cookies: CookiePolicy::new(settings.cookie_secure),
            passkeys: super::passkeys::relying_party::relying_party(&settings.link_origin),
            db,
            settings,
            keys,
            revocations,
            revocation_feed,
        })))
    }
}

impl std::ops::Deref for Auth {
    type Target = AuthParts;

    fn deref(&self) -> &AuthParts {
        &self.0
    }
}
