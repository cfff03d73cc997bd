//! Answers with a body of a known type, built in one go: Rocket's `Json` and
//! `(ContentType, R)` responders set `text/plain` first, merge, then replace it,
//! three hashed header writes for one `Content-Type`.

use std::io::Cursor;

use rocket::http::{ContentType, Status};
use rocket::request::Request;
use rocket::response::{self, Responder, Response};
use serde::Serialize;

/// A JSON answer (`application/json`), like Rocket's `Json` as a responder.
#[derive(Debug)]
pub struct Json<T>(pub T);

impl<'r, T: Serialize> Responder<'r, 'static> for Json<T> {
    fn respond_to(self, _: &'r Request<'_>) -> response::Result<'static> {
        let body = serde_json::to_vec(&self.0).map_err(|e| {
            tailor_session::log_error_chain(&e);
            Status::InternalServerError
        })?;
        Ok(with_body(ContentType::JSON, body))
    }
}

/// A 200 response of `content_type` with `body`.
pub fn with_body<B>(content_type: ContentType, body: B) -> Response<'static>
where
    B: AsRef<[u8]> + Send + Unpin + 'static,
{
    let len = body.as_ref().len();
    Response::build()
        .header(content_type)
        .sized_body(len, Cursor::new(body))
        .finalize()
}
