//! The `passkeys` table: each WebAuthn credential registered to an account.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "passkeys")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    /// The credential id, base64url: unique across accounts.
    pub credential_id: String,
    /// The user handle (a UUID's 16 bytes) the authenticator stores for the account.
    pub user_handle: Vec<u8>,
    pub name: String,
    /// The credential as webauthn-rs serialises it (JSON: public key, counter, flags).
    pub credential: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
