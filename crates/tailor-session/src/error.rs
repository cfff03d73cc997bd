//! [`SessionError`]: how a session operation fails, and the status it answers.

use rocket::http::Status;
use rocket::request::Request;

use crate::StoreError;

/// A session operation failed.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// The store failed; answers 503.
    #[error("{0}")]
    Store(#[from] StoreError),
    /// The session was destroyed (logged out, forgotten) or expired while this
    /// request ran; the write was not made. Answers 409.
    #[error("the session ended while the request ran")]
    Gone,
}

impl SessionError {
    /// The status a response to this failure carries.
    pub fn status(&self) -> Status {
        match self {
            SessionError::Store(_) => Status::ServiceUnavailable,
            SessionError::Gone => Status::Conflict,
        }
    }
}

impl From<SessionError> for Status {
    fn from(error: SessionError) -> Status {
        error.status()
    }
}

impl<'r> rocket::response::Responder<'r, 'static> for SessionError {
    fn respond_to(self, _: &'r Request<'_>) -> rocket::response::Result<'static> {
        Err(self.status())
    }
}
