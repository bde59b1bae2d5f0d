//! The `refresh_tokens` table: only SHA-256 hashes of the opaque tokens are stored.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "refresh_tokens")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub session_id: String,
    #[sea_orm(unique)]
    pub token_hash: Vec<u8>,
    pub created_at: i64,
    pub expires_at: i64,
    /// Set when this token was exchanged for its successor.
    pub rotated_at: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::sessions::Entity",
        from = "Column::SessionId",
        to = "super::sessions::Column::Id"
    )]
    Session,
}

impl ActiveModelBehavior for ActiveModel {}
