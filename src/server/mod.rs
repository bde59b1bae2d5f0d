//! The server (ssr only): configuration (clap), start-up, shared state, the router, the layers
//! around it, the listener, background work, the admin CLI and telemetry.

pub mod background;
pub mod cli;
pub mod config;
pub mod layers;
pub mod listener;
pub mod router;
pub mod startup;
pub mod state;
pub mod telemetry;
