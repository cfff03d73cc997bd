//! What tracking adds to every page: the plan of what this view may record (the
//! visit and touch are deferred until the page answers 200), whether the visitor
//! needs a session or takes stateless forms, and the opt-in consent banner.

use rocket::http::Status;
use rocket::Request;

use super::{defer, plan, Touch, Visit};
use crate::record::SessionData;
use crate::web::{ConsentView, Facts, Page, PageContext, PageHook, Prepare};
use tailor_session::{SessionError, SessionId};

/// What tracking found for this page view.
struct Planned {
    allowed: bool,
    pending: Option<(Visit, Option<Touch>)>,
    consent: Option<ConsentView>,
}

/// Whether this page's visitor may be tracked on this request (preference, consent
/// mode, GPC and DNT all considered).
pub fn allowed(page: &Page<'_>) -> bool {
    page.fact::<Planned>().is_some_and(|p| p.allowed)
}

/// Tracking's page hook.
pub struct TrackingHook;

#[rocket::async_trait]
impl PageHook for TrackingHook {
    /// After the login check and the preferences.
    fn order(&self) -> i32 {
        10
    }

    async fn prepare(
        &self,
        request: &Request<'_>,
        page: &mut Prepare<'_, '_>,
    ) -> Result<(), (Status, SessionError)> {
        let data = page.session.data();
        let plan = plan(request, data.as_deref());
        page.needs_session |= plan.needs_session;
        page.stateless |= plan.stateless;
        page.facts.insert(Planned {
            allowed: plan.allowed,
            pending: plan.pending,
            consent: plan.consent,
        });
        Ok(())
    }

    fn after(&self, request: &Request<'_>, id: &SessionId, facts: &Facts) {
        if let Some(pending) = facts.get::<Planned>().and_then(|p| p.pending.clone()) {
            defer(request, id.clone(), pending);
        }
    }

    fn layout(&self, facts: &Facts, _data: Option<&SessionData>, layout: &mut PageContext) {
        layout.consent = facts.get::<Planned>().and_then(|p| p.consent.clone());
    }
}
