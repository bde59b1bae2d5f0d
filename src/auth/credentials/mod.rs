//! What a user proves who they are with, and the limits on trying: passwords (argon2id on the
//! hashing threads), the common-password list, the sign-in throttle and device cookies.

pub mod argon2_memory;
pub mod common_passwords;
pub mod devices;
pub mod hash_workers;
pub mod mail_tokens;
pub mod password;
pub mod throttle;
