//! Reusable view pieces. None of them knows about cookies or tokens.

pub mod activity;
pub mod form;
pub mod nav;
pub mod signed_in;
