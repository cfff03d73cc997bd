//! The drafts API: `GET /api/v1/drafts`, `GET/PUT/DELETE /api/v1/drafts/<form>`.

use crate::web::AppError;
use std::collections::BTreeMap;

use crate::web::Json;
use chrono::{DateTime, Utc};
use rocket::http::Status;
use rocket::response::status::Custom;
use rocket::{delete, get, put, Route, State};
use serde::Serialize;
use serde_json::{json, Value};

use super::forms::FormSpec;
use super::model::{self, Draft, DraftLimits, SaveError};
use super::part::Sent;
use super::DraftConfig;
use super::Drafts;
use crate::record::SessionData;
use crate::web::{ApiError, ApiJson, SameOrigin};
use tailor_session::Session;

/// A draft as the API shows it.
#[derive(Serialize)]
pub struct DraftView {
    pub form: &'static str,
    pub fields: BTreeMap<String, String>,
    pub version: u64,
    pub updated_at: DateTime<Utc>,
}

impl DraftView {
    fn new(form: &'static str, draft: Draft) -> Self {
        DraftView {
            form,
            fields: draft.fields,
            version: draft.version,
            updated_at: draft.updated_at,
        }
    }
}

/// A failed draft request: the JSON error shape, or 409 with the current draft.
#[derive(rocket::Responder)]
pub enum DraftError {
    Api(ApiError),
    Conflict(Custom<Json<Value>>),
}

impl<E: Into<ApiError>> From<E> for DraftError {
    fn from(e: E) -> Self {
        DraftError::Api(e.into())
    }
}

fn unknown_form() -> ApiError {
    ApiError::new(
        Status::NotFound,
        "unknown_form",
        "There is no form with this id.",
    )
}

fn find(form: &str) -> Result<&'static FormSpec, ApiError> {
    FormSpec::find(form).ok_or_else(unknown_form)
}

fn invalid(field: &str, message: &str) -> ApiError {
    ApiError::new(Status::UnprocessableEntity, "invalid_value", message)
        .field(field.chars().take(64).collect::<String>())
}

/// The body of `PUT /api/v1/drafts/<form>`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DraftBody {
    fields: BTreeMap<String, String>,
    #[serde(default)]
    version: Option<u64>,
}

/// A draft body whose field the form does not declare.
#[derive(Debug, thiserror::Error)]
#[error("this form has no field `{0}`")]
pub struct UnknownField(String);

/// The body's fields, each one the form declares.
fn checked(
    spec: &FormSpec,
    body: DraftBody,
) -> Result<(BTreeMap<String, String>, Option<u64>), UnknownField> {
    if let Some(name) = body.fields.keys().find(|name| spec.field(name).is_none()) {
        return Err(UnknownField(name.clone()));
    }
    Ok((body.fields, body.version))
}

/// The record's live drafts.
fn live(session: &Session<'_, SessionData>, config: &DraftConfig) -> Vec<(&'static str, Draft)> {
    let Some(data) = session.data() else {
        return Vec::new();
    };
    let now = Utc::now();
    super::FORMS
        .iter()
        .filter_map(|spec| {
            let draft = data.part::<Drafts>()?.get(spec.id)?;
            (!model::is_expired(draft, &config.limits, now)).then(|| (spec.id, draft.clone()))
        })
        .collect()
}

#[get("/api/v1/drafts")]
fn list(session: Session<'_, SessionData>, config: &State<DraftConfig>) -> Json<Vec<DraftView>> {
    Json(
        live(&session, config)
            .into_iter()
            .map(|(id, d)| DraftView::new(id, d))
            .collect(),
    )
}

#[get("/api/v1/drafts/<form>")]
fn get_one(
    form: &str,
    session: Session<'_, SessionData>,
    config: &State<DraftConfig>,
) -> Result<Json<DraftView>, AppError> {
    let spec = find(form)?;
    live(&session, config)
        .into_iter()
        .find(|(id, _)| *id == spec.id)
        .map(|(id, d)| Json(DraftView::new(id, d)))
        .ok_or_else(|| {
            ApiError::new(
                Status::NotFound,
                "no_draft",
                "There is no draft of this form.",
            )
            .into()
        })
}

/// The API's answer to a refused save.
fn refused(spec: &FormSpec, limits: &DraftLimits, error: SaveError) -> DraftError {
    match error {
        SaveError::Conflict(current) => {
            let body = json!({
                "error": {"code": "version_conflict", "message": "A newer version of this draft was saved elsewhere."},
                "draft": current.map(|d| DraftView::new(spec.id, d)),
            });
            DraftError::Conflict(Custom(Status::Conflict, Json(body)))
        }
        SaveError::TooLarge => ApiError::new(
            Status::PayloadTooLarge,
            "draft_too_large",
            format!("A draft may hold at most {} bytes.", limits.max_bytes),
        )
        .into(),
        SaveError::TooMany => ApiError::new(
            Status::UnprocessableEntity,
            "too_many_drafts",
            format!("A visitor may keep at most {} drafts.", limits.max_drafts),
        )
        .into(),
    }
}

#[put("/api/v1/drafts/<form>", data = "<body>")]
async fn put_one(
    form: &str,
    session: Session<'_, SessionData>,
    config: &State<DraftConfig>,
    body: ApiJson<DraftBody>,
) -> Result<Json<DraftView>, DraftError> {
    let spec = find(form)?;
    let (fields, version) = checked(spec, body.0).map_err(|e| invalid(&e.0, &format!("{e}.")))?;
    let (now, limits) = (Utc::now(), &config.limits);
    let saved = session
        .update(|data: &mut SessionData| {
            let floor = data.part::<Sent>().map_or(0, |s| s.floor(spec.id));
            let drafts = data.part_mut::<Drafts>();
            model::save(drafts, spec, &fields, version, limits, now, floor)
        })
        .await?;
    match saved {
        Ok(draft) => Ok(Json(DraftView::new(spec.id, draft))),
        Err(error) => Err(refused(spec, limits, error)),
    }
}

#[delete("/api/v1/drafts/<form>")]
async fn delete_one(
    form: &str,
    session: Session<'_, SessionData>,
    _origin: SameOrigin,
) -> Result<Status, AppError> {
    let spec = find(form)?;
    let existed = session.exists()
        && session
            .update(|data: &mut SessionData| data.part_mut::<Drafts>().remove(spec.id).is_some())
            .await?;
    if existed {
        Ok(Status::NoContent)
    } else {
        Err(ApiError::new(
            Status::NotFound,
            "no_draft",
            "There is no draft of this form.",
        )
        .into())
    }
}

/// The drafts API's routes.
pub fn routes() -> Vec<Route> {
    rocket::routes![list, get_one, put_one, delete_one]
}
