//! sea-orm entities, one per table. Only `db/` query modules use them.

pub mod audit_events;
pub mod email_tokens;
pub mod known_devices;
pub mod notes;
pub mod outbox;
pub mod passkey_ceremonies;
pub mod passkeys;
pub mod pending_sign_ins;
pub mod recovery_codes;
pub mod revocation_log;
pub mod sessions;
pub mod signing_keys;
pub mod throttle_buckets;
pub mod users;
