//! `POST /api/v1/events`: what the visitor did on the operator's site. A page
//! view of an allowed origin's page (recorded as tailor's own pages' views are),
//! the exposure of a flag an evaluation answered (counted once per participant),
//! a conversion of a goal. One event or a list of at most 50; every event is
//! checked before any is recorded.

use crate::web::AppError;
use std::sync::Arc;

use rocket::data::Data;
use rocket::http::Status;
use rocket::{post, Request};
use serde_json::{json, Value};

use super::caller::Caller;
use super::conversions::{convert, Converting};
use super::ofrep::{Asked, Reply};
use super::Decisions;
use crate::data::experiments::ViewCounts;
use crate::experiments::{ArmRef, Assignments, ViewStats};
use crate::personalisation::rules::{Experiment, Rules};
use crate::record::SessionData;
use crate::web::Landing;
use tailor_session::Session;

/// Most events of one request.
pub const MAX_EVENTS: usize = 50;

/// One event, checked.
pub enum Event {
    PageView(Landing),
    Exposure { flag: String },
    Conversion { goal: String, id: String },
}

fn invalid(at: usize, details: impl Into<String>) -> Reply {
    let details = details.into();
    Reply::json(
        Status::UnprocessableEntity,
        json!({ "error": { "code": "invalid_value", "message": format!("events[{at}]: {details}"), "field": format!("events[{at}]") } }),
    )
}

fn text<'v>(event: &'v serde_json::Map<String, Value>, name: &str) -> Option<&'v str> {
    event.get(name).and_then(Value::as_str)
}

/// Reads event `at` of the body.
fn event(decisions: &Decisions, rules: &Rules, at: usize, value: &Value) -> Result<Event, Reply> {
    let Value::Object(event) = value else {
        return Err(invalid(at, "an event is an object with a type"));
    };
    match text(event, "type") {
        Some("page_view") => {
            let url = text(event, "url").ok_or_else(|| invalid(at, "a page_view needs its url"))?;
            let context = json!({ "context": { "url": url, "referrer": text(event, "referrer") } });
            let parsed = super::context::parse(context.to_string().as_bytes())
                .map_err(|e| invalid(at, e.0))?;
            let landing = parsed
                .landing
                .ok_or_else(|| invalid(at, "a page_view needs its url"))?;
            let origin = format!(
                "{}://{}",
                if url.starts_with("https://") {
                    "https"
                } else {
                    "http"
                },
                landing.host
            );
            if !decisions.settings.allowed_origins.contains(&origin) {
                return Err(invalid(
                    at,
                    format!("{origin} is not one of decisions.allowed_origins"),
                ));
            }
            Ok(Event::PageView(landing))
        }
        Some("exposure") => {
            let flag =
                text(event, "flag").ok_or_else(|| invalid(at, "an exposure needs its flag"))?;
            Ok(Event::Exposure {
                flag: flag.to_owned(),
            })
        }
        Some("conversion") => {
            let goal =
                text(event, "goal").ok_or_else(|| invalid(at, "a conversion needs its goal"))?;
            if !rules.goals.contains_key(goal) {
                return Err(invalid(
                    at,
                    format!("goal {goal:?} is not a [goals.*] section of the rules file"),
                ));
            }
            let id = text(event, "id")
                .filter(|id| !id.is_empty() && id.len() <= 200)
                .ok_or_else(|| invalid(at, "a conversion needs an id (1 to 200 characters)"))?;
            Ok(Event::Conversion {
                goal: goal.to_owned(),
                id: id.to_owned(),
            })
        }
        Some(other) => Err(invalid(
            at,
            format!("unknown type {other:?} (page_view, exposure, conversion)"),
        )),
        None => Err(invalid(at, "an event needs a type")),
    }
}

/// The experiment behind key `flag`: its name and itself.
fn experiment_of<'r>(rules: &'r Rules, flag: &str) -> Option<(&'r str, &'r Experiment)> {
    rules.experiments.iter().find_map(|(name, e)| {
        let hit = flag.strip_prefix("experiment.") == Some(name.as_str())
            || (!e.slot.is_empty() && flag.strip_prefix("slot.") == Some(e.slot.as_str()))
            || e.flag.as_deref() == Some(flag);
        hit.then_some((name.as_str(), e))
    })
}

/// Counts the exposure of `flag` for the session's visitor: once a participant.
async fn expose(
    request: &Request<'_>,
    session: &Session<'_, SessionData>,
    rules: &Rules,
    flag: &str,
) -> Result<bool, tailor_session::SessionError> {
    let (Some((name, experiment)), Some(stats)) = (
        experiment_of(rules, flag),
        request.rocket().state::<Arc<ViewStats>>(),
    ) else {
        return Ok(false);
    };
    if !experiment.running() {
        return Ok(false);
    }
    if crate::web::PrivacySignals::of(request).refuses() {
        return Ok(false);
    }
    let Some(assigned) = session.data().and_then(|d| {
        d.part::<Assignments>()?
            .of(name, experiment.version)
            .cloned()
    }) else {
        return Ok(false);
    };
    if !assigned.counted {
        session
            .update(|d: &mut SessionData| {
                if let Some(a) = d.part_mut::<Assignments>().0.get_mut(name) {
                    a.counted = true;
                }
            })
            .await?;
    }
    let counts = ViewCounts {
        participants: i64::from(!assigned.counted),
        exposures: 1,
        flips: 0,
    };
    let arm = ArmRef {
        experiment: name,
        version: assigned.version,
        epoch: assigned.epoch,
        variant: &assigned.variant,
    };
    stats.add(arm, counts);
    Ok(true)
}

/// The body's events, each checked against the current rules.
fn read(
    request: &Request<'_>,
    decisions: &Decisions,
    bytes: &[u8],
) -> Result<(Arc<Rules>, Vec<Event>), Reply> {
    let Ok(value) = serde_json::from_slice::<Value>(bytes) else {
        let error =
            json!({ "error": { "code": "malformed_json", "message": "The body is not JSON." } });
        return Err(Reply::json(Status::BadRequest, error));
    };
    let list = match value {
        Value::Array(list) if list.len() <= MAX_EVENTS => list,
        Value::Array(_) => {
            return Err(invalid(
                MAX_EVENTS,
                format!("at most {MAX_EVENTS} events at once"),
            ))
        }
        one => vec![one],
    };
    let Some(live) = request
        .rocket()
        .state::<Arc<crate::personalisation::Live>>()
    else {
        return Err(Reply::json(
            Status::ServiceUnavailable,
            json!({ "errorDetails": "no rules" }),
        ));
    };
    let (rules, _) = live.current();
    let events = list
        .iter()
        .enumerate()
        .map(|(at, value)| event(decisions, &rules, at, value))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((rules, events))
}

/// The visitor's session: a browser's (its cookie, or a new one), or the one a
/// backend forwards; a subject has nowhere to keep visits, and a call with
/// neither an allowed Origin nor a key is refused.
async fn visitor<'r>(
    request: &'r Request<'_>,
    asking: &Caller,
) -> Result<Session<'r, SessionData>, Reply> {
    let Some(session) = request
        .guard::<Session<'_, SessionData>>()
        .await
        .succeeded()
    else {
        let details = json!({ "errorDetails": "The session store is unavailable." });
        return Err(Reply::json(Status::ServiceUnavailable, details));
    };
    let details = match asking {
        Caller::Browser { .. } => return Ok(session),
        Caller::Server { .. } if session.exists() => return Ok(session),
        Caller::Server { .. } => "A page_view, an exposure or a conversion needs the visitor's session: forward its cookie.",
        Caller::Direct => "Events come from an allowed origin's page (with the visitor's cookies), or from a backend with a key.",
    };
    let error = json!({ "error": { "code": "invalid_value", "message": details } });
    Err(Reply::json(Status::UnprocessableEntity, error))
}

/// Records `event` for `session`'s visitor; whether it counted.
async fn record(
    request: &Request<'_>,
    session: &Session<'_, SessionData>,
    rules: &Rules,
    event: &Event,
) -> Result<bool, AppError> {
    match event {
        Event::PageView(landing) => {
            Ok(crate::tracking::record_page_view(request, session, landing).await?)
        }
        Event::Exposure { flag } => Ok(expose(request, session, rules, flag).await?),
        Event::Conversion { goal, id } => {
            convert(request, session, rules, Converting { goal, id }).await
        }
    }
}

#[post("/api/v1/events", data = "<body>")]
pub(super) async fn events(asked: Asked<'_>, body: Data<'_>) -> Reply {
    let request = asked.0;
    let prepared = async {
        let (decisions, asking, bytes) = super::ofrep::opened(request, body).await?;
        let (rules, events) = read(request, decisions, &bytes)?;
        let session = visitor(request, &asking).await?;
        super::ofrep::limit(request, decisions, &super::evaluate::Who::Session).await?;
        Ok::<_, Reply>((rules, events, session))
    };
    let (rules, events, session) = match prepared.await {
        Ok(prepared) => prepared,
        Err(reply) => return reply,
    };
    let mut recorded = 0u32;
    for event in &events {
        match record(request, &session, &rules, event).await {
            Ok(counted) => recorded += u32::from(counted),
            Err(e) => {
                e.log();
                let details = "The store is unavailable; the events before this one were recorded.";
                return Reply::json(
                    e.status(),
                    json!({ "errorDetails": details, "recorded": recorded }),
                );
            }
        }
    }
    Reply::json(Status::Accepted, json!({ "recorded": recorded }))
}
