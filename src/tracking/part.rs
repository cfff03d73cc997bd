//! Tracking's parts of the session record: the visits and the campaign touches.

use std::collections::VecDeque;
use std::mem::size_of;
use std::ops::{Deref, DerefMut};

use serde::{Deserialize, Serialize};
use tailor_session::parts::{self, Part};

use super::model::{Campaigns, Touch, Visit};

/// Page views, oldest first, bounded (`tracking.history_size`): a ring buffer, so
/// a full history drops its oldest visit without moving the others. Stored as a
/// plain list, as before.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Visits(pub VecDeque<Visit>);

/// No visits, for a visitor without any.
pub static NO_VISITS: VecDeque<Visit> = VecDeque::new();

impl Deref for Visits {
    type Target = VecDeque<Visit>;
    fn deref(&self) -> &VecDeque<Visit> {
        &self.0
    }
}

impl DerefMut for Visits {
    fn deref_mut(&mut self) -> &mut VecDeque<Visit> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visits_are_stored_as_the_plain_list_they_were() {
        let visit = |path: &str| Visit {
            path: path.into(),
            at: chrono::DateTime::UNIX_EPOCH,
            referrer: None,
        };
        let list = vec![visit("/a"), visit("/b")];
        let mut ring = Visits::default();
        // A ring whose front has moved: it is still written oldest first.
        for path in ["/x", "/a", "/b"] {
            super::super::model::push_visit(&mut ring, visit(path), 2);
        }
        let json = serde_json::to_string(&ring).unwrap();
        assert_eq!(json, serde_json::to_string(&list).unwrap());
        let back: Visits = serde_json::from_str(&json).unwrap();
        assert_eq!(back, ring);
    }
}
