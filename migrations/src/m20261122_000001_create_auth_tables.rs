//! Users, sessions, refresh tokens, signing keys and the audit log.
//!
//! Times are Unix seconds (`BIGINT`) so that SQLite and PostgreSQL compare them the same way.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.create_table(users()).await?;
        manager.create_table(sessions()).await?;
        manager.create_table(refresh_tokens()).await?;
        manager.create_table(signing_keys()).await?;
        manager.create_table(audit_events()).await?;
        for index in indexes() {
            manager.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AuditEvents::Table.into_iden(),
            SigningKeys::Table.into_iden(),
            RefreshTokens::Table.into_iden(),
            Sessions::Table.into_iden(),
            Users::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

fn users() -> TableCreateStatement {
    Table::create()
        .table(Users::Table)
        .if_not_exists()
        .col(big_pk_auto(Users::Id))
        .col(string_uniq(Users::Email))
        .col(string(Users::PasswordHash))
        .col(big_integer(Users::CreatedAt))
        .to_owned()
}

fn sessions() -> TableCreateStatement {
    Table::create()
        .table(Sessions::Table)
        .if_not_exists()
        .col(string(Sessions::Id).primary_key())
        .col(big_integer(Sessions::UserId))
        .col(binary(Sessions::RotationKey))
        .col(big_integer(Sessions::CreatedAt))
        .col(big_integer(Sessions::LastUsedAt))
        .col(big_integer(Sessions::ExpiresAt))
        .col(string(Sessions::UserAgent))
        .col(string(Sessions::Ip))
        .col(big_integer_null(Sessions::RevokedAt))
        .col(string_null(Sessions::RevokeReason))
        .foreign_key(
            ForeignKey::create()
                .from(Sessions::Table, Sessions::UserId)
                .to(Users::Table, Users::Id)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .to_owned()
}

fn refresh_tokens() -> TableCreateStatement {
    Table::create()
        .table(RefreshTokens::Table)
        .if_not_exists()
        .col(big_pk_auto(RefreshTokens::Id))
        .col(string(RefreshTokens::SessionId))
        .col(binary_uniq(RefreshTokens::TokenHash))
        .col(big_integer(RefreshTokens::CreatedAt))
        .col(big_integer(RefreshTokens::ExpiresAt))
        .col(big_integer_null(RefreshTokens::RotatedAt))
        .foreign_key(
            ForeignKey::create()
                .from(RefreshTokens::Table, RefreshTokens::SessionId)
                .to(Sessions::Table, Sessions::Id)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .to_owned()
}

fn signing_keys() -> TableCreateStatement {
    Table::create()
        .table(SigningKeys::Table)
        .if_not_exists()
        .col(string(SigningKeys::Kid).primary_key())
        .col(string(SigningKeys::Algorithm))
        .col(binary(SigningKeys::Secret))
        .col(big_integer(SigningKeys::CreatedAt))
        .col(big_integer_null(SigningKeys::RetiredAt))
        .to_owned()
}

fn audit_events() -> TableCreateStatement {
    Table::create()
        .table(AuditEvents::Table)
        .if_not_exists()
        .col(big_pk_auto(AuditEvents::Id))
        .col(big_integer(AuditEvents::At))
        .col(string(AuditEvents::Kind))
        .col(big_integer_null(AuditEvents::UserId))
        .col(string_null(AuditEvents::SessionId))
        .col(string_null(AuditEvents::Email))
        .col(string(AuditEvents::Ip))
        .col(string(AuditEvents::UserAgent))
        .to_owned()
}

fn indexes() -> Vec<IndexCreateStatement> {
    vec![
        Index::create().name("idx_sessions_user").table(Sessions::Table).col(Sessions::UserId).to_owned(),
        Index::create()
            .name("idx_sessions_revoked_at")
            .table(Sessions::Table)
            .col(Sessions::RevokedAt)
            .to_owned(),
        Index::create()
            .name("idx_refresh_tokens_session")
            .table(RefreshTokens::Table)
            .col(RefreshTokens::SessionId)
            .to_owned(),
        Index::create()
            .name("idx_audit_events_user_at")
            .table(AuditEvents::Table)
            .col(AuditEvents::UserId)
            .col(AuditEvents::At)
            .to_owned(),
        Index::create()
            .name("idx_audit_events_email_kind_at")
            .table(AuditEvents::Table)
            .col(AuditEvents::Email)
            .col(AuditEvents::Kind)
            .col(AuditEvents::At)
            .to_owned(),
    ]
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Email,
    PasswordHash,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    UserId,
    RotationKey,
    CreatedAt,
    LastUsedAt,
    ExpiresAt,
    UserAgent,
    Ip,
    RevokedAt,
    RevokeReason,
}

#[derive(DeriveIden)]
enum RefreshTokens {
    Table,
    Id,
    SessionId,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    RotatedAt,
}

#[derive(DeriveIden)]
enum SigningKeys {
    Table,
    Kid,
    Algorithm,
    Secret,
    CreatedAt,
    RetiredAt,
}

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    Id,
    At,
    Kind,
    UserId,
    SessionId,
    Email,
    Ip,
    UserAgent,
}
