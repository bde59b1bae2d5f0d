//! The relying party: who this site is to an authenticator, from `PUBLIC_ORIGIN`.
//!
//! WebAuthn names a site by a domain (its RP ID), never an IP address. A site served from a
//! loopback address (development, the test suites) is the browser's `localhost`: open it as
//! `http://localhost:PORT` to use passkeys. Any other address, or a host without a domain
//! name, has no passkeys.

use webauthn_rs::prelude::Url;
use webauthn_rs::{Webauthn, WebauthnBuilder};

/// The name authenticators show for this site.
pub const RP_NAME: &str = "Latchkey";

/// The relying party for the site at `origin` (`scheme://host[:port]`), or `None` when that
/// origin cannot have passkeys.
pub fn relying_party(origin: &str) -> Option<Webauthn> {
    let url = Url::parse(origin).ok()?;
    let (rp_id, rp_origin, any_port) = match url.host()? {
        url::Host::Domain(domain) => (domain.to_owned(), url.clone(), false),
        url::Host::Ipv4(ip) if ip.is_loopback() => ("localhost".to_owned(), localhost(&url)?, true),
        url::Host::Ipv6(ip) if ip.is_loopback() => ("localhost".to_owned(), localhost(&url)?, true),
        _ => return None,
    };
    let built =
        WebauthnBuilder::new(&rp_id, &rp_origin).ok()?.rp_name(RP_NAME).allow_any_port(any_port).build();
    match built {
        Ok(webauthn) => Some(webauthn),
        Err(e) => {
            tracing::warn!(error = %e, origin, "passkeys are off: this origin cannot be a relying party");
            None
        }
    }
}

/// `url` with `localhost` for its host.
fn localhost(url: &Url) -> Option<Url> {
    let mut local = url.clone();
    local.set_host(Some("localhost")).ok()?;
    Some(local)
}

#[cfg(test)]
mod tests {
    use super::relying_party;

    #[test]
    fn a_domain_is_its_own_relying_party_and_loopback_is_localhost() {
        assert!(relying_party("https://auth.example.com").is_some());
        assert!(relying_party("http://127.0.0.1:3000").is_some());
        assert!(relying_party("http://[::1]:3000").is_some());
        assert!(relying_party("https://203.0.113.7").is_none());
        assert!(relying_party("").is_none());
    }
}
