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
    /// The experiment's version it was drawn in (stored when not 1).
    #[serde(default = "first", skip_serializing_if = "is_first")]
    pub version: u32,
    /// The split it was drawn under (0: drawn before epochs were kept; stored
    /// when not 0).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub epoch: u32,
}

fn counted() -> bool {
    true
}

fn is_counted(counted: &bool) -> bool {
    *counted
}

fn first() -> u32 {
    1
}

fn is_first(version: &u32) -> bool {
    *version == 1
}

fn is_zero(epoch: &u32) -> bool {
    *epoch == 0
}

/// What storing an assignment did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stored {
    /// Added (or it replaced an earlier version's).
    Added,
    /// The experiment's version had one already, the same: nothing changed.
    Kept,
    /// The version had one of another variant for the same participant, now
    /// replaced: a flip (it must never happen; the report counts them).
    Flipped,
    /// Not stored: the version had another participant's, or the bound is
    /// reached.
    Refused,
}

/// The visitor's assignments, by experiment.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Assignments(pub BTreeMap<String, Assigned>);

impl Assignments {
    /// The assignment of `experiment`'s `version`, if held (one of another
    /// version is ignored: a version bump starts afresh).
    pub fn of(&self, experiment: &str, version: u32) -> Option<&Assigned> {
        self.0.get(experiment).filter(|a| a.version == version)
    }

    /// Adds an assignment unless the experiment has one of its version (one of
    /// an earlier version is replaced), within the bound; returns whether it
    /// was added.
    pub fn add(&mut self, experiment: &str, assigned: Assigned) -> bool {
        self.store(experiment, assigned) == Stored::Added
    }

    /// Stores `assigned` for `experiment` as [`add`](Self::add) does, and says
    /// what happened, noticing a flip: the same participant of the same version
    /// held with another variant (replaced, so the report sees it).
    pub fn store(&mut self, experiment: &str, assigned: Assigned) -> Stored {
        match self.0.get(experiment) {
            Some(held) if held.version >= assigned.version => {
                if held.participant != assigned.participant || held.version != assigned.version {
                    return Stored::Refused;
                }
                if held.variant == assigned.variant {
                    return Stored::Kept;
                }
                self.0.insert(experiment.to_owned(), assigned);
                Stored::Flipped
            }
            Some(_) => {
                self.0.insert(experiment.to_owned(), assigned);
                Stored::Added
            }
            None if self.0.len() >= MAX_ASSIGNMENTS => Stored::Refused,
            None => {
                self.0.insert(experiment.to_owned(), assigned);
                Stored::Added
            }
        }
    }

    /// The assignments as the database keeps an account's.
    pub fn rows(&self) -> Vec<AssignmentRow> {
        self.0
            .iter()
            .map(|(experiment, a)| AssignmentRow {
                experiment: experiment.clone(),
                variant: a.variant.clone(),
                participant: a.participant,
                version: i64::from(a.version),
                epoch: i64::from(a.epoch),
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
            version: u32::try_from(row.version).unwrap_or(1),
            epoch: u32::try_from(row.epoch).unwrap_or(0),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn assigned(variant: &str, participant: i64, version: u32) -> Assigned {
        Assigned {
            variant: variant.into(),
            participant,
            counted: true,
            version,
            epoch: 7,
        }
    }

    #[test]
    fn storing_notices_a_flip_and_a_new_version_replaces_the_old() {
        let mut held = Assignments::default();
        assert_eq!(held.store("e", assigned("bold", 1, 1)), Stored::Added);
        assert_eq!(held.store("e", assigned("bold", 1, 1)), Stored::Kept);
        assert_eq!(
            held.store("e", assigned("control", 2, 1)),
            Stored::Refused,
            "another participant"
        );
        assert_eq!(held.store("e", assigned("control", 1, 1)), Stored::Flipped);
        assert_eq!(held.of("e", 1).map(|a| a.variant.as_str()), Some("control"));
        assert_eq!(
            held.store("e", assigned("bold", 3, 2)),
            Stored::Added,
            "a new version"
        );
        assert_eq!(held.of("e", 1), None, "the old version is not read");
        assert_eq!(
            held.store("e", assigned("bold", 1, 1)),
            Stored::Refused,
            "an older version"
        );
    }

    #[test]
    fn a_record_written_before_versions_reads_as_version_one_of_no_epoch() {
        let old: Assignments =
            serde_json::from_str(r#"{"e":{"variant":"bold","participant":5}}"#).unwrap();
        assert_eq!(
            old.of("e", 1),
            Some(&Assigned {
                epoch: 0,
                ..assigned("bold", 5, 1)
            })
        );
        let fresh = Assignments([("e".to_owned(), assigned("bold", 5, 1))].into());
        assert_eq!(
            serde_json::to_string(&fresh).unwrap(),
            r#"{"e":{"variant":"bold","participant":5,"epoch":7}}"#,
            "version 1 is not written"
        );
    }
}
