//! An evaluation for a subject: the backend's visitor, known by the HMAC of its
//! `targetingKey`, with what the context says (its page, language, consent)
//! and its assignments in the database.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::Utc;
use rocket::http::Status;
use rocket::Request;

use super::{answers, count, exposed, needed, plan_draws, Halt, Keys};
use crate::data::subjects::SubjectAssignment;
use crate::data::Db;
use crate::decisions::answer::{Answer, Visitor};
use crate::decisions::context::{Consent, EvalContext};
use crate::experiments::{bot_agent, Assigned};
use crate::personalisation::condition::{TouchFacts, VisitFacts, VisitorFacts};
use crate::personalisation::{decide, Live, Scope};

/// The utm values of the landing's query.
fn utm<'q>(query: &'q [(String, String)], name: &str) -> Option<&'q str> {
    query
        .iter()
        .find(|(k, v)| k == name && !v.trim().is_empty())
        .map(|(_, v)| v.trim())
}

pub(super) async fn for_subject(
    request: &Request<'_>,
    subject: &str,
    ctx: &EvalContext,
    keys: Keys<'_>,
) -> Result<Vec<Answer>, Halt> {
    let rocket = request.rocket();
    let (Some(live), Some(db)) = (rocket.state::<Arc<Live>>(), rocket.state::<Db>()) else {
        return Err(Halt::Unavailable(Status::ServiceUnavailable));
    };
    let now = Utc::now();
    let no_signals = crate::web::PrivacySignals {
        gpc: false,
        dnt: false,
    };
    let opt_in = crate::privacy::consent_of(rocket, None, no_signals).opt_in;
    let tracking = !ctx.gpc
        && match ctx.consent {
            Some(Consent::Granted) => true,
            Some(Consent::Refused) => false,
            None => !opt_in,
        };
    // What the subject's page says of the visit: its path, referrer and campaign.
    let joined = ctx
        .landing
        .as_ref()
        .map(|l| format!("{}{}", l.host, l.path));
    let visit: Vec<VisitFacts<'_>> = match (&joined, &ctx.landing) {
        (Some(path), Some(landing)) if tracking => vec![VisitFacts {
            path,
            referrer: landing.referrer.as_deref(),
            at: now,
        }],
        _ => Vec::new(),
    };
    let touch = ctx.landing.as_ref().filter(|_| tracking).and_then(|l| {
        let t = TouchFacts {
            source: utm(&l.query, "utm_source"),
            medium: utm(&l.query, "utm_medium"),
            campaign: utm(&l.query, "utm_campaign"),
        };
        (t.source.is_some() || t.medium.is_some() || t.campaign.is_some()).then_some(t)
    });
    let lang = ctx.language.unwrap_or(crate::i18n::Language::En);
    let facts = VisitorFacts {
        visits: (!visit.is_empty())
            .then(|| Box::new(visit) as Box<dyn crate::personalisation::VisitLog>),
        first_touch: touch,
        last_touch: touch,
        first_visit: Some(now),
        language: Some(lang),
        tracking,
        attributes: Some(&ctx.attributes),
        from_browser: false,
        ..VisitorFacts::default()
    };
    let (rules, generation) = live.current();
    let mut decision = decide(&rules, generation, &facts, now, Scope::All);
    let bot = ctx.user_agent.as_deref().is_some_and(bot_agent);
    let wanted = needed(&decision, keys);
    // No experiment asked about: no need of the subject's rows.
    let rows = match wanted.is_empty() {
        true => Vec::new(),
        false => db.subject_assignments(subject, now).await?,
    };
    let held: BTreeMap<String, Assigned> = rows
        .into_iter()
        .map(|a| {
            let assigned = Assigned {
                variant: a.variant,
                participant: a.participant,
                counted: a.counted,
                version: u32::try_from(a.version).unwrap_or(1),
                epoch: u32::try_from(a.epoch).unwrap_or(0),
            };
            (a.experiment, assigned)
        })
        .collect();
    let audience: Vec<bool> = rules
        .experiments
        .values()
        .map(|e| e.audience_at.is_none_or(|at| decision.holds(at)))
        .collect();
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
    for name in draws.fresh.clone() {
        let a = &draws.held[&name];
        let row = SubjectAssignment {
            experiment: name.clone(),
            variant: a.variant.clone(),
            participant: a.participant,
            counted: false,
            version: i64::from(a.version),
            epoch: i64::from(a.epoch),
        };
        let stored = db.assign_subject(subject, &row, now).await?;
        draws.held.insert(
            name,
            Assigned {
                variant: stored.variant,
                participant: stored.participant,
                counted: stored.counted,
                version: a.version,
                epoch: u32::try_from(stored.epoch).unwrap_or(0),
            },
        );
    }
    let exposure = match keys {
        Keys::One(key) if ctx.expose => exposed(&decision, key),
        _ => None,
    };
    let first = match &exposure {
        Some(name) => {
            let version = draws.held.get(name).map_or(1, |a| a.version);
            db.count_subject(subject, name, i64::from(version)).await?
        }
        None => false,
    };
    count(request, &decision, exposure.as_deref(), first);
    let visitor = Visitor {
        lang,
        negotiated: lang,
        prefs: None,
    };
    Ok(answers(&decision, &facts, &visitor, keys))
}
