//! The `revocation_log` table: every ended session, numbered in commit order by the database.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "revocation_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub seq: i64,
    pub session_id: String,
    /// When the session ended, by the clock of the instance that ended it.
    pub revoked_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
