//! The page a request speaks for when it is not a page itself: an evaluation
//! for the operator's own site names the page its visitor is on. The page hooks
//! that plan a visit read it instead of the request's own path, so the rules see
//! that landing (its path, its campaign, its referrer) on the first call; a
//! request with a landing is never recorded as a visit by them.

use std::sync::Mutex;

use rocket::Request;

/// The operator's page a request speaks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Landing {
    /// The page's host (`www.example.com`): visits of the operator's pages are
    /// kept as `host/path`, apart from tailor's own.
    pub host: String,
    /// The page's path, in normal form.
    pub path: String,
    /// The page's query, decoded (its `utm_*` make a campaign touch).
    pub query: Vec<(String, String)>,
    /// The page's referrer, as the browser gave it.
    pub referrer: Option<String>,
}

#[derive(Default)]
struct LandingSlot(Mutex<Option<Landing>>);

/// Sets the page `request` speaks for (before its page hooks run).
pub fn set_landing(request: &Request<'_>, landing: Landing) {
    let slot = request.local_cache(LandingSlot::default);
    *slot.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(landing);
}

/// The page `request` speaks for, if it was given one.
pub fn landing(request: &Request<'_>) -> Option<Landing> {
    let slot = request.local_cache(LandingSlot::default);
    slot.0.lock().unwrap_or_else(|p| p.into_inner()).clone()
}
