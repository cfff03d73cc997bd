//! What tracking offers the personalisation rules: the recorded visits and
//! touches, this request's own included (a landing from a newsletter counts on
//! that very page). Nothing for a visitor who may not be tracked.

use rocket::Request;

use super::page::Planned;
use super::{Campaigns, Touch, TrackingConfig, Visit, Visits};
use crate::personalisation::{FactsHook, TouchFacts, VisitLog, VisitorFacts};
use crate::record::SessionData;
use crate::web::{Facts, PrivacySignals};

/// Tracking's facts hook.
pub struct TrackingFacts;

/// The recorded visits and this request's own, as the rules walk them.
struct Log<'a> {
    stored: &'a [Visit],
    pending: Option<&'a Visit>,
}

impl VisitLog for Log<'_> {
    fn count(&self) -> u64 {
        self.stored.len() as u64 + u64::from(self.pending.is_some())
    }

    fn each(&self, f: &mut dyn FnMut(&str, Option<&str>) -> bool) {
        for v in self.stored.iter().chain(self.pending) {
            if !f(v.path.as_str(), v.referrer.as_deref()) {
                return;
            }
        }
    }

    fn times(&self, f: &mut dyn FnMut(i64)) {
        for v in self.stored.iter().chain(self.pending) {
            f(v.at.timestamp_millis());
        }
    }
}

fn touch_facts(touch: &Touch) -> TouchFacts<'_> {
    TouchFacts {
        source: touch.source.as_deref(),
        medium: touch.medium.as_deref(),
        campaign: touch.campaign.as_deref(),
    }
}

impl FactsHook for TrackingFacts {
    fn facts<'a>(
        &self,
        request: &Request<'_>,
        data: Option<&'a SessionData>,
        page: &'a Facts,
        out: &mut VisitorFacts<'a>,
    ) {
        let planned = page.get::<Planned>();
        // A page has tracking's plan; a JSON route asks the same questions.
        let allowed = match planned {
            Some(p) => p.allowed,
            None => {
                let signals = PrivacySignals::of(request);
                request.rocket().state::<TrackingConfig>().is_some()
                    && crate::privacy::consent_of(request.rocket(), data, signals).allowed
            }
        };
        if !allowed {
            return;
        }
        out.tracking = true;
        let pending = planned.and_then(|p| p.pending.as_ref());
        let visits = data
            .and_then(|d| d.part::<Visits>())
            .map_or(&[][..], |v| &v.0);
        out.visits = Some(Box::new(Log {
            stored: visits,
            pending: pending.map(|(visit, _)| visit),
        }));
        let campaigns = data.and_then(|d| d.part::<Campaigns>());
        let touch = pending.and_then(|(_, touch)| touch.as_ref());
        let first = campaigns.and_then(|c| c.first_touch.as_deref()).or(touch);
        let last = touch.or(campaigns.and_then(|c| c.last_touch.as_deref()));
        out.first_touch = first.map(touch_facts);
        out.last_touch = last.map(touch_facts);
        out.touch_referrers = campaigns
            .into_iter()
            .flat_map(|c| c.touches.iter())
            .chain(touch)
            .filter_map(|t| t.referrer.as_deref())
            .collect();
    }
}
