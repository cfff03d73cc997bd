//! `DELETE /api/v1/account`: the JSON form of account deletion.

use crate::web::AppError;
use rocket::http::{CookieJar, Status};
use rocket::{delete, Route, State};

use super::credentials::{confirm_password, delete_account, Confirmed};
use super::{Accounts, Login};
use crate::limits::ClientKey;
use crate::record::SessionData;
use crate::web::{ApiError, ApiJson};
use tailor_session::Session;

/// The body of `DELETE /api/v1/account`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeleteBody {
    /// The account's password, to confirm.
    password: String,
}

impl Confirmed {
    /// The API's answer to a refused confirmation; `None` when confirmed.
    fn refusal(self) -> Option<ApiError> {
        match self {
            Confirmed::Yes => None,
            Confirmed::No => Some(
                ApiError::new(
                    Status::Unauthorized,
                    "wrong_password",
                    "The password is not this account's.",
                )
                .field("password"),
            ),
            Confirmed::Locked(window) => Some(
                ApiError::from_status(Status::TooManyRequests)
                    .retry_after(window.retry_after_secs()),
            ),
            Confirmed::Busy => Some(
                ApiError::new(
                    Status::ServiceUnavailable,
                    "busy",
                    crate::hashing::Busy.to_string(),
                )
                .retry_after(crate::hashing::RETRY_AFTER_SECS),
            ),
        }
    }
}

#[delete("/api/v1/account", data = "<body>")]
async fn api_delete(
    session: Session<'_, SessionData>,
    login: Login,
    body: ApiJson<DeleteBody>,
    accounts: &State<Accounts>,
    templates: &State<crate::web::template::Templates>,
    client: ClientKey,
    cookies: &CookieJar<'_>,
) -> Result<Status, AppError> {
    let Some(login) = login.0 else {
        let message = "Log in to delete your account.";
        return Err(ApiError::new(Status::Unauthorized, "not_logged_in", message).into());
    };
    let password = body.0.password;
    let confirmed = confirm_password(accounts, &login, password, &client, cookies).await?;
    if let Some(refusal) = confirmed.refusal() {
        return Err(refusal.into());
    }
    delete_account(&session, accounts, &login, Some(templates)).await?;
    Ok(Status::NoContent)
}

/// The account API.
pub fn routes() -> Vec<Route> {
    rocket::routes![api_delete]
}
