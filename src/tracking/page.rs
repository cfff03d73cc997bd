//! What tracking adds to every page: the plan of what this view may record (the
//! visit and touch are deferred until the page answers 200), whether the visitor
//! needs a session or takes stateless forms, and the opt-in consent banner.

use rocket::http::Status;
use rocket::Request;

use std::sync::Arc;

use super::{
    conversion, credit, model, plan, CampaignBanner, CampaignStats, Campaigns, ConsentBanner,
    ConsentView, Touch, TrackingConfig, Visit, Visits,
};
use crate::conversions::{Conversion, ConversionHook, ConversionRows};
use crate::record::SessionData;
use crate::web::{Facts, Page, PageContext, PageHook, PagePhase, Prepare};
use tailor_session::{SessionError, SessionId};

/// What tracking found for this page view: kept in the page's facts for the
/// rest of the request, where the recorder finds it once the page answered.
pub(super) struct Planned {
    pub(super) allowed: bool,
    /// This view's visit and campaign touch (the landing page itself shows the
    /// touch's banner), recorded if the page answers 200.
    pub(super) pending: Option<(Visit, Option<Touch>)>,
    /// Under which session, once it exists.
    pub(super) recording: Option<SessionId>,
    /// The path of an undecided visitor's view, counted without a cookie if it
    /// answers 200 (`tracking.cookieless_counts`).
    pub(super) undecided: Option<Box<str>>,
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
    let landed = page
        .fact::<Planned>()
        .and_then(|p| p.pending.as_ref()?.1.as_ref());
    if let Some(landed) = landed {
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
            recording: None,
            undecided: plan.undecided,
            consent: plan.consent,
        });
        Ok(())
    }

    /// The session a view is recorded under, once the guard knows it (a new
    /// visitor's was created by the page's housekeeping write).
    fn after(&self, request: &Request<'_>, id: &SessionId, facts: &mut Facts) {
        if crate::web::landing(request).is_some() {
            return; // Another site's page: the rules see it, nothing records it.
        }
        if let Some(planned) = facts.get_mut::<Planned>().filter(|p| p.pending.is_some()) {
            planned.recording = Some(id.clone());
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
