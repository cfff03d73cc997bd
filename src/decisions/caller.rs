//! Who is asking: the operator's page in a browser (an allowed origin, the
//! visitor's session cookie), the operator's backend (a key; the visitor is its
//! `targetingKey`), or nobody known. And CORS for the allowed origins.

use std::sync::Arc;
use std::time::Duration;

use rocket::fairing::{Fairing, Info, Kind};
use rocket::http::{Header, Status};
use rocket::{Request, Response};

use super::{keys, Decisions};
use crate::limits::{ClientKey, Limiter};

/// Wrong keys one client address may send within [`KEY_FAILURE_WINDOW`].
const MAX_KEY_FAILURES: u64 = 20;
const KEY_FAILURE_WINDOW: Duration = Duration::from_secs(15 * 60);

/// How a request asks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Caller {
    /// From a page of an allowed origin, with the visitor's cookies.
    Browser { origin: String },
    /// The operator's backend, with key `name`.
    Server { key: String },
    /// Neither: no origin and no key (a tool on the command line, say); the
    /// session cookie, if any, says who the visitor is.
    Direct,
}

/// Why a caller is refused: a status and what to say.
#[derive(Debug, PartialEq, Eq)]
pub struct Refused {
    pub status: Status,
    pub details: &'static str,
    pub retry_after: Option<u64>,
}

fn refused(status: Status, details: &'static str) -> Refused {
    Refused {
        status,
        details,
        retry_after: None,
    }
}

/// The request's `Origin`, lower-cased.
pub fn origin(request: &Request<'_>) -> Option<String> {
    crate::http::header(request, "Origin").map(|o| o.trim().to_ascii_lowercase())
}

/// Whether `origin` may call from a browser.
fn allowed(decisions: &Decisions, origin: &str) -> bool {
    decisions
        .settings
        .allowed_origins
        .iter()
        .any(|o| o == origin)
}

/// Who `request` is, checked.
///
/// # Errors
/// 400 a key in the URL; 403 a key from a browser or an origin not allowed; 401
/// a wrong key (429 past the address's limit of wrong keys).
pub async fn caller(request: &Request<'_>, decisions: &Decisions) -> Result<Caller, Refused> {
    let in_url = request.uri().query().is_some_and(|q| {
        q.segments().any(|(k, _)| {
            let k = k.to_ascii_lowercase();
            [
                "key",
                "token",
                "apikey",
                "api_key",
                "access_token",
                "authorization",
            ]
            .contains(&k.as_str())
        })
    });
    if in_url {
        return Err(refused(
            Status::BadRequest,
            "A key goes in the Authorization header, never in the URL.",
        ));
    }
    let bearer = crate::http::header(request, "Authorization")
        .and_then(|h| h.trim().strip_prefix("Bearer "))
        .map(str::trim);
    let origin = origin(request);
    match (bearer, origin) {
        (Some(_), Some(_)) => Err(refused(
            Status::Forbidden,
            "A key never comes from a browser: call from the operator's backend.",
        )),
        (Some(given), None) => match keys::key_name(&decisions.settings.keys, given) {
            Some(name) => Ok(Caller::Server {
                key: name.to_owned(),
            }),
            None => Err(wrong_key(request).await),
        },
        (None, Some(origin)) if allowed(decisions, &origin) => Ok(Caller::Browser { origin }),
        (None, Some(_)) => Err(refused(
            Status::Forbidden,
            "This origin may not call tailor (decisions.allowed_origins).",
        )),
        (None, None) => Ok(Caller::Direct),
    }
}

/// A wrong key: counted against the client's address like a failed login.
async fn wrong_key(request: &Request<'_>) -> Refused {
    let ClientKey(address) = ClientKey::of(request);
    let key = format!("decisions:address:{address}");
    if let Some(limiter) = request.rocket().state::<Arc<Limiter>>() {
        if let Some(window) = limiter.note(&key, KEY_FAILURE_WINDOW).await {
            if window.count > MAX_KEY_FAILURES {
                return Refused {
                    status: Status::TooManyRequests,
                    details: "Too many wrong keys from this address: wait and try again.",
                    retry_after: Some(window.retry_after_secs()),
                };
            }
        }
    }
    refused(
        Status::Unauthorized,
        "This key is not one of decisions.keys.",
    )
}

/// Whether `path` is one of the decision endpoints browsers call.
pub fn browser_path(path: &str) -> bool {
    path.starts_with("/ofrep/") || path == "/api/v1/events" || path == "/api/v1/consent"
}

/// CORS for the allowed origins on the decision endpoints: the request's own
/// origin (never `*`), with credentials, and the headers a client may read.
pub struct Cors;

#[rocket::async_trait]
impl Fairing for Cors {
    fn info(&self) -> Info {
        Info {
            name: "Decisions CORS",
            kind: Kind::Response,
        }
    }

    async fn on_response<'r>(&self, request: &'r Request<'_>, response: &mut Response<'r>) {
        if !browser_path(request.uri().path().as_str()) {
            return;
        }
        response.adjoin_header(Header::new("Vary", "Origin"));
        let Some(decisions) = request.rocket().state::<Decisions>() else {
            return;
        };
        let Some(origin) = origin(request).filter(|o| allowed(decisions, o)) else {
            return;
        };
        response.set_header(Header::new("Access-Control-Allow-Origin", origin));
        response.set_header(Header::new("Access-Control-Allow-Credentials", "true"));
        response.set_header(Header::new(
            "Access-Control-Expose-Headers",
            "ETag, Retry-After",
        ));
        if request.method() == rocket::http::Method::Options {
            response.set_header(Header::new("Access-Control-Allow-Methods", "POST, OPTIONS"));
            response.set_header(Header::new(
                "Access-Control-Allow-Headers",
                "Content-Type, If-None-Match",
            ));
            response.set_header(Header::new("Access-Control-Max-Age", "600"));
        }
    }
}
