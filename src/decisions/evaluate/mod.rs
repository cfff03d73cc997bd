//! One evaluation: who the visitor is (a session, or a subject), what the rules
//! decide for them (the same decision as tailor's pages make), their experiment
//! assignments (drawn when asked and `enroll` allows, stored at once; counted
//! as participants at the first exposure), and the answer for each key.

use std::collections::BTreeMap;
use std::sync::Arc;

use rocket::http::Status;
use rocket::Request;

use super::answer::{answer, Answer, Visitor};
use super::caller::Caller;
use super::context::EvalContext;
use crate::data::experiments::ViewCounts;
use crate::experiments::{draw, ArmRef, Assigned, ViewStats};
use crate::personalisation::condition::VisitorFacts;
use crate::personalisation::{Decision, Taking};
use crate::record::SessionData;

mod session;
mod subject;

use session::for_session;
use subject::for_subject;

/// Which keys to answer.
#[derive(Clone, Copy, Debug)]
pub enum Keys<'k> {
    One(&'k str),
    All,
}

/// What stops an evaluation as a whole.
#[derive(Debug)]
pub enum Halt {
    /// No visitor to decide for: `TARGETING_KEY_MISSING`.
    NoVisitor,
    /// A store or the database was not there to ask (503).
    Unavailable(Status),
    /// A store or the database failed: logged once, where the reply is made.
    Failed(crate::web::AppError),
}

impl From<tailor_session::SessionError> for Halt {
    fn from(e: tailor_session::SessionError) -> Self {
        Halt::Failed(e.into())
    }
}

impl From<crate::data::DataError> for Halt {
    fn from(e: crate::data::DataError) -> Self {
        Halt::Failed(e.into())
    }
}

/// Who the visitor of an evaluation is.
pub enum Who {
    /// The session of the request's cookie (or a new visitor of a browser).
    Session,
    /// A subject: the HMAC of the backend's `targetingKey`.
    Subject(String),
    Nobody,
}

impl Who {
    /// The visitor of `caller`'s request with context `ctx`: a session cookie
    /// wins (a backend forwarding it speaks for that session).
    pub async fn of(
        request: &Request<'_>,
        caller: &Caller,
        ctx: &EvalContext,
        subject_key: &[u8],
    ) -> Who {
        let has_session = request
            .guard::<tailor_session::Session<'_, SessionData>>()
            .await
            .succeeded()
            .is_some_and(|s| s.exists());
        match caller {
            Caller::Browser { .. } => Who::Session,
            _ if has_session => Who::Session,
            Caller::Server { .. } => match &ctx.targeting_key {
                Some(key) => Who::Subject(super::keys::subject(subject_key, key)),
                None => Who::Nobody,
            },
            Caller::Direct => Who::Nobody,
        }
    }
}

/// The experiments `keys` need an assignment for, by index in the rules.
pub(super) fn needed(decision: &Decision, keys: Keys<'_>) -> Vec<usize> {
    let rules = decision.rules();
    rules
        .experiments
        .iter()
        .enumerate()
        .filter(|(_, (name, e))| match keys {
            Keys::All => true,
            Keys::One(key) => {
                key.strip_prefix("experiment.") == Some(name.as_str())
                    || (!e.slot.is_empty() && key.strip_prefix("slot.") == Some(e.slot.as_str()))
                    || e.flag.as_deref() == Some(key)
            }
        })
        .map(|(i, _)| i)
        .collect()
}

/// The assignments held for the visitor, drawn where `enroll` allows, and what
/// to store and count.
pub(super) struct Draws {
    pub(super) held: BTreeMap<String, Assigned>,
    /// Drawn now (to store).
    pub(super) fresh: Vec<String>,
}

pub(super) fn plan_draws(
    decision: &mut Decision,
    wanted: &[usize],
    mut held: BTreeMap<String, Assigned>,
    takes_part: impl Fn(&crate::personalisation::rules::Experiment) -> bool,
    enroll: bool,
) -> Draws {
    let rules = decision.rules().clone();
    let mut fresh = Vec::new();
    for &at in wanted {
        let Some((name, experiment)) = rules.experiments.iter().nth(at) else {
            continue;
        };
        if !experiment.running() || !takes_part(experiment) {
            continue;
        }
        // One of an earlier version is ignored: a version bump starts afresh.
        if held
            .get(name)
            .is_none_or(|a| a.version != experiment.version)
        {
            if !enroll {
                continue;
            }
            let participant = rand::random::<i64>();
            let variant = &experiment.variants[draw(experiment, name, participant)];
            held.insert(
                name.clone(),
                Assigned {
                    variant: variant.name.clone(),
                    participant,
                    counted: false,
                    version: experiment.version,
                    epoch: experiment.epoch,
                },
            );
            fresh.push(name.clone());
        }
        let assigned = &held[name];
        if let Some(variant) = experiment.variant(&assigned.variant) {
            decision.take_part(Taking {
                experiment: at,
                variant,
                participant: assigned.participant,
                epoch: assigned.epoch,
            });
        }
    }
    Draws { held, fresh }
}

/// The experiment a single evaluation of `key` shows, if the visitor takes
/// part in one: its name.
pub(super) fn exposed(decision: &Decision, key: &str) -> Option<String> {
    let rules = decision.rules();
    decision.taking().iter().find_map(|t| {
        let (name, e) = rules.experiments.iter().nth(t.experiment)?;
        let shows = key.strip_prefix("experiment.") == Some(name.as_str())
            || (!e.slot.is_empty() && key.strip_prefix("slot.") == Some(e.slot.as_str()))
            || e.flag.as_deref() == Some(key);
        shows.then(|| name.clone())
    })
}

/// Evaluates `keys` for `request`'s visitor.
///
/// # Errors
/// [`Halt`] when there is no visitor, or a store fails.
pub async fn evaluate(
    request: &Request<'_>,
    who: &Who,
    caller: &Caller,
    ctx: &EvalContext,
    keys: Keys<'_>,
) -> Result<Vec<Answer>, Halt> {
    match who {
        Who::Nobody => Err(Halt::NoVisitor),
        Who::Session => for_session(request, caller, ctx, keys).await,
        Who::Subject(subject) => for_subject(request, subject, ctx, keys).await,
    }
}

/// Counts the exposure of `experiment` (and its participant, the first time).
pub(super) fn count(
    request: &Request<'_>,
    decision: &Decision,
    experiment: Option<&str>,
    first: bool,
) {
    let (Some(name), Some(stats)) = (experiment, request.rocket().state::<Arc<ViewStats>>()) else {
        return;
    };
    let rules = decision.rules();
    let taken = decision.taking().iter().find_map(|t| {
        let (n, e) = rules.experiments.iter().nth(t.experiment)?;
        (n == name).then_some((e, t))
    });
    if let Some((experiment, t)) = taken {
        let counts = ViewCounts {
            participants: i64::from(first),
            exposures: 1,
            flips: 0,
        };
        let arm = ArmRef {
            experiment: name,
            version: experiment.version,
            epoch: t.epoch,
            variant: &experiment.variants[t.variant].name,
        };
        stats.add(arm, counts);
    }
}

pub(super) fn answers(
    decision: &Decision,
    facts: &VisitorFacts<'_>,
    visitor: &Visitor<'_>,
    keys: Keys<'_>,
) -> Vec<Answer> {
    match keys {
        Keys::One(key) => vec![answer(decision, facts, visitor, key)],
        Keys::All => super::answer::all_keys(decision)
            .iter()
            .map(|key| answer(decision, facts, visitor, key))
            .collect(),
    }
}
