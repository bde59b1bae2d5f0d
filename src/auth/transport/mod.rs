//! Where server functions meet HTTP (server only): the signed-in caller of a request
//! ([`current_user`]), who the client is ([`client`]), our cookies ([`cookies`]), what a
//! response must carry ([`respond`]) and which server functions anyone may call
//! ([`public`]). Services never see a request; server functions never build a query.

pub mod client;
pub mod cookies;
pub mod current_user;
pub mod public;
pub mod respond;
