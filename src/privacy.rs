//! The visitor's rights over their data: the `/privacy` page (what is stored,
//! whether tracking is in force), export (`GET /api/v1/session`) and erasure
//! (`DELETE /api/v1/session`, `POST /privacy/forget`).

use crate::web::template::Template;
use chrono::{DateTime, Utc};
use rocket::fairing::AdHoc;
use rocket::form::{Form, FromForm};
use rocket::http::Status;
use rocket::request::{FromRequest, Outcome, Request};
use rocket::response::Redirect;
use rocket::serde::json::Json;
use rocket::{delete, get, post, routes, uri, State};
use serde::Serialize;
use serde_json::{json, Value};

use std::sync::Arc;

use crate::cart::{CartView, Catalog};
use crate::config::ConsentMode;
use crate::preferences::Timezone;
use crate::record::SessionData;
use crate::session::Session;
use crate::tracking::TrackingConfig;
use crate::web::{ApiError, Page, SameOrigin};

/// The browser's privacy signals: `Sec-GPC: 1` (Global Privacy Control), `DNT: 1`.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct PrivacySignals {
    pub gpc: bool,
    pub dnt: bool,
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for PrivacySignals {
    type Error = std::convert::Infallible;

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        Outcome::Success(PrivacySignals::of(request))
    }
}

impl PrivacySignals {
    /// The signals a request sends.
    pub fn of(request: &Request<'_>) -> Self {
        let on = |name| {
            request
                .headers()
                .get_one(name)
                .is_some_and(|v| v.trim() == "1")
        };
        PrivacySignals {
            gpc: on("Sec-GPC"),
            dnt: on("DNT"),
        }
    }

    /// Whether the browser refuses tracking.
    pub fn refuses(self) -> bool {
        self.gpc || self.dnt
    }
}

/// A time in the visitor's zone, for display.
pub fn local_time(at: DateTime<Utc>, zone: Timezone) -> String {
    at.with_timezone(&zone.0)
        .format("%Y-%m-%d %H:%M %Z")
        .to_string()
}

#[derive(Serialize)]
struct PrivacyView {
    stored: bool,
    created_at: Option<String>,
    visits: usize,
    touches: usize,
    drafts: usize,
    signals: PrivacySignals,
    opt_in: bool,
    tracking_preference: bool,
    tracking_active: bool,
    forgotten: bool,
}

#[get("/privacy?<forgotten>")]
fn show(
    page: Page<'_>,
    signals: PrivacySignals,
    forgotten: Option<bool>,
    config: &State<TrackingConfig>,
) -> Template {
    let prefs = page.preferences();
    let data = page.data();
    let view = PrivacyView {
        stored: data.is_some(),
        created_at: data
            .as_ref()
            .map(|d| local_time(d.created_at, prefs.timezone)),
        visits: data.as_ref().map_or(0, |d| d.visits.len()),
        touches: data.as_ref().map_or(0, |d| d.campaigns().touches.len()),
        drafts: data.as_ref().map_or(0, |d| d.drafts().len()),
        signals,
        opt_in: config.mode == ConsentMode::OptIn,
        tracking_preference: config.preference(Some(&prefs)),
        tracking_active: page.tracking_allowed(),
        forgotten: forgotten.unwrap_or(false),
    };
    page.render("privacy", view)
}

#[derive(FromForm)]
struct ForgetForm {
    csrf_token: Option<String>,
}

#[post("/privacy/forget", data = "<form>")]
async fn forget(page: Page<'_>, form: Form<ForgetForm>) -> Result<Redirect, Status> {
    page.check_csrf(form.csrf_token.as_deref())?;
    page.session.destroy().await?;
    Ok(Redirect::to(uri!("/privacy?forgotten=true")))
}

/// Everything stored for the visitor.
fn export(data: &SessionData, catalog: &Catalog) -> Value {
    json!({
        "created_at": data.created_at,
        "last_seen": data.last_seen,
        "preferences": data.preferences,
        "drafts": data.drafts(),
        "visits": data.visits,
        "campaigns": data.campaigns(),
        "cart": CartView::new(data.cart(), catalog),
        "user": data.user().map(|u| json!({
            "username": u.username, "logged_in_at": u.logged_in_at, "last_active": u.last_active,
        })),
        "csrf_token": data.csrf_token,
    })
}

#[get("/api/v1/session")]
fn api_export(
    session: Session<'_, SessionData>,
    catalog: &State<Arc<Catalog>>,
) -> Result<Json<Value>, ApiError> {
    let data = session.data().ok_or_else(|| {
        ApiError::new(
            Status::NotFound,
            "no_session",
            "Nothing is stored for this visitor.",
        )
    })?;
    Ok(Json(export(&data, catalog)))
}

#[delete("/api/v1/session")]
async fn api_delete(
    session: Session<'_, SessionData>,
    _origin: SameOrigin,
) -> Result<Status, ApiError> {
    session.destroy().await?;
    Ok(Status::NoContent)
}

/// The privacy page, export and erasure.
pub fn stage() -> AdHoc {
    AdHoc::on_ignite("Privacy", |rocket| async {
        rocket.mount("/", routes![show, forget, api_export, api_delete])
    })
}
