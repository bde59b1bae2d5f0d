//! Reusable view pieces.

pub mod activity;
pub mod form;
pub mod log_out_others;
pub mod nav;
pub mod protected;
pub mod sudo;
pub mod verify_banner;
