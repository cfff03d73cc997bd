//! [`AppError`]: why a request failed, the one error the handlers and the
//! features' operations return. It is turned into a response in one place, by the
//! route's kind: the JSON error shape under `/api/`, else the status, which the
//! catcher answers with the HTML error page in the visitor's language. A failure
//! with a cause (a store or the database away) is logged there, once; the
//! conversions into it log nothing.

use rocket::http::Status;
use rocket::response::{self, Responder};
use rocket::Request;
use tailor_session::SessionError;

use super::ApiError;

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A refusal that is the answer itself (403, 404, 409, 422, 429…): nothing to
    /// log.
    #[error("refused with {0}")]
    Refused(Status),
    /// A refusal with the JSON error's details (its code, message and field).
    #[error("{}", .0.message)]
    Api(ApiError),
    /// The session store failed, or the session ended while the request ran.
    #[error("the session could not be read or written")]
    Session(#[from] SessionError),
    /// The database failed (its error, already counted for `/metrics`).
    #[error("the database is unavailable")]
    Data(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl AppError {
    /// The status this failure answers with.
    pub fn status(&self) -> Status {
        match self {
            AppError::Refused(status) => *status,
            AppError::Api(error) => error.status,
            AppError::Session(e) => e.status(),
            AppError::Data(_) => Status::ServiceUnavailable,
        }
    }

    /// Logs the failure with its causes when it has one worth an operator's eye
    /// (a store or the database away); a refusal logs nothing.
    pub fn log(&self) {
        let caused = matches!(self, AppError::Data(_))
            || matches!(self, AppError::Session(_) if self.status().code >= 500);
        if caused {
            tailor_session::log_error_chain(self);
        }
    }
}

impl From<Status> for AppError {
    fn from(status: Status) -> Self {
        AppError::Refused(status)
    }
}

impl From<ApiError> for AppError {
    fn from(error: ApiError) -> Self {
        AppError::Api(error)
    }
}

impl<'r> Responder<'r, 'static> for AppError {
    fn respond_to(self, request: &'r Request<'_>) -> response::Result<'static> {
        self.log();
        if request.uri().path().starts_with("/api/") {
            let api = match self {
                AppError::Api(api) => api,
                other => ApiError::from_status(other.status()),
            };
            return api.respond_to(request);
        }
        // The catcher answers with the error page in the visitor's language.
        Err(self.status())
    }
}
