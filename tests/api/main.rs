//! Integration tests: the HTTP contract, against a real server and database.

mod helpers;

mod admin_cli;
mod csrf_and_limits;
mod hardening;
mod instances;
mod login;
mod logout;
mod me;
mod processes;
mod refresh;
mod register;
mod revocation;
mod sessions;
mod storage;
