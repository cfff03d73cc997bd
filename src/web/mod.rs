//! The web edge shared by every feature: the page context, CSRF and origin checks,
//! security and caching headers, and the one place errors become responses
//! (an HTML page, or the JSON error shape under `/api`).

pub mod api;
pub mod context;
pub mod template;

use crate::web::template::Template;
use rocket::fairing::{AdHoc, Fairing, Info, Kind};
use rocket::http::{Header, Status};
use rocket::shield::{Frame, NoSniff, Referrer, Shield};
use rocket::{catch, catchers, Request, Response};
use serde::Serialize;

pub use api::{ApiError, ApiJson, SameOrigin};
pub use context::{Page, PageContext};

use crate::i18n::Negotiated;

/// Content-Security-Policy of every response: no inline script or style, no framing.
pub const CSP: &str =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Adds the CSP and the cache policy: shared caches may keep static files, never a
/// response that depends on the visitor's session.
struct Headers;

#[rocket::async_trait]
impl Fairing for Headers {
    fn info(&self) -> Info {
        Info {
            name: "Security and cache headers",
            kind: Kind::Response,
        }
    }

    async fn on_response<'r>(&self, request: &'r Request<'_>, response: &mut Response<'r>) {
        response.set_header(Header::new("Content-Security-Policy", CSP));
        let cache =
            if request.uri().path().starts_with("/static/") && response.status() == Status::Ok {
                "public, max-age=3600"
            } else {
                "private, no-store"
            };
        response.set_header(Header::new("Cache-Control", cache));
    }
}

/// An error answered as the route's kind of client wants it.
#[derive(rocket::Responder)]
enum ErrorResponse {
    Api(ApiError),
    Html((Status, Template)),
}

#[derive(Serialize)]
struct ErrorView {
    status: String,
    kind: &'static str,
}

/// The catalog section (`errors.<kind>`) describing a status.
pub fn error_kind(status: Status) -> &'static str {
    match status.code {
        400 => "bad_request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        413 => "payload_too_large",
        415 => "unsupported_media_type",
        422 => "invalid",
        429 => "rate_limited",
        503 => "unavailable",
        _ => "internal",
    }
}

#[catch(default)]
async fn any_error(status: Status, request: &Request<'_>) -> Challenge<ErrorResponse> {
    Challenge(error_response(status, request).await)
}

async fn error_response(status: Status, request: &Request<'_>) -> ErrorResponse {
    if request.uri().path().starts_with("/api/") {
        let error = api::take_error(request)
            .filter(|e| e.status == status)
            .unwrap_or_else(|| ApiError::from_status(status));
        return ErrorResponse::Api(error);
    }
    let view = ErrorView {
        status: status.code.to_string(),
        kind: error_kind(status),
    };
    let template = match request.guard::<Page<'_>>().await {
        rocket::outcome::Outcome::Success(page) => page.render("error", view),
        _ => {
            let lang = match request.guard::<Negotiated>().await {
                rocket::outcome::Outcome::Success(Negotiated(lang)) => lang,
                _ => crate::i18n::Language::En,
            };
            let page = context::fallback_context(lang, request.uri().path().as_str());
            context::render_with(page, "error", view)
        }
    };
    ErrorResponse::Html((status, template))
}

/// Adds the Basic-auth challenge to 401 answers, so browsers ask for credentials.
struct Challenge<R>(R);

impl<'r, R: rocket::response::Responder<'r, 'static>> rocket::response::Responder<'r, 'static>
    for Challenge<R>
{
    fn respond_to(self, request: &'r Request<'_>) -> rocket::response::Result<'static> {
        let mut response = self.0.respond_to(request)?;
        if response.status() == Status::Unauthorized {
            response.set_header(Header::new("WWW-Authenticate", crate::admin::REALM));
        }
        retry_after(&mut response);
        Ok(response)
    }
}

/// Seconds a client is asked to wait before trying a 503 (a store or the database
/// is away) or a 429 again.
pub const RETRY_AFTER_SECS: &str = "5";

/// Adds `Retry-After` to a 503 or 429 that has none.
pub fn retry_after(response: &mut Response<'_>) {
    let busy = matches!(response.status().code, 429 | 503);
    if busy && !response.headers().contains("Retry-After") {
        response.set_header(Header::new("Retry-After", RETRY_AFTER_SECS));
    }
}

/// Security headers, the cache policy, the trusted proxies and the catchers.
pub fn stage(trusted_proxies: Vec<std::net::IpAddr>) -> AdHoc {
    AdHoc::on_ignite("Web edge", |rocket| async move {
        let shield = Shield::default()
            .enable(NoSniff::Enable)
            .enable(Frame::Deny)
            .enable(Referrer::SameOrigin);
        rocket
            .manage(api::TrustedProxies(trusted_proxies))
            .attach(shield)
            .attach(Headers)
            .register("/", catchers![any_error])
    })
}

/// What a form POST answers: 303 to the next page, or 422 with the form re-rendered.
#[derive(rocket::Responder)]
pub enum FormOutcome {
    Redirect(rocket::response::Redirect),
    Invalid((Status, Template)),
}
