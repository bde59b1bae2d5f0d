//! The `sessions` table: one row per sign-in, holding its refresh-token chain (see
//! `auth::refresh`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub user_id: i64,
    /// HMAC key from which each refresh token's successor is derived (see `auth::refresh`).
    pub rotation_key: Vec<u8>,
    pub created_at: i64,
    pub last_used_at: i64,
    /// Absolute end of the session (`SESSION_MAX_LIFETIME` after sign-in); never extended.
    pub expires_at: i64,
    pub user_agent: String,
    pub ip: String,
    pub revoked_at: Option<i64>,
    pub revoke_reason: Option<String>,
    /// SHA-256 of the current refresh token's secret; `None` for a session that has none.
    pub refresh_hash: Option<Vec<u8>>,
    /// The current refresh token's generation: how many times the session rotated.
    pub refresh_generation: i64,
    /// When the current token was issued (its parent rotated): the grace window runs from here.
    pub refresh_issued_at: i64,
    pub refresh_expires_at: i64,
    /// When the user last proved who they are in this session (sign-in, re-authentication);
    /// a refresh never changes it.
    pub authenticated_at: i64,
    /// How (space-separated `amr` values, such as `pwd`).
    pub auth_methods: String,
    /// Whether the browser asked to stay signed in ("remember me"): if not, its cookies end
    /// with the browser session and the session idles out after `SESSION_IDLE_TIMEOUT_FORGET`.
    pub remember: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::users::Entity", from = "Column::UserId", to = "super::users::Column::Id")]
    User,
}

impl ActiveModelBehavior for ActiveModel {}
