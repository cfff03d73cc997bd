//! Who the client is, for the limits: the peer, or the rightmost untrusted
//! `X-Forwarded-For` hop behind a trusted proxy; IPv6 keyed by /64.

use super::{IpAddr, Request};
/// The proxies whose `X-Forwarded-For` and `X-Forwarded-Proto` are believed
/// (`session.trusted_proxies`), as managed state.
pub struct TrustedProxies(pub Vec<std::net::IpAddr>);

/// The client's address: the peer's, or, when the peer is a trusted proxy, the
/// rightmost `X-Forwarded-For` hop that is not one (a client can prepend any hops
/// it likes, never append them). `None` only without a peer (local tests).
pub fn client_address(request: &Request<'_>, trusted: &[IpAddr]) -> Option<IpAddr> {
    let peer = request.remote()?.ip();
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    let hops: Vec<&str> = request
        .headers()
        .get("X-Forwarded-For")
        .flat_map(|h| h.split(','))
        .collect();
    for hop in hops.iter().rev() {
        match hop.trim().parse::<IpAddr>() {
            Ok(ip) if trusted.contains(&ip) => continue,
            Ok(ip) => return Some(ip),
            // Garbage in the header: what is left of it cannot be trusted.
            Err(_) => return Some(peer),
        }
    }
    Some(peer)
}

/// Request guard: the limiter key of the request's client address.
pub struct ClientKey(pub String);

#[rocket::async_trait]
impl<'r> rocket::request::FromRequest<'r> for ClientKey {
    type Error = std::convert::Infallible;

    async fn from_request(request: &'r Request<'_>) -> rocket::request::Outcome<Self, Self::Error> {
        rocket::request::Outcome::Success(ClientKey::of(request))
    }
}

impl ClientKey {
    /// The key of `request`'s client, trusting the configured proxies only.
    pub fn of(request: &Request<'_>) -> Self {
        let trusted = request
            .rocket()
            .state::<TrustedProxies>()
            .map_or(&[][..], |t| &t.0[..]);
        ClientKey(client_key(client_address(request, trusted)))
    }
}

/// The limiter key of an address: an IPv4 address whole, an IPv6 one by its /64
/// (an IPv4-mapped IPv6 address as the IPv4 it is).
pub fn client_key(address: Option<IpAddr>) -> String {
    match address {
        None => "local".to_owned(),
        Some(IpAddr::V4(v4)) => v4.to_string(),
        Some(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}
