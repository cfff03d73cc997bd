//! The operators' campaign counters: sessions and conversions by campaign, source
//! and medium, for first-touch and last-touch attribution. Kept incrementally as
//! touches and conversions happen (never by scanning sessions), and independent of
//! the sessions that made them.

use std::collections::BTreeMap;
use std::sync::Mutex;

use redis::AsyncCommands;
use serde::Serialize;

use super::model::{Campaigns, Touch, TouchChange};
use crate::backend::Backend;
use crate::session::redis::backend as redis_error;
use crate::session::store::Result;
use crate::session::RedisConnection;

/// Which touch a session is credited to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Model {
    FirstTouch,
    LastTouch,
}

impl Model {
    /// The name used in the report, its CSV and the catalog.
    pub fn code(self) -> &'static str {
        match self {
            Model::FirstTouch => "first_touch",
            Model::LastTouch => "last_touch",
        }
    }
}

/// What a row groups by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    Campaign,
    Source,
    Medium,
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

/// A conversion worth counting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Conversion {
    /// The contact form was submitted.
    Contact,
    /// An order was placed.
    Checkout,
}

/// The counts of one row.
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
}

/// The value of sessions without any campaign touch.
pub const DIRECT: &str = "(direct)";
/// The value of touches that lack the dimension (`utm_medium` missing, say).
pub const NOT_SET: &str = "(not set)";

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

type Key = (Model, Dimension, String);

/// Which count of a row an increment is for.
#[derive(Clone, Copy)]
enum Metric {
    Sessions,
    Contact,
    Checkout,
}

impl Metric {
    fn code(self) -> &'static str {
        match self {
            Metric::Sessions => "sessions",
            Metric::Contact => "contact",
            Metric::Checkout => "checkout",
        }
    }
}

type Increment = (Key, Metric, i64);

enum Counters {
    Memory(Mutex<BTreeMap<Key, Counts>>),
    /// One Redis hash; each field is the JSON `[model, dimension, value, metric]`.
    Redis {
        redis: RedisConnection,
        key: String,
    },
}

/// The counters, shared by every request (and every instance, on Redis).
pub struct CampaignStats {
    counters: Counters,
}

fn add(counts: &mut Counts, metric: Metric, delta: i64) {
    let slot = match metric {
        Metric::Sessions => &mut counts.sessions,
        Metric::Contact => &mut counts.contact,
        Metric::Checkout => &mut counts.checkout,
    };
    *slot = slot.saturating_add_signed(delta);
}

impl CampaignStats {
    /// Counters on `backend`.
    pub fn new(backend: &Backend) -> Self {
        let counters = match backend {
            Backend::Memory => Counters::Memory(Mutex::default()),
            Backend::Redis(redis) => Counters::Redis {
                redis: redis.clone(),
                key: redis.key("campaign_stats"),
            },
        };
        CampaignStats { counters }
    }

    async fn apply(&self, increments: Vec<Increment>) -> Result<()> {
        match &self.counters {
            Counters::Memory(rows) => {
                let mut rows = rows.lock().unwrap_or_else(|p| p.into_inner());
                for (key, metric, delta) in increments {
                    add(rows.entry(key).or_default(), metric, delta);
                }
                Ok(())
            }
            Counters::Redis { redis, key } => {
                let mut pipe = redis::pipe();
                for ((model, dimension, value), metric, delta) in increments {
                    let field =
                        serde_json::json!([model.code(), dimension.code(), value, metric.code()])
                            .to_string();
                    pipe.hincr(key, field, delta).ignore();
                }
                pipe.query_async::<()>(&mut redis.conn())
                    .await
                    .map_err(redis_error)
            }
        }
    }

    /// Counts a touch: a session for its first touch when it is the session's first;
    /// under last touch, the session moves from the touch it replaced to this one.
    ///
    /// # Errors
    /// [`StoreError`](crate::session::StoreError) when the backend fails.
    pub async fn on_touch(&self, change: &TouchChange, touch: &Touch) -> Result<()> {
        let mut increments = Vec::new();
        for d in DIMENSIONS {
            if change.first {
                increments.push((
                    (Model::FirstTouch, d, value(Some(touch), d)),
                    Metric::Sessions,
                    1,
                ));
            }
            if let Some(previous) = &change.previous_last {
                increments.push((
                    (Model::LastTouch, d, value(Some(previous), d)),
                    Metric::Sessions,
                    -1,
                ));
            }
            increments.push((
                (Model::LastTouch, d, value(Some(touch), d)),
                Metric::Sessions,
                1,
            ));
        }
        self.apply(increments).await
    }

    /// Counts a conversion of a session with these campaign touches.
    ///
    /// # Errors
    /// [`StoreError`](crate::session::StoreError) when the backend fails.
    pub async fn on_conversion(&self, campaigns: &Campaigns, kind: Conversion) -> Result<()> {
        let metric = match kind {
            Conversion::Contact => Metric::Contact,
            Conversion::Checkout => Metric::Checkout,
        };
        let mut increments = Vec::new();
        for (model, touch) in [
            (Model::FirstTouch, &campaigns.first_touch),
            (Model::LastTouch, &campaigns.last_touch),
        ] {
            for d in DIMENSIONS {
                increments.push(((model, d, value(touch.as_deref(), d)), metric, 1));
            }
        }
        self.apply(increments).await
    }

    async fn snapshot(&self) -> Result<BTreeMap<Key, Counts>> {
        match &self.counters {
            Counters::Memory(rows) => Ok(rows.lock().unwrap_or_else(|p| p.into_inner()).clone()),
            Counters::Redis { redis, key } => {
                let raw: Vec<(String, i64)> =
                    redis.conn().hgetall(key).await.map_err(redis_error)?;
                let mut rows: BTreeMap<Key, Counts> = BTreeMap::new();
                for (field, n) in raw {
                    let Ok([model, dimension, value, metric]) =
                        serde_json::from_str::<[String; 4]>(&field)
                    else {
                        continue;
                    };
                    let (Some(model), Some(dimension), Some(metric)) = (
                        MODELS.into_iter().find(|m| m.code() == model),
                        DIMENSIONS.into_iter().find(|d| d.code() == dimension),
                        [Metric::Sessions, Metric::Contact, Metric::Checkout]
                            .into_iter()
                            .find(|m| m.code() == metric),
                    ) else {
                        continue;
                    };
                    add(
                        rows.entry((model, dimension, value)).or_default(),
                        metric,
                        n.max(0),
                    );
                }
                Ok(rows)
            }
        }
    }

    /// Every row, by model, dimension, then most sessions first.
    ///
    /// # Errors
    /// [`StoreError`](crate::session::StoreError) when the backend fails.
    pub async fn rows(&self) -> Result<Vec<Row>> {
        let mut rows: Vec<Row> = self
            .snapshot()
            .await?
            .into_iter()
            .map(|((model, dimension, value), counts)| Row {
                model,
                dimension,
                value,
                counts,
            })
            .collect();
        rows.sort_by(|a, b| {
            (a.model, a.dimension)
                .cmp(&(b.model, b.dimension))
                .then_with(|| b.counts.sessions.cmp(&a.counts.sessions))
                .then_with(|| a.value.cmp(&b.value))
        });
        Ok(rows)
    }

    /// The report as CSV, safe to open in a spreadsheet.
    ///
    /// # Errors
    /// [`StoreError`](crate::session::StoreError) when the backend fails.
    pub async fn csv(&self) -> Result<String> {
        let mut out =
            String::from("model,dimension,value,sessions,contact_submissions,checkouts\r\n");
        for row in self.rows().await? {
            let cells = [
                csv_cell(row.model.code()),
                csv_cell(row.dimension.code()),
                csv_cell(&row.value),
                row.counts.sessions.to_string(),
                row.counts.contact.to_string(),
                row.counts.checkout.to_string(),
            ];
            out.push_str(&cells.join(","));
            out.push_str("\r\n");
        }
        Ok(out)
    }
}

/// One CSV cell: quoted, quotes doubled, and a leading `= + - @` (or tab or CR),
/// which spreadsheets would run as a formula, neutralised with a `'`.
pub fn csv_cell(text: &str) -> String {
    let guarded = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    format!("\"{}\"", guarded.replace('"', "\"\""))
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
            .rows()
            .await
            .unwrap()
            .into_iter()
            .find(|r| r.model == model && r.dimension == dimension && r.value == value)
            .map(|r| r.counts)
            .unwrap_or_default()
    }

    #[rocket::async_test]
    async fn first_and_last_touch_attribution() {
        let stats = CampaignStats::new(&Backend::Memory);
        let mut campaigns = Campaigns::default();
        let a = touch("spring", "news");
        let change = campaigns.record(a.clone(), 10);
        stats.on_touch(&change, &a).await.unwrap();
        let b = touch("summer", "ads");
        let change = campaigns.record(b.clone(), 10);
        stats.on_touch(&change, &b).await.unwrap();
        stats
            .on_conversion(&campaigns, Conversion::Contact)
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

        stats
            .on_conversion(&Campaigns::default(), Conversion::Checkout)
            .await
            .unwrap();
        assert_eq!(
            counts(&stats, Model::FirstTouch, Dimension::Source, DIRECT)
                .await
                .checkout,
            1
        );
    }

    #[test]
    fn csv_cells_cannot_become_formulas() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        for risky in ["+1", "-1", "@SUM(A1)", "\tx"] {
            assert!(csv_cell(risky).starts_with("\"'"), "{risky}");
        }
        assert_eq!(csv_cell("plain, text"), "\"plain, text\"");
    }
}
