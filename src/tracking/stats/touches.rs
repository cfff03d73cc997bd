//! Counting sessions as page views find them: a campaign touch, and a first
//! visit with none (a direct session).

use std::sync::atomic::Ordering;

use super::{delta, CampaignStats, Metric, DIMENSIONS};
use crate::data::counters::{CounterDelta, CounterKey};
use crate::tracking::model::{Touch, TouchChange};
use crate::tracking::stats::{Model, ALL_MODELS};

impl CampaignStats {
    /// Counts a session whose first recorded visit came without a campaign touch:
    /// a session of [`DIRECT`] under every model and dimension, until its first
    /// touch moves it ([`CampaignStats::on_touch`] with `was_direct`).
    pub fn on_direct_session(&self) {
        self.direct.fetch_add(1, Ordering::Relaxed);
    }

    /// The direct sessions counted since the last flush, as increments.
    pub(super) fn take_direct(&self) -> Vec<(CounterKey, CounterDelta)> {
        let n = self.direct.swap(0, Ordering::AcqRel);
        if n == 0 {
            return Vec::new();
        }
        ALL_MODELS
            .into_iter()
            .flat_map(|m| DIMENSIONS.map(|d| (self.key(m, d, None), delta(Metric::Sessions, n))))
            .collect()
    }

    /// Counts a touch: a session for its first touch when it is the session's first;
    /// under last touch, the session moves from the touch it replaced to this one.
    /// A session counted as direct (`was_direct`) leaves [`DIRECT`] at its first
    /// touch. Summed in memory; written by the next flush.
    pub fn on_touch(&self, change: &TouchChange, touch: &Touch, was_direct: bool) {
        if change.first && was_direct {
            self.direct.fetch_sub(1, Ordering::Relaxed);
        }
        let mut increments = Vec::new();
        for d in DIMENSIONS {
            if change.first {
                increments.push((
                    self.key(Model::FirstTouch, d, Some(touch)),
                    delta(Metric::Sessions, 1),
                ));
            }
            if let Some(previous) = &change.previous_last {
                let moved = self.key(Model::LastTouch, d, Some(previous));
                increments.push((moved, delta(Metric::Sessions, -1)));
            }
            increments.push((
                self.key(Model::LastTouch, d, Some(touch)),
                delta(Metric::Sessions, 1),
            ));
            // Under the shared models, a session counts for every value it has
            // a touch of.
            if change.new_values[d as usize] {
                for model in [Model::Linear, Model::Position] {
                    increments.push((self.key(model, d, Some(touch)), delta(Metric::Sessions, 1)));
                }
            }
        }
        self.pend(increments);
    }
}
