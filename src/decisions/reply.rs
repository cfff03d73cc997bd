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
    pub etag: Option<String>,
    pub retry_after: Option<u64>,
}

impl Reply {
    /// A status without a body.
    pub fn empty(status: Status) -> Self {
        Reply {
            status,
            body: None,
            etag: None,
            retry_after: None,
        }
    }

    pub fn json(status: Status, body: Value) -> Self {
        Reply {
            status,
            body: Some(body),
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
        let mut response = match &self.body {
            Some(body) => {
                let bytes = serde_json::to_vec(body).map_err(|_| Status::InternalServerError)?;
                crate::web::with_body(ContentType::JSON, bytes)
            }
            None => Response::new(),
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
