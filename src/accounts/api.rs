//! `DELETE /api/v1/account`: the JSON form of account deletion.

use rocket::http::Status;
use rocket::{delete, Route, State};

use super::routes::delete_account;
use super::routes::Confirmed;
use super::{routes::confirm_password, Accounts, Login};
use crate::limits::ClientKey;
use crate::record::SessionData;
use crate::web::{ApiError, ApiJson};
use rocket::http::CookieJar;
use tailor_session::Session;

/// The body of `DELETE /api/v1/account`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeleteBody {
    /// The account's password, to confirm.
    password: String,
}

#[delete("/api/v1/account", data = "<body>")]
async fn api_delete(
    session: Session<'_, SessionData>,
    login: Login,
    body: ApiJson<DeleteBody>,
    accounts: &State<Accounts>,
    client: ClientKey,
    cookies: &CookieJar<'_>,
) -> Result<Status, ApiError> {
    let password = body.0.password;
    let Some(login) = login.0 else {
        return Err(ApiError::new(
            Status::Unauthorized,
            "not_logged_in",
            "Log in to delete your account.",
        ));
    };
    match confirm_password(accounts, &login, password, &client, cookies).await? {
        Confirmed::Yes => {}
        Confirmed::No => {
            return Err(ApiError::new(
                Status::Unauthorized,
                "wrong_password",
                "The password is not this account's.",
            )
            .field("password"))
        }
        Confirmed::Locked(window) => {
            let limited = ApiError::from_status(Status::TooManyRequests);
            return Err(limited.retry_after(window.retry_after_secs()));
        }
        Confirmed::Busy => {
            let busy = ApiError::new(
                Status::ServiceUnavailable,
                "busy",
                crate::hashing::Busy.to_string(),
            );
            return Err(busy.retry_after(crate::hashing::RETRY_AFTER_SECS));
        }
    }
    delete_account(&session, accounts, &login).await?;
    Ok(Status::NoContent)
}

/// The account API.
pub fn routes() -> Vec<Route> {
    rocket::routes![api_delete]
}
