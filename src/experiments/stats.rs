//! Participants and exposures, counted by page views: summed in memory (a page
//! never waits for the database) and written at least once a second, at
//! shutdown, and before the report is read.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rocket::fairing::{Fairing, Info, Kind};
use rocket::{Orbit, Rocket};

use crate::data::experiments::ViewCounts;
use crate::data::{DataError, Db};

/// Distinct (experiment, variant) rows summed between two flushes at most. Their
/// names come from the operator's file, so this is never reached in practice.
const MAX_PENDING: usize = 1_000;

/// How often the counts summed in memory are written.
const FLUSH_EVERY: Duration = Duration::from_secs(1);

/// The view-driven counters, shared by every request.
pub struct ViewStats {
    pub(super) db: Db,
    /// By experiment, then variant (looked up by `&str`: a page view that
    /// counts an existing row allocates nothing).
    pending: Mutex<HashMap<String, HashMap<String, ViewCounts>>>,
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

    /// Adds `counts` to experiment `experiment`'s variant `variant`.
    pub fn add(&self, experiment: &str, variant: &str, counts: ViewCounts) {
        let mut pending = self.pending.lock().unwrap_or_else(|p| p.into_inner());
        let sum = match pending.get_mut(experiment).and_then(|v| v.get_mut(variant)) {
            Some(sum) => sum,
            None => {
                let rows: usize = pending.values().map(HashMap::len).sum();
                if rows >= MAX_PENDING {
                    return;
                }
                let variants = pending.entry(experiment.to_owned()).or_default();
                variants.entry(variant.to_owned()).or_default()
            }
        };
        sum.participants += counts.participants;
        sum.exposures += counts.exposures;
    }

    /// Writes what was summed in memory; on failure it is kept for the next flush.
    ///
    /// # Errors
    /// [`DataError`] when the database fails.
    pub async fn flush(&self) -> Result<(), DataError> {
        let _one_at_a_time = self.flushing.lock().await;
        let batch = std::mem::take(&mut *self.pending.lock().unwrap_or_else(|p| p.into_inner()));
        let rows: Vec<((String, String), ViewCounts)> = batch
            .into_iter()
            .flat_map(|(e, variants)| variants.into_iter().map(move |(v, n)| ((e.clone(), v), n)))
            .collect();
        let written = self
            .db
            .add_view_counts(rows.iter().map(|(k, n)| (k, n)))
            .await;
        if written.is_err() {
            for ((experiment, variant), counts) in rows {
                self.add(&experiment, &variant, counts);
            }
        }
        written
    }
}

/// Writes the counts once a second, and a last time at shutdown.
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
        let mut shutdown = rocket.shutdown();
        rocket::tokio::spawn(async move {
            let mut every = rocket::tokio::time::interval(FLUSH_EVERY);
            loop {
                rocket::tokio::select! {
                    _ = every.tick() => {
                        if let Err(e) = stats.flush().await {
                            e.report();
                        }
                    }
                    _ = &mut shutdown => break,
                }
            }
        });
    }

    async fn on_shutdown(&self, _: &Rocket<Orbit>) {
        if let Err(e) = self.0.flush().await {
            e.report();
        }
    }
}
