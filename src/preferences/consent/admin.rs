//! `/.well-known/gpc.json` (the Global Privacy Control support resource), and the
//! operators' consent report: `/admin/consent` (per UTC day and policy version:
//! asked, granted, refused, withdrawn, GPC, DNT; and one consent id's history,
//! `?id=`) and `/admin/consent.csv`.

use crate::web::AppError;
use chrono::{Duration, NaiveDate, Utc};
use rocket::http::Status;
use rocket::{get, Route, State};
use serde::Serialize;
use serde_json::{json, Value};

use super::ConsentPolicy;
use crate::admin::{csv_cell, csv_line, Admin, Csv};
use crate::data::consent::{ConsentDay, ConsentEvent};
use crate::data::Db;
use crate::web::template::Template;
use crate::web::{Json, Page};

/// Days the page shows (the CSV has every day kept).
const PAGE_DAYS: i64 = 90;

/// `/.well-known/gpc.json`: this site honours GPC, since the policy's date.
#[get("/.well-known/gpc.json")]
fn gpc_json(policy: &State<ConsentPolicy>) -> Json<Value> {
    Json(match &policy.date {
        Some(date) => json!({ "gpc": true, "lastUpdate": date }),
        None => json!({ "gpc": true }),
    })
}

/// An event as the page shows it.
#[derive(Serialize)]
pub struct EventRow {
    at: String,
    choice: String,
    source: String,
    policy_version: String,
    scope: String,
    language: String,
}

impl From<ConsentEvent> for EventRow {
    fn from(e: ConsentEvent) -> Self {
        EventRow {
            at: e.at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
            choice: e.choice,
            source: e.source,
            policy_version: e.policy_version,
            scope: e.scope,
            language: e.language,
        }
    }
}

/// The history of consent id `id`, as shown (also on the visitor's `/privacy`).
pub async fn history(db: &Db, id: &str) -> Result<Vec<EventRow>, AppError> {
    let events = db.consent_history(id).await?;
    Ok(events.into_iter().map(EventRow::from).collect())
}

/// Whether `id` can be a consent id (URL-safe base64, at most 64 characters).
fn plausible(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[derive(Serialize)]
struct ConsentReport {
    days: Vec<ConsentDay>,
    policy_version: String,
    policy_date: Option<String>,
    /// The id looked up (cut to 64 characters), its events, and whether it is
    /// well-formed.
    lookup: Option<String>,
    lookup_valid: bool,
    events: Vec<EventRow>,
}

#[get("/admin/consent?<id>")]
async fn admin_consent(
    _admin: Admin,
    page: Page<'_>,
    id: Option<&str>,
    db: &State<Db>,
    policy: &State<ConsentPolicy>,
) -> Result<(Status, Template), AppError> {
    let since = Utc::now().date_naive() - Duration::days(PAGE_DAYS - 1);
    let days = db.consent_days(since).await?;
    let id = id.map(str::trim).filter(|i| !i.is_empty());
    let valid = id.is_some_and(plausible);
    let events = match id {
        Some(id) if valid => history(db, id).await?,
        _ => Vec::new(),
    };
    let view = ConsentReport {
        days,
        policy_version: policy.version.clone(),
        policy_date: policy.date.clone(),
        lookup: id.map(|i| i.chars().take(64).collect()),
        lookup_valid: valid,
        events,
    };
    let status = if id.is_some() && !valid {
        Status::BadRequest
    } else {
        Status::Ok
    };
    Ok((status, page.render("admin/consent", view)))
}

/// The report's days as CSV.
fn csv(days: Vec<ConsentDay>) -> String {
    let header = [
        "day",
        "policy_version",
        "asked",
        "granted",
        "refused",
        "withdrawn",
        "gpc",
        "dnt",
    ];
    let mut body = csv_line(&header.map(String::from));
    for d in days {
        body.push_str(&csv_line(&[
            d.day.to_string(),
            csv_cell(&d.policy_version),
            d.asked.to_string(),
            d.granted.to_string(),
            d.refused.to_string(),
            d.withdrawn.to_string(),
            d.gpc.to_string(),
            d.dnt.to_string(),
        ]));
    }
    body
}

#[get("/admin/consent.csv")]
async fn admin_consent_csv(_admin: Admin, db: &State<Db>) -> Result<Csv<String>, AppError> {
    let days = db.consent_days(NaiveDate::default()).await?;
    Ok(Csv {
        filename: "tailor-consent.csv",
        body: csv(days),
    })
}

/// The consent routes.
pub fn routes() -> Vec<Route> {
    rocket::routes![gpc_json, admin_consent, admin_consent_csv]
}
