//! [`PrivacySignals`]: what the browser says about tracking, on every request.

use rocket::request::{FromRequest, Outcome, Request};
use serde::Serialize;

use crate::http::header;

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
        let on = |name| header(request, name).is_some_and(|v| v.trim() == "1");
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

#[cfg(test)]
mod tests {
    use super::*;
    use rocket::http::Header;

    #[test]
    fn headers_are_found_in_any_case_first_value_first() {
        let client = rocket::local::blocking::Client::debug_with(vec![]).unwrap();
        let request = client
            .get("/")
            .header(Header::new("sec-gpc", "1"))
            .header(Header::new("X-Twice", "first"))
            .header(Header::new("x-twice", "second"))
            .header(Header::new("Accept-Language", "es"));
        assert_eq!(header(&request, "Sec-GPC"), Some("1"));
        assert_eq!(header(&request, "ACCEPT-LANGUAGE"), Some("es"));
        assert_eq!(
            header(&request, "X-Twice"),
            request.headers().get_one("X-Twice")
        );
        assert_eq!(header(&request, "X-Twice"), Some("first"));
        assert_eq!(header(&request, "DNT"), None);
        assert_eq!(header(&request, "Sec-GP"), None);
        assert!(PrivacySignals::of(&request).gpc);
    }
}
