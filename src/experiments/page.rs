//! What experiments add to every page, after the rules are decided: which
//! experiments the visitor takes part in on this request, a variant drawn the
//! first time a page showing the slot is rendered for a participant (stored in
//! the page's housekeeping write; while logged in, in the account first, whose
//! assignment wins), the exposures and new participants counted, and the
//! conversions credited to the variant.

use std::sync::{Arc, Mutex};

use rocket::http::Status;
use rocket::Request;

use super::assign::draw;
use super::part::{Assigned, Assignments};
use super::stats::ViewStats;
use super::who::{shown_here, takes_part};
use crate::accounts::LoggedIn;
use crate::data::experiments::{AssignmentRow, ViewCounts};
use crate::data::Db;
use crate::personalisation::rules::Rules;
use crate::personalisation::{Decision, Taking};
use crate::record::SessionData;
use crate::web::{Facts, PageHook, Prepare};
use tailor_session::{SessionError, SessionId, StoreError};

/// An assignment this request made.
struct Fresh {
    experiment: String,
    assigned: Assigned,
    /// Made in the account (logged in): `counted` is already settled.
    by_account: bool,
    /// A new participant, to count once the assignment is stored.
    counted: bool,
}

/// This request's new assignments (a page fact), for the housekeeping write and
/// the counts.
#[derive(Default)]
struct FreshSlot(Mutex<Vec<Fresh>>);

/// An experiment the visitor takes part in on this request, and their
/// assignment.
struct Planned {
    /// The experiment's index in the rules.
    at: usize,
    assigned: Assigned,
    /// Not in the session yet: drawn now, or the account's.
    store: bool,
    /// A new participant (drawn now; while logged in, new in the account).
    new: bool,
}

/// For each experiment the visitor takes part in, their assignment: the stored
/// one, or (on a page showing its slot) a new draw.
fn plan(request: &Request<'_>, page: &Prepare<'_, '_>) -> Vec<Planned> {
    let Some(decision) = page.facts.get::<Decision>() else {
        return Vec::new();
    };
    let data = page.session.data();
    let stored = data.as_deref().and_then(|d| d.part::<Assignments>());
    let mut out = Vec::new();
    let mut bot = None;
    for (at, (name, experiment)) in decision.rules().experiments.iter().enumerate() {
        if !experiment.running() {
            // Paused or stopped: nobody is drawn, shown their variant or counted.
            continue;
        }
        let mine = stored.and_then(|a| a.0.get(name));
        if mine.is_none() && !shown_here(request, experiment) {
            continue;
        }
        if !takes_part(request, decision, experiment, &mut bot) {
            continue;
        }
        out.push(match mine {
            // Drawn for the operator's site and not shown yet: this page shows it,
            // and counts it, once.
            Some(a) if !a.counted && shown_here(request, experiment) => Planned {
                at,
                assigned: Assigned {
                    counted: true,
                    ..a.clone()
                },
                store: true,
                new: true,
            },
            Some(a) => Planned {
                at,
                assigned: a.clone(),
                store: false,
                new: false,
            },
            None => {
                let participant = rand::random::<i64>();
                let variant = &experiment.variants[draw(experiment, name, participant)];
                let assigned = Assigned {
                    variant: variant.name.clone(),
                    participant,
                    counted: true,
                };
                Planned {
                    at,
                    assigned,
                    store: true,
                    new: true,
                }
            }
        });
    }
    out
}

/// Notes the experiments taken part in on the decision, and leaves the
/// assignments to store for the housekeeping write.
fn apply(page: &mut Prepare<'_, '_>, plan: Vec<Planned>) {
    let by_account = page.facts.get::<LoggedIn>().is_some();
    let Some(decision) = page.facts.get_mut::<Decision>() else {
        return;
    };
    let rules: Arc<Rules> = decision.rules().clone();
    let mut fresh = Vec::new();
    for p in plan {
        let Some((name, experiment)) = rules.experiments.iter().nth(p.at) else {
            continue;
        };
        // A variant removed from the file: the slot shows `control`, uncounted.
        if let Some(variant) = experiment.variant(&p.assigned.variant) {
            decision.take_part(Taking {
                experiment: p.at,
                variant,
                participant: p.assigned.participant,
            });
        }
        if p.store {
            fresh.push(Fresh {
                experiment: name.clone(),
                assigned: p.assigned,
                by_account,
                counted: by_account && p.new,
            });
        }
    }
    if !fresh.is_empty() {
        page.facts.insert(FreshSlot(Mutex::new(fresh)));
    }
}

/// The experiments' page hook.
pub struct ExperimentsHook;

#[rocket::async_trait]
impl PageHook for ExperimentsHook {
    /// Right after the rules are decided (20).
    fn order(&self) -> i32 {
        21
    }

    fn prepare(
        &self,
        request: &Request<'_>,
        page: &mut Prepare<'_, '_>,
    ) -> Result<(), (Status, SessionError)> {
        let plan = plan(request, page);
        apply(page, plan);
        Ok(())
    }

    /// A logged-in visitor on a page showing an experiment they have no
    /// assignment of in this session: the account may have one (from another
    /// device), which wins.
    fn is_async(&self, request: &Request<'_>, page: &Prepare<'_, '_>) -> bool {
        if page.facts.get::<LoggedIn>().is_none() {
            return false;
        }
        let Some(decision) = page.facts.get::<Decision>() else {
            return false;
        };
        let data = page.session.data();
        let stored = data.as_deref().and_then(|d| d.part::<Assignments>());
        decision.rules().experiments.iter().any(|(name, e)| {
            e.running() && shown_here(request, e) && stored.is_none_or(|a| !a.0.contains_key(name))
        })
    }

    async fn prepare_async(
        &self,
        request: &Request<'_>,
        page: &mut Prepare<'_, '_>,
    ) -> Result<(), (Status, SessionError)> {
        let mut plan = plan(request, page);
        let (Some(login), Some(db)) =
            (page.facts.get::<LoggedIn>(), request.rocket().state::<Db>())
        else {
            return Ok(());
        };
        let rules = page.facts.get::<Decision>().map(|d| d.rules().clone());
        for p in plan.iter_mut().filter(|p| p.store) {
            let Some(name) = rules.as_ref().and_then(|r| r.experiments.keys().nth(p.at)) else {
                continue;
            };
            let row = AssignmentRow {
                experiment: name.clone(),
                variant: p.assigned.variant.clone(),
                participant: p.assigned.participant,
            };
            match db.assign_account(login.id, &row).await {
                Ok(Some((stored, created))) => {
                    p.assigned = stored.into();
                    p.new = created;
                }
                Ok(None) => {}
                Err(e) => {
                    let e = StoreError::Backend(e.into());
                    return Err((Status::ServiceUnavailable, SessionError::Store(e)));
                }
            }
        }
        apply(page, plan);
        Ok(())
    }

    fn needs_write(&self, _request: &Request<'_>, data: &SessionData, facts: &Facts) -> bool {
        let Some(slot) = facts.get::<FreshSlot>() else {
            return false;
        };
        let fresh = slot.0.lock().unwrap_or_else(|p| p.into_inner());
        let stored = data.part::<Assignments>();
        fresh
            .iter()
            .any(|f| stored.is_none_or(|a| a.0.get(&f.experiment) != Some(&f.assigned)))
    }

    fn housekeep(&self, _request: &Request<'_>, data: &mut SessionData, facts: &Facts) {
        let Some(slot) = facts.get::<FreshSlot>() else {
            return;
        };
        let mut fresh = slot.0.lock().unwrap_or_else(|p| p.into_inner());
        if fresh.is_empty() {
            return;
        }
        let assignments = data.part_mut::<Assignments>();
        for f in fresh.iter_mut() {
            if f.by_account {
                // The account's assignment wins over what the session held.
                assignments.0.remove(&f.experiment);
            }
            if let Some(held) = assignments.0.get_mut(&f.experiment) {
                // An assignment not counted yet, shown now: counted here, once.
                if !f.by_account && !held.counted && held.variant == f.assigned.variant {
                    held.counted = true;
                    f.counted = true;
                }
                continue;
            }
            let added = assignments.add(&f.experiment, f.assigned.clone());
            if !f.by_account {
                f.counted = added;
            }
        }
    }

    /// Counts the exposures of this page and the participants it made.
    fn after(&self, request: &Request<'_>, _id: &SessionId, facts: &mut Facts) {
        let (Some(stats), Some(decision)) = (
            request.rocket().state::<Arc<ViewStats>>(),
            facts.get::<Decision>(),
        ) else {
            return;
        };
        let rules = decision.rules();
        for t in decision.taking() {
            let Some((name, experiment)) = rules.experiments.iter().nth(t.experiment) else {
                continue;
            };
            if shown_here(request, experiment) {
                let variant = &experiment.variants[t.variant].name;
                let exposure = ViewCounts {
                    participants: 0,
                    exposures: 1,
                };
                stats.add(name, variant, exposure);
            }
        }
        let Some(slot) = facts.get::<FreshSlot>() else {
            return;
        };
        let fresh = slot.0.lock().unwrap_or_else(|p| p.into_inner());
        for f in fresh.iter().filter(|f| f.counted) {
            let participant = ViewCounts {
                participants: 1,
                exposures: 0,
            };
            stats.add(&f.experiment, &f.assigned.variant, participant);
        }
    }
}
