//! The index on `sessions.revoked_at` holds revoked sessions only.
//!
//! It is there to find the sessions revoked since a given time (every instance asks twice a
//! second) and those revoked long ago (the purge). But a full index on the column also offers
//! the planner every *live* session (`revoked_at IS NULL`). Lacking statistics, SQLite
//! estimates that as a handful of rows, and took it over the primary key as soon as a batched
//! rotation or revoke named more than a few sessions: each such statement then read every live
//! session, and refreshes got slower as the number of signed-in users grew. A partial index
//! (`WHERE revoked_at IS NOT NULL`) still answers `revoked_at >= ?` and `revoked_at < ?`, which
//! imply it, and can never be used for `revoked_at IS NULL`. PostgreSQL supports it alike.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const FULL_INDEX: &str = "idx_sessions_revoked_at";
const PARTIAL_INDEX: &str = "idx_sessions_revoked";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite runs a migration outside a transaction: each step may be run again after a
        // crash between them.
        manager
            .drop_index(Index::drop().name(FULL_INDEX).table(Sessions::Table).if_exists().to_owned())
            .await?;
        manager
            .create_index(
                Index::create()
                    .if_not_exists()
                    .name(PARTIAL_INDEX)
                    .table(Sessions::Table)
                    .col(Sessions::RevokedAt)
                    .and_where(Expr::col(Sessions::RevokedAt).is_not_null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name(PARTIAL_INDEX).table(Sessions::Table).to_owned()).await?;
        manager
            .create_index(
                Index::create().name(FULL_INDEX).table(Sessions::Table).col(Sessions::RevokedAt).to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    RevokedAt,
}
