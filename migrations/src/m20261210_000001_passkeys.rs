//! Passkeys (WebAuthn). `passkeys` holds each registered credential of an account: its id
//! (unique across accounts), the user handle the authenticator keeps for the account, the
//! credential as webauthn-rs serialises it (public key, counter), a name and when it was used.
//! `passkey_ceremonies` holds the server half of a ceremony that was started and not finished,
//! keyed by the SHA-256 of its challenge: single use, five minutes.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Passkeys::Table)
                    .if_not_exists()
                    .col(big_integer(Passkeys::Id).auto_increment().primary_key())
                    .col(big_integer(Passkeys::UserId))
                    .col(string(Passkeys::CredentialId).unique_key())
                    .col(binary(Passkeys::UserHandle))
                    .col(string(Passkeys::Name))
                    .col(text(Passkeys::Credential))
                    .col(big_integer(Passkeys::CreatedAt))
                    .col(big_integer_null(Passkeys::LastUsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Passkeys::Table, Passkeys::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_passkeys_user_id")
                    .table(Passkeys::Table)
                    .col(Passkeys::UserId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PasskeyCeremonies::Table)
                    .if_not_exists()
                    .col(binary(PasskeyCeremonies::ChallengeHash).primary_key())
                    .col(string(PasskeyCeremonies::Kind))
                    .col(big_integer_null(PasskeyCeremonies::UserId))
                    .col(text(PasskeyCeremonies::State))
                    .col(big_integer(PasskeyCeremonies::ExpiresAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(PasskeyCeremonies::Table, PasskeyCeremonies::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(PasskeyCeremonies::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Passkeys::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Passkeys {
    Table,
    Id,
    UserId,
    CredentialId,
    UserHandle,
    Name,
    Credential,
    CreatedAt,
    LastUsedAt,
}

#[derive(DeriveIden)]
enum PasskeyCeremonies {
    Table,
    ChallengeHash,
    Kind,
    UserId,
    State,
    ExpiresAt,
}
