//! Which experiments a visitor takes part in on a page, and with which
//! assignment: the stored one of the experiment's version, or (on a page showing
//! its slot) a new draw.

use rocket::Request;

use super::assign::draw;
use super::part::{Assigned, Assignments};
use super::who::{shown_here, takes_part};
use crate::personalisation::Decision;
use crate::web::Prepare;

/// An experiment the visitor takes part in on this request, and their
/// assignment.
pub(super) struct Planned {
    /// The experiment's index in the rules.
    pub(super) at: usize,
    pub(super) assigned: Assigned,
    /// Not in the session yet: drawn now, or the account's.
    pub(super) store: bool,
    /// A new participant (drawn now; while logged in, new in the account).
    pub(super) new: bool,
}

/// For each experiment the visitor takes part in, their assignment: the stored
/// one, or (on a page showing its slot) a new draw.
pub(super) fn plan(request: &Request<'_>, page: &Prepare<'_, '_>) -> Vec<Planned> {
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
        // One of an earlier version is ignored: a version bump starts afresh.
        let mine = stored.and_then(|a| a.of(name, experiment.version));
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
                    version: experiment.version,
                    epoch: experiment.epoch,
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
