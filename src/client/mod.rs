//! Browser-side behaviour: the session context pages read, silent refresh, cross-tab sync, and
//! what only a browser can do. Everything here compiles on the server too, where it is inert.

pub mod browser;
pub mod calls;
pub mod keep_alive;
pub mod redirect;
pub mod refresh;
pub mod session;
pub mod tabs;
