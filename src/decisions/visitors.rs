//! What the operator's site may do for its visitors besides deciding: the
//! consent banner's choice from its pages (`POST /api/v1/consent`, browser mode,
//! as tailor's own banner), and a key-holder's export and erasure of a subject
//! (`POST /api/v1/subjects/export`, `DELETE /api/v1/subjects`).

use chrono::Utc;
use rocket::data::Data;
use rocket::http::Status;
use rocket::{delete, options, post, Request};
use serde_json::{json, Value};

use super::caller::Caller;
use super::evaluate::Who;
use super::ofrep::{limit, opened, Asked, Reply};
use super::{keys, Decisions};
use crate::accounts::Login;
use crate::data::Db;
use crate::i18n::{negotiate, Language};
use crate::preferences::consent::{Chooser, Source};
use crate::preferences::PreferencesPatch;
use crate::record::SessionData;
use tailor_session::Session;

fn invalid(field: &str, message: &str) -> Reply {
    let error = json!({ "error": { "code": "invalid_value", "message": message, "field": field } });
    Reply::json(Status::UnprocessableEntity, error)
}

/// The body as a JSON object.
fn object(bytes: &[u8]) -> Result<serde_json::Map<String, Value>, Reply> {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(invalid("", "The body is a JSON object.")),
        Err(_) => {
            let error = json!({ "error": { "code": "malformed_json", "message": "The body is not JSON." } });
            Err(Reply::json(Status::BadRequest, error))
        }
    }
}

/// The choice a browser's body makes: accept (true) or decline.
async fn choice(request: &Request<'_>, body: Data<'_>) -> Result<bool, Reply> {
    let (decisions, asking, bytes) = opened(request, body).await?;
    if !matches!(asking, Caller::Browser { .. }) {
        let message = "Consent is the visitor's choice: send it from an allowed origin's page.";
        return Err(invalid("", message));
    }
    let accept = match object(&bytes)?.get("choice").and_then(Value::as_str) {
        Some("accept") => true,
        Some("decline") => false,
        _ => return Err(invalid("choice", "choice is \"accept\" or \"decline\".")),
    };
    limit(request, decisions, &Who::Session).await?;
    Ok(accept)
}

#[post("/api/v1/consent", data = "<body>")]
pub(super) async fn consent(asked: Asked<'_>, body: Data<'_>) -> Reply {
    let request = asked.0;
    let accept = match choice(request, body).await {
        Ok(accept) => accept,
        Err(reply) => return reply,
    };
    let unavailable = json!({ "errorDetails": "The session store is unavailable." });
    let (Some(session), Some(chooser), Some(login)) = (
        request
            .guard::<Session<'_, SessionData>>()
            .await
            .succeeded(),
        request.guard::<Chooser<'_>>().await.succeeded(),
        request.guard::<Login>().await.succeeded(),
    ) else {
        return Reply::json(Status::ServiceUnavailable, unavailable);
    };
    let patch = PreferencesPatch::tracking(accept);
    let lang = crate::http::header(request, "Accept-Language").and_then(negotiate);
    let lang = lang.unwrap_or(Language::En);
    let chosen = chooser.choose(&session, login.0.as_ref(), patch, Source::Api, lang);
    match chosen.await {
        Ok(_) => Reply::json(Status::Ok, json!({ "tracking": accept })),
        Err(e) => {
            e.log();
            Reply::json(e.status(), unavailable)
        }
    }
}

/// The subject a key-holder's body names.
async fn subject(request: &Request<'_>, body: Data<'_>) -> Result<(String, Db), Reply> {
    let (decisions, asking, bytes): (&Decisions, _, _) = opened(request, body).await?;
    if !matches!(asking, Caller::Server { .. }) {
        let refused = json!({ "errorDetails": "Subjects are exported and erased by a key-holder (Authorization: Bearer)." });
        return Err(Reply::json(Status::Unauthorized, refused));
    }
    let key = match object(&bytes)?.get("targetingKey") {
        Some(Value::String(key)) if !key.is_empty() && key.chars().count() <= 256 => key.clone(),
        _ => {
            return Err(invalid(
                "targetingKey",
                "targetingKey is a string of 1 to 256 characters.",
            ))
        }
    };
    let subject = keys::subject(&decisions.subject_key, &key);
    limit(request, decisions, &Who::Subject(subject.clone())).await?;
    let Some(db) = request.rocket().state::<Db>() else {
        return Err(Reply::json(
            Status::ServiceUnavailable,
            json!({ "errorDetails": "no database" }),
        ));
    };
    Ok((subject, db.clone()))
}

#[post("/api/v1/subjects/export", data = "<body>")]
pub(super) async fn export(asked: Asked<'_>, body: Data<'_>) -> Reply {
    let (subject, db) = match subject(asked.0, body).await {
        Ok(found) => found,
        Err(reply) => return reply,
    };
    match db.subject_assignments(&subject, Utc::now()).await {
        Ok(assignments) => Reply::json(Status::Ok, json!({ "assignments": assignments })),
        Err(e) => {
            e.report();
            Reply::json(
                Status::ServiceUnavailable,
                json!({ "errorDetails": "The database is unavailable." }),
            )
        }
    }
}

#[delete("/api/v1/subjects", data = "<body>")]
pub(super) async fn erase(asked: Asked<'_>, body: Data<'_>) -> Reply {
    let (subject, db) = match subject(asked.0, body).await {
        Ok(found) => found,
        Err(reply) => return reply,
    };
    match db.forget_subject(&subject).await {
        Ok(_) => Reply::empty(Status::NoContent),
        Err(e) => {
            e.report();
            Reply::json(
                Status::ServiceUnavailable,
                json!({ "errorDetails": "The database is unavailable." }),
            )
        }
    }
}

#[options("/api/v1/consent")]
pub(super) fn consent_preflight(asked: Asked<'_>) -> Status {
    super::ofrep::preflight(asked.0)
}
