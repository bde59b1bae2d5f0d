//! The `email_tokens` table: the SHA-256 of each token a mailed link carries, single use.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "email_tokens")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub token_hash: Vec<u8>,
    /// What the token is for: `verify` (the account's own address), `reset` (a new password),
    /// `change` (the account's new address, in `email`), `report` (a sign-in the user did not make).
    pub purpose: String,
    pub user_id: i64,
    /// The address the mail went to.
    pub email: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub used_at: Option<i64>,
    /// The session a `report` token is about.
    pub session_id: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
