//! `/register`, `/login`, `POST /logout` ([`sign_in`]) and `/account` ([`account_page`]:
//! active sessions, log out the others, change password, delete the account), with
//! what they share: the credentials form, the auth pages, the return path.

mod account_page;
mod sign_in;

use crate::web::AppError;
use account_page::*;
use sign_in::*;

use crate::web::template::Template;
use chrono::Utc;
use rocket::form::Form;
use rocket::http::{CookieJar, Status};
use rocket::request::{FromRequest, Outcome, Request};
use rocket::response::Redirect;
use rocket::{get, post, uri, Route, State};
use serde::Serialize;

use super::{trust, Account, Accounts, AuthState, LoggedIn, LoginEvent};
use crate::hashing;
use crate::i18n::local_time;
use crate::limits::ClientKey;
use crate::record::SessionData;
use crate::web::{FormOutcome, Page, Wait};

/// The request's `User-Agent`, capped.
pub(super) struct UserAgent(String);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for UserAgent {
    type Error = std::convert::Infallible;

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        let ua = crate::http::header(request, "User-Agent").unwrap_or_default();
        Outcome::Success(UserAgent(ua.chars().take(300).collect()))
    }
}

#[derive(rocket::FromForm)]
struct Credentials {
    csrf_token: Option<String>,
    username: Option<String>,
    password: Option<String>,
}

impl Credentials {
    /// The trimmed username and the password as typed (empty when missing).
    fn parts(&self) -> (String, String) {
        credentials(self.username.as_deref(), self.password.as_deref())
    }
}

/// A form's trimmed username and its password as typed (empty when missing).
fn credentials(username: Option<&str>, password: Option<&str>) -> (String, String) {
    let username = username.unwrap_or_default().trim().to_owned();
    (username, password.unwrap_or_default().to_owned())
}

#[derive(Serialize, Default)]
struct AuthView {
    username: String,
    /// A catalog key under `accounts.errors`, about the whole form.
    error: Option<&'static str>,
    /// Catalog keys under `accounts.errors`, beside their fields.
    username_error: Option<&'static str>,
    password_error: Option<&'static str>,
    /// Where to go after logging in (a local path).
    next: String,
}

fn auth_page(page: &Page<'_>, name: &'static str, view: AuthView, status: Status) -> FormOutcome {
    FormOutcome::Invalid((status, page.render(name, view)))
}

/// The form again, refused for now: `Retry-After` says for how long.
fn wait(
    page: &Page<'_>,
    name: &'static str,
    view: AuthView,
    status: Status,
    secs: u64,
) -> FormOutcome {
    FormOutcome::Wait(Wait {
        status,
        page: page.render(name, view),
        retry_after_secs: secs,
    })
}

/// The form again after a login that could not be finished once the session id
/// had changed: an answer (not an error, which would drop the new cookie) that
/// asks to try again.
fn unfinished(
    page: &Page<'_>,
    name: &'static str,
    mut view: AuthView,
    failure: AppError,
) -> FormOutcome {
    failure.log();
    view.error = Some("unavailable");
    wait(
        page,
        name,
        view,
        failure.status(),
        hashing::RETRY_AFTER_SECS,
    )
}

/// Where a login sends the visitor: `next`, which [`local_return`] made a path
/// Rocket parses (`/` should it not).
fn return_to(next: &str) -> Redirect {
    let origin = rocket::http::uri::Origin::parse_owned(next.to_owned())
        .unwrap_or(rocket::http::uri::Origin::ROOT);
    Redirect::to(origin)
}

/// The form again, the hashing pool being full: 503, try again shortly.
fn busy(page: &Page<'_>, name: &'static str, mut view: AuthView) -> FormOutcome {
    view.error = Some("busy");
    wait(
        page,
        name,
        view,
        Status::ServiceUnavailable,
        hashing::RETRY_AFTER_SECS,
    )
}

/// A place to return to after logging in: a local path ([`crate::web::local_path`])
/// that is not an account page, else `/`.
fn local_return(path: Option<&str>) -> String {
    let Some(path) = path.and_then(crate::web::local_path) else {
        return "/".to_owned();
    };
    let (route, _query) = path.split_once('?').unwrap_or((path, ""));
    if ["/login", "/register", "/logout"].contains(&route) {
        "/".to_owned()
    } else {
        path.to_owned()
    }
}

/// Where the login page will send the visitor back to.
struct ReturnTo(String);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for ReturnTo {
    type Error = std::convert::Infallible;

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        let asked = request
            .query_value::<&str>("next")
            .and_then(Result::ok)
            .map(str::to_owned)
            .or_else(|| crate::web::referring_path(request));
        Outcome::Success(ReturnTo(local_return(asked.as_deref())))
    }
}

/// The account routes.
pub fn routes() -> Vec<Route> {
    rocket::routes![
        register_page,
        login_page,
        register,
        login,
        logout,
        account,
        logout_others,
        change_password,
        delete
    ]
}
