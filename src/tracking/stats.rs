//! The operators' campaign counters: sessions and conversions by campaign, source
//! and medium, for first-touch and last-touch attribution. Kept incrementally as
//! touches and conversions happen (never by scanning sessions), and independent of
//! the sessions that made them.

use std::collections::BTreeMap;
use std::sync::Mutex;

use serde::Serialize;

use super::model::{Campaigns, Touch, TouchChange};

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

/// The counters, shared by every request.
#[derive(Default)]
pub struct CampaignStats {
    rows: Mutex<BTreeMap<Key, Counts>>,
}

impl CampaignStats {
    fn with_rows<T>(&self, f: impl FnOnce(&mut BTreeMap<Key, Counts>) -> T) -> T {
        let mut rows = self.rows.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut rows)
    }

    /// Counts a touch: a session for its first touch when it is the session's first;
    /// under last touch, the session moves from the touch it replaced to this one.
    pub fn on_touch(&self, change: &TouchChange, touch: &Touch) {
        self.with_rows(|rows| {
            for d in DIMENSIONS {
                if change.first {
                    rows.entry((Model::FirstTouch, d, value(Some(touch), d)))
                        .or_default()
                        .sessions += 1;
                }
                if let Some(previous) = &change.previous_last {
                    let old = rows
                        .entry((Model::LastTouch, d, value(Some(previous), d)))
                        .or_default();
                    old.sessions = old.sessions.saturating_sub(1);
                }
                rows.entry((Model::LastTouch, d, value(Some(touch), d)))
                    .or_default()
                    .sessions += 1;
            }
        });
    }

    /// Counts a conversion of a session with these campaign touches.
    pub fn on_conversion(&self, campaigns: &Campaigns, kind: Conversion) {
        self.with_rows(|rows| {
            for (model, touch) in [
                (Model::FirstTouch, &campaigns.first_touch),
                (Model::LastTouch, &campaigns.last_touch),
            ] {
                for d in DIMENSIONS {
                    let counts = rows
                        .entry((model, d, value(touch.as_ref(), d)))
                        .or_default();
                    match kind {
                        Conversion::Contact => counts.contact += 1,
                        Conversion::Checkout => counts.checkout += 1,
                    }
                }
            }
        });
    }

    /// Every row, by model, dimension, then most sessions first.
    pub fn rows(&self) -> Vec<Row> {
        let mut rows: Vec<Row> = self.with_rows(|rows| {
            rows.iter()
                .map(|((model, dimension, value), counts)| Row {
                    model: *model,
                    dimension: *dimension,
                    value: value.clone(),
                    counts: counts.clone(),
                })
                .collect()
        });
        rows.sort_by(|a, b| {
            (a.model, a.dimension)
                .cmp(&(b.model, b.dimension))
                .then_with(|| b.counts.sessions.cmp(&a.counts.sessions))
                .then_with(|| a.value.cmp(&b.value))
        });
        rows
    }

    /// The report as CSV, safe to open in a spreadsheet.
    pub fn csv(&self) -> String {
        let mut out =
            String::from("model,dimension,value,sessions,contact_submissions,checkouts\r\n");
        for row in self.rows() {
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
        out
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

    fn counts(stats: &CampaignStats, model: Model, dimension: Dimension, value: &str) -> Counts {
        stats
            .rows()
            .into_iter()
            .find(|r| r.model == model && r.dimension == dimension && r.value == value)
            .map(|r| r.counts)
            .unwrap_or_default()
    }

    #[test]
    fn first_and_last_touch_attribution() {
        let stats = CampaignStats::default();
        let mut campaigns = Campaigns::default();
        let a = touch("spring", "news");
        let change = campaigns.record(a.clone(), 10);
        stats.on_touch(&change, &a);
        let b = touch("summer", "ads");
        let change = campaigns.record(b.clone(), 10);
        stats.on_touch(&change, &b);
        stats.on_conversion(&campaigns, Conversion::Contact);

        assert_eq!(
            counts(&stats, Model::FirstTouch, Dimension::Campaign, "spring"),
            Counts {
                sessions: 1,
                contact: 1,
                checkout: 0
            }
        );
        assert_eq!(
            counts(&stats, Model::LastTouch, Dimension::Campaign, "spring").sessions,
            0
        );
        assert_eq!(
            counts(&stats, Model::LastTouch, Dimension::Campaign, "summer"),
            Counts {
                sessions: 1,
                contact: 1,
                checkout: 0
            }
        );
        assert_eq!(
            counts(&stats, Model::LastTouch, Dimension::Medium, NOT_SET).sessions,
            1
        );

        stats.on_conversion(&Campaigns::default(), Conversion::Checkout);
        assert_eq!(
            counts(&stats, Model::FirstTouch, Dimension::Source, DIRECT).checkout,
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
