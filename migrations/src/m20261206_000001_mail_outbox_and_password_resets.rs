//! Mail and password resets.
//!
//! - `outbox`: mail to send, written in the transaction of what caused it and sent by any
//!   instance's background task (a mail queued before a crash is sent after the restart).
//!   A mail's secret link is kept apart from its bodies (`link`) and cleared once it is sent.
//! - `password_reset_tokens`: SHA-256 of each reset token (never the token), single use.
//! - `users.email_verified_at`: set when the user proved they read the address (a reset does).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Outbox::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Outbox::Id))
                    .col(big_integer(Outbox::CreatedAt))
                    .col(string(Outbox::Recipient))
                    .col(string(Outbox::Subject))
                    .col(text(Outbox::TextBody))
                    .col(text(Outbox::HtmlBody))
                    .col(text_null(Outbox::Link))
                    .col(integer(Outbox::Attempts).default(0))
                    .col(big_integer(Outbox::NextAttemptAt))
                    .col(big_integer_null(Outbox::ClaimedUntil))
                    .col(big_integer_null(Outbox::SentAt))
                    .col(big_integer_null(Outbox::FailedAt))
                    .col(string_null(Outbox::LastError))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_outbox_next_attempt_at")
                    .table(Outbox::Table)
                    .col(Outbox::NextAttemptAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PasswordResetTokens::Table)
                    .if_not_exists()
                    .col(binary(PasswordResetTokens::TokenHash).primary_key())
                    .col(big_integer(PasswordResetTokens::UserId))
                    .col(big_integer(PasswordResetTokens::CreatedAt))
                    .col(big_integer(PasswordResetTokens::ExpiresAt))
                    .col(big_integer_null(PasswordResetTokens::UsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(PasswordResetTokens::Table, PasswordResetTokens::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_password_reset_tokens_user_id")
                    .table(PasswordResetTokens::Table)
                    .col(PasswordResetTokens::UserId)
                    .to_owned(),
            )
            .await?;
        let mut verified = big_integer_null(Users::EmailVerifiedAt);
        manager.alter_table(Table::alter().table(Users::Table).add_column(&mut verified).to_owned()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table(Users::Table).drop_column(Users::EmailVerifiedAt).to_owned())
            .await?;
        manager.drop_table(Table::drop().table(PasswordResetTokens::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Outbox::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Id,
    CreatedAt,
    Recipient,
    Subject,
    TextBody,
    HtmlBody,
    Link,
    Attempts,
    NextAttemptAt,
    ClaimedUntil,
    SentAt,
    FailedAt,
    LastError,
}

#[derive(DeriveIden)]
enum PasswordResetTokens {
    Table,
    TokenHash,
    UserId,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    EmailVerifiedAt,
}
