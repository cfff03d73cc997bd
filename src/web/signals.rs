//! [`PrivacySignals`]: what the browser says about tracking, on every request.

use rocket::request::{FromRequest, Outcome, Request};
use serde::Serialize;

/// The browser's privacy signals: `Sec-GPC: 1` (Global Privacy Control), `DNT: 1`.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct PrivacySignals {
    pub gpc: bool,
    pub dnt: bool,
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for PrivacySignals {
    type Error = std::convert::Infallible;

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        Outcome::Success(PrivacySignals::of(request))
    }
}

impl PrivacySignals {
    /// The signals a request sends.
    pub fn of(request: &Request<'_>) -> Self {
        let on = |name| {
            request
                .headers()
                .get_one(name)
                .is_some_and(|v| v.trim() == "1")
        };
        PrivacySignals {
            gpc: on("Sec-GPC"),
            dnt: on("DNT"),
        }
    }

    /// Whether the browser refuses tracking.
    pub fn refuses(self) -> bool {
        self.gpc || self.dnt
    }
}
