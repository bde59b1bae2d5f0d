//! sea-orm entities, one per table. Only `db/` query modules use them.

pub mod audit_events;
pub mod sessions;
pub mod signing_keys;
pub mod users;
