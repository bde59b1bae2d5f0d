//! The `users` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub email: String,
    /// PHC string (`$argon2id$…`). Never serialized, never logged.
    pub password_hash: String,
    pub created_at: i64,
    /// Set by the operator (`latchkey disable-user`): sign-in is refused, and the user's sessions
    /// were ended.
    pub disabled_at: Option<i64>,
    /// When the user proved they read mail at this address (a password reset does).
    pub email_verified_at: Option<i64>,
    /// The TOTP secret (RFC 6238), once set up; it counts only from `totp_enabled_at`.
    pub totp_secret: Option<Vec<u8>>,
    pub totp_enabled_at: Option<i64>,
    /// The last TOTP time step accepted: a code of that step or an earlier one is refused.
    pub totp_last_step: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("User").field("id", &self.id).field("email", &self.email).finish_non_exhaustive()
    }
}
