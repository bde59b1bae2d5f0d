//! Sessions: refresh tokens and their rotation, starting and ending a session, and a user's
//! devices (the sessions they can see and revoke).

pub mod devices;
pub mod lifecycle;
pub mod refresh_token;
pub mod rotation;
pub mod rotation_batches;
