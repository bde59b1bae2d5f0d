//! The `passkey_ceremonies` table: the server half of a WebAuthn ceremony in progress, keyed by
//! the SHA-256 of its challenge, single use.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "passkey_ceremonies")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub challenge_hash: Vec<u8>,
    /// `register` or `sign_in`.
    pub kind: String,
    /// The account registering a passkey; none for a sign-in.
    pub user_id: Option<i64>,
    /// The ceremony state as webauthn-rs serialises it (JSON).
    pub state: String,
    pub expires_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
