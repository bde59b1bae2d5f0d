//! The account around the session: a user can be disabled by the operator (`disabled_at`),
//! and a session remembers whether its browser asked to stay signed in (`remember`): a session
//! that did not has browser-session cookies and the shorter `SESSION_IDLE_TIMEOUT_FORGET`.
//!
//! Existing sessions were all "remember me" ones; no user was disabled.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        let mut disabled_at = big_integer_null(Users::DisabledAt);
        manager
            .alter_table(Table::alter().table(Users::Table).add_column(&mut disabled_at).to_owned())
            .await?;
        let mut remember = boolean(Sessions::Remember).default(true).to_owned();
        manager
            .alter_table(Table::alter().table(Sessions::Table).add_column(&mut remember).to_owned())
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table(Sessions::Table).drop_column(Sessions::Remember).to_owned())
            .await?;
        manager
            .alter_table(Table::alter().table(Users::Table).drop_column(Users::DisabledAt).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Users {
    Table,
    DisabledAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Remember,
}
