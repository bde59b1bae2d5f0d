//! Mail: what the app sends (password-reset links, …) and how it gets there.
//!
//! A flow queues its mail in the database outbox ([`crate::db::outbox`]) in the transaction of
//! what caused it; every instance's background task ([`outbox::send_due`]) claims due mail one
//! by one (a conditional update: two instances never send one mail at once), sends it through
//! the [`transport::Mailer`] (SMTP with lettre, or the server log when `SMTP_URL` is unset), and
//! retries with backoff, giving up (logged and audited) on a permanent refusal. A mail queued
//! before a crash is sent after the restart, by whichever instance comes first.
//!
//! A link that carries a token is kept apart from the bodies, which hold `{{link}}` where it
//! goes, and cleared once the mail is sent: the log transport never prints it (but in plain-http
//! development), and the outbox holds it only until then.

pub mod outbox;
pub mod templates;
pub mod transport;
