//! Access tokens: JWTs signed and verified with `jsonwebtoken` ([`access`]), the signing keys
//! every instance shares ([`keys`]), and the set of ended sessions whose tokens are refused
//! ([`revocations`]).

pub mod access;
pub mod keys;
pub mod revocations;

pub use access::{AccessClaims, KeyRing, SigningKey, TokenError};
