//! What tracking adds to the visitor's rights: the visits and campaign touches in
//! the export, and on the page how many there are and whether tracking is on.

use crate::web::AppError;

use super::{allowed, Campaigns, Visits};
use crate::privacy::{Export, PrivacyHook, Summary, Visitor};
use crate::web::Page;

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
