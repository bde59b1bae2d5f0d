//! Schema migrations for Latchkey. Append-only: never edit a migration that has shipped.

pub use sea_orm_migration::prelude::*;

mod m20261122_000001_create_auth_tables;
mod m20261202_000001_refresh_chain_in_sessions;
mod m20261202_000002_index_only_revoked_sessions;
mod m20261203_000001_throttles_devices_revocation_log;
mod m20261203_000002_create_notes;
mod m20261204_000001_session_authentication;
mod m20261205_000001_account_lifecycle;
mod m20261206_000001_mail_outbox_and_password_resets;
mod m20261207_000001_email_tokens;
mod m20261208_000001_one_table_for_mailed_tokens;
mod m20261209_000001_second_factors;
mod m20261210_000001_passkeys;

/// Runs every migration in order; the server calls `Migrator::up` at start-up.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_create_auth_tables::Migration),
            Box::new(m20261202_000001_refresh_chain_in_sessions::Migration),
            Box::new(m20261202_000002_index_only_revoked_sessions::Migration),
            Box::new(m20261203_000001_throttles_devices_revocation_log::Migration),
            Box::new(m20261203_000002_create_notes::Migration),
            Box::new(m20261204_000001_session_authentication::Migration),
            Box::new(m20261205_000001_account_lifecycle::Migration),
            Box::new(m20261206_000001_mail_outbox_and_password_resets::Migration),
            Box::new(m20261207_000001_email_tokens::Migration),
            Box::new(m20261208_000001_one_table_for_mailed_tokens::Migration),
            Box::new(m20261209_000001_second_factors::Migration),
            Box::new(m20261210_000001_passkeys::Migration),
        ]
    }
}
