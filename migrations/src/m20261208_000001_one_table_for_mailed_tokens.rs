//! One table for every token a mail carries: password-reset tokens move into `email_tokens`
//! (purpose `reset`, the address they were mailed to), and `email_tokens` gains the session a
//! token is about (a new-device notice's "this wasn't me" link ends that session).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(EmailTokens::Table)
                    .add_column(string_null(EmailTokens::SessionId))
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "INSERT INTO email_tokens (token_hash, purpose, user_id, email, created_at, expires_at, used_at) \
                 SELECT r.token_hash, 'reset', r.user_id, u.email, r.created_at, r.expires_at, r.used_at \
                 FROM password_reset_tokens r JOIN users u ON u.id = r.user_id",
            )
            .await?;
        manager.drop_table(Table::drop().table(PasswordResetTokens::Table).to_owned()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
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
        let db = manager.get_connection();
        db.execute_unprepared(
            "INSERT INTO password_reset_tokens (token_hash, user_id, created_at, expires_at, used_at) \
             SELECT token_hash, user_id, created_at, expires_at, used_at FROM email_tokens WHERE purpose = 'reset'",
        )
        .await?;
        db.execute_unprepared("DELETE FROM email_tokens WHERE purpose IN ('reset', 'report')").await?;
        manager
            .alter_table(
                Table::alter().table(EmailTokens::Table).drop_column(EmailTokens::SessionId).to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum EmailTokens {
    Table,
    SessionId,
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
}
