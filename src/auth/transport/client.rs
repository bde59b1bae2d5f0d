//! Who is calling: the client's address (as the `client_ip` layer resolved it, behind trusted
//! proxies too) and user agent, kept on sessions and audit rows; and what a browser brings to
//! a sign-in (its device cookie, and the session it still holds).

use std::net::{IpAddr, Ipv6Addr, SocketAddr};

use axum::extract::ConnectInfo;
use axum::http::header::USER_AGENT;
use axum::http::request::Parts;
use axum_extra::extract::cookie::CookieJar;

use crate::auth::credentials::devices::DeviceId;
use crate::auth::sessions::refresh_token::RefreshToken;
use crate::auth::Auth;
use crate::error::AppError;

/// The longest user agent kept, in characters.
const USER_AGENT_MAX: usize = 512;

/// The client's address, set on every request by the `client_ip` layer: the peer, or, when the
/// peer is a trusted proxy, the client it forwarded for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

/// The group an address is limited as: itself for IPv4, its /64 for IPv6 (the block one
/// subscriber is given, where a client can pick any address).
pub fn address_group(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
        v4 => v4,
    }
}

/// Who is calling: kept on sessions and audit rows.
#[derive(Debug, Clone, Default)]
pub struct ClientMeta {
    pub ip: String,
    pub user_agent: String,
    /// The address itself, for per-address limits.
    pub addr: Option<IpAddr>,
}

impl ClientMeta {
    /// The caller of the request whose parts these are.
    pub fn of(parts: &Parts) -> Self {
        let addr =
            parts.extensions.get::<ClientIp>().map(|ClientIp(ip)| *ip).or_else(|| {
                parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(peer)| peer.ip())
            });
        let user_agent = parts
            .headers
            .get(USER_AGENT)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).chars().take(USER_AGENT_MAX).collect())
            .unwrap_or_default();
        Self { ip: addr.map(|ip| ip.to_string()).unwrap_or_default(), user_agent, addr }
    }

    /// For work done by the operator, not a client.
    pub fn operator() -> Self {
        Self { ip: "admin-cli".into(), user_agent: "latchkey admin".into(), addr: None }
    }
}

/// What a browser sends when it signs up or in, besides the credentials.
#[derive(Debug)]
pub struct Browser {
    pub meta: ClientMeta,
    /// Its device cookie, if it has one of the right shape.
    pub device: Option<DeviceId>,
    /// The refresh token it still holds: that session ends when the new one starts.
    pub previous: Option<RefreshToken>,
    /// Whether it asked to stay signed in ("remember me", the default).
    pub remember: bool,
}

impl Browser {
    /// The browser, with its "remember me" choice (`None`: the default, yes).
    pub fn remembering(self, remember: Option<bool>) -> Self {
        Self { remember: remember.unwrap_or(true), ..self }
    }
}

/// The request being served (a server function's or a page's), from the Leptos context.
///
/// # Errors
/// [`AppError::Internal`] outside a request (a programming error, logged).
pub fn request_parts() -> Result<Parts, AppError> {
    leptos::prelude::use_context::<Parts>().ok_or_else(|| {
        tracing::error!("called outside a request: no Parts in the Leptos context");
        AppError::Internal
    })
}

/// The cookies of the request being served.
///
/// # Errors
/// As [`request_parts`].
pub async fn request_cookies() -> Result<CookieJar, AppError> {
    leptos_axum::extract::<CookieJar>().await.map_err(|e| {
        tracing::error!(error = %e, "could not read the request's cookies");
        AppError::Internal
    })
}

/// The refresh token the request carries, if it has the shape of one of ours.
pub fn refresh_token(auth: &Auth, jar: &CookieJar) -> Option<RefreshToken> {
    auth.cookies.refresh(jar).and_then(RefreshToken::parse)
}

/// What the browser of the request being served brings to a sign-in.
///
/// # Errors
/// As [`request_parts`].
/// The pending sign-in cookie of the request being served, if any.
///
/// # Errors
/// As [`browser`].
pub async fn pending_sign_in(auth: &Auth) -> Result<Option<String>, AppError> {
    let jar = request_cookies().await?;
    Ok(auth.cookies.pending(&jar).map(str::to_owned))
}

pub async fn browser(auth: &Auth) -> Result<Browser, AppError> {
    let jar = request_cookies().await?;
    Ok(Browser {
        meta: ClientMeta::of(&request_parts()?),
        device: auth.cookies.device(&jar).and_then(DeviceId::parse),
        previous: refresh_token(auth, &jar),
        remember: true,
    })
}

#[cfg(test)]
mod tests {
    use super::address_group;

    #[test]
    fn an_ipv6_subscriber_is_one_group_and_ipv4_addresses_are_their_own() {
        let ip = |s: &str| s.parse::<std::net::IpAddr>().expect("ip");
        assert_eq!(address_group(ip("2001:db8:1:2:aaaa::1")), address_group(ip("2001:db8:1:2:ffff::9")));
        assert_ne!(address_group(ip("2001:db8:1:2::1")), address_group(ip("2001:db8:1:3::1")));
        assert_ne!(address_group(ip("192.0.2.1")), address_group(ip("192.0.2.2")));
        assert_eq!(address_group(ip("::ffff:192.0.2.1")), ip("192.0.2.1"));
    }
}
