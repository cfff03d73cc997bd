//! The drafts API: `GET /api/v1/drafts`, `GET/PUT/DELETE /api/v1/drafts/<form>`.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rocket::http::Status;
use rocket::response::status::Custom;
use rocket::serde::json::Json;
use rocket::{delete, get, put, Route, State};
use serde::Serialize;
use serde_json::{json, Value};

use super::forms::FormSpec;
use super::model::{self, Draft, SaveError};
use super::DraftConfig;
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

/// Reads `{"fields": {name: string}, "version": n?}` against the form's declaration.
fn parse_body(
    spec: &FormSpec,
    body: &Value,
) -> Result<(BTreeMap<String, String>, Option<u64>), ApiError> {
    let object = body
        .as_object()
        .ok_or_else(|| invalid("body", "The body must be a JSON object."))?;
    if let Some(key) = object.keys().find(|k| *k != "fields" && *k != "version") {
        return Err(invalid(key, "Only `fields` and `version` are accepted."));
    }
    let version = match object.get("version") {
        None | Some(Value::Null) => None,
        Some(v) => Some(
            v.as_u64()
                .ok_or_else(|| invalid("version", "`version` must be a whole number."))?,
        ),
    };
    let raw = object
        .get("fields")
        .ok_or_else(|| invalid("fields", "`fields` is required."))?;
    let raw = raw
        .as_object()
        .ok_or_else(|| invalid("fields", "`fields` must be an object."))?;
    let mut fields = BTreeMap::new();
    for (name, value) in raw {
        if spec.field(name).is_none() {
            return Err(invalid(name, "This form has no such field."));
        }
        let text = value
            .as_str()
            .ok_or_else(|| invalid(name, "Field values must be strings."))?;
        fields.insert(name.clone(), text.to_owned());
    }
    Ok((fields, version))
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
            let draft = data.drafts().get(spec.id)?;
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
) -> Result<Json<DraftView>, ApiError> {
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
        })
}

#[put("/api/v1/drafts/<form>", data = "<body>")]
async fn put_one(
    form: &str,
    session: Session<'_, SessionData>,
    config: &State<DraftConfig>,
    body: ApiJson,
) -> Result<Json<DraftView>, DraftError> {
    let spec = find(form)?;
    let (fields, version) = parse_body(spec, &body.0)?;
    let now = Utc::now();
    let limits = &config.limits;
    let saved = session
        .update(|data: &mut SessionData| {
            model::save(data.drafts_mut(), spec, &fields, version, limits, now)
        })
        .await?;
    match saved {
        Ok(draft) => Ok(Json(DraftView::new(spec.id, draft))),
        Err(SaveError::Conflict(current)) => {
            let body = json!({
                "error": {"code": "version_conflict", "message": "A newer version of this draft was saved elsewhere."},
                "draft": current.map(|d| DraftView::new(spec.id, d)),
            });
            Err(DraftError::Conflict(Custom(Status::Conflict, Json(body))))
        }
        Err(SaveError::TooLarge) => Err(ApiError::new(
            Status::PayloadTooLarge,
            "draft_too_large",
            format!("A draft may hold at most {} bytes.", limits.max_bytes),
        )
        .into()),
        Err(SaveError::TooMany) => Err(ApiError::new(
            Status::UnprocessableEntity,
            "too_many_drafts",
            format!("A visitor may keep at most {} drafts.", limits.max_drafts),
        )
        .into()),
    }
}

#[delete("/api/v1/drafts/<form>")]
async fn delete_one(
    form: &str,
    session: Session<'_, SessionData>,
    _origin: SameOrigin,
) -> Result<Status, ApiError> {
    let spec = find(form)?;
    let existed = session.exists()
        && session
            .update(|data: &mut SessionData| data.drafts_mut().remove(spec.id).is_some())
            .await?;
    if existed {
        Ok(Status::NoContent)
    } else {
        Err(ApiError::new(
            Status::NotFound,
            "no_draft",
            "There is no draft of this form.",
        ))
    }
}

/// The drafts API's routes.
pub fn routes() -> Vec<Route> {
    rocket::routes![list, get_one, put_one, delete_one]
}
