//! Reusable view pieces.

pub mod activity;
pub mod form;
pub mod nav;
pub mod protected;
pub mod sudo;
