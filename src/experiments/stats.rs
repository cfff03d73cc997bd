//! Participants and exposures, counted by page views: summed in memory (a page
//! never waits for the database) and written at least once a second, at
//! shutdown, and before the report is read.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rocket::fairing::{Fairing, Info, Kind};
use rocket::{Orbit, Rocket};

use crate::data::epochs::EpochRow;
use crate::data::experiments::{Arm, ViewCounts};
use crate::data::{DataError, Db};
use crate::personalisation::rules::Rules;
use crate::personalisation::Live;

/// Distinct (experiment, variant) rows summed between two flushes at most. Their
/// names come from the operator's file, so this is never reached in practice.
const MAX_PENDING: usize = 1_000;

/// How often the counts summed in memory are written.
const FLUSH_EVERY: Duration = Duration::from_secs(1);

/// One arm's counts waiting to be written.
struct Pending {
    version: u32,
    epoch: u32,
    variant: String,
    counts: ViewCounts,
}

/// Where a page's count goes: an experiment's version, epoch and variant.
#[derive(Clone, Copy, Debug)]
pub struct ArmRef<'a> {
    pub experiment: &'a str,
    pub version: u32,
    pub epoch: u32,
    pub variant: &'a str,
}

/// The view-driven counters, shared by every request.
pub struct ViewStats {
    pub(super) db: Db,
    /// By experiment, then (version, epoch, variant) (looked up by `&str`: a
    /// page view that counts an existing row allocates nothing).
    pending: Mutex<HashMap<String, Vec<Pending>>>,
    /// Held for the whole of a flush, so a report that flushes first waits for a
    /// flush already under way instead of reading before its write commits.
    flushing: rocket::tokio::sync::Mutex<()>,
}

impl ViewStats {
    pub fn new(db: Db) -> Self {
        ViewStats {
            db,
            pending: Mutex::default(),
            flushing: rocket::tokio::sync::Mutex::new(()),
        }
    }

    /// Adds `counts` to `arm`.
    pub fn add(&self, arm: ArmRef<'_>, counts: ViewCounts) {
        let mut pending = self.pending.lock().unwrap_or_else(|p| p.into_inner());
        let same = |p: &Pending| {
            (p.version, p.epoch) == (arm.version, arm.epoch) && p.variant == arm.variant
        };
        let at = pending
            .get(arm.experiment)
            .and_then(|rows| rows.iter().position(same));
        let sum = match at {
            Some(at) => &mut pending.get_mut(arm.experiment).expect("found above")[at].counts,
            None => {
                let rows: usize = pending.values().map(Vec::len).sum();
                if rows >= MAX_PENDING {
                    return;
                }
                let rows = pending.entry(arm.experiment.to_owned()).or_default();
                rows.push(Pending {
                    version: arm.version,
                    epoch: arm.epoch,
                    variant: arm.variant.to_owned(),
                    counts: ViewCounts::default(),
                });
                &mut rows.last_mut().expect("just pushed").counts
            }
        };
        sum.participants += counts.participants;
        sum.exposures += counts.exposures;
        sum.flips += counts.flips;
    }

    /// Writes what was summed in memory; on failure it is kept for the next flush.
    ///
    /// # Errors
    /// [`DataError`] when the database fails.
    pub async fn flush(&self) -> Result<(), DataError> {
        let _one_at_a_time = self.flushing.lock().await;
        let batch = std::mem::take(&mut *self.pending.lock().unwrap_or_else(|p| p.into_inner()));
        let rows: Vec<(Arm, ViewCounts)> = batch
            .into_iter()
            .flat_map(|(experiment, arms)| {
                arms.into_iter().map(move |p| {
                    let arm = Arm {
                        experiment: experiment.clone(),
                        version: i64::from(p.version),
                        epoch: i64::from(p.epoch),
                        variant: p.variant,
                    };
                    (arm, p.counts)
                })
            })
            .collect();
        let written = self
            .db
            .add_view_counts(rows.iter().map(|(k, n)| (k, n)))
            .await;
        if written.is_err() {
            for (arm, counts) in &rows {
                let arm = ArmRef {
                    experiment: &arm.experiment,
                    version: u32::try_from(arm.version).unwrap_or(1),
                    epoch: u32::try_from(arm.epoch).unwrap_or(0),
                    variant: &arm.variant,
                };
                self.add(arm, *counts);
            }
        }
        written
    }
}

/// The splits of `rules`' experiments, first in force now (a split already
/// noted keeps its first time).
pub(super) fn epoch_rows(rules: &Rules) -> Vec<EpochRow> {
    let now = chrono::Utc::now();
    rules
        .experiments
        .iter()
        .map(|(name, e)| {
            EpochRow::new(
                name,
                i64::from(e.version),
                i64::from(e.epoch),
                e.split(),
                now,
            )
        })
        .collect()
}

/// Writes the counts once a second, and a last time at shutdown; notes the
/// splits of the rules in force at launch and after each reload.
pub(super) struct Flusher(pub(super) Arc<ViewStats>);

#[rocket::async_trait]
impl Fairing for Flusher {
    fn info(&self) -> Info {
        Info {
            name: "Experiment counter flush",
            kind: Kind::Liftoff | Kind::Shutdown,
        }
    }

    async fn on_liftoff(&self, rocket: &Rocket<Orbit>) {
        let stats = self.0.clone();
        let live = rocket.state::<Arc<Live>>().cloned();
        let mut noted = 0;
        let tick = async move |_| {
            let rules = live.as_ref().map(|l| l.current());
            if let Some((rules, generation)) = rules.filter(|r| r.1 != noted) {
                match stats.db.note_epochs(&epoch_rows(&rules)).await {
                    Ok(()) => noted = generation,
                    Err(e) => e.report(),
                }
            }
            if let Err(e) = stats.flush().await {
                e.report();
            }
        };
        rocket::tokio::spawn(crate::ops::every(rocket.shutdown(), FLUSH_EVERY, tick));
    }

    async fn on_shutdown(&self, _: &Rocket<Orbit>) {
        if let Err(e) = self.0.flush().await {
            e.report();
        }
    }
}
