//! The server (ssr only): configuration, start-up, shared state, the router and its layers.

pub mod background;
pub mod cli;
pub mod config;
pub mod csrf;
pub mod guard;
pub mod headers;
pub mod http_error;
pub mod limits;
pub mod rate_limit;
pub mod router;
pub mod server_fns;
pub mod startup;
pub mod state;
pub mod telemetry;
