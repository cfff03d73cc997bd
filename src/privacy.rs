//! The visitor's rights over their data: the `/privacy` page (what is stored,
//! whether tracking is in force), export (`GET /api/v1/session`) and erasure
//! (`DELETE /api/v1/session`, `POST /privacy/forget`).

use chrono::{DateTime, Utc};
use rocket::fairing::AdHoc;
use rocket::form::{Form, FromForm};
use rocket::http::Status;
use rocket::request::{FromRequest, Outcome, Request};
use rocket::response::Redirect;
use rocket::serde::json::Json;
use rocket::{delete, get, post, routes, uri};
use rocket_dyn_templates::Template;
use serde::Serialize;
use serde_json::{json, Value};

use crate::preferences::{Preferences, Timezone};
use crate::record::SessionData;
use crate::session::Session;
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
        let on = |name| {
            request
                .headers()
                .get_one(name)
                .is_some_and(|v| v.trim() == "1")
        };
        Outcome::Success(PrivacySignals {
            gpc: on("Sec-GPC"),
            dnt: on("DNT"),
        })
    }
}

impl PrivacySignals {
    /// Whether tracking may happen for a visitor with these preferences.
    pub fn allows_tracking(self, prefs: &Preferences) -> bool {
        prefs.tracking && !self.gpc && !self.dnt
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
    signals: PrivacySignals,
    tracking_preference: bool,
    tracking_active: bool,
    forgotten: bool,
}

#[get("/privacy?<forgotten>")]
fn show(page: Page<'_>, signals: PrivacySignals, forgotten: Option<bool>) -> Template {
    let prefs = page.preferences();
    let data = page.data();
    let view = PrivacyView {
        stored: data.is_some(),
        created_at: data.map(|d| local_time(d.created_at, prefs.timezone)),
        signals,
        tracking_preference: prefs.tracking,
        tracking_active: signals.allows_tracking(&prefs),
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

/// Everything stored for the visitor. Parts of features not built yet export as empty.
fn export(data: &SessionData) -> Value {
    json!({
        "created_at": data.created_at,
        "last_seen": data.last_seen,
        "preferences": data.preferences,
        "drafts": data.drafts,
        "visits": [],
        "campaigns": {"first_touch": null, "last_touch": null, "touches": []},
        "cart": {"items": [], "total_cents": 0},
        "user": null,
        "csrf_token": data.csrf_token,
    })
}

#[get("/api/v1/session")]
fn api_export(session: Session<'_, SessionData>) -> Result<Json<Value>, ApiError> {
    let data = session.data().ok_or_else(|| {
        ApiError::new(
            Status::NotFound,
            "no_session",
            "Nothing is stored for this visitor.",
        )
    })?;
    Ok(Json(export(&data)))
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
