//! An evaluation for a session: the visitor of the request's cookie (or a new
//! visitor of an allowed origin), decided by the same page hooks as tailor's
//! pages, the assignments kept in the session (the account's winning).

use chrono::Utc;
use rocket::http::Status;
use rocket::Request;

use super::{answers, count, exposed, needed, plan_draws, Halt, Keys};
use crate::accounts::LoggedIn;
use crate::data::experiments::AssignmentRow;
use crate::data::Db;
use crate::decisions::answer::{Answer, Visitor};
use crate::decisions::caller::Caller;
use crate::decisions::context::EvalContext;
use crate::experiments::{bot_agent, Assigned, Assignments};
use crate::personalisation::Decision;
use crate::preferences::Preferences;
use crate::record::SessionData;

pub(super) async fn for_session(
    request: &Request<'_>,
    caller: &Caller,
    ctx: &EvalContext,
    keys: Keys<'_>,
) -> Result<Vec<Answer>, Halt> {
    if let Some(landing) = &ctx.landing {
        crate::web::set_landing(request, landing.clone());
    }
    let visitor = match request.guard::<crate::web::Visitor<'_>>().await {
        rocket::outcome::Outcome::Success(v) => v,
        rocket::outcome::Outcome::Error((status, _)) => return Err(Halt::Unavailable(status)),
        rocket::outcome::Outcome::Forward(_) => {
            return Err(Halt::Unavailable(Status::ServiceUnavailable))
        }
    };
    let now = Utc::now();
    let data = visitor.session.data();
    let lang = ctx.language.unwrap_or(visitor.lang);
    let mut facts = crate::personalisation::facts::gather(request, data.as_deref(), &visitor.facts);
    facts.language = Some(lang);
    facts.attributes = Some(&ctx.attributes);
    facts.from_browser = matches!(caller, Caller::Browser { .. });
    facts.tracking &= !ctx.gpc;
    let mut decision = match visitor.facts.get::<Decision>() {
        Some(page) => page.complete(&facts, now),
        None => Decision::default(),
    };
    let bot = crate::http::header(request, "User-Agent").is_some_and(bot_agent);
    let tracking = facts.tracking;
    let held = data
        .as_deref()
        .and_then(|d| d.part::<Assignments>())
        .map(|a| a.0.clone())
        .unwrap_or_default();
    let wanted = needed(&decision, keys);
    let audience: Vec<bool> = decision
        .rules()
        .experiments
        .values()
        .map(|e| e.audience_at.is_none_or(|at| decision.holds(at)))
        .collect();
    let rules = decision.rules().clone();
    let mut draws = plan_draws(
        &mut decision,
        &wanted,
        held,
        |e| {
            let at = rules.experiments.values().position(|x| std::ptr::eq(x, e));
            tracking && !bot && at.is_some_and(|i| audience[i])
        },
        ctx.enroll,
    );
    // Account's assignments win, as on tailor's pages.
    let login = visitor.facts.get::<LoggedIn>().cloned();
    if let (Some(login), Some(db)) = (&login, request.rocket().state::<Db>()) {
        for name in draws.fresh.clone() {
            let a = draws.held[&name].clone();
            let row = AssignmentRow {
                experiment: name.clone(),
                variant: a.variant.clone(),
                participant: a.participant,
                version: i64::from(a.version),
                epoch: i64::from(a.epoch),
            };
            if let Some((stored, _)) = db.assign_account(login.id, &row).await? {
                let stored = Assigned {
                    counted: stored.variant == a.variant
                        && stored.participant == a.participant
                        && a.counted,
                    ..Assigned::from(stored)
                };
                draws.held.insert(name, stored);
            }
        }
    }
    let exposure = match keys {
        Keys::One(key) if ctx.expose => exposed(&decision, key),
        _ => None,
    };
    let first_exposure = exposure
        .as_ref()
        .filter(|name| draws.held.get(*name).is_some_and(|a| !a.counted))
        .cloned();
    if !draws.fresh.is_empty() || first_exposure.is_some() {
        let (fresh, held) = (draws.fresh.clone(), draws.held.clone());
        let first = first_exposure.clone();
        visitor
            .session
            .update(|d: &mut SessionData| {
                let stored = d.part_mut::<Assignments>();
                for name in &fresh {
                    // Another request may have stored one meanwhile: it stays.
                    stored.add(name, held[name].clone());
                }
                if let Some(a) = first.as_ref().and_then(|n| stored.0.get_mut(n)) {
                    a.counted = true;
                }
            })
            .await?;
    }
    count(
        request,
        &decision,
        exposure.as_deref(),
        first_exposure.is_some(),
    );
    let prefs = data
        .as_deref()
        .and_then(|d| d.part::<Preferences>())
        .cloned();
    let visitor_view = Visitor {
        lang,
        negotiated: visitor.lang,
        prefs: prefs.as_ref(),
    };
    Ok(answers(&decision, &facts, &visitor_view, keys))
}
