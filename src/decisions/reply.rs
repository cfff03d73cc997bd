//! The decision endpoints' answers: a status, JSON (none for 304 and 204), an
//! ETag and Retry-After.

use rocket::http::{ContentType, Header, Status};
use rocket::request::{FromRequest, Outcome};
use rocket::response::{self, Responder};
use rocket::{Request, Response};
use serde_json::{json, Value};

use super::caller::Refused;

/// The request itself, for the steps that read it.
pub struct Asked<'r>(pub &'r Request<'r>);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Asked<'r> {
    type Error = std::convert::Infallible;

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        Outcome::Success(Asked(request))
    }
}

/// An answer: its status, its JSON (none for 304) and headers.
pub struct Reply {
    pub status: Status,
    pub body: Option<Value>,
    /// A body already serialized (takes the place of `body`).
    pub raw: Option<Vec<u8>>,
    pub etag: Option<String>,
    pub retry_after: Option<u64>,
}

impl Reply {
    /// A status without a body.
    pub fn empty(status: Status) -> Self {
        Reply {
            status,
            body: None,
            raw: None,
            etag: None,
            retry_after: None,
        }
    }

    /// `body` serialized as JSON straight from its type (no `Value` between).
    pub fn serialized(status: Status, body: &impl serde::Serialize) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => Reply {
                raw: Some(bytes),
                ..Reply::empty(status)
            },
            Err(_) => Reply::empty(Status::InternalServerError),
        }
    }

    pub fn json(status: Status, body: Value) -> Self {
        Reply {
            status,
            body: Some(body),
            raw: None,
            etag: None,
            retry_after: None,
        }
    }

    /// A refusal of the whole request, as `{"errorDetails": ...}`.
    pub fn refused(refused: Refused) -> Self {
        Reply {
            retry_after: refused.retry_after,
            ..Reply::json(refused.status, json!({ "errorDetails": refused.details }))
        }
    }
}

impl<'r> Responder<'r, 'static> for Reply {
    fn respond_to(self, _: &'r Request<'_>) -> response::Result<'static> {
        let mut response = match (self.raw, &self.body) {
            (Some(bytes), _) => crate::web::with_body(ContentType::JSON, bytes),
            (None, Some(body)) => {
                let bytes = serde_json::to_vec(body).map_err(|_| Status::InternalServerError)?;
                crate::web::with_body(ContentType::JSON, bytes)
            }
            (None, None) => Response::new(),
        };
        response.set_status(self.status);
        if let Some(etag) = self.etag {
            response.set_header(Header::new("ETag", etag));
        }
        if let Some(secs) = self.retry_after {
            response.set_header(Header::new("Retry-After", secs.to_string()));
        }
        crate::web::retry_after(&mut response);
        Ok(response)
    }
}
