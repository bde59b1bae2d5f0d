//! Accounts: signing up and in (the paths that start a session from a password), re-proving
//! who you are before a sensitive action (sudo), and the operator's tasks behind the admin CLI.

pub mod admin;
pub mod signin;
pub mod signup;
pub mod sudo;
