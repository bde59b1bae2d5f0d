//! Integration tests: the HTTP contract, against a real server and database.

mod helpers;

mod account;
mod admin_cli;
mod clock_skew;
mod csrf_and_limits;
mod email_change;
mod email_verification;
mod fork;
mod hardening;
mod instances;
mod layers;
mod login;
mod logout;
mod me;
mod new_device;
mod notes;
mod odd_input;
mod passkeys;
mod password_reset;
mod planted_cookies;
mod processes;
mod refresh;
mod register;
mod revocation;
mod second_factors;
mod sessions;
mod smtp_sink;
mod soft_authenticator;
mod storage;
mod sudo;
mod throttle;
