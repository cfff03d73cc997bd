//! What experiments add to every page, after the rules are decided: which
//! experiments the visitor takes part in on this request, a variant drawn the
//! first time a page showing the slot is rendered for a participant (stored in
//! the page's housekeeping write; while logged in, in the account first, whose
//! assignment wins), the exposures and new participants counted, and the
//! conversions credited to the variant.

use std::sync::{Arc, Mutex};

use rocket::http::Status;
use rocket::Request;

use super::part::{Assigned, Assignments, Stored};
use super::plan::{plan, Planned};
use super::stats::{ArmRef, ViewStats};
use super::who::shown_here;
use crate::accounts::LoggedIn;
use crate::data::experiments::{AssignmentRow, ViewCounts};
use crate::data::Db;
use crate::personalisation::rules::Rules;
use crate::personalisation::{Decision, Taking};
use crate::record::SessionData;
use crate::web::{Facts, PageHook, PagePhase, Prepare};
use tailor_session::{SessionError, SessionId, StoreError};

/// An assignment this request made.
struct Fresh {
    experiment: String,
    assigned: Assigned,
    /// Made in the account (logged in): `counted` is already settled.
    by_account: bool,
    /// A new participant, to count once the assignment is stored.
    counted: bool,
    /// Storing it changed a stored variant of the same participant: a flip.
    flipped: bool,
}

/// This request's new assignments (a page fact), for the housekeeping write and
/// the counts.
#[derive(Default)]
struct FreshSlot(Mutex<Vec<Fresh>>);

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
                epoch: p.assigned.epoch,
            });
        }
        if p.store {
            fresh.push(Fresh {
                experiment: name.clone(),
                assigned: p.assigned,
                by_account,
                counted: by_account && p.new,
                flipped: false,
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
    /// Right after the rules are decided.
    fn phase(&self) -> PagePhase {
        PagePhase::Follow
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
            e.running()
                && shown_here(request, e)
                && stored.is_none_or(|a| a.of(name, e.version).is_none())
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
                version: i64::from(p.assigned.version),
                epoch: i64::from(p.assigned.epoch),
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
            let held = assignments.0.get(&f.experiment);
            if f.by_account && held.is_some_and(|h| h.version <= f.assigned.version) {
                // The account's assignment wins over the session's (not a flip).
                assignments.0.remove(&f.experiment);
            }
            let same = |h: &&mut Assigned| {
                (h.participant, h.version) == (f.assigned.participant, f.assigned.version)
                    && h.variant == f.assigned.variant
            };
            if let Some(held) = assignments.0.get_mut(&f.experiment).filter(same) {
                // Drawn for the operator's site and not counted yet, shown now:
                // counted here, once.
                if !f.by_account {
                    f.counted = !held.counted;
                }
                held.counted = true;
                continue;
            }
            let stored = assignments.store(&f.experiment, f.assigned.clone());
            f.flipped = stored == Stored::Flipped;
            if !f.by_account {
                f.counted = stored == Stored::Added;
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
                let arm = ArmRef {
                    experiment: name,
                    version: experiment.version,
                    epoch: t.epoch,
                    variant: &experiment.variants[t.variant].name,
                };
                let exposure = ViewCounts {
                    exposures: 1,
                    ..ViewCounts::default()
                };
                stats.add(arm, exposure);
            }
        }
        let Some(slot) = facts.get::<FreshSlot>() else {
            return;
        };
        let fresh = slot.0.lock().unwrap_or_else(|p| p.into_inner());
        for f in fresh.iter().filter(|f| f.counted || f.flipped) {
            let arm = ArmRef {
                experiment: &f.experiment,
                version: f.assigned.version,
                epoch: f.assigned.epoch,
                variant: &f.assigned.variant,
            };
            let counts = ViewCounts {
                participants: i64::from(f.counted),
                exposures: 0,
                flips: i64::from(f.flipped),
            };
            stats.add(arm, counts);
        }
    }
}
