//! Reading a request's headers, for every module, and what the web edge takes
//! from the launch's settings.

use std::borrow::Cow;

use rocket::Request;

/// What the web edge takes from the launch's settings (managed by
/// `config::settle`): the proxies whose forwarding headers are believed, whether
/// cookies are `Secure` (and HSTS sent), and the key stateless form tokens are
/// sealed with (the app's secret key).
pub struct Edge {
    pub trusted_proxies: Vec<std::net::IpAddr>,
    pub cookie_secure: bool,
    pub form_key: cookie::Key,
}

/// Whether User-Agent `ua` is a known bot or crawler (`isbot`'s list).
pub fn bot_agent(ua: &str) -> bool {
    static BOTS: std::sync::OnceLock<isbot::Bots> = std::sync::OnceLock::new();
    BOTS.get_or_init(isbot::Bots::default).is_bot(ua)
}

/// The first value of the request's header `name` (any case), like
/// `headers().get_one`, found by scanning the request's headers (at most hyper's
/// limit of 100) rather than hashing the name: Rocket's header map hashes names
/// with SipHash a byte at a time, which costs more than comparing a few lengths.
pub fn header<'a>(request: &'a Request<'_>, name: &str) -> Option<&'a str> {
    request
        .headers()
        .iter()
        .find(|h| h.name.as_str().eq_ignore_ascii_case(name))
        .and_then(|h| match h.value {
            Cow::Borrowed(value) => Some(value),
            Cow::Owned(_) => None,
        })
}
