//! The `known_devices` table: which browsers have signed in to which account (device cookies).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "known_devices")]
pub struct Model {
    /// SHA-256 of the browser's device cookie; the cookie itself is never stored.
    #[sea_orm(primary_key, auto_increment = false)]
    pub device_hash: Vec<u8>,
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i64,
    pub first_seen_at: i64,
    pub last_seen_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
