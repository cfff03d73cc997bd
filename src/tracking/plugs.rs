//! What tracking plugs into the others' hooks besides every page: the rules'
//! facts (the recorded visits and touches, this request's own included: a landing
//! from a newsletter counts on that very page; nothing for a visitor who may not
//! be tracked), and the visitor's rights (the visits and touches in the export;
//! on the privacy page, how many there are and whether tracking is on).

use super::page::Planned;
use super::{allowed, Campaigns, Touch, TrackingConfig, Visit, Visits};
use crate::personalisation::{FactsHook, TouchFacts, VisitLog, VisitorFacts};
use crate::privacy::{Export, PrivacyHook, Summary, Visitor};
use crate::record::SessionData;
use crate::web::{AppError, Facts, Page, PrivacySignals};
use rocket::Request;

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

/// Tracking's privacy hook.
pub struct TrackingRights;

#[rocket::async_trait]
impl PrivacyHook for TrackingRights {
    async fn export(&self, visitor: &Visitor<'_, '_>, export: &mut Export) -> Result<(), AppError> {
        export.put("visits", visitor.data.part_or_default::<Visits>());
        export.put("campaigns", visitor.data.part_or_default::<Campaigns>());
        Ok(())
    }

    fn summarize(&self, page: &Page<'_>, summary: &mut Summary) {
        let data = page.data();
        summary.visits = data
            .as_ref()
            .and_then(|d| d.part::<Visits>().map(|v| v.len()))
            .unwrap_or(0);
        summary.touches = data
            .as_ref()
            .and_then(|d| d.part::<Campaigns>().map(|c| c.touches.len()))
            .unwrap_or(0);
        let signals = crate::web::PrivacySignals::of(page.request());
        let consent = crate::privacy::consent_of(page.rocket(), data.as_deref(), signals);
        summary.opt_in = consent.opt_in;
        summary.tracking_preference = consent.preference;
        summary.tracking_active = allowed(page);
    }
}
