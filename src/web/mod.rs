//! The web edge shared by every feature: the page context, CSRF and origin checks,
//! security and caching headers, and the one place errors become responses
//! (an HTML page, or the JSON error shape under `/api`).

pub mod api;
mod back;
mod body;
pub mod context;
mod error;
mod field;
mod headers;
pub mod hooks;
mod json;
mod landing;
mod registry;
mod signals;
pub mod template;
pub mod tokens;

use crate::web::template::Template;
use rocket::fairing::{AdHoc, Fairing, Info, Kind};
use rocket::http::{Header, Status};
use rocket::shield::Shield;
use rocket::{catch, catchers, Request, Response};
use serde::Serialize;

pub use api::{ApiError, SameOrigin};
pub use back::{local_path, note_stale, referring_path, stale, StaleForm};
pub use body::ApiJson;
pub use context::{facts_of, Choice, ContextPiece, Page, PageContext, SlotView, Slots, Visitor};
pub use error::AppError;
pub use field::FieldError;
use headers::Headers;
pub use headers::{CSP, CSP_NOT_A_PAGE};
pub use hooks::{add_page_hook, add_page_title, Facts, PageHook, PagePhase, PageTitle, Prepare};
pub use json::{with_body, Json};
pub use landing::{landing, set_landing, Landing};
pub use signals::PrivacySignals;

use crate::i18n::Negotiated;

/// Only request paths in normal form reach a route: one with an empty segment
/// (`//cart`, `/cart//x`, `/cart/`) or a dot segment (`/./cart`, `/%2e%2e/cart`)
/// is sent to a path no route serves, so it answers 404 (JSON under `/api/`) and is
/// never recorded as a visit under a second name.
struct NormalPaths;

/// Where an abnormal path is sent: nothing is mounted there.
const NOWHERE: &str = "/~not-a-page";
const API_NOWHERE: &str = "/api/~not-a-page";

/// Whether `path` is `/` or segments that are neither empty nor `.`/`..` (also
/// when percent-encoded).
pub fn is_normal_path(path: &str) -> bool {
    let Some(rest) = path.strip_prefix('/') else {
        return false;
    };
    rest.is_empty()
        || rest.split('/').all(|segment| {
            let dots = |s: &str| s == "." || s == "..";
            // Only a segment with a `%` can decode to something else.
            let decoded = || rocket::http::RawStr::new(segment).percent_decode_lossy();
            let encoded_dots = || segment.contains('%') && dots(&decoded());
            !(segment.is_empty() || dots(segment) || encoded_dots())
        })
}

#[rocket::async_trait]
impl Fairing for NormalPaths {
    fn info(&self) -> Info {
        Info {
            name: "Normal paths only",
            kind: Kind::Request,
        }
    }

    async fn on_request(&self, request: &mut Request<'_>, _: &mut rocket::Data<'_>) {
        let path = request.uri().path();
        if is_normal_path(path.as_str()) {
            return;
        }
        let api = path.as_str().trim_start_matches('/').starts_with("api/");
        let target = if api { API_NOWHERE } else { NOWHERE };
        if let Ok(nowhere) = rocket::http::uri::Origin::parse(target) {
            request.set_uri(nowhere);
        }
    }
}

/// An error answered as the route's kind of client wants it.
#[derive(rocket::Responder)]
enum ErrorResponse {
    Api(ApiError),
    Html((Status, Template)),
    /// A stale form: back to its page, where a notice says what happened.
    Back(rocket::response::Redirect),
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
    if let Some(stale) = stale(request).filter(|_| status == Status::Forbidden) {
        if let rocket::outcome::Outcome::Success(page) = request.guard::<Page<'_>>().await {
            page.notice("info", stale.notice).await;
        }
        return ErrorResponse::Back(rocket::response::Redirect::to(stale.back));
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
            let templates = request.rocket().state::<template::Templates>();
            context::render_with(page, "error", view, templates)
        }
    };
    ErrorResponse::Html((status, template))
}

/// Adds the Basic-auth challenge to the operator pages' 401 answers, so browsers ask
/// for credentials, and `Retry-After` to 503 and 429.
struct Challenge<R>(R);

/// The realm browsers show in their prompt for the operator pages' credentials.
pub const OPERATOR_REALM: &str = "Basic realm=\"tailor operators\", charset=\"UTF-8\"";

impl<'r, R: rocket::response::Responder<'r, 'static>> rocket::response::Responder<'r, 'static>
    for Challenge<R>
{
    fn respond_to(self, request: &'r Request<'_>) -> rocket::response::Result<'static> {
        let mut response = self.0.respond_to(request)?;
        // Only the operator pages ask the browser for Basic credentials; any other
        // 401 (a logged-out form post, say) must not pop up the operators' prompt.
        let operator_page = request.uri().path().starts_with("/admin");
        if response.status() == Status::Unauthorized && operator_page {
            response.set_header(Header::new("WWW-Authenticate", OPERATOR_REALM));
        }
        let later = request.local_cache(|| RetryLater(std::sync::atomic::AtomicU64::new(0)));
        let secs = later.0.load(std::sync::atomic::Ordering::Relaxed);
        if secs > 0 && matches!(response.status().code, 429 | 503) {
            response.set_header(Header::new("Retry-After", secs.to_string()));
        }
        retry_after(&mut response);
        Ok(response)
    }
}

/// Seconds a client is asked to wait before trying a 503 (a store or the database
/// is away) or a 429 again.
pub const RETRY_AFTER_SECS: &str = "5";

/// How long this request's refusal asks the client to wait, left by a guard for
/// the catcher.
struct RetryLater(std::sync::atomic::AtomicU64);

/// Asks the client of this request to wait `secs` seconds (the catcher answering a
/// guard's 429 or 503 sends it as `Retry-After`).
pub fn retry_later(request: &Request<'_>, secs: u64) {
    let slot = request.local_cache(|| RetryLater(std::sync::atomic::AtomicU64::new(0)));
    slot.0.store(secs, std::sync::atomic::Ordering::Relaxed);
}

/// Adds `Retry-After` to a 503 or 429 that has none.
pub fn retry_after(response: &mut Response<'_>) {
    let busy = matches!(response.status().code, 429 | 503);
    if busy && !response.headers().contains("Retry-After") {
        response.set_header(Header::new("Retry-After", RETRY_AFTER_SECS));
    }
}

/// The hooks' registry, security headers, the cache policy, normal paths, the
/// trusted proxies, the stateless form tokens and the catchers (after the
/// settings: `config::settle`).
pub fn stage() -> AdHoc {
    crate::record::register_parts();
    AdHoc::on_ignite("Web edge", move |rocket| async move {
        let edge = rocket.state::<crate::http::Edge>();
        let trusted_proxies = edge.map(|e| e.trusted_proxies.clone()).unwrap_or_default();
        let cookie_secure = edge.is_some_and(|e| e.cookie_secure);
        let form_key = edge.map_or_else(cookie::Key::generate, |e| e.form_key.clone());
        let form_tokens = tokens::FormTokens::new(form_key);
        let rocket = rocket
            .manage(std::sync::Arc::new(form_tokens))
            .manage(hooks::Registry::default());
        rocket
            .manage(crate::limits::TrustedProxies(trusted_proxies))
            // Empty: `Headers` sets every security header, once.
            .attach(Shield::new())
            .attach(NormalPaths)
            .attach(Headers {
                hsts: cookie_secure,
            })
            .register("/", catchers![any_error])
    })
}

/// What a form POST answers: 303 to the next page, 4xx with the form re-rendered,
/// or a refusal to wait out (429, 503) with the form and `Retry-After`.
#[derive(rocket::Responder)]
pub enum FormOutcome {
    Redirect(rocket::response::Redirect),
    Invalid((Status, Template)),
    Wait(Wait),
}

/// A page refused for now: its status, and how many seconds to wait.
pub struct Wait {
    pub status: Status,
    pub page: Template,
    pub retry_after_secs: u64,
}

impl<'r> rocket::response::Responder<'r, 'static> for Wait {
    fn respond_to(self, request: &'r Request<'_>) -> rocket::response::Result<'static> {
        let mut response = self.page.respond_to(request)?;
        response.set_status(self.status);
        response.set_header(Header::new(
            "Retry-After",
            self.retry_after_secs.to_string(),
        ));
        Ok(response)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn normal_paths_have_no_empty_or_dot_segments_encoded_or_not() {
        for good in [
            "/",
            "/cart",
            "/api/v1/preferences",
            "/a.b/c",
            "/%41",
            "/..a",
            "/%2e%2ex",
        ] {
            assert!(super::is_normal_path(good), "{good}");
        }
        for bad in [
            "",
            "cart",
            "//cart",
            "/cart/",
            "/./cart",
            "/../cart",
            "/%2e/cart",
            "/%2E%2e",
            "/a/%2e%2E",
        ] {
            assert!(!super::is_normal_path(bad), "{bad}");
        }
    }
}
