//! The `outbox` table: mail waiting to be sent, or sent (see `mail::outbox`).

use sea_orm::entity::prelude::*;

#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub created_at: i64,
    pub recipient: String,
    pub subject: String,
    /// The bodies, with `{{link}}` where the link goes: they hold no secret.
    pub text_body: String,
    pub html_body: String,
    /// The mail's link, which may carry a token; cleared once the mail is sent or given up.
    pub link: Option<String>,
    pub attempts: i32,
    pub next_attempt_at: i64,
    /// An instance is sending it until then.
    pub claimed_until: Option<i64>,
    pub sent_at: Option<i64>,
    /// Given up (a permanent failure, or too many attempts).
    pub failed_at: Option<i64>,
    pub last_error: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mail")
            .field("id", &self.id)
            .field("subject", &self.subject)
            .field("attempts", &self.attempts)
            .field("sent_at", &self.sent_at)
            .field("failed_at", &self.failed_at)
            .finish_non_exhaustive()
    }
}
