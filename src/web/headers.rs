//! The security and cache headers of every response, by kind, in one pass.

use rocket::fairing::{Fairing, Info, Kind};
use rocket::http::{Header, Status};
use rocket::{Request, Response};

/// Content-Security-Policy of every HTML page: no inline script or style, no
/// framing.
pub const CSP: &str =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Content-Security-Policy of everything that is not a page (JSON, CSV, static
/// files): nothing is loaded on its behalf, nothing frames it (OWASP's REST set).
pub const CSP_NOT_A_PAGE: &str = "default-src 'none'; frame-ancestors 'none'";

/// The security and cache headers, set in one pass by response kind (Rocket's
/// `Shield` is attached empty, so nothing is checked or set twice):
/// - every response: `X-Content-Type-Options: nosniff`, a CSP, the cache policy
///   (shared caches may keep static files, never a response that depends on the
///   visitor's session) and, when the cookie is `Secure`, HSTS: a site that needs
///   HTTPS for its cookie must not be reachable over plain HTTP by a downgrade;
/// - HTML pages also the page CSP, `X-Frame-Options` and `Referrer-Policy`, which
///   mean nothing to a JSON body or a stylesheet.
///
/// No `Permissions-Policy: interest-cohort=()` (Rocket's Shield default): it opted
/// out of FLoC, which browsers dropped in 2022; Chrome now logs the feature as
/// unrecognised on every page.
pub(super) struct Headers {
    pub(super) hsts: bool,
}

/// The media type of a page (any parameters, such as the charset, follow it).
const HTML: &str = "text/html";

/// One year, without `includeSubDomains`: tailor cannot know the operator's other
/// hosts.
const HSTS: &str = "max-age=31536000";

#[rocket::async_trait]
impl Fairing for Headers {
    fn info(&self) -> Info {
        Info {
            name: "Security and cache headers",
            kind: Kind::Response,
        }
    }

    async fn on_response<'r>(&self, request: &'r Request<'_>, response: &mut Response<'r>) {
        // A scan of the response's few headers: `content_type()` would hash the
        // name and parse the whole media type on every response.
        let page = response.headers().iter().any(|h| {
            h.name.as_str().eq_ignore_ascii_case("Content-Type")
                && h.value.len() >= HTML.len()
                && h.value.as_bytes()[..HTML.len()].eq_ignore_ascii_case(HTML.as_bytes())
        });
        let static_file =
            response.status() == Status::Ok && request.uri().path().starts_with("/static/");
        let cache = if static_file {
            "public, max-age=3600"
        } else {
            "private, no-store"
        };
        let set = |response: &mut Response<'r>, name: &'static str, value: &'static str| {
            response.set_header(Header::new(name, value));
        };
        set(response, "X-Content-Type-Options", "nosniff");
        set(response, "Cache-Control", cache);
        if page {
            set(response, "Content-Security-Policy", CSP);
            set(response, "X-Frame-Options", "DENY");
            set(response, "Referrer-Policy", "same-origin");
        } else {
            set(response, "Content-Security-Policy", CSP_NOT_A_PAGE);
        }
        if self.hsts {
            set(response, "Strict-Transport-Security", HSTS);
        }
    }
}
