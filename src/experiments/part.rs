//! The experiments' part of the session record: the visitor's assignments
//! (mirrored from the account while logged in).

use std::collections::BTreeMap;
use std::mem::size_of;

use serde::{Deserialize, Serialize};
use tailor_session::parts::{self, Part};

use crate::data::experiments::AssignmentRow;

/// The most assignments a session keeps (one per experiment; an operator's file
/// has a handful).
pub const MAX_ASSIGNMENTS: usize = 32;

/// A visitor's variant of one experiment, and the participant number their
/// conversions count under (random; never the session's or the account's id).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assigned {
    pub variant: String,
    pub participant: i64,
    /// Counted as a participant already. Pages count when they draw; an
    /// evaluation for the operator's site draws without counting, and counts at
    /// the first exposure. Stored only when false.
    #[serde(default = "counted", skip_serializing_if = "is_counted")]
    pub counted: bool,
}

fn counted() -> bool {
    true
}

fn is_counted(counted: &bool) -> bool {
    *counted
}

/// The visitor's assignments, by experiment.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Assignments(pub BTreeMap<String, Assigned>);

impl Assignments {
    /// Adds an assignment unless the experiment has one (or the bound is
    /// reached); returns whether it was added.
    pub fn add(&mut self, experiment: &str, assigned: Assigned) -> bool {
        if self.0.contains_key(experiment) || self.0.len() >= MAX_ASSIGNMENTS {
            return false;
        }
        self.0.insert(experiment.to_owned(), assigned);
        true
    }

    /// The assignments as the database keeps an account's.
    pub fn rows(&self) -> Vec<AssignmentRow> {
        self.0
            .iter()
            .map(|(experiment, a)| AssignmentRow {
                experiment: experiment.clone(),
                variant: a.variant.clone(),
                participant: a.participant,
            })
            .collect()
    }
}

impl From<AssignmentRow> for Assigned {
    fn from(row: AssignmentRow) -> Self {
        Assigned {
            variant: row.variant,
            participant: row.participant,
            counted: true,
        }
    }
}

impl Part for Assignments {
    const NAME: &'static str = "experiments";

    /// An assignment is drawn, not chosen: on its own it does not keep a session
    /// from eviction (a cookieless flood draws one per view). It was counted
    /// once, at the draw; eviction takes nothing back.
    fn worth_keeping(&self) -> bool {
        false
    }

    fn footprint(&self) -> usize {
        size_of::<Self>() + self.0.len() * (size_of::<Assigned>() + 64)
    }
}

/// Registers the experiments' part.
pub fn register() {
    parts::register::<Assignments>();
}
