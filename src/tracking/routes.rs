//! The tracking pages: `/history` (with its chart), clearing it, the opt-in consent
//! form, `GET/DELETE /api/v1/history`, and the operators' `/admin/campaigns`.

use crate::web::AppError;
use std::collections::HashMap;
use std::sync::Arc;

use crate::web::template::Template;
use crate::web::Json;
use chrono::Utc;
use rocket::form::Form;
use rocket::http::Status;
use rocket::response::Redirect;
use rocket::{delete, get, post, Route, State};
use serde::Serialize;
use serde_json::{json, Value};

use super::chart::{chart, Chart};
use super::model::{self, Visit};
use super::stats::CampaignStats;
use super::TrackingConfig;
use super::{Campaigns, Visits};
use crate::accounts::LoggedIn;
use crate::preferences::consent::{Chooser, Source};
use crate::preferences::PreferencesPatch;
use crate::record::SessionData;
use crate::web::{Page, SameOrigin};
use tailor_session::Session;

#[derive(Serialize)]
struct VisitRow {
    time: String,
    path: String,
    /// What the page is called (a product's name, a form's title).
    title: String,
    referrer: Option<String>,
}

#[derive(Serialize)]
struct Day {
    label: String,
    visits: Vec<VisitRow>,
}

#[derive(Serialize)]
struct HistoryView {
    allowed: bool,
    count: usize,
    history_max: usize,
    days: Vec<Day>,
    chart: Option<Chart>,
}

/// The visits grouped by day in `zone`, newest first, each day labelled.
fn days(page: &Page<'_>, visits: &[Visit], zone: chrono_tz::Tz) -> Vec<Day> {
    let today = Utc::now().with_timezone(&zone).date_naive();
    let row = |v: &Visit| VisitRow {
        time: v.at.with_timezone(&zone).format("%H:%M").to_string(),
        path: v.path.to_string(),
        title: page.title_of(&v.path),
        referrer: v.referrer.as_deref().map(str::to_owned),
    };
    model::by_day(visits, zone)
        .into_iter()
        .map(|(day, list)| Day {
            label: page.lang.day_label(day, today),
            visits: list.into_iter().map(row).collect(),
        })
        .collect()
}

#[get("/history")]
fn history(page: Page<'_>, config: &State<TrackingConfig>) -> Template {
    let data = page.data();
    let visits: &[Visit] = data
        .as_deref()
        .map_or(&[], |d| d.part::<Visits>().map_or(&[][..], |v| &v.0));
    let top = model::top_paths(visits, 8)
        .into_iter()
        .map(|(p, n)| (page.title_of(&p), n as u64))
        .collect();
    let view = HistoryView {
        allowed: crate::tracking::allowed(&page),
        count: visits.len(),
        history_max: config.history_size,
        days: days(&page, visits, page.zone.0),
        chart: chart(top),
    };
    page.render("history", view)
}

#[derive(rocket::FromForm)]
struct TokenForm {
    csrf_token: Option<String>,
}

#[post("/history/clear", data = "<form>")]
async fn clear(page: Page<'_>, form: Form<TokenForm>) -> Result<Redirect, AppError> {
    page.check_csrf(form.csrf_token.as_deref())?;
    page.session
        .update(|d: &mut SessionData| {
            d.take_part::<Visits>();
            d.take_part::<Campaigns>();
            d.flash("success", "flash.history_cleared");
        })
        .await?;
    Ok(Redirect::to("/history"))
}

/// A path on this site to go back to (never another site).
fn local_path(path: Option<&String>) -> String {
    match path {
        Some(p)
            if p.starts_with('/')
                && !p.starts_with("//")
                && !p.contains('\\')
                && p.len() <= 200 =>
        {
            p.clone()
        }
        _ => "/".to_owned(),
    }
}

/// The landing's touch, carried in the consent form (recorded only now, with
/// consent).
fn carried_touch(form: &HashMap<String, String>, landing: &str) -> Option<super::Touch> {
    let referrer = form.get("referrer").and_then(|r| model::referrer_origin(r));
    let pairs = form.iter().map(|(k, v)| (k.as_str(), v.as_str()));
    model::touch_from_query(pairs, landing, referrer, Utc::now())
}

#[post("/tracking/consent", data = "<form>")]
async fn consent(
    page: Page<'_>,
    form: Form<HashMap<String, String>>,
    config: &State<TrackingConfig>,
    stats: &State<Arc<CampaignStats>>,
    chooser: Chooser<'_>,
) -> Result<Redirect, AppError> {
    page.check_csrf(form.get("csrf_token").map(String::as_str))?;
    let accept = match form.get("choice").map(String::as_str) {
        Some("accept") => true,
        Some("decline") => false,
        _ => return Err(Status::UnprocessableEntity.into()),
    };
    let return_to = local_path(form.get("return_to"));
    let login = page.fact::<LoggedIn>();
    let patch = PreferencesPatch::tracking(accept);
    chooser
        .choose(&page.session, login, patch, Source::Banner, page.lang)
        .await?;
    let Some(touch) = accept.then(|| carried_touch(&form, &return_to)).flatten() else {
        return Ok(Redirect::to(return_to));
    };
    let change = page
        .session
        .update(|d: &mut SessionData| super::record_touch(d, &touch, config))
        .await?;
    stats.on_touch(&change, &touch, false);
    Ok(Redirect::to(return_to))
}

fn history_json(data: Option<&SessionData>) -> Value {
    let empty = SessionData::default();
    let data = data.unwrap_or(&empty);
    let visits: Vec<&Visit> = data
        .part::<Visits>()
        .into_iter()
        .flat_map(|v| v.iter())
        .rev()
        .collect();
    json!({
        "visits": visits,
        "campaigns": data.part_or_default::<Campaigns>(),
    })
}

#[get("/api/v1/history")]
fn api_history(session: Session<'_, SessionData>) -> Json<Value> {
    Json(history_json(session.data().as_deref()))
}

#[delete("/api/v1/history")]
async fn api_clear(
    session: Session<'_, SessionData>,
    _origin: SameOrigin,
) -> Result<Status, AppError> {
    if session.exists() {
        session
            .update(|d: &mut SessionData| {
                d.take_part::<Visits>();
                d.take_part::<Campaigns>();
            })
            .await?;
    }
    Ok(Status::NoContent)
}

/// The tracking routes.
pub fn routes() -> Vec<Route> {
    rocket::routes![history, clear, consent, api_history, api_clear]
}
