//! The operators' campaign counters: sessions and conversions by campaign, source
//! and medium, for first-touch and last-touch attribution. Kept incrementally as
//! touches and conversions happen (never by scanning sessions), in the database,
//! independent of the sessions that made them.
//!
//! A conversion is committed before its answer. Sessions are counted by page
//! views, which must not wait for a disk: they are summed in memory and flushed at
//! least once a second (and at shutdown, and before the report is read).

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::Mutex;

use serde::Serialize;

use super::model::{Campaigns, Touch};
use crate::data::counters::{CounterDelta, CounterKey, Increments};
use crate::data::{DataError, Db};

type Result<T> = std::result::Result<T, DataError>;

pub use super::attribution::{Model, ALL_MODELS};

mod touches;

/// What a row groups by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    // In the order of `TouchChange::new_values`.
    Campaign = 0,
    Source = 1,
    Medium = 2,
}

impl Dimension {
    /// The name used in the report, its CSV and the catalog.
    pub fn code(self) -> &'static str {
        match self {
            Dimension::Campaign => "campaign",
            Dimension::Source => "source",
            Dimension::Medium => "medium",
        }
    }
}

pub use crate::conversions::Conversion;

/// The counts of one row: whole conversions, or thousandths of conversions
/// under a fractional model.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub sessions: u64,
    pub contact: u64,
    pub checkout: u64,
}

/// One row of the report.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    pub model: Model,
    pub dimension: Dimension,
    pub value: String,
    #[serde(flatten)]
    pub counts: Counts,
    /// The conversions as shown (two decimals under a fractional model).
    pub contact_shown: String,
    pub checkout_shown: String,
    /// The conversions of each goal of the operator's site, as shown, in the
    /// report's goal order.
    pub goals: Vec<String>,
}

/// The value of sessions without any campaign touch.
pub const DIRECT: &str = "(direct)";
/// The value of touches that lack the dimension (`utm_medium` missing, say).
pub const NOT_SET: &str = "(not set)";
/// The row of the values past `tracking.campaign_rows` in a dimension.
pub const OTHER: &str = "(other)";

pub const MODELS: [Model; 2] = [Model::FirstTouch, Model::LastTouch];
pub const DIMENSIONS: [Dimension; 3] = [Dimension::Campaign, Dimension::Source, Dimension::Medium];

fn value(touch: Option<&Touch>, dimension: Dimension) -> String {
    let Some(touch) = touch else {
        return DIRECT.to_owned();
    };
    let v = match dimension {
        Dimension::Campaign => &touch.campaign,
        Dimension::Source => &touch.source,
        Dimension::Medium => &touch.medium,
    };
    v.clone().unwrap_or_else(|| NOT_SET.to_owned())
}

/// Which count of a row an increment is for.
#[derive(Clone, Copy)]
enum Metric {
    Sessions,
    Contact,
    Checkout,
}

fn delta(metric: Metric, n: i64) -> CounterDelta {
    let mut delta = CounterDelta::default();
    match metric {
        Metric::Sessions => delta.sessions = n,
        Metric::Contact => delta.contact = n,
        Metric::Checkout => delta.checkout = n,
    }
    delta
}

/// Distinct rows summed in memory between two flushes at most; a flood of new
/// campaign values beyond it is dropped (and counted) rather than held.
const MAX_PENDING: usize = 10_000;

/// The values each dimension has a row for (lower-cased), as this process knows
/// them: read from the database at launch and every minute, and grown by the
/// values this process counts.
#[derive(Default)]
struct Known {
    values: HashMap<&'static str, HashSet<String>>,
}

/// The counters, shared by every request (and every instance, on PostgreSQL).
pub struct CampaignStats {
    pub(super) db: Db,
    /// Most distinct values per dimension; the rest count under [`OTHER`].
    limit: usize,
    /// Campaign values that always keep their own row (the campaigns file's).
    reserved: HashSet<String>,
    known: Mutex<Known>,
    pending: Mutex<HashMap<CounterKey, CounterDelta>>,
    /// Held for the whole of a flush, so a report that flushes first waits for a
    /// flush already under way instead of reading before its write commits.
    flushing: rocket::tokio::sync::Mutex<()>,
    dropped: AtomicU64,
    /// Direct sessions counted since the last flush (less those that got their
    /// first touch): one atomic add per first visit, folded into every model's
    /// and dimension's [`DIRECT`] row at the flush.
    direct: AtomicI64,
}

impl CampaignStats {
    /// Counters in `db`, at most `limit` distinct values per dimension, the
    /// campaigns in `reserved` always counted under their own name.
    pub fn new(db: Db, limit: usize, reserved: impl IntoIterator<Item = String>) -> Self {
        CampaignStats {
            db,
            limit: limit.max(1),
            reserved: reserved.into_iter().map(|c| c.to_lowercase()).collect(),
            known: Mutex::default(),
            pending: Mutex::default(),
            flushing: rocket::tokio::sync::Mutex::new(()),
            dropped: AtomicU64::new(0),
            direct: AtomicI64::new(0),
        }
    }

    /// Reads which values have rows, so the bound holds across restarts (and,
    /// within a minute, across instances).
    ///
    /// # Errors
    /// [`DataError`] when the database fails.
    pub async fn load_known(&self) -> Result<()> {
        let rows = self.db.counter_values().await?;
        let mut known = self.known.lock().unwrap_or_else(|p| p.into_inner());
        for (dimension, value) in rows {
            if let Some(d) = DIMENSIONS.into_iter().find(|d| d.code() == dimension) {
                known.values.entry(d.code()).or_default().insert(value);
            }
        }
        Ok(())
    }

    /// The row `touch` counts under, for `model` and `dimension`: its own while the
    /// dimension has room (or the campaign is in the campaigns file), else
    /// [`OTHER`].
    fn key(&self, model: Model, dimension: Dimension, touch: Option<&Touch>) -> CounterKey {
        let label = value(touch, dimension);
        let folded = label.to_lowercase();
        let own = label == DIRECT
            || label == NOT_SET
            || (dimension == Dimension::Campaign && self.reserved.contains(&folded))
            || {
                let mut known = self.known.lock().unwrap_or_else(|p| p.into_inner());
                let values = known.values.entry(dimension.code()).or_default();
                values.contains(&folded) || (values.len() < self.limit && values.insert(folded))
            };
        let label = if own { label } else { OTHER.to_owned() };
        CounterKey::new(model.code(), dimension.code(), &label)
    }

    /// The increments a conversion of a session with these campaign touches
    /// makes: under each attribution model, for the campaign, source and medium of
    /// its touch. The caller writes them in the same transaction as the order or
    /// submission.
    pub fn conversion(&self, campaigns: &Campaigns, kind: Conversion) -> Increments {
        let metric = match kind {
            Conversion::Contact => Metric::Contact,
            Conversion::Checkout => Metric::Checkout,
        };
        self.shares(campaigns)
            .into_iter()
            .map(|(k, n)| (k, delta(metric, n)))
            .collect()
    }

    /// The rows one conversion by a visitor with `campaigns` is credited to, and
    /// how much (1 under first and last touch, thousandths under the fractional
    /// models).
    pub fn shares(&self, campaigns: &Campaigns) -> Vec<(CounterKey, i64)> {
        let mut counts = Vec::new();
        for (model, touch) in [
            (Model::FirstTouch, &campaigns.first_touch),
            (Model::LastTouch, &campaigns.last_touch),
        ] {
            for d in DIMENSIONS {
                counts.push((self.key(model, d, touch.as_deref()), 1));
            }
        }
        let touches = campaigns.credited();
        for model in [Model::Linear, Model::Position] {
            // Two touches of one value add up in its row.
            let mut rows: HashMap<CounterKey, i64> = HashMap::new();
            for d in DIMENSIONS {
                if touches.is_empty() {
                    *rows.entry(self.key(model, d, None)).or_default() += 1000;
                }
                for (touch, share) in touches.iter().zip(model.shares(touches.len())) {
                    *rows.entry(self.key(model, d, Some(touch))).or_default() += share;
                }
            }
            counts.extend(rows);
        }
        counts
    }

    /// Increments dropped because too many distinct rows waited for a flush.
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }

    fn pend(&self, increments: impl IntoIterator<Item = (CounterKey, CounterDelta)>) {
        let mut pending = self.pending.lock().unwrap_or_else(|p| p.into_inner());
        for (key, delta) in increments {
            let full = pending.len() >= MAX_PENDING;
            match pending.get_mut(&key) {
                Some(sum) => sum.add(&delta),
                None if full => {
                    self.dropped.fetch_add(1, Ordering::Relaxed);
                }
                None => {
                    pending.insert(key, delta);
                }
            }
        }
    }

    /// Writes what was summed in memory. On failure it is kept for the next flush.
    ///
    /// # Errors
    /// [`DataError`] when the database fails.
    pub async fn flush(&self) -> Result<()> {
        let _one_at_a_time = self.flushing.lock().await;
        let direct = self.take_direct();
        self.pend(direct);
        let batch = std::mem::take(&mut *self.pending.lock().unwrap_or_else(|p| p.into_inner()));
        if batch.is_empty() {
            return Ok(());
        }
        let written = self.db.add_counts(batch.iter()).await;
        if written.is_err() {
            self.pend(batch);
        }
        written
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn touch(campaign: &str, source: &str) -> Touch {
        Touch {
            campaign: Some(campaign.into()),
            source: Some(source.into()),
            landing_path: "/".into(),
            at: Utc::now(),
            ..Touch::default()
        }
    }

    async fn counts(
        stats: &CampaignStats,
        model: Model,
        dimension: Dimension,
        value: &str,
    ) -> Counts {
        stats
            .rows(&[])
            .await
            .unwrap()
            .rows
            .into_iter()
            .find(|r| r.model == model && r.dimension == dimension && r.value == value)
            .map(|r| r.counts)
            .unwrap_or_default()
    }

    #[rocket::async_test]
    async fn a_report_read_during_a_background_flush_still_sees_every_touch() {
        let dir = tempfile::tempdir().unwrap();
        let settings = crate::data::DataSettings::default();
        let stats = std::sync::Arc::new(CampaignStats::new(
            Db::open(&settings, dir.path()).await.unwrap(),
            1000,
            [],
        ));
        for i in 0..40 {
            let campaign = format!("c{i}");
            let t = touch(&campaign, "news");
            let change = Campaigns::default().record(t.clone(), 10);
            stats.on_touch(&change, &t, false);
            // The once-a-second flush takes the pending counts while the report
            // is being read.
            let background = stats.clone();
            let flushing = rocket::tokio::spawn(async move { background.flush().await });
            while !stats.pending.lock().unwrap().is_empty() {
                rocket::tokio::task::yield_now().await;
            }
            let seen = counts(&stats, Model::FirstTouch, Dimension::Campaign, &campaign).await;
            assert_eq!(seen.sessions, 1, "round {i}");
            flushing.await.unwrap().unwrap();
        }
    }

    #[rocket::async_test]
    async fn first_and_last_touch_attribution() {
        let dir = tempfile::tempdir().unwrap();
        let settings = crate::data::DataSettings::default();
        let stats = CampaignStats::new(Db::open(&settings, dir.path()).await.unwrap(), 1000, []);
        let mut campaigns = Campaigns::default();
        let a = touch("spring", "news");
        let change = campaigns.record(a.clone(), 10);
        stats.on_touch(&change, &a, false);
        let b = touch("summer", "ads");
        let change = campaigns.record(b.clone(), 10);
        stats.on_touch(&change, &b, false);
        let contact = stats.conversion(&campaigns, Conversion::Contact);
        stats
            .db
            .add_counts(contact.iter().map(|(k, d)| (k, d)))
            .await
            .unwrap();

        assert_eq!(
            counts(&stats, Model::FirstTouch, Dimension::Campaign, "spring").await,
            Counts {
                sessions: 1,
                contact: 1,
                checkout: 0
            }
        );
        assert_eq!(
            counts(&stats, Model::LastTouch, Dimension::Campaign, "spring")
                .await
                .sessions,
            0
        );
        assert_eq!(
            counts(&stats, Model::LastTouch, Dimension::Campaign, "summer").await,
            Counts {
                sessions: 1,
                contact: 1,
                checkout: 0
            }
        );
        assert_eq!(
            counts(&stats, Model::LastTouch, Dimension::Medium, NOT_SET)
                .await
                .sessions,
            1
        );

        let direct = stats.conversion(&Campaigns::default(), Conversion::Checkout);
        stats
            .db
            .add_counts(direct.iter().map(|(k, d)| (k, d)))
            .await
            .unwrap();
        assert_eq!(
            counts(&stats, Model::FirstTouch, Dimension::Source, DIRECT)
                .await
                .checkout,
            1
        );
    }
}
