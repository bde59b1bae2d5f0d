//! Each session records when and how its user last proved who they are (`authenticated_at`,
//! `auth_methods`): a sign-in or a re-authentication sets them, a refresh never does. Access
//! tokens carry them as `auth_time` / `amr`, so a sensitive action can ask for a recent proof
//! (sudo) at JWT speed.
//!
//! Sessions from before this migration get `authenticated_at = 0`: they are not fresh, and a
//! sensitive action asks them for the password once.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        for column in [
            big_integer(Sessions::AuthenticatedAt).default(0).to_owned(),
            string(Sessions::AuthMethods).default("pwd").to_owned(),
        ] {
            let mut column = column;
            manager
                .alter_table(Table::alter().table(Sessions::Table).add_column(&mut column).to_owned())
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Sessions::AuthenticatedAt, Sessions::AuthMethods] {
            manager.alter_table(Table::alter().table(Sessions::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    AuthenticatedAt,
    AuthMethods,
}
