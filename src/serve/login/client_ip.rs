//! Who is asking, for the rate limits of the login form ([`super::super::ratelimit`]): behind
//! the council's reverse proxy every request comes from this machine, so the address the proxy
//! reports is the one that counts — and only then, so a client cannot pick its own address.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

/// The client's address: the peer, or — when the peer is this machine, i.e. the reverse proxy —
/// the last address the proxy appended to `X-Forwarded-For`.
pub struct ClientIp(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip());
        let forwarded = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .and_then(|v| v.trim().parse::<IpAddr>().ok());
        let ip = match (peer, forwarded) {
            (Some(peer), Some(forwarded)) if peer.is_loopback() => forwarded.to_string(),
            (Some(peer), _) => peer.to_string(),
            (None, _) => "unbekannt".to_string(),
        };
        Ok(ClientIp(ip))
    }
}
