//! The JSON API's edges: the error shape, the `Content-Type` and `Origin` checks of
//! state-changing requests, and the size-limited JSON body.

use std::sync::Mutex;

use super::Json;
use rocket::http::Status;
use rocket::request::{FromRequest, Outcome, Request};
use rocket::response::{self, Responder, Response};
use serde::Serialize;

use crate::limits::TrustedProxies;
use tailor_session::SessionError;

/// Default limit of a JSON body when `limits.json` is not configured.
pub(super) const DEFAULT_JSON_LIMIT: u64 = 64 * 1024;

/// A JSON API error: `{"error": {"code", "message", "field"?}}` with its status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    pub status: Status,
    pub code: &'static str,
    pub message: String,
    pub field: Option<String>,
    /// Seconds to wait, sent as `Retry-After` (429 and 503 get a default).
    pub retry_after_secs: Option<u64>,
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: ErrorInner<'a>,
}

#[derive(Serialize)]
struct ErrorInner<'a> {
    code: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
}

impl ApiError {
    /// An error with `status`, a snake_case `code` and a sentence for people.
    pub fn new(status: Status, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            field: None,
            retry_after_secs: None,
        }
    }

    /// The same error, asking the client to wait `secs` seconds.
    pub fn retry_after(mut self, secs: u64) -> Self {
        self.retry_after_secs = Some(secs);
        self
    }

    /// The same error, naming the field at fault.
    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// The generic error of a status, for catchers.
    pub fn from_status(status: Status) -> Self {
        let (code, message) = match status.code {
            400 => ("bad_request", "The request could not be understood."),
            401 => ("unauthorized", "Authentication is required."),
            403 => ("forbidden", "This request is not allowed."),
            404 => ("not_found", "There is nothing here."),
            413 => ("payload_too_large", "The request body is too large."),
            415 => (
                "unsupported_media_type",
                "Send the body as application/json.",
            ),
            409 => (
                "session_ended",
                "The session ended while this request ran (a logout or erasure elsewhere); nothing was changed.",
            ),
            422 => ("invalid_value", "The request has an invalid value."),
            429 => ("rate_limited", "Too many requests; try again later."),
            503 => (
                "store_unavailable",
                "The service is temporarily unavailable.",
            ),
            500..=599 => ("internal_error", "Something went wrong on our side."),
            _ => ("error", "The request failed."),
        };
        ApiError::new(status, code, message)
    }
}

impl From<SessionError> for ApiError {
    fn from(error: SessionError) -> Self {
        ApiError::from_status(error.status())
    }
}

impl<'r> Responder<'r, 'static> for ApiError {
    fn respond_to(self, request: &'r Request<'_>) -> response::Result<'static> {
        let body = ErrorBody {
            error: ErrorInner {
                code: self.code,
                message: &self.message,
                field: self.field.as_deref(),
            },
        };
        let mut response = Response::build_from(Json(body).respond_to(request)?)
            .status(self.status)
            .finalize();
        if let Some(secs) = self.retry_after_secs {
            response.set_header(rocket::http::Header::new("Retry-After", secs.to_string()));
        }
        super::retry_after(&mut response);
        Ok(response)
    }
}

/// Where a data or request guard leaves its precise error for the catcher.
#[derive(Default)]
pub struct ErrorSlot(Mutex<Option<ApiError>>);

/// Fails a guard with `error`, keeping it for the catcher to answer with.
pub(super) fn fail(request: &Request<'_>, error: ApiError) -> (Status, ApiError) {
    let slot = request.local_cache(ErrorSlot::default);
    if let Ok(mut guard) = slot.0.lock() {
        *guard = Some(error.clone());
    }
    (error.status, error)
}

/// The error a guard left for this request, if any.
pub fn take_error(request: &Request<'_>) -> Option<ApiError> {
    request
        .local_cache(ErrorSlot::default)
        .0
        .lock()
        .ok()?
        .take()
}

/// The scheme the visitor used: `https` when a trusted proxy says so.
fn request_scheme(request: &Request<'_>) -> &'static str {
    let trusted = request
        .rocket()
        .state::<TrustedProxies>()
        .zip(request.remote())
        .is_some_and(|(proxies, peer)| proxies.0.contains(&peer.ip()));
    let forwarded = crate::http::header(request, "X-Forwarded-Proto");
    if trusted && forwarded.is_some_and(|p| p.trim().eq_ignore_ascii_case("https")) {
        "https"
    } else {
        "http"
    }
}

/// True when the request has no `Origin` or names this server (scheme and host).
pub fn same_origin(request: &Request<'_>) -> bool {
    let Some(origin) = crate::http::header(request, "Origin") else {
        return true;
    };
    let Some(host) = crate::http::header(request, "Host") else {
        return false;
    };
    let expected = format!("{}://{}", request_scheme(request), host.trim());
    origin.trim().eq_ignore_ascii_case(&expected)
}

pub(super) fn foreign_origin() -> ApiError {
    ApiError::new(
        Status::Forbidden,
        "foreign_origin",
        "Requests from another origin are not allowed.",
    )
}

/// Whether a request carries an HTML form's body: such a request never reaches the
/// API, so a form POST carrying `_method=delete` (Rocket's method override) cannot
/// act on an API route, with or without `Origin`.
fn is_form(request: &Request<'_>) -> bool {
    request
        .content_type()
        .is_some_and(|ct| ct.is_form() || ct.is_form_data())
}

/// Request guard of state-changing API routes without a body: the Origin check,
/// and no HTML form (415).
pub struct SameOrigin;

#[rocket::async_trait]
impl<'r> FromRequest<'r> for SameOrigin {
    type Error = ApiError;

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        if !same_origin(request) {
            Outcome::Error(fail(request, foreign_origin()))
        } else if is_form(request) {
            let e = ApiError::from_status(Status::UnsupportedMediaType);
            Outcome::Error(fail(request, e))
        } else {
            Outcome::Success(SameOrigin)
        }
    }
}
