//! Sending a browser back to a page of this site: which paths are safe to
//! redirect to, the path of a same-site `Referer`, and the answer to a form sent
//! with a token that is no longer its session's ([`StaleForm`]).

use std::sync::Mutex;

use rocket::Request;

/// `path` when it is a local path a browser may be sent to: `/` then a path in
/// normal form that Rocket parses as an origin URI (a query allowed), with every
/// `%` starting a percent-encoded byte, at most 200 bytes. `//host`, `/\host`,
/// absolute URLs, spaces, tabs and a bare `%` are not.
pub fn local_path(path: &str) -> Option<&str> {
    let path = path.trim();
    let local = path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains(['\\', ':', '\r', '\n'])
        && path.len() <= 200
        && rocket::http::uri::Origin::parse(path).is_ok()
        && well_encoded(path);
    let (route, _query) = path.split_once('?').unwrap_or((path, ""));
    (local && super::is_normal_path(route)).then_some(path)
}

/// Whether every `%` of `path` starts a percent-encoded byte (`%2F`).
fn well_encoded(path: &str) -> bool {
    let bytes = path.as_bytes();
    bytes.iter().enumerate().all(|(i, b)| {
        *b != b'%'
            || bytes
                .get(i + 1..i + 3)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
    })
}

/// The path of a same-site `Referer`, if it has a safe one ([`local_path`]).
pub fn referring_path(request: &Request<'_>) -> Option<String> {
    let referer = crate::http::header(request, "Referer")?;
    let host = crate::http::header(request, "Host")?;
    let rest = referer
        .strip_prefix("http://")
        .or_else(|| referer.strip_prefix("https://"))?;
    let path = rest.strip_prefix(host)?;
    local_path(path).map(str::to_owned)
}

/// A form sent from a page of this site whose token is not its session's any
/// more (a login or logout in another tab, an expired session): instead of a
/// bare 403, which a reload would send again, the catcher answers 303 to `back`,
/// where `notice` (a catalog key) says nothing was sent and what was kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaleForm {
    pub back: String,
    pub notice: &'static str,
}

/// This request's stale form, if its CSRF check found one.
#[derive(Default)]
pub(crate) struct StaleSlot(pub(crate) Mutex<Option<StaleForm>>);

/// Notes `stale` for the catcher of this request's 403.
pub fn note_stale(request: &Request<'_>, stale: StaleForm) {
    let slot = request.local_cache(StaleSlot::default);
    *slot.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(stale);
}

/// The stale form this request's CSRF check noted, if any.
pub fn stale(request: &Request<'_>) -> Option<StaleForm> {
    let slot = request.local_cache(StaleSlot::default);
    slot.0.lock().unwrap_or_else(|p| p.into_inner()).clone()
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn only_safe_local_paths_are_places_to_go_back_to() {
        for good in ["/", "/cart", "/forms/contact?x=1", "/products/silk-tie"] {
            assert_eq!(local_path(good), Some(good), "{good}");
        }
        for bad in [
            "//evil.example/",
            "https://evil.example/",
            "/\\evil.example",
            "javascript:alert(1)",
            "/ x",
            "/\tx",
            "/%",
            "/x%zz",
            "/./cart",
            "cart",
        ] {
            assert_eq!(local_path(bad), None, "{bad:?}");
        }
    }
}
