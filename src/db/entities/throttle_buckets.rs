//! The `throttle_buckets` table: one fixed-window attempt counter per key.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "throttle_buckets")]
pub struct Model {
    /// What is counted, e.g. `login:account:<sha-256 of the email>`; never a secret in clear.
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    /// When the current window opened (Unix seconds).
    pub window_start: i64,
    /// Attempts counted in the current window, the one being made included.
    pub attempts: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
