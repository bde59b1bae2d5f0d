//! Three tables for the sign-in and revocation paths:
//!
//! - `throttle_buckets`: fixed-window attempt counters, one row per key (an account, a known
//!   device, an address). An attempt is counted by one `INSERT … ON CONFLICT DO UPDATE …
//!   RETURNING` before any password is checked, so concurrent attempts cannot all pass.
//! - `known_devices`: browsers that have signed in to an account (OWASP "device cookies"):
//!   the SHA-256 of a random per-browser cookie, paired with the account. A sign-in from a
//!   known device is throttled on its own, so failures from elsewhere cannot lock the owner out.
//! - `revocation_log`: every ended session, numbered by the database (`seq`). Instances read
//!   it from the last number they saw, so none misses a revocation whatever its clock says.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.create_table(throttle_buckets()).await?;
        manager.create_table(known_devices()).await?;
        manager.create_table(revocation_log()).await?;
        manager
            .create_index(
                Index::create()
                    .if_not_exists()
                    .name("idx_known_devices_user")
                    .table(KnownDevices::Table)
                    .col(KnownDevices::UserId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .if_not_exists()
                    .name("idx_audit_events_at")
                    .table(AuditEvents::Table)
                    .col(AuditEvents::At)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name("idx_audit_events_at").table(AuditEvents::Table).to_owned())
            .await?;
        for table in [
            RevocationLog::Table.into_iden(),
            KnownDevices::Table.into_iden(),
            ThrottleBuckets::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).if_exists().to_owned()).await?;
        }
        Ok(())
    }
}

fn throttle_buckets() -> TableCreateStatement {
    Table::create()
        .table(ThrottleBuckets::Table)
        .if_not_exists()
        .col(string(ThrottleBuckets::Key).primary_key())
        .col(big_integer(ThrottleBuckets::WindowStart))
        .col(big_integer(ThrottleBuckets::Attempts))
        .to_owned()
}

fn known_devices() -> TableCreateStatement {
    Table::create()
        .table(KnownDevices::Table)
        .if_not_exists()
        .col(binary(KnownDevices::DeviceHash))
        .col(big_integer(KnownDevices::UserId))
        .col(big_integer(KnownDevices::FirstSeenAt))
        .col(big_integer(KnownDevices::LastSeenAt))
        .primary_key(Index::create().col(KnownDevices::DeviceHash).col(KnownDevices::UserId))
        .foreign_key(
            ForeignKey::create()
                .from(KnownDevices::Table, KnownDevices::UserId)
                .to(Users::Table, Users::Id)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .to_owned()
}

fn revocation_log() -> TableCreateStatement {
    Table::create()
        .table(RevocationLog::Table)
        .if_not_exists()
        .col(big_pk_auto(RevocationLog::Seq))
        .col(string(RevocationLog::SessionId))
        .col(big_integer(RevocationLog::RevokedAt))
        .to_owned()
}

#[derive(DeriveIden)]
enum ThrottleBuckets {
    Table,
    Key,
    WindowStart,
    Attempts,
}

#[derive(DeriveIden)]
enum KnownDevices {
    Table,
    DeviceHash,
    UserId,
    FirstSeenAt,
    LastSeenAt,
}

#[derive(DeriveIden)]
enum RevocationLog {
    Table,
    Seq,
    SessionId,
    RevokedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    At,
}
