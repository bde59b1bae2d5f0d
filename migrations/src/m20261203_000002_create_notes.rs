//! `notes`: the worked example of a protected feature (README, "Add a protected page and server
//! function"): each user's own short notes, gone with the user.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Notes::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Notes::Id))
                    .col(big_integer(Notes::UserId))
                    .col(text(Notes::Body))
                    .col(big_integer(Notes::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Notes::Table, Notes::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .if_not_exists()
                    .name("idx_notes_user")
                    .table(Notes::Table)
                    .col(Notes::UserId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Notes::Table).if_exists().to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Notes {
    Table,
    Id,
    UserId,
    Body,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}
