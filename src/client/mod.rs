//! Browser-side behaviour: the session context pages read, and what only a browser can do.

pub mod browser;
pub mod redirect;
pub mod session;
