//! Second factors. TOTP lives on the account (`users.totp_*`: the secret, set up but not yet
//! enabled until `totp_enabled_at`, and the last time step accepted, which only moves forward);
//! `recovery_codes` holds the SHA-256 of each recovery code, used once; `pending_sign_ins`
//! holds the SHA-256 of each pending cookie (a correct password waiting for its second factor).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            binary_null(Users::TotpSecret),
            big_integer_null(Users::TotpEnabledAt),
            big_integer(Users::TotpLastStep).default(0).to_owned(),
        ] {
            manager.alter_table(Table::alter().table(Users::Table).add_column(column).to_owned()).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(RecoveryCodes::Table)
                    .if_not_exists()
                    .col(binary(RecoveryCodes::CodeHash).primary_key())
                    .col(big_integer(RecoveryCodes::UserId))
                    .col(big_integer(RecoveryCodes::CreatedAt))
                    .col(big_integer_null(RecoveryCodes::UsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(RecoveryCodes::Table, RecoveryCodes::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_recovery_codes_user_id")
                    .table(RecoveryCodes::Table)
                    .col(RecoveryCodes::UserId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PendingSignIns::Table)
                    .if_not_exists()
                    .col(binary(PendingSignIns::TokenHash).primary_key())
                    .col(big_integer(PendingSignIns::UserId))
                    .col(boolean(PendingSignIns::Remember))
                    .col(big_integer(PendingSignIns::CreatedAt))
                    .col(big_integer(PendingSignIns::ExpiresAt))
                    .col(big_integer_null(PendingSignIns::UsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(PendingSignIns::Table, PendingSignIns::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(PendingSignIns::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(RecoveryCodes::Table).to_owned()).await?;
        for column in [Users::TotpSecret, Users::TotpEnabledAt, Users::TotpLastStep] {
            manager.alter_table(Table::alter().table(Users::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Users {
    Table,
    Id,
    TotpSecret,
    TotpEnabledAt,
    TotpLastStep,
}

#[derive(DeriveIden)]
enum RecoveryCodes {
    Table,
    CodeHash,
    UserId,
    CreatedAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum PendingSignIns {
    Table,
    TokenHash,
    UserId,
    Remember,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}
