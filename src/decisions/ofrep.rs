//! The OFREP endpoints (OpenFeature Remote Evaluation Protocol 0.3.0): single
//! and bulk evaluation, their preflights, the answers' JSON and headers.

use std::sync::Arc;
use std::time::Duration;

use rocket::data::{Data, ToByteUnit};
use rocket::http::Status;
use rocket::{options, post, Request, Route};
use serde_json::json;

use super::answer::Answer;
use super::caller::{caller, origin};
use super::context::{parse, EvalContext};
use super::evaluate::{evaluate, Halt, Keys, Who};
use super::Decisions;
use crate::limits::Limiter;

/// Most bytes of a request body.
pub const MAX_BODY: usize = 64 * 1024;

pub use super::reply::{Asked, Reply};

/// What every call checks first: decisions on, the caller, a JSON body within
/// [`MAX_BODY`].
pub(super) async fn opened<'r>(
    request: &'r Request<'_>,
    body: Data<'_>,
) -> Result<(&'r Decisions, super::caller::Caller, Vec<u8>), Reply> {
    let Some(decisions) = request.rocket().state::<Decisions>() else {
        return Err(Reply::json(
            Status::NotFound,
            json!({ "errorDetails": "decisions are off" }),
        ));
    };
    let asking = caller(request, decisions).await.map_err(Reply::refused)?;
    // A small body (most are) is read whole by a peek, without a copy buffer.
    let mut body = body;
    let peeked = body.peek(512).await.to_vec();
    // (A peek shows at most 512 bytes: fewer, and complete, is the whole body.)
    let whole = (body.peek_complete() && peeked.len() < 512).then_some(peeked);
    let read = match whole {
        Some(bytes) => {
            let n = bytes.len();
            Ok(rocket::data::Capped::complete(bytes, n))
        }
        None => body.open(MAX_BODY.bytes()).into_bytes().await,
    };
    let bytes = match read {
        Ok(b) if b.is_complete() => b.into_inner(),
        Ok(_) => {
            let details = format!("The body is over {} KiB.", MAX_BODY / 1024);
            return Err(Reply::json(
                Status::PayloadTooLarge,
                json!({ "errorDetails": details }),
            ));
        }
        Err(_) => {
            return Err(Reply::json(
                Status::BadRequest,
                json!({ "errorDetails": "The body could not be read." }),
            ))
        }
    };
    if !request.content_type().is_some_and(|ct| ct.is_json()) {
        let details = "Send the body as application/json.";
        return Err(Reply::json(
            Status::UnsupportedMediaType,
            json!({ "errorDetails": details }),
        ));
    }
    Ok((decisions, asking, bytes))
}

/// What every evaluation checks first: the caller, the body, its context, the
/// visitor and their limit.
async fn prepare(
    request: &Request<'_>,
    body: Data<'_>,
    key: Option<&str>,
) -> Result<(EvalContext, Who, super::caller::Caller), Reply> {
    let (decisions, asking, bytes) = opened(request, body).await?;
    let ctx = parse(&bytes).map_err(|invalid| {
        let mut body = json!({ "errorCode": "INVALID_CONTEXT", "errorDetails": invalid.0 });
        if let Some(key) = key {
            body["key"] = json!(key);
        }
        Reply::json(Status::BadRequest, body)
    })?;
    let who = Who::of(request, &asking, &ctx, &decisions.subject_key).await;
    limit(request, decisions, &who).await?;
    Ok((ctx, who, asking))
}

/// One session or subject's evaluations per minute.
pub(super) async fn limit(
    request: &Request<'_>,
    decisions: &Decisions,
    who: &Who,
) -> Result<(), Reply> {
    let key = match who {
        Who::Subject(subject) => format!("decisions:subject:{subject}"),
        Who::Session => match request
            .guard::<tailor_session::Session<'_, crate::record::SessionData>>()
            .await
            .succeeded()
            .and_then(|s| s.id())
        {
            Some(id) => format!("decisions:session:{id}"),
            None => return Ok(()),
        },
        Who::Nobody => return Ok(()),
    };
    let Some(limiter) = request.rocket().state::<Arc<Limiter>>() else {
        return Ok(());
    };
    let counted = limiter.note(&key, Duration::from_secs(60)).await;
    match counted.filter(|w| w.count > decisions.settings.requests_per_minute) {
        Some(window) => Err(Reply {
            retry_after: Some(window.retry_after_secs()),
            ..Reply::json(
                Status::TooManyRequests,
                json!({ "errorDetails": "Too many evaluations for this visitor: wait and try again." }),
            )
        }),
        None => Ok(()),
    }
}

fn halted(halt: Halt, key: Option<&str>) -> Reply {
    match halt {
        Halt::NoVisitor => {
            let details = "No visitor: send the session cookie (browser), or a targetingKey with a key (server).";
            let mut body = json!({ "errorCode": "TARGETING_KEY_MISSING", "errorDetails": details });
            if let Some(key) = key {
                body["key"] = json!(key);
            }
            Reply::json(Status::BadRequest, body)
        }
        Halt::Unavailable(status) => {
            let details = "The session store or the database is unavailable: try again shortly.";
            Reply::json(status, json!({ "errorDetails": details }))
        }
        Halt::Failed(e) => {
            e.log();
            let details = "The session store or the database is unavailable: try again shortly.";
            Reply::json(e.status(), json!({ "errorDetails": details }))
        }
    }
}

#[post("/ofrep/v1/evaluate/flags/<key>", data = "<body>")]
async fn single(asked: Asked<'_>, key: &str, body: Data<'_>) -> Reply {
    let request = asked.0;
    let (ctx, who, asking) = match prepare(request, body, Some(key)).await {
        Ok(prepared) => prepared,
        Err(reply) => return reply,
    };
    let answers = match evaluate(request, &who, &asking, &ctx, Keys::One(key)).await {
        Ok(answers) => answers,
        Err(halt) => return halted(halt, Some(key)),
    };
    match answers.into_iter().next() {
        Some(Answer::Success(s)) => Reply::serialized(Status::Ok, &s),
        Some(Answer::Failure(f)) if f.error_code == "FLAG_NOT_FOUND" => {
            Reply::json(Status::NotFound, json!(f))
        }
        Some(Answer::Failure(f)) => Reply::json(Status::BadRequest, json!(f)),
        None => Reply::json(Status::NotFound, json!(super::answer::not_found(key))),
    }
}

#[post("/ofrep/v1/evaluate/flags", data = "<body>")]
async fn bulk(asked: Asked<'_>, body: Data<'_>) -> Reply {
    let request = asked.0;
    let (ctx, who, asking) = match prepare(request, body, None).await {
        Ok(prepared) => prepared,
        Err(reply) => return reply,
    };
    let answers = match evaluate(request, &who, &asking, &ctx, Keys::All).await {
        Ok(answers) => answers,
        Err(halt) => return halted(halt, None),
    };
    #[derive(serde::Serialize)]
    struct Bulk {
        flags: Vec<Answer>,
    }
    tagged(request, &Bulk { flags: answers })
}

/// `body` with its ETag (a keyed hash of the body): 304 and no body when the
/// request's `If-None-Match` names it.
fn tagged(request: &Request<'_>, body: &impl serde::Serialize) -> Reply {
    let Some(decisions) = request.rocket().state::<Decisions>() else {
        return Reply::serialized(Status::Ok, body);
    };
    let Ok(bytes) = serde_json::to_vec(body) else {
        return Reply::empty(Status::InternalServerError);
    };
    let etag = super::keys::etag(&decisions.etag_key, &bytes);
    let matches = crate::http::header(request, "If-None-Match").is_some_and(|given| {
        given
            .split(',')
            .any(|t| t.trim().trim_start_matches("W/") == etag)
    });
    Reply {
        status: if matches {
            Status::NotModified
        } else {
            Status::Ok
        },
        body: None,
        // Serialized once, for the ETag and the answer.
        raw: (!matches).then_some(bytes),
        etag: Some(etag),
        retry_after: None,
    }
}

/// A preflight: the CORS fairing answers for an allowed origin; anyone else
/// gets 403 and no CORS header.
pub(super) fn preflight(request: &Request<'_>) -> Status {
    let allowed = request
        .rocket()
        .state::<Decisions>()
        .zip(origin(request))
        .is_some_and(|(d, o)| d.settings.allowed_origins.contains(&o));
    if allowed {
        Status::NoContent
    } else {
        Status::Forbidden
    }
}

#[options("/ofrep/v1/evaluate/flags")]
fn bulk_preflight(asked: Asked<'_>) -> Status {
    preflight(asked.0)
}

#[options("/ofrep/v1/evaluate/flags/<key>")]
fn single_preflight(asked: Asked<'_>, key: &str) -> Status {
    let _ = key; // any flag's preflight is the same
    preflight(asked.0)
}

#[options("/api/v1/events")]
fn events_preflight(asked: Asked<'_>) -> Status {
    preflight(asked.0)
}

/// The OFREP routes, and the events'.
pub fn routes() -> Vec<Route> {
    rocket::routes![
        single,
        bulk,
        bulk_preflight,
        single_preflight,
        super::events::events,
        events_preflight,
        super::visitors::consent,
        super::visitors::consent_preflight,
        super::visitors::export,
        super::visitors::erase
    ]
}
