//! Tracking's parts of the session record: the visits and the campaign touches.

use std::mem::size_of;
use std::ops::{Deref, DerefMut};

use serde::{Deserialize, Serialize};
use tailor_session::parts::{self, Part};

use super::model::{Campaigns, Touch, Visit};

/// Page views, oldest first, bounded (`tracking.history_size`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Visits(pub Vec<Visit>);

impl Deref for Visits {
    type Target = Vec<Visit>;
    fn deref(&self) -> &Vec<Visit> {
        &self.0
    }
}

impl DerefMut for Visits {
    fn deref_mut(&mut self) -> &mut Vec<Visit> {
        &mut self.0
    }
}

impl Part for Visits {
    const NAME: &'static str = "visits";

    fn footprint(&self) -> usize {
        size_of::<Self>()
            + self.capacity() * (size_of::<Visit>() + 8)
            + self
                .iter()
                .map(|v| v.referrer.as_ref().map_or(0, |r| r.len()))
                .sum::<usize>()
    }
}

impl Part for Campaigns {
    const NAME: &'static str = "campaigns";

    fn footprint(&self) -> usize {
        let touch = |t: &Touch| {
            size_of::<Touch>()
                + [
                    &t.source,
                    &t.medium,
                    &t.campaign,
                    &t.term,
                    &t.content,
                    &t.id,
                    &t.referrer,
                ]
                .iter()
                .map(|v| v.as_ref().map_or(0, |s| s.len()))
                .sum::<usize>()
                + t.landing_path.len()
        };
        size_of::<Self>()
            + self.touches.iter().map(touch).sum::<usize>()
            + self.first_touch.as_deref().map_or(0, touch)
            + self.last_touch.as_deref().map_or(0, touch)
    }
}

/// Registers tracking's parts.
pub fn register() {
    parts::register::<Visits>();
    parts::register::<Campaigns>();
}
