//! Accounts: signing up and in (the paths that start a session from a password), proving who
//! you are again while signed in (`proof`) for sudo, a password change or deleting the account,
//! and the operator's tasks behind the admin CLI.

pub mod admin;
pub mod deletion;
pub mod email_change;
pub mod email_verification;
pub mod password_change;
pub mod password_reset;
pub mod proof;
pub mod sign_in_notice;
pub mod signin;
pub mod signup;
pub mod sudo;
