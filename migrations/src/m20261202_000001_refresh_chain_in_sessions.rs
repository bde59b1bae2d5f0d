//! Each session holds its refresh token chain: the hash and generation of its one current token.
//!
//! Until now every rotation inserted a row into `refresh_tokens`, and every rotated row was
//! kept so that a replayed token could be recognised. That table grew by one row per refresh,
//! under a unique index on random hashes. A token now names its session and generation, and an
//! older token is recognised by deriving the chain forward from it to the current one (see
//! `auth::refresh`), so nothing but the current token's hash needs to be stored.
//!
//! Tokens issued before this migration cannot be carried over (the format changed). Their
//! sessions are ended here, with the reason `refresh_token_format`, as a revoke would end them:
//! the running instances learn of it as of any revocation, their access tokens stop working,
//! and their users sign in again.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        for column in [
            binary_null(Sessions::RefreshHash),
            big_integer(Sessions::RefreshGeneration).default(0).to_owned(),
            big_integer(Sessions::RefreshIssuedAt).default(0).to_owned(),
            big_integer(Sessions::RefreshExpiresAt).default(0).to_owned(),
        ] {
            let mut column = column;
            manager
                .alter_table(Table::alter().table(Sessions::Table).add_column(&mut column).to_owned())
                .await?;
        }
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |elapsed| {
            <i64 as std::convert::TryFrom<u64>>::try_from(elapsed.as_secs()).unwrap_or(i64::MAX)
        });
        let end_live_sessions = Query::update()
            .table(Sessions::Table)
            .values([
                (Sessions::RevokedAt, now.into()),
                (Sessions::RevokeReason, "refresh_token_format".into()),
            ])
            .and_where(Expr::col(Sessions::RevokedAt).is_null())
            .to_owned();
        manager.exec_stmt(end_live_sessions).await?;
        manager.drop_table(Table::drop().table(RefreshTokens::Table).if_exists().to_owned()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
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
                    .to_owned(),
            )
            .await?;
        for column in [
            Sessions::RefreshHash,
            Sessions::RefreshGeneration,
            Sessions::RefreshIssuedAt,
            Sessions::RefreshExpiresAt,
        ] {
            manager.alter_table(Table::alter().table(Sessions::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    RevokedAt,
    RevokeReason,
    /// SHA-256 of the current refresh token's secret; `NULL` for a session without one.
    RefreshHash,
    /// How many times the session's refresh token was rotated: the current token's generation.
    RefreshGeneration,
    /// When the current token was issued (its parent rotated): the grace window runs from here.
    RefreshIssuedAt,
    RefreshExpiresAt,
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
