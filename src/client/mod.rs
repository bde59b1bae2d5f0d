//! Browser-side behaviour: the signed-in state pages are rendered with, silent refresh, cross-tab
//! sync, logout, and what only a browser can do. Everything here compiles on the server too,
//! where it is inert.

pub mod account;
pub mod browser;
pub mod fragment_token;
pub mod keep_alive;
pub mod redirect;
pub mod refresh;
pub mod session;
pub mod tabs;
pub mod webauthn;
