//! The visitor's rights over their data: the `/privacy` page (what is stored,
//! whether tracking is in force), export (`GET /api/v1/session`: the session, and
//! the account, orders and submissions in the database) and erasure
//! (`DELETE /api/v1/session`, `POST /privacy/forget`: the session and the forms it
//! sent without an account; deleting the account is on `/account`). What each
//! feature keeps comes through its [`PrivacyHook`].

mod consent;
pub mod hooks;

use crate::web::AppError;
use crate::web::Json;
use rocket::fairing::AdHoc;
use rocket::form::{Form, FromForm};
use rocket::http::Status;
use rocket::response::Redirect;
use rocket::{delete, get, post, routes, uri, Request};
use serde::Serialize;
use serde_json::Value;

pub use consent::{asked, consent_of, ConsentState, TrackingConsent};
pub use hooks::{add_privacy_hook, Export, PrivacyHook, Summary, Visitor};

use crate::i18n::local_time;
use crate::record::SessionData;
use crate::web::template::{Template, Templates};
use crate::web::{ApiError, Page, SameOrigin};
use tailor_session::Session;

pub use crate::web::PrivacySignals;

#[derive(Serialize)]
struct PrivacyView {
    stored: bool,
    created_at: Option<String>,
    signals: PrivacySignals,
    forgotten: bool,
    /// "Forget me" was asked while logged in: the account and what it keeps stay.
    account_kept: bool,
    account_deleted: bool,
    #[serde(flatten)]
    summary: Summary,
}

/// Request guard: the request itself, for the hooks (a feature's own guards, such
/// as the login, run on it).
pub struct This<'r>(pub &'r Request<'r>);

#[rocket::async_trait]
impl<'r> rocket::request::FromRequest<'r> for This<'r> {
    type Error = std::convert::Infallible;

    async fn from_request(request: &'r Request<'_>) -> rocket::request::Outcome<Self, Self::Error> {
        rocket::request::Outcome::Success(This(request))
    }
}

/// The registered privacy hooks.
fn hooks(request: &Request<'_>) -> &'static [std::sync::Arc<dyn PrivacyHook>] {
    crate::web::hooks::hooks_of::<dyn PrivacyHook>(request.rocket())
}

#[get("/privacy?<forgotten>&<account_kept>&<account_deleted>")]
async fn show(
    page: Page<'_>,
    signals: PrivacySignals,
    forgotten: Option<bool>,
    account_kept: Option<bool>,
    account_deleted: Option<bool>,
    request: This<'_>,
) -> Result<Template, AppError> {
    let mut summary = Summary::default();
    for hook in hooks(request.0) {
        hook.summarize(&page, &mut summary);
    }
    for hook in hooks(request.0) {
        hook.summarize_async(&page, &mut summary).await?;
    }
    let view = PrivacyView {
        stored: page.data().is_some(),
        created_at: page.data().map(|d| local_time(d.created_at, page.zone)),
        signals,
        forgotten: forgotten.unwrap_or(false),
        account_kept: account_kept.unwrap_or(false),
        account_deleted: account_deleted.unwrap_or(false),
        summary,
    };
    Ok(page.render("privacy", view))
}

#[derive(FromForm)]
struct ForgetForm {
    csrf_token: Option<String>,
}

/// Erases the session, and first what each feature says only it can find (the
/// forms it sent without an account); the account's data is erased by deleting
/// the account.
async fn erase(request: &Request<'_>, session: &Session<'_, SessionData>) -> Result<(), AppError> {
    if let Some(data) = session.data() {
        let visitor = Visitor {
            request,
            session,
            data: &data,
        };
        for hook in hooks(request) {
            hook.forget(&visitor).await?;
        }
    }
    let owner = session
        .data()
        .map(|d| crate::web::template::owner_of(&d.created_at));
    session.destroy().await.map_err(|e| e.status())?;
    // The pages rendered for this session go from the render cache too.
    if let (Some(owner), Some(templates)) = (owner, request.rocket().state::<Templates>()) {
        templates.purge(&[owner]);
    }
    Ok(())
}

#[post("/privacy/forget", data = "<form>")]
async fn forget(
    page: Page<'_>,
    form: Form<ForgetForm>,
    request: This<'_>,
) -> Result<Redirect, AppError> {
    page.check_csrf(form.csrf_token.as_deref())?;
    // Logged in, the account stays (deleting it is another choice): the page
    // after says exactly what went and what the account keeps.
    // (What the features say of the visitor, the account's login among it.)
    let mut summary = Summary::default();
    for hook in hooks(request.0) {
        hook.summarize(&page, &mut summary);
    }
    let logged_in = summary.user.is_some();
    erase(request.0, &page.session).await?;
    Ok(Redirect::to(if logged_in {
        uri!("/privacy?forgotten=true&account_kept=true")
    } else {
        uri!("/privacy?forgotten=true")
    }))
}

/// Everything stored for the visitor: the session's record, and what each
/// feature adds (the account while logged in, the orders and the submissions).
async fn export(visitor: &Visitor<'_, '_>) -> Result<Value, AppError> {
    let mut export = Export::default();
    export.put("created_at", visitor.data.created_at);
    export.put("last_seen", visitor.data.last_seen);
    export.put("csrf_token", visitor.data.csrf_token);
    export.put("experiments", serde_json::json!({}));
    for hook in hooks(visitor.request) {
        hook.export(visitor, &mut export).await?;
    }
    Ok(export.into_value())
}

#[get("/api/v1/session")]
async fn api_export(
    session: Session<'_, SessionData>,
    request: This<'_>,
) -> Result<Json<Value>, AppError> {
    let data = session.data().ok_or_else(|| {
        ApiError::new(
            Status::NotFound,
            "no_session",
            "Nothing is stored for this visitor.",
        )
    })?;
    let visitor = Visitor {
        request: request.0,
        session: &session,
        data: &data,
    };
    let exported = export(&visitor).await?;
    Ok(Json(exported))
}

#[delete("/api/v1/session")]
async fn api_delete(
    session: Session<'_, SessionData>,
    _origin: SameOrigin,
    request: This<'_>,
) -> Result<Status, AppError> {
    erase(request.0, &session).await?;
    Ok(Status::NoContent)
}

/// The privacy page, export and erasure; the features add their hooks in their
/// stages.
pub fn stage() -> AdHoc {
    AdHoc::on_ignite("Privacy", |rocket| async {
        rocket.mount("/", routes![show, forget, api_export, api_delete])
    })
}
