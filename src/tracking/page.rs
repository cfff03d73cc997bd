//! What tracking adds to every page: the plan of what this view may record (the
//! visit and touch are deferred until the page answers 200), whether the visitor
//! needs a session or takes stateless forms, and the opt-in consent banner.

use rocket::http::Status;
use rocket::Request;

use std::sync::Arc;

use super::{
    conversion, credit, defer, model, plan, record_touch, CampaignBanner, CampaignStats, Campaigns,
    ConsentBanner, ConsentView, Touch, TrackingConfig, Visit, Visits,
};
use crate::conversions::{Conversion, ConversionHook, ConversionRows};
use crate::record::SessionData;
use crate::web::{Facts, NewSession, Page, PageContext, PageHook, PagePhase, Prepare};
use tailor_session::{SessionError, SessionId};

/// What tracking found for this page view.
pub(super) struct Planned {
    pub(super) allowed: bool,
    pub(super) pending: Option<(Visit, Option<Touch>)>,
    /// This page's own campaign touch, kept for the page once the pending record
    /// is handed to the recorder (so the landing page itself shows its banner).
    landed: Option<Touch>,
    consent: Option<ConsentView>,
}

/// Whether this page's visitor may be tracked on this request (preference, consent
/// mode, GPC and DNT all considered).
pub fn allowed(page: &Page<'_>) -> bool {
    page.fact::<Planned>().is_some_and(|p| p.allowed)
}

/// The campaign banner for this page's visitor: the first of the campaigns
/// file's banners that their last touch matches.
pub fn banner<'r>(page: &Page<'r>) -> Option<&'r CampaignBanner> {
    let config = page.state::<TrackingConfig>()?;
    // The landing's own touch is the last one, on this very page.
    if let Some(landed) = page.fact::<Planned>().and_then(|p| p.landed.as_ref()) {
        return config.banners.iter().find(|b| b.matches(landed));
    }
    let data = page.data()?;
    let last = data.part::<Campaigns>()?.last_touch.as_deref()?;
    config.banners.iter().find(|b| b.matches(last))
}

/// Calls `f` with the newest distinct paths this page's visitor viewed, at most
/// `n`, leaving out `skip` (borrowed from the record: nothing is copied).
pub fn with_recent_paths<R>(
    page: &Page<'_>,
    n: usize,
    skip: &[&str],
    f: impl FnOnce(&[&str]) -> R,
) -> R {
    let data = page.data();
    let visits = data
        .as_deref()
        .and_then(|d| d.part::<Visits>())
        .map_or(&[][..], |v| &v.0);
    f(&model::recent_paths(visits, n, skip))
}

/// Tracking's page hook.
pub struct TrackingHook;

#[rocket::async_trait]
impl PageHook for TrackingHook {
    /// After the login check and the preferences.
    fn phase(&self) -> PagePhase {
        PagePhase::Plan
    }

    fn prepare(
        &self,
        request: &Request<'_>,
        page: &mut Prepare<'_, '_>,
    ) -> Result<(), (Status, SessionError)> {
        let data = page.session.data();
        let mut plan = plan(request, data.as_deref());
        // The policy's date in words, in the page's language.
        if let Some(consent) = plan.consent.as_mut() {
            let day = consent.policy_date.as_deref().and_then(|d| d.parse().ok());
            consent.policy_date = day.map(|d| page.lang.date(d));
        }
        page.needs_session |= plan.needs_session;
        page.stateless |= plan.stateless;
        page.facts.insert(Planned {
            allowed: plan.allowed,
            pending: plan.pending,
            landed: None,
            consent: plan.consent,
        });
        Ok(())
    }

    /// A first visit is recorded in the write that creates the session (the
    /// recorder takes it back if the page does not answer 200).
    fn housekeep(&self, request: &Request<'_>, data: &mut SessionData, facts: &Facts) {
        if crate::web::landing(request).is_some() {
            return; // Another site's page: the rules see it, nothing records it.
        }
        let pending = facts.get::<Planned>().and_then(|p| p.pending.as_ref());
        let config = request.rocket().state::<TrackingConfig>();
        if let (Some(NewSession), Some((visit, touch)), Some(config)) =
            (facts.get::<NewSession>(), pending, config)
        {
            model::push_visit(
                data.part_mut::<Visits>(),
                visit.clone(),
                config.history_size,
            );
            if let Some(touch) = touch {
                record_touch(data, touch, config);
            }
        }
    }

    fn after(&self, request: &Request<'_>, id: &SessionId, facts: &mut Facts) {
        if crate::web::landing(request).is_some() {
            return;
        }
        let written = facts.get::<NewSession>().is_some();
        let Some(planned) = facts.get_mut::<Planned>() else {
            return;
        };
        if let Some(pending) = planned.pending.take() {
            planned.landed = pending.1.clone();
            defer(request, id.clone(), pending, written);
        }
    }

    fn layout(&self, facts: &Facts, _data: Option<&SessionData>, layout: &mut PageContext) {
        let consent = facts.get::<Planned>().and_then(|p| p.consent.clone());
        layout.put(ConsentBanner(consent));
    }
}

/// Tracking counts conversions in the campaign report and credits orders to the
/// visitor's first and last touch, when the visitor may be tracked.
pub struct CampaignConversions;

impl ConversionHook for CampaignConversions {
    fn converted(&self, page: &Page<'_>, kind: Conversion, rows: &mut ConversionRows) {
        let Some(stats) = page.state::<Arc<CampaignStats>>() else {
            return;
        };
        let data = page.data();
        let allowed = allowed(page);
        rows.counts
            .extend(conversion(stats, allowed, data.as_deref(), kind));
        if kind == Conversion::Checkout {
            rows.credit = credit(allowed, data.as_deref());
        }
    }
}
